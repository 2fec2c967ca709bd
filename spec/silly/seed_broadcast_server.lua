local silly = require "silly"
local task = require "silly.task"
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
local channel = require "silly.sync.channel"

task.fork(function()
    local clients = {}
    local broadcast_chan = channel.new()

    -- Broadcast coroutine
    task.fork(function()
        while true do
            local message = broadcast_chan:recv()
            for i, sock in ipairs(clients) do
                sock:write(message, "text")
            end
        end
    end)

    http.listen {
        addr = ":8080",
        handler = function(stream)
            if stream.header["upgrade"] == "websocket" then
                local sock = websocket.upgrade(stream)
                if sock then
                    table.insert(clients, sock)

                    while true do
                        local data, typ = sock:read()
                        if not data or typ == "close" then break end
                        if typ == "text" then
                            broadcast_chan:send(data)
                        end
                    end

                    -- Remove client (simplified handling, should be more robust in practice)
                    for i, v in ipairs(clients) do
                        if v == sock then
                            table.remove(clients, i)
                            break
                        end
                    end
                    sock:close()
                end
            else
                stream:respond(404, {})
                stream:close()
            end
        end
    }
end)
