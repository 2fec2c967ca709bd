-- A silly echo server that counts what it echoes in silly.metrics
-- objects exported through silly.metrics.prometheus. arg[1]: the address.
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
local prometheus = require "silly.metrics.prometheus"

local echoed = prometheus.counter("silly_echo_messages_total", "Messages the silly echo script echoed.", {"typ"})
local sizes = prometheus.histogram("silly_echo_size_bytes", "Sizes of the echoed messages.", {"typ"}, {4, 64, 1024})

local server, err = http.listen {
	addr = arg[1],
	handler = function(stream)
		local sock, err = websocket.upgrade(stream)
		if not sock then
			return
		end
		while true do
			local data, typ = sock:read()
			if not data or typ == "close" then
				break
			end
			if typ == "text" or typ == "binary" then
				echoed:labels(typ):inc()
				sizes:labels(typ):observe(#data)
				sock:write(data, typ)
			end
		end
		sock:close()
	end,
}
assert(server, err)
