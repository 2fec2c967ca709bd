-- io with 5.4's rules: formats without '*', "L", "n" (hex too), write
-- returning the file and formatting numbers like tostring, lines with
-- formats, standard files that cannot be closed, C-style error results.
local function show(...)
  local t = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    t[i] = type(v) == "string" and string.format("%q", v) or tostring(v)
    if io.type(v) then t[i] = io.type(v) end
  end
  print(table.concat(t, ", "))
end
local function try(...)
  local r = {pcall(...)}
  for i = 1, #r do r[i] = tostring(r[i]) end
  print(table.concat(r, "\t"))
end
print(io.write() == io.stdout, io.type(io.stdout), io.type(42), io.output() == io.stdout, io.input() == io.stdin)
show(io.close(io.stdin))
show(io.stdout:close())
show(io.stderr:close())
print(string.match(tostring(io.stdout), "^file %(") ~= nil)
show(io.open("/nonexistent/xyz"))
try(io.open, "/tmp", "zz")
try(io.lines, "/nonexistent/xyz")
show(os.remove("/nonexistent/xyz"))
show(os.rename("/nonexistent/xyz", "/nonexistent/abc"))
local f = io.tmpfile()
f:write("12 3.5 0x10 -.5e1 0x1p4\nline2\nline3")
f:seek("set")
show(f:read("n", "n", "n", "n", "n"))
show(f:read("l"), f:read("L"), f:read("a"), f:read("a"), f:read("l"))
f:seek("set")
show(f:read("*l", "*L", "*a"))
f:close()
f = io.tmpfile()
f:write("hello")
show(f:seek(), f:seek("end"), f:seek("set", 1), f:read(2), f:seek("cur"), f:seek("cur", -1))
try(function() return f:seek("bad") end)
show(f:write("a", 1, 2.5) == f, f:flush() == f, f:setvbuf("no"))
f:seek("set")
f:write(1/3, " ", 2^63, " ", -1/0, "\n")
f:seek("set")
show(f:read("L"))
try(function() return f:write("a", {}) end)
try(function() return f:read("x") end)
try(function() return io.write({}) end)
f:close()
try(f.write, f, "x")
try(f.read, f)
show(io.type(f), tostring(f))
f = io.tmpfile()
f:write("a\nb\n\nc")
f:seek("set")
local t = {}
for l in f:lines() do t[#t + 1] = l end
print(table.concat(t, "|"))
f:seek("set")
t = {}
for l in f:lines("L") do t[#t + 1] = l end
show(table.concat(t, "|"))
f:close()
f = io.tmpfile()
f:write("1 2 3 x")
f:seek("set")
t = {}
for a in f:lines("n") do t[#t + 1] = a end
print(table.concat(t, "|"))
f:seek("set")
t = {}
for a in f:lines(2) do t[#t + 1] = a end
print(table.concat(t, "|"))
f:seek("set")
show(f:read(0), f:read(100), f:read(0))
f:close()
local name = os.tmpname()
f = assert(io.open(name, "w"))
show(f:write("x\ny\n") == f)
f:close()
t = {}
for l in io.lines(name) do t[#t + 1] = l end
for a, b in io.lines(name, 1, "l") do t[#t + 1] = a .. "+" .. b end
print(table.concat(t, "|"))
f = assert(io.open(name, "r+b"))
show(f:read("a"))
f:close()
os.remove(name)
