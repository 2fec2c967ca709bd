-- eco.socket for golua-ws: lua-eco's socket API written for this project.
-- A socket object is a table: sock (the eco.internal.socket socket, which
-- creates, binds, listens, connects, accepts and sends/receives datagrams),
-- rd and wr (eco.reader and eco.writer on its fd: stream reads and writes)
-- and a mutex serialising writers.

local internal = require 'eco.internal.socket'
local sync = require 'eco.sync'
local eco = require 'eco'

-- eco.internal.file gives stat for sendfile's default length; without it
-- the file is opened to find its size.
local have_file, file = pcall(require, 'eco.internal.file')
if not have_file then
    file = {
        stat = function(path)
            local f, err = io.open(path, 'rb')
            if not f then
                return nil, (err:gsub('^.-: ', ''))
            end
            local size = f:seek('end')
            f:close()
            return { size = size }
        end,
    }
end

local M = {}
for _, k in ipairs({
    'AF_UNSPEC', 'AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_PACKET', 'AF_NETLINK',
    'SOCK_DGRAM', 'SOCK_STREAM', 'SOCK_RAW',
    'IPPROTO_ICMP', 'IPPROTO_ICMPV6', 'IPPROTO_TCP', 'IPPROTO_UDP',
}) do
    M[k] = internal[k]
end

local methods = {}
local mt = { __index = methods }

function methods:getfd() return self.sock:getfd() end
function methods:closed() return self.sock:closed() end
function methods:setoption(name, value) return self.sock:setoption(name, value) end
function methods:getoption(name) return self.sock:getoption(name) end
function methods:getsockname() return self.sock:getsockname() end
function methods:getpeername() return self.sock:getpeername() end

function methods:close()
    self.sock:close()
    for _, k in ipairs({ 'rd', 'wr', 'io' }) do
        local h = self[k]
        if h and h.cancel then
            h:cancel()
        end
    end
end
mt.__close = methods.close

-- returns self on success, nil and the error otherwise
local function self_or_err(self, ok, err)
    if not ok then
        return nil, err
    end
    return self
end

function methods:bind(...) return self_or_err(self, self.sock:bind(...)) end
function methods:listen(backlog) return self_or_err(self, self.sock:listen(backlog)) end
function methods:connect(...) return self_or_err(self, self.sock:connect(...)) end

local function wrap(sock, extra_io)
    local fd = sock:getfd()
    local o = { sock = sock, mutex = sync.mutex(), rd = eco.reader(fd), wr = eco.writer(fd) }
    if extra_io then
        o.io = eco.io(fd)
    end
    return setmetatable(o, mt)
end

function methods:accept(timeout)
    local c, peer = self.sock:accept(timeout)
    if not c then
        return nil, peer
    end
    return wrap(c, true), peer
end

local function locked(self, fn, ...)
    local mutex = self.mutex
    mutex:lock()
    local n, err = fn(...)
    mutex:unlock()
    if n then
        return n
    end
    return nil, err
end

function methods:send(data, timeout)
    return locked(self, self.wr.write, self.wr, data, timeout)
end
methods.write = methods.send

function methods:sendto(data, ...)
    return locked(self, self.sock.sendto, self.sock, data, ...)
end

function methods:sendfile(path, len, offset, timeout)
    offset = offset or 0
    if len == nil then
        local st, err = file.stat(path)
        if not st then
            return nil, err
        end
        len = st.size - offset
        if len <= 0 then
            return 0
        end
    end
    return locked(self, self.wr.sendfile, self.wr, path, offset, len, timeout)
end

function methods:read(format, timeout) return self.rd:read(format, timeout) end
methods.recv = methods.read
function methods:readfull(size, timeout) return self.rd:readfull(size, timeout) end
methods.recvfull = methods.readfull
function methods:readuntil(needle, timeout) return self.rd:readuntil(needle, timeout) end

function methods:recvfrom(n, timeout)
    return self.sock:recvfrom(n, timeout)
end

-- Options applied at creation, and which sockets they concern.
local create_options = { 'reuseaddr', 'reuseport', 'ipv6_v6only', 'mark', 'device' }
local tcp_options = { 'tcp_nodelay', 'keepalive', 'tcp_keepidle', 'tcp_keepcnt', 'tcp_keepintvl', 'tcp_fastopen' }
local tcp_only = { tcp_nodelay = true, tcp_keepidle = true, tcp_keepcnt = true, tcp_keepintvl = true, tcp_fastopen = true }

local function applies(name, family, domain)
    if name == 'ipv6_v6only' then
        return family == internal.AF_INET6
    end
    if tcp_only[name] then
        return domain == internal.SOCK_STREAM and (family == internal.AF_INET or family == internal.AF_INET6)
    end
    return true
end

local function set_options(sock, names, options, family, domain)
    for _, name in ipairs(names) do
        local value = options and options[name]
        if value ~= nil and applies(name, family, domain) then
            local ok, err = sock:setoption(name == 'device' and 'bindtodevice' or name, value)
            if not ok then
                return nil, string.format("failed to set socket option '%s': %s", name, err)
            end
        end
    end
    return true
end

local function init(sock, options, family, domain)
    local o = wrap(sock)
    local ok, err = set_options(sock, create_options, options, family, domain)
    if not ok then
        sock:close()
        return nil, err
    end
    return o
end

function M.socket(family, domain, protocol, options)
    local sock, err = internal.socket(family, domain, protocol)
    if not sock then
        return nil, err
    end
    return init(sock, options, family, domain)
end

function M.socketpair(family, domain, protocol, options)
    local a, b = internal.socketpair(family, domain, protocol)
    if not a then
        return nil, b
    end
    local sa, err = init(a, options, family, domain)
    if not sa then
        b:close()
        return nil, err
    end
    local sb
    sb, err = init(b, options, family, domain)
    if not sb then
        sa:close()
        return nil, err
    end
    return sa, sb
end

function M.tcp() return M.socket(internal.AF_INET, internal.SOCK_STREAM) end
function M.tcp6() return M.socket(internal.AF_INET6, internal.SOCK_STREAM) end
function M.udp() return M.socket(internal.AF_INET, internal.SOCK_DGRAM) end
function M.udp6() return M.socket(internal.AF_INET6, internal.SOCK_DGRAM) end
function M.icmp() return M.socket(internal.AF_INET, internal.SOCK_DGRAM, internal.IPPROTO_ICMP) end
function M.icmp6() return M.socket(internal.AF_INET6, internal.SOCK_DGRAM, internal.IPPROTO_ICMPV6) end
function M.unix() return M.socket(internal.AF_UNIX, internal.SOCK_STREAM) end
function M.unix_dgram() return M.socket(internal.AF_UNIX, internal.SOCK_DGRAM) end
function M.netlink(protocol) return M.socket(internal.AF_NETLINK, internal.SOCK_RAW, protocol) end

local function family_of(ipaddr)
    if internal.is_ipv4_address(ipaddr) then
        return internal.AF_INET
    elseif internal.is_ipv6_address(ipaddr) then
        return internal.AF_INET6
    end
end

-- listen_tcp: Go's listener (internal.listen_tcp) shares the port between
-- --workers and applies the socket and TCP options.
function M.listen_tcp(ipaddr, port, options)
    local sock, err = internal.listen_tcp(ipaddr, port, options)
    if not sock then
        return nil, err
    end
    return wrap(sock)
end

-- set_up runs step on a socket just made (s, err: what M.socket or M.unix
-- returned) and closes the socket if the step fails: the socket, or nil
-- and the error.
local function set_up(step, s, err)
    if not s then
        return nil, err
    end
    local ok, serr = step(s)
    if not ok then
        s:close()
        return nil, serr
    end
    return s
end

-- connect_ip makes a socket of socktype in ipaddr's family and connects
-- it: connect_tcp and connect_udp.
local function connect_ip(socktype, ipaddr, port, options)
    local family = family_of(ipaddr)
    assert(family, 'not a valid IP address')
    return set_up(function(s) return s:connect(ipaddr, port) end,
        M.socket(family, socktype, nil, options))
end

function M.connect_tcp(ipaddr, port, options)
    return connect_ip(internal.SOCK_STREAM, ipaddr, port, options)
end

function M.listen_udp(ipaddr, port, options)
    options = options or {}
    local family = options.ipv6 and internal.AF_INET6 or internal.AF_INET
    return set_up(function(s) return s:bind(ipaddr, port) end,
        M.socket(family, internal.SOCK_DGRAM, nil, options))
end

function M.connect_udp(ipaddr, port, options)
    return connect_ip(internal.SOCK_DGRAM, ipaddr, port, options)
end

function M.listen_unix(path, options)
    options = options or {}
    return set_up(function(s)
        local ok, err = s:bind(path)
        if not ok then
            return nil, err
        end
        return s:listen(options.backlog)
    end, M.unix())
end

function M.connect_unix(server_path, local_path)
    return set_up(function(s)
        if local_path then
            local ok, err = s:bind(local_path)
            if not ok then
                return nil, err
            end
        end
        return s:connect(server_path)
    end, M.unix())
end

function M.open_tun(dev, opts)
    opts = opts or {}
    local flags = 0
    if opts.tun then
        flags = flags | internal.IFF_TUN
    elseif opts.tap then
        flags = flags | internal.IFF_TAP
    end
    if opts.no_pi then
        flags = flags | internal.IFF_NO_PI
    end
    if flags == 0 then
        flags = internal.IFF_TUN | internal.IFF_NO_PI
    end
    local sock, name = internal.open_tun(dev, flags)
    if not sock then
        return nil, name
    end
    return wrap(sock), name
end

function M.is_ip_address(addr)
    return internal.is_ipv4_address(addr) or internal.is_ipv6_address(addr)
end

return setmetatable(M, { __index = internal })
