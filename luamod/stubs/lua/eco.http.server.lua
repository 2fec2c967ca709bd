---@meta eco.http.server
--- HTTP/1.1 server: handler(con, req) per request.

---@class eco.http.server.request
---@field method string
---@field path string
---@field raw_path string
---@field query table<string,string>
---@field http_version number
---@field headers table<string,string>

---@class eco.http.server.connection
local Con = {}
--- Set the response status (and reason).
---@param code integer
---@param status? string
function Con:set_status(code, status) end
--- Add a response header.
---@param name string
---@param value string
function Con:add_header(name, value) end
--- Send body data (headers first).
---@param ... string
---@return boolean|nil ok
---@return string? err
function Con:send(...) end
--- Send the file at path as the body.
---@param path string
---@return boolean|nil ok
---@return string? err
function Con:send_file(path) end
--- Send an error page with code.
---@param code integer
---@param status? string
---@param content? string
function Con:send_error(code, status, content) end
--- Redirect to location.
---@param code integer
---@param location string
function Con:redirect(code, location) end
--- Serve a file under the docroot given in options.
---@param req eco.http.server.request
function Con:serve_file(req) end
--- Read up to count bytes of the request body.
---@param count? integer
---@param timeout? number
---@return string|nil data
---@return string? err
function Con:read_body(count, timeout) end
--- Read a multipart/form-data body: a part at a time.
---@param req eco.http.server.request
---@param timeout? number
---@return string|nil typ
---@return any data_or_err
function Con:read_formdata(req, timeout) end
--- Drop the rest of the request body.
function Con:discard_body() end
--- Send buffered response data now.
function Con:flush() end
--- The client's address table.
---@return table
function Con:remote_addr() end
--- Close the connection after this response.
function Con:close() end

local M = {}

--- Serve HTTP on ipaddr:port; handler(con, req) runs in a task per request.
---@param ipaddr? string
---@param port integer
---@param options? table reuseaddr, reuseport, ipv6, docroot, index, cert, key, ...
---@param handler fun(con: eco.http.server.connection, req: eco.http.server.request)
---@return boolean|nil ok
---@return string? err
function M.listen(ipaddr, port, options, handler) end

return M
