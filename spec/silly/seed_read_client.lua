local silly = require "silly"
local task = require "silly.task"
local websocket = require "silly.net.websocket"

task.fork(function()
    local sock = websocket.connect("ws://127.0.0.1:8080")
    if not sock then return end

    while true do
        local data, typ = sock:read()
        if not data then break end

        if typ == "text" then
            print("Text:", data)
        elseif typ == "ping" then
            sock:write(data, "pong")
        elseif typ == "close" then
            break
        end
    end
    sock:close()
end)
