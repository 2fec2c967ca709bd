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

--- HTTP status codes.
M.STATUS_ACCEPTED = 202
M.STATUS_ALREADY_REPORTED = 208
M.STATUS_BAD_GATEWAY = 502
M.STATUS_BAD_REQUEST = 400
M.STATUS_CONFLICT = 409
M.STATUS_CONTINUE = 100
M.STATUS_CREATED = 201
M.STATUS_EXPECTATION_FAILED = 417
M.STATUS_FAILED_DEPENDENCY = 424
M.STATUS_FORBIDDEN = 403
M.STATUS_FOUND = 302
M.STATUS_GATEWAY_TIMEOUT = 504
M.STATUS_GONE = 410
M.STATUS_HTTP_VERSION_NOT_SUPPORTED = 505
M.STATUS_IM_USED = 226
M.STATUS_INSUFFICIENT_STORAGE = 507
M.STATUS_INTERNAL_SERVER_ERROR = 500
M.STATUS_LENGTH_REQUIRED = 411
M.STATUS_LOCKED = 423
M.STATUS_LOOP_DETECTED = 508
M.STATUS_METHOD_NOT_ALLOWED = 405
M.STATUS_MISDIRECTED_REQUEST = 421
M.STATUS_MOVED_PERMANENTLY = 301
M.STATUS_MULTIPLE_CHOICES = 300
M.STATUS_MULTI_STATUS = 207
M.STATUS_NETWORK_AUTHENTICATION_REQUIRED = 511
M.STATUS_NON_AUTHORITATIVE_INFORMATION = 203
M.STATUS_NOT_ACCEPTABLE = 406
M.STATUS_NOT_EXTENDED = 510
M.STATUS_NOT_FOUND = 404
M.STATUS_NOT_IMPLEMENTED = 501
M.STATUS_NOT_MODIFIED = 304
M.STATUS_NO_CONTENT = 204
M.STATUS_OK = 200
M.STATUS_PARTIAL_CONTENT = 206
M.STATUS_PAYLOAD_TOO_LARGE = 413
M.STATUS_PAYMENT_REQUIRED = 402
M.STATUS_PERMANENT_REDIRECT = 308
M.STATUS_PRECONDITION_FAILED = 412
M.STATUS_PRECONDITION_REQUIRED = 428
M.STATUS_PROCESSING = 102
M.STATUS_PROXY_AUTHENTICATION_REQUIRED = 407
M.STATUS_RANGE_NOT_SATISFIABLE = 416
M.STATUS_REQUEST_HEADER_FIELDS_TOO_LARGE = 431
M.STATUS_REQUEST_TIMEOUT = 408
M.STATUS_RESET_CONTENT = 205
M.STATUS_SEE_OTHER = 303
M.STATUS_SERVICE_UNAVAILABLE = 503
M.STATUS_SWITCHING_PROTOCOLS = 101
M.STATUS_TEMPORARY_REDIRECT = 307
M.STATUS_TOO_MANY_REQUESTS = 429
M.STATUS_UNAUTHORIZED = 401
M.STATUS_UNAVAILABLE_FOR_LEGAL_REASONS = 451
M.STATUS_UNPROCESSABLE_ENTITY = 422
M.STATUS_UNSUPPORTED_MEDIA_TYPE = 415
M.STATUS_UPGRADE_REQUIRED = 426
M.STATUS_URI_TOO_LONG = 414
M.STATUS_USE_PROXY = 305
M.STATUS_VARIANT_ALSO_NEGOTIATES = 506


--- Serve HTTP on ipaddr:port; handler(con, req) runs in a task per request.
---@param ipaddr? string
---@param port integer
---@param options? table reuseaddr, reuseport, ipv6, docroot, index, cert, key, ...
---@param handler fun(con: eco.http.server.connection, req: eco.http.server.request)
---@return boolean|nil ok
---@return string? err
function M.listen(ipaddr, port, options, handler) end

return M
