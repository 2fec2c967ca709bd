-- Secure WebSocket (wss://) echo server in the silly dialect. The certificate
-- is self-signed and generated at start-up with tls.selfsigned (a golua-ws
-- addition); clients must skip verification or trust it explicitly.
-- usage: golua-ws scripts/silly/wss_server.lua [addr]   (default 127.0.0.1:8443)
local http = require "silly.net.http"
local tls = require "silly.net.tls"
local websocket = require "silly.net.websocket"

local addr = arg and arg[1] or "127.0.0.1:8443"
local cert = assert(tls.selfsigned({"127.0.0.1", "localhost"}))

assert(http.listen {
	addr = addr,
	tls = true,
	certs = {cert},
	alpnprotos = {"http/1.1"},
	handler = function(stream)
		if stream.header["upgrade"] ~= "websocket" then
			stream:respond(200, {["content-type"] = "text/plain"})
			stream:closewrite("wss echo server: connect with a WebSocket client\n")
			return
		end
		local sock = websocket.upgrade(stream)
		if not sock then
			return
		end
		sock:write("Secure connection established", "text")
		while true do
			local data, typ = sock:read()
			if not data or typ == "close" then
				break
			end
			if typ == "text" or typ == "binary" then
				sock:write(data, typ)
			elseif typ == "ping" then
				sock:write(data, "pong")
			end
		end
		sock:close()
	end,
})
print("wss server listening on " .. addr)
