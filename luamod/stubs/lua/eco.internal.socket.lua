---@meta eco.internal.socket
--- The socket layer under eco.socket: descriptors, address conversion and constants.

local M = {}

--- A socket descriptor object.
---@param family integer
---@param typ integer
---@param protocol? integer
---@return any|nil sock
---@return string? err
function M.socket(family, typ, protocol) end
--- A connected pair.
---@param family integer
---@param typ integer
---@return any|nil a
---@return any b_or_err
function M.socketpair(family, typ) end
--- A listening TCP socket.
---@param ipaddr? string
---@param port integer
---@param options? table
---@return any|nil sock
---@return string? err
function M.listen_tcp(ipaddr, port, options) end
--- Open a TUN/TAP device.
---@param name string
---@param flags? integer
---@return any|nil dev
---@return string? err
function M.open_tun(name, flags) end
--- Whether s is an IP address.
---@param s string
---@return boolean
function M.is_ip_address(s) end
--- Whether s is an IPv4 address.
---@param s string
---@return boolean
function M.is_ipv4_address(s) end
--- Whether s is an IPv6 address.
---@param s string
---@return boolean
function M.is_ipv6_address(s) end
--- Text address to binary (inet_pton(3)).
---@param family integer
---@param s string
---@return string|nil bin
---@return string? err
function M.inet_pton(family, s) end
--- Binary address to text.
---@param family integer
---@param bin string
---@return string|nil s
---@return string? err
function M.inet_ntop(family, bin) end
--- Dotted IPv4 to a network-order integer.
---@param s string
---@return integer|nil
function M.inet_aton(s) end
--- Network-order integer to dotted IPv4.
---@param n integer
---@return string
function M.inet_ntoa(n) end
--- Host to network order, 32 bits.
---@param n integer
---@return integer
function M.htonl(n) end
--- Host to network order, 16 bits.
---@param n integer
---@return integer
function M.htons(n) end
--- Network to host order, 32 bits.
---@param n integer
---@return integer
function M.ntohl(n) end
--- Network to host order, 16 bits.
---@param n integer
---@return integer
function M.ntohs(n) end
--- Interface index of name.
---@param name string
---@return integer|nil
---@return string? err
function M.if_nametoindex(name) end
--- Interface name of index.
---@param index integer
---@return string|nil
---@return string? err
function M.if_indextoname(index) end

return M
