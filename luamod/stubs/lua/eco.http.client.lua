---@meta eco.http.client
--- HTTP/1.1 client: one-shot requests or a reusable client.

---@class eco.http.client.opts
---@field timeout? number seconds
---@field headers? table<string,string>
---@field insecure? boolean do not verify certificates
---@field body_to_file? string write the body to this path
---@field max_redirects? integer

---@class eco.http.client.response
---@field code integer
---@field status string
---@field headers table<string,string>
---@field body? string

---@class eco.http.client.client
local Client = {}

--- Send a request on this client's (kept-alive) connection.
---@param method string
---@param url string
---@param body? string|table
---@param opts? eco.http.client.opts
---@return eco.http.client.response|nil resp
---@return string? err
function Client:request(method, url, body, opts) end
--- The underlying socket.
---@return eco.socket.socket|nil
function Client:sock() end
--- Close the connection.
function Client:close() end

---@class eco.http.client.form
local Form = {}
--- Add a field.
---@param name string
---@param value string
function Form:add(name, value) end
--- Add a file field read from path.
---@param name string
---@param path string
function Form:add_file(name, path) end

local M = {}

--- A client that keeps its connection between requests.
---@return eco.http.client.client
function M.new() end
--- One request.
---@param method string
---@param url string
---@param body? string|table
---@param opts? eco.http.client.opts
---@return eco.http.client.response|nil resp
---@return string? err
function M.request(method, url, body, opts) end
--- A GET request.
---@param url string
---@param opts? eco.http.client.opts
---@return eco.http.client.response|nil resp
---@return string? err
function M.get(url, opts) end
--- A POST request.
---@param url string
---@param body? string|table
---@param opts? eco.http.client.opts
---@return eco.http.client.response|nil resp
---@return string? err
function M.post(url, body, opts) end
--- A request body streamed from the file at path.
---@param path string
---@return table|nil body
---@return string? err
function M.body_with_file(path) end
--- A multipart/form-data body.
---@return eco.http.client.form
function M.form() end

return M
