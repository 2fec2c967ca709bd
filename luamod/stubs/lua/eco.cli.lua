---@meta eco.cli
--- Command-line parsing in the style of getopt_long.

---@class eco.cli.option
---@field [1] string long name
---@field short? string one-letter name
---@field has_arg? boolean the option takes a value
---@field default? any
---@field desc? string

local M = {}

--- Parse argv (the global arg by default) by spec: options by long name, positional arguments in .args; nil, err on an unknown option or a missing value.
---@param spec eco.cli.option[]
---@param argv? string[]
---@return table|nil opts
---@return string? err
function M.parse_args(spec, argv) end

return M
