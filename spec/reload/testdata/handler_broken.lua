-- A handler with a syntax error: the reload must be refused.
local websocket = require "silly.net.websocket"
local M = {
function M.serve(stream)
	stream:respond(200, {})
end
return M
