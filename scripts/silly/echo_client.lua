-- WebSocket client in the silly dialect: sends each argument after the URL
-- as a text message and prints the replies.
-- usage: golua-ws scripts/silly/echo_client.lua ws://127.0.0.1:8080 hello world
local task = require "silly.task"
local websocket = require "silly.net.websocket"

local url = arg and arg[1] or "ws://127.0.0.1:8080"
local messages = {}
for i = 2, (arg and #arg or 0) do
	messages[#messages + 1] = arg[i]
end
if #messages == 0 then
	messages[1] = "Hello, Server!"
end

task.fork(function()
	local sock, err = websocket.connect(url)
	if not sock then
		print("Connect failed:", err)
		os.exit(1)
	end
	for _, msg in ipairs(messages) do
		sock:write(msg, "text")
		local data, typ = sock:read()
		if not data then
			print("read failed:", typ)
			os.exit(1)
		end
		print("Received:", data, typ)
	end
	sock:close()
end)
