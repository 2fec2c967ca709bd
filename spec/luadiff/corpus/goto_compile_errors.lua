-- goto errors are compile-time errors reported by load.
local function try(src)
  local f, err = load(src, "=src")
  print("load", f ~= nil, err)
end
try("goto nowhere")
try("do local x ::l:: end goto l")
try("::a:: ::a::")
try("goto f; local x; ::f:: print(x)")
try("do goto f; local x end ::f::")
