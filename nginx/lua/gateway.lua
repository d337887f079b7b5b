-- Gateway policy, run in the access phase of every proxied location.
--
-- init() runs once in init_by_lua, i.e. in the nginx master *before* it forks the
-- workers and drops privileges: that is why gateway.json (which holds the gateway
-- secret) can stay 0600 and owned by whoever starts nginx. Workers inherit the parsed
-- configuration and the EVP_PKEY handles by fork.
--
-- access(mode) does, in order:
--   1. strip every client-sent X-User-* and X-Gateway-Secret header (always);
--   2. decide what the route needs (public / optional / required / admin);
--   3. verify the bearer token when needed (on /admin/queues, the vm_admin cookie when there is no
--      Authorization header), ask revocation.lua whether its user or login was revoked (401
--      TOKEN_REVOKED; 503 when Redis cannot tell: fail closed), answer 401/403 as JSON otherwise;
--   4. expose the identity and the gateway secret as nginx variables, which
--      proxy_set_header turns into X-User-Id, X-User-Role, X-Gateway-Secret.
local ed25519 = require('ed25519')
local jwt = require('jwt')
local revocation = require('revocation')
local cjson = require('cjson.safe')

local ngx = ngx
local ngx_var = ngx.var
local ngx_req = ngx.req
local ngx_header = ngx.header
local lower = string.lower
local sub = string.sub
local find = string.find
local match = string.match
local type = type
local pairs = pairs

local MAX_LEEWAY_SECONDS = 30
-- Seconds a client waits before retrying when the revocation records cannot be read.
local REVOCATION_RETRY_AFTER_SECONDS = 1

local _M = {}

local config -- set by init()
local verifier -- set by init()

local function fail_config(message)
  error('gateway config: ' .. message, 0)
end

local function read_file(path)
  local file, open_error = io.open(path, 'rb')
  if not file then
    fail_config('cannot open ' .. path .. ': ' .. tostring(open_error))
  end
  local content = file:read('*a')
  file:close()
  return content
end

local function require_string(value, name)
  if type(value) ~= 'string' or value == '' then
    fail_config(name .. ' must be a non-empty string')
  end
  return value
end

--- Loads gateway.json and parses every public key once. Any problem stops nginx from
-- starting (or keeps the old configuration on reload) with a message naming it.
function _M.init(path)
  local parsed = cjson.decode(read_file(path))
  if type(parsed) ~= 'table' then
    fail_config(path .. ' is not a JSON object')
  end

  local secret = require_string(parsed.gatewaySecret, 'gatewaySecret')
  if find(secret, '[^\33-\126]') then
    fail_config('gatewaySecret must be visible ASCII')
  end
  local leeway = parsed.leewaySeconds
  if type(leeway) ~= 'number' or leeway < 0 or leeway > MAX_LEEWAY_SECONDS then
    fail_config('leewaySeconds must be a number between 0 and ' .. MAX_LEEWAY_SECONDS)
  end

  local keys, count = {}, 0
  if type(parsed.publicKeys) ~= 'table' then
    fail_config('publicKeys must be an array')
  end
  for index, entry in ipairs(parsed.publicKeys) do
    local kid = require_string(type(entry) == 'table' and entry.kid, 'publicKeys[' .. index .. '].kid')
    if keys[kid] then
      fail_config('duplicate kid ' .. kid)
    end
    local pkey, key_error = ed25519.load_public_key(entry.pem)
    if not pkey then
      fail_config('publicKeys[' .. kid .. ']: ' .. key_error)
    end
    keys[kid] = pkey
    count = count + 1
  end
  if count == 0 then
    fail_config('publicKeys must not be empty')
  end

  config = {
    issuer = require_string(parsed.issuer, 'issuer'),
    audience = require_string(parsed.audience, 'audience'),
    leeway = leeway,
    gateway_secret = secret,
    keys = keys,
  }
  verifier = jwt.new(config)
  revocation.init(parsed.revocation)
end

-- Where a browser goes to sign in (the admin console's login page, which sends it back to `next`).
local LOGIN_PAGE = '/admin/login'

-- A browser loading a dashboard page (not the board's own JSON calls, nor an API client): it gets the login
-- page instead of a JSON 401/403 it cannot act on.
local function is_dashboard_page_load()
  local method = ngx_req.get_method()
  if (method ~= 'GET' and method ~= 'HEAD') or sub(lower(ngx_var.uri), 1, 13) ~= '/admin/queues' then
    return false
  end
  local accept = ngx_var.http_accept
  return type(accept) == 'string' and find(lower(accept), 'text/html', 1, true) ~= nil
end

-- Gateway-generated errors share the BFF's shape: {"error":{"code","message","requestId"}}.
local function respond_error(status, code, message, www_authenticate)
  if (status == 401 or status == 403) and is_dashboard_page_load() then
    ngx_header['Cache-Control'] = 'no-store'
    return ngx.redirect(LOGIN_PAGE .. '?next=' .. ngx.escape_uri(ngx_var.request_uri), 302)
  end
  -- The trailing newline keeps a shell prompt off the end of `curl` output, as the BFF's JSON does.
  local body = cjson.encode({
    error = { code = code, message = message, requestId = ngx_var.req_id },
  }) .. '\n'
  ngx.status = status
  ngx_header['Content-Type'] = 'application/json'
  ngx_header['Content-Length'] = #body
  ngx_header['Cache-Control'] = 'no-store'
  if www_authenticate then
    ngx_header['WWW-Authenticate'] = www_authenticate
  end
  ngx.print(body)
  -- Sent before nginx drops the rest of the request body: a malformed chunked body fails that step,
  -- which closes the connection and would lose an answer still in the buffer.
  ngx.flush(true)
  return ngx.exit(status)
end

local function reject_missing_token()
  return respond_error(401, 'UNAUTHORIZED', 'authentication required', 'Bearer realm="voltmall"')
end

local function reject_invalid_token(code, description)
  local message = code == jwt.TOKEN_EXPIRED and 'access token expired'
    or code == revocation.TOKEN_REVOKED and 'access token revoked'
    or 'invalid access token'
  return respond_error(
    401,
    code,
    message,
    'Bearer realm="voltmall", error="invalid_token", error_description="' .. description .. '"'
  )
end

local function reject_forbidden()
  return respond_error(
    403,
    'FORBIDDEN',
    'admin role required',
    'Bearer realm="voltmall", error="insufficient_scope"'
  )
end

-- Removes forged identity headers and returns the Authorization header values seen.
local function strip_identity_headers()
  local authorization, authorization_count = nil, 0
  -- 0 = no cap on the number of headers: a forged X-User-* must not hide past the 100th
  local headers = ngx_req.get_headers(0, true)
  for name, value in pairs(headers) do
    local name_lower = lower(name)
    if sub(name_lower, 1, 7) == 'x-user-' or name_lower == 'x-gateway-secret' then
      ngx_req.clear_header(name)
    elseif name_lower == 'authorization' then
      if type(value) == 'table' then
        authorization_count = authorization_count + #value
      else
        authorization_count = authorization_count + 1
        authorization = value
      end
    end
  end
  if authorization_count > 1 then
    return nil, true
  end
  return authorization, false
end

-- Express matches routes case-insensitively; the admin guard must not be weaker than
-- the router behind it, so /api/Admin/... is admin-only too.
local function is_admin_path(uri)
  local path = lower(uri)
  return sub(path, 1, 10) == '/api/admin' or sub(path, 1, 13) == '/admin/queues'
end

-- The queue dashboard is a browser page, and a browser cannot add a Bearer header to page loads:
-- there, and only there, the HttpOnly SameSite=Strict vm_admin cookie (set by
-- POST /api/admin/dashboard-session) stands in for a missing Authorization header.
local function is_dashboard_path(uri)
  return sub(lower(uri), 1, 13) == '/admin/queues'
end

local function effective_mode(mode)
  if is_admin_path(ngx_var.uri) then
    return 'admin'
  end
  if mode == 'catalogue' then
    local method = ngx_req.get_method()
    return (method == 'GET' or method == 'HEAD') and 'public' or 'required'
  end
  return mode
end

--- Access-phase entry point. mode: 'public' | 'catalogue' | 'optional' | 'required' | 'admin'.
function _M.access(mode)
  local authorization, ambiguous = strip_identity_headers()
  ngx_var.gw_secret = config.gateway_secret

  mode = effective_mode(mode)
  if mode == 'public' then
    return
  end

  if ambiguous then
    return reject_invalid_token(jwt.INVALID_TOKEN, 'more than one Authorization header')
  end
  if authorization == nil then
    if mode == 'optional' then
      return
    end
    local cookie_token = is_dashboard_path(ngx_var.uri) and ngx_var.cookie_vm_admin or nil
    if cookie_token == nil or cookie_token == '' then
      return reject_missing_token()
    end
    authorization = 'Bearer ' .. cookie_token
  end

  if #authorization > jwt.MAX_TOKEN_BYTES + 64 then
    return reject_invalid_token(jwt.INVALID_TOKEN, 'token too large')
  end
  local token = match(authorization, '^[Bb][Ee][Aa][Rr][Ee][Rr] +([^ ]+) *$')
  if token == nil then
    return reject_invalid_token(jwt.INVALID_TOKEN, 'malformed authorization header')
  end

  local claims, code, description = verifier.verify(token, ngx.time())
  if claims == nil then
    return reject_invalid_token(code, description)
  end
  -- Before the role check: a demoted admin's token still says admin, and a revoked token is no token.
  local revoked = revocation.is_revoked(claims.sub, claims.sid, claims.iat)
  if revoked == nil then
    -- A suspended user must never get through: without the records, refuse rather than guess.
    ngx_header['Retry-After'] = REVOCATION_RETRY_AFTER_SECONDS
    return respond_error(503, 'SERVICE_UNAVAILABLE', 'session check unavailable; retry shortly')
  end
  if revoked then
    return reject_invalid_token(revocation.TOKEN_REVOKED, 'token revoked')
  end
  if mode == 'admin' and claims.role ~= 'admin' then
    return reject_forbidden()
  end

  ngx_var.gw_user_id = claims.sub
  ngx_var.gw_user_role = claims.role
end

return _M
