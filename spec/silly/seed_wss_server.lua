local silly = require "silly"
local task = require "silly.task"
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"

task.fork(function()
    -- Certificate configuration (details omitted)
    local certs = {{
        cert = "-----BEGIN CERTIFICATE-----\n...",
        key = "-----BEGIN PRIVATE KEY-----\n..."
    }}

    http.listen {
        addr = ":8443",
        certs = certs,
        handler = function(stream)
            if stream.header["upgrade"] == "websocket" then
                local sock = websocket.upgrade(stream)
                if sock then
                    sock:write("Secure connection established", "text")
                    -- ... communication loop
                    sock:close()
                end
            end
        end
    }
end)
