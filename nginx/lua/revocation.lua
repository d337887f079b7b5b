-- Session revocation check: is this verified access token void because its user was suspended, deleted or
-- had their role changed (per-user cutoff), or because its login ended (per-login record)?
--
-- The BFF writes the records (shared/session-revocation.ts, which also names the keys: gateway.json carries
-- their prefixes). Each check costs one round trip to Redis: MGET <user key> <login key> (on Redis Cluster
-- after a MOVED redirect, followed once per worker: see fetch), over a pooled cosocket (setkeepalive) with
-- short timeouts. The answer is cached in a per-worker Lua table keyed by user and login for at most
-- cacheSeconds (≤ 1 s), so a revocation reaches every worker within a second.
--
-- No lua-resty-redis: Debian does not package it, so this speaks the few RESP2 commands it needs itself
-- (AUTH and SELECT once per new connection, pipelined with the first MGET).
local ngx = ngx
local tcp = ngx.socket.tcp
local now = ngx.now
local log = ngx.log
local ERR = ngx.ERR
local WARN = ngx.WARN
local concat = table.concat
local sub = string.sub
local byte = string.byte
local tonumber = tonumber
local floor = math.floor
local type = type

local _M = {
  -- error code of a revoked token, as rendered in the JSON body
  TOKEN_REVOKED = 'TOKEN_REVOKED',
}

local MAX_CACHE_SECONDS = 1
-- The cache is emptied when it reaches this many logins, so it cannot grow without bound.
local MAX_CACHE_ENTRIES = 10000
local POOL_IDLE_MS = 30000
local POOL_SIZE = 64

local settings -- set by init()
local cache, cache_entries = {}, 0

local function fail_config(message)
  error('gateway config: revocation.' .. message, 0)
end

local function command(...)
  local args = { ... }
  local parts = { '*', #args, '\r\n' }
  for _, arg in ipairs(args) do
    parts[#parts + 1] = '$'
    parts[#parts + 1] = #arg
    parts[#parts + 1] = '\r\n'
    parts[#parts + 1] = arg
    parts[#parts + 1] = '\r\n'
  end
  return concat(parts)
end

--- Validates the `revocation` object of gateway.json (see nginx/render.ts) once, in the master.
function _M.init(conf)
  if type(conf) ~= 'table' then
    fail_config('missing (the gateway must reach Redis to honour logouts and suspensions)')
  end
  local function need_string(name)
    local value = conf[name]
    if type(value) ~= 'string' or value == '' then
      fail_config(name .. ' must be a non-empty string')
    end
    return value
  end
  local port = conf.port
  if type(port) ~= 'number' or port < 1 or port > 65535 or port ~= floor(port) then
    fail_config('port must be a port number')
  end
  local db = conf.db
  if type(db) ~= 'number' or db < 0 or db ~= floor(db) then
    fail_config('db must be a non-negative integer')
  end
  local cache_seconds = conf.cacheSeconds
  if type(cache_seconds) ~= 'number' or cache_seconds < 0 or cache_seconds > MAX_CACHE_SECONDS then
    fail_config('cacheSeconds must be a number between 0 and ' .. MAX_CACHE_SECONDS)
  end
  local timeout_ms = conf.timeoutMs
  if type(timeout_ms) ~= 'number' or timeout_ms < 1 or timeout_ms > 5000 then
    fail_config('timeoutMs must be between 1 and 5000')
  end
  local password = conf.password
  if password ~= nil and (type(password) ~= 'string' or password == '') then
    fail_config('password must be a non-empty string when present')
  end
  local username = conf.username
  if username ~= nil and (type(username) ~= 'string' or username == '' or password == nil) then
    fail_config('username needs a password')
  end

  local handshake = {}
  if password then
    handshake[#handshake + 1] = username and command('AUTH', username, password) or command('AUTH', password)
  end
  if db ~= 0 then
    handshake[#handshake + 1] = command('SELECT', tostring(db))
  end

  -- The nodes to try in order (the records' node, once a MOVED named it, comes first): one server, or on
  -- Redis Cluster every seed node, so that one dead node does not stop the check.
  local nodes = { { host = need_string('host'), port = port } }
  if conf.nodes ~= nil then
    if type(conf.nodes) ~= 'table' or #conf.nodes == 0 then
      fail_config('nodes must be a non-empty array of { host, port }')
    end
    nodes = {}
    for _, node in ipairs(conf.nodes) do
      if type(node) ~= 'table' or type(node.host) ~= 'string' or type(node.port) ~= 'number' then
        fail_config('nodes must be a non-empty array of { host, port }')
      end
      nodes[#nodes + 1] = { host = node.host, port = node.port }
    end
  end

  settings = {
    host = need_string('host'),
    port = port,
    nodes = nodes,
    db = db,
    handshake = concat(handshake),
    handshake_replies = #handshake,
    user_prefix = need_string('userKeyPrefix'),
    login_prefix = need_string('loginKeyPrefix'),
    cache_seconds = cache_seconds,
    timeout_ms = timeout_ms,
  }
end

-- Reads one RESP2 reply that is a simple string, an error, or a bulk string (nil when null).
-- Returns value, nil on success; nil, error on a protocol or socket failure.
local function read_simple_or_bulk(sock)
  local line, err = sock:receive('*l')
  if not line then
    return nil, err
  end
  local kind = byte(line, 1)
  if kind == 43 then -- '+'
    return sub(line, 2)
  end
  if kind == 45 then -- '-'
    return nil, 'redis error: ' .. sub(line, 2)
  end
  if kind == 36 then -- '$'
    local length = tonumber(sub(line, 2))
    if length == nil then
      return nil, 'bad bulk length'
    end
    if length < 0 then
      return false
    end
    local data, data_err = sock:receive(length + 2)
    if not data then
      return nil, data_err
    end
    return sub(data, 1, length)
  end
  return nil, 'unexpected reply ' .. sub(line, 1, 32)
end

-- On Redis Cluster (the BFF's REDIS_CLUSTER_NODES) a node may not hold the records' slot and answers
-- -MOVED <slot> <host>:<port>. Both records carry one hash tag (shared/session-revocation.ts), so one slot:
-- the gateway follows the redirect and remembers that node in this worker (`redirected`). Should it fail
-- (a failover: down, or CLUSTERDOWN until a replica is promoted), the seed nodes are asked in order, and the
-- first that answers redirects to the slot's new primary. -ASK (a slot being migrated) is followed for that
-- one request, with ASKING first.
local redirected -- { host, port } of the node that holds the records, or nil: the configured one

local function parse_redirect(line)
  local kind, host, port = line:match('^%-(%u+) %d+ (.+):(%d+)$')
  if (kind == 'MOVED' or kind == 'ASK') and host and host ~= '' then
    return kind, host, tonumber(port)
  end
  return nil
end

-- One MGET of both records on one node. Returns cutoff, login on success (see fetch); nil, error when it
-- could not answer; or nil, error, kind, host, port when the node redirected (MOVED/ASK).
local function query(host, port, user_id, login_id, asking)
  local sock = tcp()
  sock:settimeouts(settings.timeout_ms, settings.timeout_ms, settings.timeout_ms)
  local ok, err = sock:connect(host, port, { pool = 'revocation:' .. host .. ':' .. port .. ':' .. settings.db })
  if not ok then
    return nil, 'connect: ' .. tostring(err)
  end
  local fresh = sock:getreusedtimes() == 0
  local request = command('MGET', settings.user_prefix .. user_id, settings.login_prefix .. login_id)
  if asking then
    request = command('ASKING') .. request
  end
  if fresh and settings.handshake_replies > 0 then
    request = settings.handshake .. request
  end
  local sent, send_err = sock:send(request)
  if not sent then
    sock:close()
    return nil, 'send: ' .. tostring(send_err)
  end
  local replies = (fresh and settings.handshake_replies or 0) + (asking and 1 or 0)
  for _ = 1, replies do
    local reply, reply_err = read_simple_or_bulk(sock)
    if not reply then
      sock:close()
      return nil, 'handshake: ' .. tostring(reply_err)
    end
  end
  local header, header_err = sock:receive('*l')
  if header ~= '*2' then
    if header and byte(header, 1) == 45 then
      local kind, to_host, to_port = parse_redirect(header)
      if kind then
        sock:setkeepalive(POOL_IDLE_MS, POOL_SIZE)
        return nil, 'redis error: ' .. sub(header, 2), kind, to_host, to_port
      end
      sock:close()
      return nil, 'redis error: ' .. sub(header, 2)
    end
    sock:close()
    return nil, 'MGET: ' .. tostring(header_err or ('unexpected reply ' .. sub(header, 1, 32)))
  end
  local cutoff, cutoff_err = read_simple_or_bulk(sock)
  if cutoff == nil then
    sock:close()
    return nil, 'MGET: ' .. tostring(cutoff_err)
  end
  local login, login_err = read_simple_or_bulk(sock)
  if login == nil then
    sock:close()
    return nil, 'MGET: ' .. tostring(login_err)
  end
  sock:setkeepalive(POOL_IDLE_MS, POOL_SIZE)
  return cutoff, login
end

-- Both records of one token, in one round trip (two or three when a cluster node redirects). Returns
-- user_cutoff_ms (number or false), login_revoked (boolean); or nil, error when Redis could not answer.
local function fetch(user_id, login_id)
  local candidates = {}
  if redirected then
    candidates[1] = redirected
  end
  for _, node in ipairs(settings.nodes) do
    candidates[#candidates + 1] = node
  end
  local cutoff, login, kind, to_host, to_port
  for _, node in ipairs(candidates) do
    cutoff, login, kind, to_host, to_port = query(node.host, node.port, user_id, login_id, false)
    if cutoff == nil and kind ~= nil then
      if kind == 'MOVED' then
        redirected = { host = to_host, port = to_port }
      end
      cutoff, login = query(to_host, to_port, user_id, login_id, kind == 'ASK')
    end
    if cutoff ~= nil then
      break
    end
  end
  if cutoff == nil then
    return nil, login
  end

  local cutoff_ms = false
  if cutoff then
    cutoff_ms = tonumber(cutoff)
    if cutoff_ms == nil then
      -- Not ours: err on the side of the revocation (every token of the user refused) and say so.
      log(ERR, 'revocation: user record ', settings.user_prefix, user_id, ' is not a number')
      cutoff_ms = math.huge
    end
  end
  return cutoff_ms, login ~= false
end

--- Returns true when the token is void, false when it stands; nil, error when Redis cannot tell.
-- user_id and login_id are the verified `sub` and `sid`; issued_at is `iat` in (fractional) seconds.
function _M.is_revoked(user_id, login_id, issued_at)
  local cache_key = user_id .. ' ' .. login_id
  local at = now()
  local entry = cache[cache_key]
  if entry == nil or entry.expires <= at then
    local cutoff_ms, login_revoked = fetch(user_id, login_id)
    if cutoff_ms == nil then
      log(WARN, 'revocation: Redis ', settings.host, ':', settings.port, ' unavailable: ', login_revoked)
      return nil, login_revoked
    end
    if entry == nil then
      if cache_entries >= MAX_CACHE_ENTRIES then
        cache, cache_entries = {}, 0
      end
      cache_entries = cache_entries + 1
      entry = {}
      cache[cache_key] = entry
    end
    entry.expires = at + settings.cache_seconds
    entry.cutoff_ms = cutoff_ms
    entry.login_revoked = login_revoked
  end
  if entry.login_revoked then
    return true
  end
  -- iat may carry milliseconds (the BFF signs Date.now() / 1000); round away float noise before comparing.
  return entry.cutoff_ms ~= false and floor(issued_at * 1000 + 0.5) <= entry.cutoff_ms
end

return _M
