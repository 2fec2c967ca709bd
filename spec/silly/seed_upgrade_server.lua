local silly = require "silly"
local task = require "silly.task"
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"

task.fork(function()
    local server = http.listen {
        addr = ":8080",
        handler = function(stream)
            -- Check if this is a WebSocket upgrade request
            if stream.header["upgrade"] == "websocket" then
                local sock, err = websocket.upgrade(stream)
                if not sock then
                    print("Upgrade failed:", err)
                    return
                end

                -- WebSocket communication loop
                while true do
                    local data, typ = sock:read()
                    if not data then
                        break
                    end

                    if typ == "text" then
                        sock:write("Echo: " .. data, "text")
                    elseif typ == "close" then
                        break
                    end
                end

                sock:close()
            else
                -- Handle regular HTTP requests
                stream:respond(200, {["content-type"] = "text/plain"})
                stream:close("Not a WebSocket request")
            end
        end
    }

    print("WebSocket server listening on :8080")
end)
