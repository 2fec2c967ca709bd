---@meta silly.net.websocket

---WebSocket client and server (upgrade of an HTTP stream). The last, optional
---`opts` table is a golua-ws extension: maxmessage, subprotocols, compression,
---autopong, origin, timeout, maxqueued, writetimeout, pinginterval,
---idletimeout, closetimeout (times in ms).
---@class silly.net.websocket
local M = {}

---@alias silly.net.websocket.type "text"|"binary"|"ping"|"pong"|"close"|"continuation"

---@class silly.net.websocket.socket
---@field stream silly.net.http.stream
---@field conn silly.net.tcp.conn|silly.net.tls.conn
local sock = {}

---Wait for the next message; returns its data and type, or nil and an error (errno.EOF when the peer closed).
---@return string? data, silly.net.websocket.type|string|nil type_or_err
function sock:read() end

---Queue a message (default type "binary"); never suspends.
---@param data string?
---@param typ silly.net.websocket.type?
---@return boolean ok, string? err
function sock:write(data, typ) end

---Send what is queued, then the close frame, and close the connection.
---@return boolean ok, string? err
function sock:close() end

---@class silly.net.websocket.opts
---@field maxmessage integer?
---@field subprotocols string[]?
---@field compression boolean?
---@field autopong boolean?
---@field origin string?
---@field timeout integer?
---@field maxqueued integer?
---@field writetimeout integer?
---@field pinginterval integer?
---@field idletimeout integer?
---@field closetimeout integer?

---Upgrade a server stream whose request asks for WebSocket.
---@param stream silly.net.http.stream.server
---@param opts silly.net.websocket.opts?
---@return silly.net.websocket.socket? sock, string? err
function M.upgrade(stream, opts) end

---Connect to a ws:// or wss:// URL.
---@param url string
---@param header table<string,string>?
---@param opts silly.net.websocket.opts?
---@return silly.net.websocket.socket? sock, string? err
function M.connect(url, header, opts) end

return M
