---@meta eco.socket
--- TCP, UDP, Unix, netlink and raw sockets; every blocking method takes an optional timeout in seconds.

---@class eco.socket.socket
local sock = {}

--- The socket's file descriptor.
---@return integer
function sock:getfd() end
--- Whether close was called.
---@return boolean
function sock:closed() end
--- Close the socket.
function sock:close() end
--- Bind to an address (ip, port for inet; path for unix).
---@return boolean|nil ok
---@return string? err
function sock:bind(...) end
--- Start listening.
---@param backlog? integer
---@return boolean|nil ok
---@return string? err
function sock:listen(backlog) end
--- Accept a connection: the new socket and the peer's address table.
---@param timeout? number
---@return eco.socket.socket|nil conn
---@return table|string peer_or_err
function sock:accept(timeout) end
--- Connect to an address.
---@return boolean|nil ok
---@return string? err
function sock:connect(...) end
--- Send data (all of it, for a stream).
---@param data string
---@param timeout? number
---@return integer|nil sent
---@return string? err
function sock:send(data, timeout) end
--- Same as send.
---@param data string
---@param timeout? number
---@return integer|nil sent
---@return string? err
function sock:write(data, timeout) end
--- Send a datagram to an address.
---@param data string
---@return integer|nil sent
---@return string? err
function sock:sendto(data, ...) end
--- Copy len bytes of the file at path from offset.
---@param path string
---@param offset integer
---@param len integer
---@param timeout? number
---@return integer|nil sent
---@return string? err
function sock:sendfile(path, offset, len, timeout) end
--- Receive up to n bytes.
---@param n integer
---@param timeout? number
---@return string|nil data
---@return string? err
function sock:recv(n, timeout) end
--- Same as recv.
---@param n integer
---@param timeout? number
---@return string|nil data
---@return string? err
function sock:read(n, timeout) end
--- Receive exactly n bytes.
---@param n integer
---@param timeout? number
---@return string|nil data
---@return string? err
function sock:recvfull(n, timeout) end
--- Same as recvfull.
---@param n integer
---@param timeout? number
---@return string|nil data
---@return string? err
function sock:readfull(n, timeout) end
--- Read up to needle.
---@param needle string
---@param timeout? number
---@return string|nil data
---@return string? err
function sock:readuntil(needle, timeout) end
--- Receive a datagram and its sender's address.
---@param n integer
---@param timeout? number
---@return string|nil data
---@return table|string peer_or_err
function sock:recvfrom(n, timeout) end
--- The local address.
---@return table|nil addr
---@return string? err
function sock:getsockname() end
--- The peer's address.
---@return table|nil addr
---@return string? err
function sock:getpeername() end
--- Set a socket option by name ("reuseaddr", "tcp_nodelay", ...).
---@param name string
---@param value any
---@return boolean|nil ok
---@return string? err
function sock:setoption(name, value) end
--- Read a socket option by name.
---@param name string
---@return any|nil value
---@return string? err
function sock:getoption(name) end

local M = {}

M.AF_UNSPEC = 0
M.AF_UNIX = 1
M.AF_INET = 2
M.AF_INET6 = 10
M.AF_NETLINK = 16
M.AF_PACKET = 17
M.SOCK_STREAM = 1
M.SOCK_DGRAM = 2
M.SOCK_RAW = 3
M.IPPROTO_ICMP = 1
M.IPPROTO_TCP = 6
M.IPPROTO_UDP = 17
M.IPPROTO_ICMPV6 = 58

--- A socket of any family, type and protocol.
---@param family integer
---@param typ integer
---@param protocol? integer
---@return eco.socket.socket|nil sock
---@return string? err
function M.socket(family, typ, protocol) end
--- A connected pair of sockets.
---@param family integer
---@param typ integer
---@return eco.socket.socket|nil a
---@return eco.socket.socket|string b_or_err
function M.socketpair(family, typ) end
--- An unconnected TCP/IPv4 socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.tcp() end
--- An unconnected TCP/IPv6 socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.tcp6() end
--- A UDP/IPv4 socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.udp() end
--- A UDP/IPv6 socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.udp6() end
--- A Unix stream socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.unix() end
--- A Unix datagram socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.unix_dgram() end
--- A raw ICMP socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.icmp() end
--- A raw ICMPv6 socket.
---@return eco.socket.socket|nil sock
---@return string? err
function M.icmp6() end
--- A netlink socket for protocol.
---@param protocol integer
---@return eco.socket.socket|nil sock
---@return string? err
function M.netlink(protocol) end
--- Listen on ipaddr:port (TCP); options: reuseaddr, reuseport, ipv6, backlog.
---@param ipaddr? string
---@param port integer
---@param options? table
---@return eco.socket.socket|nil sock
---@return string? err
function M.listen_tcp(ipaddr, port, options) end
--- Bind a UDP socket to ipaddr:port.
---@param ipaddr? string
---@param port integer
---@param options? table
---@return eco.socket.socket|nil sock
---@return string? err
function M.listen_udp(ipaddr, port, options) end
--- Listen on a Unix socket path.
---@param path string
---@param options? table
---@return eco.socket.socket|nil sock
---@return string? err
function M.listen_unix(path, options) end
--- Connect over TCP.
---@param ipaddr string
---@param port integer
---@param options? table
---@return eco.socket.socket|nil sock
---@return string? err
function M.connect_tcp(ipaddr, port, options) end
--- A UDP socket connected to ipaddr:port.
---@param ipaddr string
---@param port integer
---@param options? table
---@return eco.socket.socket|nil sock
---@return string? err
function M.connect_udp(ipaddr, port, options) end
--- Connect to a Unix socket path.
---@param path string
---@param options? table
---@return eco.socket.socket|nil sock
---@return string? err
function M.connect_unix(path, options) end
--- Open a TUN/TAP device.
---@param name string
---@param flags? integer
---@return eco.socket.socket|nil dev
---@return string? err
function M.open_tun(name, flags) end
--- Whether s is an IPv4 or IPv6 address.
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
