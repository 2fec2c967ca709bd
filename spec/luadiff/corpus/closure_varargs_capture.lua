-- A closure captures values computed from varargs.
local function bind(f, ...)
  local args = table.pack(...)
  return function(...)
    local all = {}
    for i = 1, args.n do all[#all + 1] = args[i] end
    for i = 1, select("#", ...) do all[#all + 1] = (select(i, ...)) end
    return f(table.unpack(all))
  end
end
local function join(...) return table.concat({...}, "-") end
local j = bind(join, "a", "b")
print("bound", j("c", "d"))
print("bound2", j())
