---@meta silly.net.http.helper

---URL and HTML text helpers.
---@class silly.net.http.helper
local M = {}

---Percent-encode a string (all but letters, digits and $_.!*(),-; a string also
---returns how many bytes were encoded), or a table as k=v pairs joined by "&".
---@param val string|table<string,string|number>
---@return string encoded, integer? count
function M.urlencode(val) end

---Decode %XX escapes ("+" is kept).
---@param s string
---@return string decoded, integer count
function M.urldecode(s) end

---Replace decimal character references and the entities &quot; &amp; &lt; &gt; &nbsp;.
---@param html string
---@return string
function M.htmlunescape(html) end

---Split a URL; the path is at least "/", the port the scheme's when absent
---(then `default` is true). nil and "Invalid url" or "Unsupported scheme" otherwise.
---@param url string
---@return string? scheme, string host_or_err, string? port, string? path, boolean? default
function M.parseurl(url) end

---Split a request target into its raw path and percent-decoded query pairs.
---@param target string
---@return string path, table<string,string> query
function M.parsetarget(target) end

return M
