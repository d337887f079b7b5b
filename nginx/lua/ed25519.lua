-- Ed25519 public keys and signature checks through LuaJIT FFI, straight into the
-- OpenSSL libcrypto that nginx itself is linked against (no packaged lua-resty-openssl
-- on Debian 12, and no hand-rolled crypto). Keys are parsed once at start-up; a
-- request only pays for EVP_DigestVerify.
local ffi = require('ffi')

local C = ffi.C
local ffi_gc = ffi.gc
local pcall = pcall

ffi.cdef([[
typedef struct bio_st BIO;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_pkey_ctx_st EVP_PKEY_CTX;
typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_md_st EVP_MD;
typedef struct engine_st ENGINE;

BIO *BIO_new_mem_buf(const void *buf, int len);
int BIO_free(BIO *a);

EVP_PKEY *PEM_read_bio_PUBKEY(BIO *bp, EVP_PKEY **x, void *cb, void *u);
void EVP_PKEY_free(EVP_PKEY *pkey);
int EVP_PKEY_get_id(const EVP_PKEY *pkey);
int EVP_PKEY_id(const EVP_PKEY *pkey);

EVP_MD_CTX *EVP_MD_CTX_new(void);
void EVP_MD_CTX_free(EVP_MD_CTX *ctx);
int EVP_DigestVerifyInit(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type,
                         ENGINE *e, EVP_PKEY *pkey);
int EVP_DigestVerify(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen,
                     const unsigned char *tbs, size_t tbslen);

void ERR_clear_error(void);
]])

local NID_ED25519 = 1087
local SIGNATURE_LENGTH = 64

-- OpenSSL 3 renamed EVP_PKEY_id to EVP_PKEY_get_id (the old name is a macro there).
local pkey_type
do
  local ok, fn = pcall(function() return C.EVP_PKEY_get_id end)
  if not ok then
    fn = C.EVP_PKEY_id
  end
  pkey_type = fn
end

local _M = {}

--- Parses an SPKI PEM public key; only Ed25519 keys are accepted.
-- Returns an EVP_PKEY* owned by the Lua GC, or nil and a reason.
function _M.load_public_key(pem)
  if type(pem) ~= 'string' or pem == '' then
    return nil, 'key must be a non-empty PEM string'
  end
  local bio = C.BIO_new_mem_buf(pem, #pem)
  if bio == nil then
    return nil, 'BIO_new_mem_buf failed'
  end
  local pkey = C.PEM_read_bio_PUBKEY(bio, nil, nil, nil)
  C.BIO_free(bio)
  if pkey == nil then
    C.ERR_clear_error()
    return nil, 'not a PEM SubjectPublicKeyInfo key'
  end
  if pkey_type(pkey) ~= NID_ED25519 then
    C.EVP_PKEY_free(pkey)
    return nil, 'not an Ed25519 key'
  end
  return ffi_gc(pkey, C.EVP_PKEY_free)
end

--- True only when `signature` (raw 64 bytes) is a valid Ed25519 signature of `message`.
function _M.verify(pkey, signature, message)
  if #signature ~= SIGNATURE_LENGTH then
    return false
  end
  local ctx = C.EVP_MD_CTX_new()
  if ctx == nil then
    return false
  end
  -- Ed25519 is a one-shot scheme: the digest argument must be NULL.
  local valid = C.EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1
    and C.EVP_DigestVerify(ctx, signature, #signature, message, #message) == 1
  C.EVP_MD_CTX_free(ctx)
  if not valid then
    -- leave no stale entries in this thread's error queue for nginx's own TLS code
    C.ERR_clear_error()
  end
  return valid
end

return _M
