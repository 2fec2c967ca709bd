---@meta silly.net.http

---HTTP/1.1 and HTTP/2 (over TLS, by ALPN) server and client. Each request
---runs the handler in its own task; the response ends when the handler returns.
---@class silly.net.http
local M = {}

---@class silly.net.http.stream
---@field method string
---@field path string
---@field version string
---@field header table<string,string> lower-case names
---@field trailer table<string,string>
---@field remoteaddr string
---@field scheme string "http" or "https"
---@field keepalive boolean
local stream = {}

---Read `size` bytes of the body; size <= 0 returns "".
---A client stream first waits for the response (closewrite first).
---@param size integer
---@param timeout integer? milliseconds
---@return string? data, string? err
function stream:read(size, timeout) end

---Read the rest of the body.
---@param timeout integer? milliseconds
---@return string? body, string? err
function stream:readall(timeout) end

---Send body bytes (after respond on a server stream).
---@param data string
---@return boolean ok, string? err
function stream:write(data) end

---Push what was written to the peer (a client stream sends its request header if not yet sent).
function stream:flush() end

---@class silly.net.http.stream.server : silly.net.http.stream
---@field query table<string,string> percent-decoded query pairs
local server_stream = {}

---Set the status and header of the response (status 100..999).
---@param status integer
---@param header table<string,string|string[]>
function server_stream:respond(status, header) end

---Finish the response body, optionally with last data and a trailer.
---@param data string?
---@param trailer table<string,string|string[]>?
function server_stream:closewrite(data, trailer) end

---Same as closewrite(data).
---@param data string?
function server_stream:close(data) end

---@class silly.net.http.stream.client : silly.net.http.stream
---@field status integer? set once the response header arrived
local client_stream = {}

---Finish the request body, optionally with last data.
---@param data string?
function client_stream:closewrite(data) end

---Wait for the response status and header (fills status and header).
---@param timeout integer? milliseconds
---@return boolean ok, string? err
function client_stream:waitresponse(timeout) end

---Abort the stream and drop its connection.
function client_stream:close() end

---@class silly.net.http.response
---@field status integer
---@field header table<string,string>
---@field body string

---@class silly.net.http.listen.conf
---@field addr string host:port
---@field handler fun(s:silly.net.http.stream.server)
---@field tls boolean? serve HTTPS
---@field certs {cert:string,key:string}[]? PEM pairs, with tls
---@field alpnprotos ("http/1.1"|"h2")[]?

---Serve HTTP on `conf.addr`.
---@param conf silly.net.http.listen.conf
---@return silly.net.tcp.listener|silly.net.tls.listener|nil listener, string? err
function M.listen(conf) end

---A client with its own connection pool (see silly.net.http.client.new).
---@param opts silly.net.http.client.opts?
---@return silly.net.http.client.c
function M.newclient(opts) end

---GET `url` with the default client; the whole (gunzipped) body is read.
---@param url string
---@param header table<string,string|number>?
---@return silly.net.http.response? response, string? err
function M.get(url, header) end

---POST `body` to `url` with the default client.
---@param url string
---@param header table<string,string|number>?
---@param body string?
---@return silly.net.http.response? response, string? err
function M.post(url, header, body) end

---Start a request with the default client; write the body, closewrite, then waitresponse and read.
---@param method string
---@param url string
---@param header table<string,string|number>?
---@return silly.net.http.stream.client? stream, string? err
function M.request(method, url, header) end

return M
