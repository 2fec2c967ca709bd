-- silly.env's config loader for golua-ws. Runs the file with a private
-- table as its environment (include and ENV are the only helpers), then
-- flattens nested tables into dotted keys; the first writer of a key wins.
local env, file, readfile = ...
local config = {}
local function eval(parent, tbl)
    for k, v in pairs(tbl) do
        local key = k
        if #parent > 0 then
            key = parent .. '.' .. tostring(k)
        end
        if type(v) == 'table' then
            eval(key, v)
        elseif not env[key] then
            env[key] = v
        end
    end
end
local function include(name)
    local code = readfile(name)
    if not code then
        error('open config error of file:' .. name)
    end
    assert(load(code, name, 't', config))()
end
config.include = include
config.ENV = os.getenv
include(file)
config.include = nil
config.ENV = nil
eval('', config)
