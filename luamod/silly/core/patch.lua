-- silly.patch for golua-ws: hot-patching a module's functions. collectupval
-- records the upvalues of functions (following function-valued upvalues);
-- join makes the new functions share the old functions' upvalue cells by
-- name and returns the paths of the new upvalues the old code lacked.
--
-- gopher-lua reaches globals through a function's environment, not an
-- _ENV upvalue, so the glue passed in reports a pseudo-upvalue "_ENV" for a
-- function that uses globals; joining it shares the old function's
-- environment, and a new _ENV with no old counterpart becomes the global
-- environment, as silly does.
local glue = ...
local usesglobals, getenv, setenv = glue.usesglobals, glue.getenv, glue.setenv

local patch = {}
local mt = { __index = patch }

local ENV_SLOT = "env"

function patch.new()
    return setmetatable({ collected = {}, valjoined = {} }, mt)
end

-- record fills into with fn's upvalues by name; seen shares the records of
-- function-valued upvalues (and ends cycles).
local function record(fn, into, seen)
    local n = debug.getinfo(fn, "u").nups
    for i = 1, n do
        local name, val = debug.getupvalue(fn, i)
        local entry = { idx = i, utype = type(val), val = val, upid = debug.upvalueid(fn, i) }
        if entry.utype == "function" then
            local sub = seen[val]
            if not sub then
                sub = {}
                seen[val] = sub
                record(val, sub, seen)
            end
            entry.upvals = sub
        end
        into[name] = entry
    end
    if usesglobals(fn) and not into._ENV then
        into._ENV = { idx = ENV_SLOT, utype = "table", val = getenv(fn) }
    end
end

function patch:collectupval(target)
    local out = {}
    if type(target) == "table" then
        for name, fn in pairs(target) do
            local ups = {}
            record(fn, ups, self.collected)
            out[name] = { val = fn, upvals = ups }
        end
    else
        record(target, out, self.collected)
    end
    return out
end

local function share(newfn, newups, oldfn, oldups, done, path, absent)
    local depth = #path + 1
    for name, nu in pairs(newups) do
        path[depth] = name
        local ou = oldups[name]
        if ou then
            assert(nu.utype == ou.utype or not nu.val or not ou.val)
            if nu.idx == ENV_SLOT or ou.idx == ENV_SLOT then
                setenv(newfn, getenv(oldfn))
            elseif nu.utype == "function" then
                assert(ou.utype == "function")
                if not done[nu.val] then
                    done[nu.val] = true
                    share(nu.val, nu.upvals, ou.val, ou.upvals, done, path, absent)
                end
            else
                debug.upvaluejoin(newfn, nu.idx, oldfn, ou.idx)
            end
        else
            if name == "_ENV" then
                if nu.idx == ENV_SLOT then
                    setenv(newfn, _G)
                else
                    debug.setupvalue(newfn, nu.idx, _G)
                end
            end
            absent[#absent + 1] = table.concat(path, ".")
        end
        path[depth] = nil
    end
end

-- join(newfn, newups, oldfn, oldups), or join(newset, oldset) with two
-- collectupval results of module tables.
function patch:join(a, b, c, d)
    local absent = {}
    local path = { "$" }
    if type(a) == "table" then
        for name, new in pairs(a) do
            local old = b[name]
            if old then
                path[2] = name
                share(new.val, new.upvals, old.val, old.upvals, self.valjoined, path, absent)
                path[2] = nil
            end
        end
    else
        assert(type(a) == "function" and type(c) == "function")
        path[2] = "#"
        share(a, b, c, d, self.valjoined, path, absent)
        path[2] = nil
    end
    return absent
end

return patch
