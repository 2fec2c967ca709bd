-- eco.dns for golua-ws: lua-eco's resolver API, written for this project.
-- /etc/hosts first, then each nameserver in turn over UDP through
-- eco.socket; eco.internal.dns (Go) builds the query and parses the answer.

local socket = require 'eco.socket'
local wire = require 'eco.internal.dns'

-- eco.internal.file gives access/stat (mtime) to cache the two files; without
-- it they are read on every query.
local have_file, file = pcall(require, 'eco.internal.file')
if not have_file then
    file = nil
end

local M = {
    TYPE_A = 1, TYPE_NS = 2, TYPE_CNAME = 5, TYPE_SOA = 6, TYPE_PTR = 12,
    TYPE_MX = 15, TYPE_TXT = 16, TYPE_AAAA = 28, TYPE_SRV = 33, TYPE_SPF = 99,
    CLASS_IN = 1,
    SECTION_AN = 1, SECTION_NS = 2, SECTION_AR = 3,
}

local names = {
    [1] = 'A', [2] = 'NS', [5] = 'CNAME', [6] = 'SOA', [12] = 'PTR',
    [15] = 'MX', [16] = 'TXT', [28] = 'AAAA', [33] = 'SRV', [99] = 'SPF',
}

local HOSTS, RESOLV = '/etc/hosts', '/etc/resolv.conf'

-- A file's version for the caches: its mtime; false when it cannot be
-- read; true (always stale) without eco.internal.file.
local function version_of(path)
    if not file then
        local f = io.open(path)
        if not f then
            return false
        end
        f:close()
        return true
    end
    if not file.access(path, 'r') then
        return false
    end
    local st = file.stat(path)
    return st and st.mtime or false
end

local cache = { hosts = {}, resolv = {} }

local function cached(kind, path, build)
    local v = version_of(path)
    if not v then
        return nil
    end
    local c = cache[kind]
    if v == true or c.version ~= v then
        c.version, c.value = v, build()
    end
    return c.value
end

local function hosts_index()
    local index = { [M.TYPE_A] = {}, [M.TYPE_AAAA] = {} }
    for line in io.lines(HOSTS) do
        local fields = {}
        for w in line:gmatch('%S+') do
            if w:sub(1, 1) == '#' then
                break
            end
            fields[#fields + 1] = w
        end
        local addr = fields[1]
        local typ = addr and (socket.is_ipv4_address(addr) and M.TYPE_A
            or socket.is_ipv6_address(addr) and M.TYPE_AAAA)
        if typ then
            for i = 2, #fields do
                local by_name = index[typ]
                if by_name[fields[i]] == nil then
                    by_name[fields[i]] = addr
                end
            end
        end
    end
    return index
end

local function resolv_conf()
    local conf = { nameservers = {} }
    for line in io.lines(RESOLV) do
        local key, value = line:match('^%s*(%a+)%s+(%S+)')
        if key == 'search' and not value:find('.', 1, true) then
            conf.search = value
        elseif key == 'nameserver' and socket.is_ip_address(value) then
            conf.nameservers[#conf.nameservers + 1] = { value, 53, socket.is_ipv6_address(value) }
        end
    end
    if #conf.nameservers == 0 then
        conf.nameservers[1] = { '127.0.0.1', 53 }
    end
    return conf
end

local next_id

local function transaction_id()
    if next_id then
        next_id = next_id % 65535 + 1
    else
        next_id = math.random(0, 65535)
    end
    return next_id
end

local function ask(server, qname, opts)
    local host, port = server[1], server[2]
    local id = transaction_id()
    local req, berr = wire.build_request(qname, id, opts.type or M.TYPE_A, not opts.no_recurse)
    if not req then
        return nil, berr
    end

    local s <close> = server[3] and socket.udp6() or socket.udp()
    if opts.mark then
        s:setoption('mark', opts.mark)
    end
    if opts.device then
        s:setoption('bindtodevice', opts.device)
    end

    local n, err = s:sendto(req, host, port)
    if not n then
        return nil, string.format('sendto "%s:%d" fail: %s', host, port, err)
    end
    local data
    data, err = s:recv(512, opts.timeout or 5.0)
    if not data then
        return nil, string.format('recv from "%s:%d" fail: %s', host, port, err)
    end
    return wire.parse_response(data, id)
end

--- query(qname, opts): the answer records of qname, or nil and an error.
-- opts: type (TYPE_A), nameservers ({ 'ip' | { 'ip', port } }), no_recurse,
-- mark, device, timeout (seconds per server; 5).
function M.query(qname, opts)
    if qname:sub(1, 1) == '.' or #qname > 255 then
        return nil, 'bad name'
    end
    if socket.is_ipv4_address(qname) then
        return { { type = M.TYPE_A, address = qname } }
    end
    if socket.is_ipv6_address(qname) then
        return { { type = M.TYPE_AAAA, address = qname } }
    end

    opts = opts or {}
    local typ = opts.type or M.TYPE_A

    local hosts = cached('hosts', HOSTS, hosts_index)
    local known = hosts and hosts[typ] and hosts[typ][qname]
    if known then
        return { { type = typ, address = known } }
    end

    local servers = {}
    for _, ns in ipairs(opts.nameservers or {}) do
        local host, port
        if type(ns) == 'string' then
            host, port = ns, 53
        elseif type(ns) == 'table' then
            host, port = ns[1], ns[2] or 53
        else
            error('invalid nameservers')
        end
        if not socket.is_ip_address(host) then
            error('invalid nameserver: ' .. tostring(host))
        end
        servers[#servers + 1] = { host, port, socket.is_ipv6_address(host) }
    end

    local conf = cached('resolv', RESOLV, resolv_conf) or { nameservers = { { '127.0.0.1', 53 } } }
    if #servers == 0 then
        servers = conf.nameservers
    end
    if not qname:find('.', 1, true) and conf.search then
        qname = qname .. '.' .. conf.search
    end

    local answers, err
    for _, server in ipairs(servers) do
        answers, err = ask(server, qname, opts)
        if answers then
            return answers
        end
    end
    return nil, err
end

--- type_name(n): the mnemonic of a record type, or 'unknown'.
function M.type_name(n)
    return names[n] or 'unknown'
end

return M
