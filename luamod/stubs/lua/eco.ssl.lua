---@meta eco.ssl
--- TLS client and server sockets.

---@class eco.ssl.opts
---@field ca? string CA file
---@field cert? string certificate file
---@field key? string key file
---@field insecure? boolean do not verify the peer
---@field server_name? string SNI name
---@field reuseaddr? boolean
---@field reuseport? boolean
---@field ipv6? boolean

local M = {}

M.OK = 0
M.ERROR = -1
M.WANT_READ = -2
M.WANT_WRITE = -3
M.INSECURE = -4

--- A client (or, with is_server, server) TLS context, for certificates and ciphers shared by many connections.
---@param is_server? boolean
---@return eco.ssl.context
function M.context(is_server) end

--- Listen for TLS connections on ipaddr:port; the listening socket's accept returns TLS sockets.
---@param ipaddr? string
---@param port integer
---@param opts eco.ssl.opts
---@return eco.socket.socket|nil sock
---@return string? err
function M.listen(ipaddr, port, opts) end

--- Connect over TLS to ipaddr:port.
---@param ipaddr string
---@param port integer
---@param opts? eco.ssl.opts
---@return eco.socket.socket|nil sock
---@return string? err
function M.connect(ipaddr, port, opts) end

return M
