---@meta eco.internal.ssl
--- TLS contexts and sessions under eco.ssl.

---@class eco.ssl.context
local Context = {}

--- A TLS session on the connected descriptor fd.
---@param fd integer
---@param insecure? boolean
---@return eco.ssl.session|nil session
---@return string? err
function Context:new(fd, insecure) end
--- Trust the CA certificates in the PEM file at path.
---@param path string
---@return boolean|nil ok
---@return string? err
function Context:load_ca_cert_file(path) end
--- Use the certificate (chain) in the PEM file at path.
---@param path string
---@return boolean|nil ok
---@return string? err
function Context:load_cert_file(path) end
--- Use the private key in the PEM file at path.
---@param path string
---@return boolean|nil ok
---@return string? err
function Context:load_key_file(path) end
--- Restrict the cipher suites (OpenSSL-style list).
---@param ciphers string
---@return boolean|nil ok
---@return string? err
function Context:set_ciphers(ciphers) end
--- Require (server) or skip verifying the peer's certificate.
---@param on boolean
function Context:require_validation(on) end
--- Release the context.
function Context:free() end

---@class eco.ssl.session
local Session = {}

--- The name sent in SNI and verified against the certificate.
---@param name string
function Session:set_server_name(name) end
--- Release the session.
function Session:free() end

local M = {}

M.OK = 0
M.ERROR = -1
M.WANT_READ = -2
M.WANT_WRITE = -3
M.INSECURE = -4

--- A client (or, with is_server, server) TLS context.
---@param is_server? boolean
---@return eco.ssl.context
function M.context(is_server) end

return M
