-- Hot-reload test server (silly dialect).
-- usage: golua-ws [--watch] server.lua
-- The main script owns the listener and is never re-run by a reload; every
-- request is handed to the reloadable module "handler", looked up through
-- its table on each request, so new requests run the newest code.
local http = require "silly.net.http"
local handler = require "handler"

local server = assert(http.listen {
	addr = "127.0.0.1:0",
	handler = function(stream)
		handler.serve(stream)
	end,
})
print("listening on " .. server:addr())
