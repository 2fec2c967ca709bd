---@meta eco.internal.socket
--- The socket layer under eco.socket: descriptors, address conversion and constants.

local M = {}

M.AF_INET = 2
M.AF_INET6 = 10
M.AF_NETLINK = 16
M.AF_PACKET = 17
M.AF_UNIX = 1
M.AF_UNSPEC = 0
M.ARPHRD_ETHER = 1
M.ARPHRD_IEEE80211_RADIOTAP = 803
M.ARPHRD_LOOPBACK = 772
M.ARPOP_REPLY = 2
M.ARPOP_REQUEST = 1
M.ETH_P_8021Q = 33024
M.ETH_P_ALL = 3
M.ETH_P_ARP = 2054
M.ETH_P_IP = 2048
M.ETH_P_IPV6 = 34525
M.ETH_P_PPP_DISC = 34915
M.ETH_P_PPP_SES = 34916
M.ICMPV6_ECHO_REPLY = 129
M.ICMPV6_ECHO_REQUEST = 128
M.ICMP_ECHO = 8
M.ICMP_ECHOREPLY = 0
M.ICMP_REDIRECT = 5
M.IFF_NO_PI = 4096
M.IFF_TAP = 2
M.IFF_TUN = 1
M.IPPROTO_ICMP = 1
M.IPPROTO_ICMPV6 = 58
M.IPPROTO_TCP = 6
M.IPPROTO_UDP = 17
M.PACKET_MR_ALLMULTI = 2
M.PACKET_MR_MULTICAST = 0
M.PACKET_MR_PROMISC = 1
M.PACKET_MR_UNICAST = 3
M.SOCK_DGRAM = 2
M.SOCK_RAW = 3
M.SOCK_STREAM = 1


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
