---@meta silly.net.http.client

---HTTP clients, each with a pool of idle connections per host.
---@class silly.net.http.client
local M = {}

---@class silly.net.http.client.c
local client = {}

---Method form of M.request.
---@param method string
---@param url string
---@param header table<string,string|number>?
---@return silly.net.http.stream.client? stream, string? err
function client:request(method, url, header) end

---Method form of M.get.
---@param url string
---@param header table<string,string|number>?
---@return silly.net.http.response? response, string? err
function client:get(url, header) end

---Method form of M.post.
---@param url string
---@param header table<string,string|number>?
---@param body string?
---@return silly.net.http.response? response, string? err
function client:post(url, header, body) end

---@class silly.net.http.client.opts
---@field max_idle_per_host integer? idle connections kept per host (default 10)
---@field idle_timeout integer? ms an idle connection is kept (default 30000)
---@field read_timeout integer? ms (default 5000)
---@field alpnprotos ("http/1.1"|"h2")[]? offered over TLS

---A new client.
---@param opts silly.net.http.client.opts?
---@return silly.net.http.client.c
function M.new(opts) end

---Start a request; the caller writes the body, closewrite, then waitresponse and read.
---@param c silly.net.http.client.c
---@param method string
---@param url string
---@param header table<string,string|number>?
---@return silly.net.http.stream.client? stream, string? err
function M.request(c, method, url, header) end

---GET `url`; the whole (gunzipped) body is read.
---@param c silly.net.http.client.c
---@param url string
---@param header table<string,string|number>?
---@return silly.net.http.response? response, string? err
function M.get(c, url, header) end

---POST `body` to `url`.
---@param c silly.net.http.client.c
---@param url string
---@param header table<string,string|number>?
---@param body string?
---@return silly.net.http.response? response, string? err
function M.post(c, url, header, body) end

return M
