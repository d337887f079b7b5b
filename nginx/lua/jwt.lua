-- Access-token verification: compact JWS, EdDSA (Ed25519) only.
--
-- The algorithm is fixed by configuration and never taken from the token: a header
-- whose "alg" is anything but "EdDSA" (none, HS256, RS256, ...) is rejected before any
-- key is touched, which closes the alg=none and HMAC-with-public-key confusions.
-- Claims are only inspected after the signature is valid, so error details leak
-- nothing an attacker could not read from their own token.
local ed25519 = require('ed25519')
local b64 = require('ngx.base64')
local cjson = require('cjson.safe').new()

local decode_base64url = b64.decode_base64url
local encode_base64url = b64.encode_base64url
local find = string.find
local sub = string.sub
local lower = string.lower
local type = type
local ipairs = ipairs
local huge = math.huge

-- NaN/Infinity/hex are not JSON; an "exp": Infinity must not mean "never expires".
cjson.decode_invalid_numbers(false)
cjson.decode_max_depth(16)

local MAX_TOKEN_BYTES = 8192
local MAX_SUBJECT_BYTES = 255
-- sid names the login in a Redis key (revocation.lua): short visible ASCII only.
local MAX_LOGIN_ID_BYTES = 64
-- A token stamped later than this is refused whatever the leeway: no clock is that far off, and a token
-- "issued" in the future would outlive a revocation cutoff written before that time.
local MAX_IAT_AHEAD_SECONDS = 60
local ALLOWED_TYP = { jwt = true, ['at+jwt'] = true, ['application/at+jwt'] = true }
local ALLOWED_ROLES = { user = true, admin = true }

local _M = {
  MAX_TOKEN_BYTES = MAX_TOKEN_BYTES,
  -- error codes, as rendered in the JSON body
  INVALID_TOKEN = 'INVALID_TOKEN',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
}

local INVALID = _M.INVALID_TOKEN

-- Strict base64url (RFC 7515 §2): no padding, no foreign characters, and canonical, so
-- a token has exactly one spelling (ngx's decoder alone would ignore anything after "=").
local function decode_segment(segment)
  if segment == '' or find(segment, '[^A-Za-z0-9_%-]') then
    return nil
  end
  local decoded = decode_base64url(segment)
  if decoded == nil or encode_base64url(decoded) ~= segment then
    return nil
  end
  return decoded
end

local function decode_json_object(segment)
  local raw = decode_segment(segment)
  if raw == nil then
    return nil
  end
  local value = cjson.decode(raw)
  if type(value) ~= 'table' then
    return nil
  end
  return value
end

local function is_finite_number(value)
  return type(value) == 'number' and value == value and value > -huge and value < huge
end

local function audience_matches(aud, expected)
  if type(aud) == 'string' then
    return aud == expected
  end
  if type(aud) == 'table' then
    for _, entry in ipairs(aud) do
      if entry == expected then
        return true
      end
    end
  end
  return false
end

-- Becomes an X-User-Id header value upstream: visible ASCII only, so no CR/LF injection.
local function is_valid_subject(value)
  return type(value) == 'string'
    and #value > 0
    and #value <= MAX_SUBJECT_BYTES
    and not find(value, '[^\33-\126]')
end

-- The login (refresh-token family) the token belongs to: logout revokes it by this id.
local function is_valid_login_id(value)
  return type(value) == 'string'
    and #value > 0
    and #value <= MAX_LOGIN_ID_BYTES
    and not find(value, '[^\33-\126]')
end

local function check_header(header, keys)
  if header.alg ~= 'EdDSA' then
    return nil, 'unsupported algorithm'
  end
  if header.crit ~= nil then
    return nil, 'unsupported critical header'
  end
  local typ = header.typ
  if typ ~= nil and (type(typ) ~= 'string' or not ALLOWED_TYP[lower(typ)]) then
    return nil, 'unsupported token type'
  end
  local kid = header.kid
  if type(kid) ~= 'string' then
    return nil, 'missing key id'
  end
  local key = keys[kid]
  if key == nil then
    return nil, 'unknown key id'
  end
  return key
end

local function check_claims(claims, config, now)
  local exp, nbf, iat = claims.exp, claims.nbf, claims.iat
  if not is_finite_number(exp) then
    return INVALID, 'exp claim required'
  end
  if nbf ~= nil and not is_finite_number(nbf) then
    return INVALID, 'nbf claim must be a number'
  end
  -- iat is required: the per-user revocation cutoff (revocation.lua) is compared with it
  if not is_finite_number(iat) then
    return INVALID, 'iat claim required'
  end
  if now >= exp + config.leeway then
    return _M.TOKEN_EXPIRED, 'token expired'
  end
  if nbf ~= nil and now + config.leeway < nbf then
    return INVALID, 'token not yet valid'
  end
  if iat > now + MAX_IAT_AHEAD_SECONDS then
    return INVALID, 'token issued in the future'
  end
  if claims.iss ~= config.issuer then
    return INVALID, 'invalid issuer'
  end
  if not audience_matches(claims.aud, config.audience) then
    return INVALID, 'invalid audience'
  end
  if not is_valid_subject(claims.sub) then
    return INVALID, 'invalid subject'
  end
  if type(claims.role) ~= 'string' or not ALLOWED_ROLES[claims.role] then
    return INVALID, 'invalid role'
  end
  if not is_valid_login_id(claims.sid) then
    return INVALID, 'invalid login id'
  end
  return nil
end

--- Builds a verifier.
-- config.keys: { [kid] = EVP_PKEY* } (see ed25519.load_public_key)
-- config.issuer, config.audience: expected iss / aud
-- config.leeway: clock skew allowance in seconds (0..30)
function _M.new(config)
  local keys = config.keys

  --- Returns the claims table of a valid token, or nil, error code, description.
  local function verify(token, now)
    if type(token) ~= 'string' or token == '' then
      return nil, INVALID, 'malformed token'
    end
    if #token > MAX_TOKEN_BYTES then
      return nil, INVALID, 'token too large'
    end

    local first_dot = find(token, '.', 1, true)
    local second_dot = first_dot and find(token, '.', first_dot + 1, true)
    if not second_dot or find(token, '.', second_dot + 1, true) then
      return nil, INVALID, 'malformed token'
    end

    local header = decode_json_object(sub(token, 1, first_dot - 1))
    if header == nil then
      return nil, INVALID, 'malformed token header'
    end
    local key, header_error = check_header(header, keys)
    if key == nil then
      return nil, INVALID, header_error
    end

    local signature = decode_segment(sub(token, second_dot + 1))
    if signature == nil or not ed25519.verify(key, signature, sub(token, 1, second_dot - 1)) then
      return nil, INVALID, 'invalid signature'
    end

    local claims = decode_json_object(sub(token, first_dot + 1, second_dot - 1))
    if claims == nil then
      return nil, INVALID, 'malformed token payload'
    end
    local code, description = check_claims(claims, config, now)
    if code ~= nil then
      return nil, code, description
    end
    return claims
  end

  return { verify = verify }
end

return _M
