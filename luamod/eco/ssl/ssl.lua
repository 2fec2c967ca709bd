-- eco.ssl for golua-ws: lua-eco's server and client objects over Go's
-- crypto/tls. The context and session objects are eco.internal.ssl's (Go);
-- the TLS stream of a client is an eco.socket of its own (self.stream),
-- made by go.handshake once the handshake is done.
local go = ...
local socket = require 'eco.socket'
local internal = require 'eco.internal.ssl'

local M = {}

-- load_options loads ca, cert and key into ctx, failing with lua-eco's
-- messages.
local function load_options(ctx, options)
    if options.ca and not ctx:load_ca_cert_file(options.ca) then
        return nil, 'load ca file fail'
    end
    if options.cert and not ctx:load_cert_file(options.cert) then
        return nil, 'load cert file fail'
    end
    if options.key and not ctx:load_key_file(options.key) then
        return nil, 'load key file fail'
    end
    return true
end

local client = {}

-- A client's stream methods are its TLS stream's, refused once the client
-- is closed.
for _, name in ipairs({ 'send', 'sendfile', 'read', 'readfull', 'readuntil' }) do
    client[name] = function(self, ...)
        if self.closed then
            return nil, 'closed'
        end
        local stream = self.stream
        return stream[name](stream, ...)
    end
end

client.write = client.send
client.recv = client.read

-- close ends the TLS stream (a read or write waiting on it returns
-- 'canceled'), the TCP socket and the session; a context made by connect
-- is freed with it, one passed in opts.ctx is not.
function client:close()
    if self.closed then
        return
    end
    self.closed = true
    self.stream:close()
    self.sock:close()
    self.ssock:free()
    if self.ctx and not self.keep_ctx then
        self.ctx:free()
    end
end

local client_mt = { __index = client, __close = client.close, __name = 'eco.ssl.client' }

local function new_client(sock, ssock, ctx, keep_ctx, host)
    local stream, err = go.handshake(ssock, sock, host)
    if not stream then
        return nil, err
    end
    return setmetatable({
        ctx = ctx,
        sock = sock,
        ssock = ssock,
        stream = stream,
        keep_ctx = keep_ctx
    }, client_mt)
end

local server = {}

-- accept waits for a TCP connection and completes the TLS handshake on it.
function server:accept()
    local sock, peer = self.sock:accept()
    if not sock then
        return nil, peer
    end

    local ssock, err = self.ctx:new(sock:getfd(), self.insecure)
    if not ssock then
        sock:close()
        return nil, err
    end

    local cli
    cli, err = new_client(sock, ssock)
    if not cli then
        ssock:free()
        sock:close()
        return nil, err
    end
    return cli, peer
end

function server:close()
    if self.closed then
        return
    end
    self.closed = true
    self.ctx:free()
    self.sock:close()
end

local server_mt = { __index = server, __close = server.close, __name = 'eco.ssl.server' }

function M.listen(ipaddr, port, options)
    options = options or {}

    local sock, err = socket.listen_tcp(ipaddr, port, options)
    if not sock then
        return nil, err
    end

    local ctx = internal.context(true)
    local ok
    ok, err = load_options(ctx, options)
    if not ok then
        sock:close()
        ctx:free()
        return nil, err
    end

    return setmetatable({ ctx = ctx, sock = sock, insecure = options.insecure }, server_mt)
end

function M.connect(ipaddr, port, options)
    options = options or {}

    local sock, err = socket.connect_tcp(ipaddr, port, options)
    if not sock then
        return nil, err
    end

    local ctx = options.ctx
    local keep_ctx = ctx ~= nil
    if not ctx then
        ctx = internal.context()
        local ok
        ok, err = load_options(ctx, options)
        if not ok then
            sock:close()
            ctx:free()
            return nil, err
        end
    end

    local ssock
    ssock, err = ctx:new(sock:getfd(), options.insecure)
    if not ssock then
        if not keep_ctx then
            ctx:free()
        end
        sock:close()
        return nil, err
    end

    if options.server_name then
        ssock:set_server_name(options.server_name)
    end

    local cli
    cli, err = new_client(sock, ssock, ctx, keep_ctx, ipaddr)
    if not cli then
        ssock:free()
        if not keep_ctx then
            ctx:free()
        end
        sock:close()
        return nil, err
    end
    return cli
end

return setmetatable(M, { __index = internal })
