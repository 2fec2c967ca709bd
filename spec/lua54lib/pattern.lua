-- Lua 5.4 string patterns: find, match, gmatch, gsub (manual 6.4.1).
-- Every case prints; errors are caught and printed without their position.
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end
local function P(...) print(...) end
local function G(s, p, init)
  local t = {}
  for a, b, c in string.gmatch(s, p, init) do
    t[#t + 1] = tostring(a) .. (b and ("," .. tostring(b)) or "") .. (c and ("," .. tostring(c)) or "")
  end
  print("gmatch", #t, table.concat(t, " "))
end

-- every byte, to count what each class holds in the C locale
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local classes = {"a", "c", "d", "g", "l", "p", "s", "u", "w", "x"}
for _, c in ipairs(classes) do
  local _, n = string.gsub(all, "%" .. c, "")
  local _, N = string.gsub(all, "%" .. c:upper(), "")
  local first = string.find(all, "%" .. c)
  print("class", c, n, N, first)
end
P("class z", select(2, string.gsub("a\0b\0", "%z", "")), string.find("ab\0", "%Z+"))

-- single characters, '.', escapes of magic characters
P(string.find("hello", "l"), string.find("hello", "lo"), string.find("hello", "xyz"))
P(string.find("a.b", "."), string.find("a.b", "%."), string.find("a+b", "%+"), string.find("50%", "%%"))
P(string.match("key = value", "(%w+)%s*=%s*(%w+)"))
P(string.match("2024-01-15", "(%d+)-(%d+)-(%d+)"))
P(string.match("  trim me  ", "^%s*(.-)%s*$"))
P(string.match("[tag]", "%[(.*)%]"), string.match("a^b", "a^b"), string.match("a$b", "a$b"))
P(string.find("a\0b", "\0"), string.find("a\0b", "%z"), string.match("x\0y\0z", "%z(.)%z"))

-- sets
P(string.match("hello123", "[a-z]+"), string.match("hello123", "[0-9]+"), string.match("ABCdef", "[^A-Z]+"))
P(string.match("a]b", "[]]"), string.match("a]b", "[^]]+"), string.match("a-b", "[a-]+"), string.match("-ab", "[-a]+"))
P(string.match("x%]y", "[%]]"), string.match("a-z", "[%-]"), string.match("f00d!", "[%x]+"), string.match("a1 b2", "[%a%d]+"))
P(string.match("bad", "[a-c]+"), string.match("^x", "[%^x]+"), string.match("^x", "[x^]+"), string.match("z-", "[z-]+"))
P(string.find("abc", "[b-a]"), string.match("3", "[%d-z]"), string.match("q", "[^%a]"), string.match("\255", "[\128-\255]"))
P(string.match("hello world", "[%w_]+$"), string.match("   ", "[^%s]"), string.match("_x_", "[_%u%l]+"))

-- quantifiers and backtracking
P(string.match("aaab", "a*"), string.match("aaab", "a+"), string.match("aaab", "a-b"), string.match("aaab", "a?a?b"))
P(string.match("<a><b>", "<.*>"), string.match("<a><b>", "<.->"), string.match("b", "a*b"), string.match("b", "a+b"))
P(string.find("", "a*"), string.find("", "a-"), string.find("", "a?"), string.find("", "a+"))
P(string.match("xay", "x.?y"), string.match("xy", "x.?y"), string.match("xaay", "x.?y"))
P(string.match("aaa", "^(a-)a$"), string.match("aaa", "^(a*)a$"), string.match("ab", "^(a?)(a?)b$"))
P(string.match("one two three", "(.-) (.*)"), string.match("one two three", "(.*) (.*)"))
P(string.match("x = 10 -- note", "^(.-)%s*%-%-"), string.match("+-*", "[+*-]+"))

-- anchors
P(string.find("abc", "^b"), string.find("abc", "^a"), string.find("abc", "c$"), string.find("abc", "b$"))
P(string.find("abc", "^abc$"), string.find("", "^$"), string.find("a$", "$", 1, true), string.find("a$", "a$$"))
P(string.match("x^y", "x^y"), string.find("abc", "^", 2), string.find("abc", "$"), string.match("ab", "^(.)"))
P(string.gsub("aaa", "^a", "b"), string.gsub("hello", "", "-"), string.gsub("abc", "$", "!"))

-- captures, position captures, back-references
P(string.match("hello", "(h)(e)(l)(l)(o)"))
P(string.match("hello", "()ll()"), string.find("hello", "()ll()"), string.match("hello", "()"))
P(string.match("a(b(c)d)e", "(%b())"), string.match("f(a, g(b)) x", "%w+(%b())"), string.match("((", "%b()"))
P(string.match("[[x]]", "%b[]"), string.match("abba", "%bab"), string.match("aaa", "%baa"), string.find("a(b)c", "%b()", 3))
P(string.match('say "hi" or \'yo\'', "([\"'])(.-)%1"), string.match("abcabc", "(abc)%1"), string.match("xyxz", "(x)y%1"))
P(string.match("hello", "((l)(l))"), string.match("aXbXc", "X(.)X"), string.match("key=val", "((%w+)=(%w+))"))
P(string.find("the (quick) fox", "%((%a+)%)"), string.match("2 + 3", "(%d)%s*([+-])%s*(%d)"))
P(string.match("aa", "(a)%1"), string.match("ab", "(a)%1"), string.match("aa", "()a%1"))
local caps32 = string.rep("(.)", 32)
P(select("#", string.match(string.rep("x", 32), caps32)), select(32, string.match(all, caps32, 66)))

-- frontier %f
P(string.find("THE (quick) fox", "%f[%a]%a+"), string.find("THE (quick) fox", "%f[%a]%a+", 4))
P(string.gsub("THE (quick) fox", "%f[%a]%a+", "W"))
P(string.gsub("hello world from lua", "%f[%w]%w+", function(w) return w:upper() end))
P(string.find("foo bar", "%f[%s]"), string.find("foobar", "%f[%z]"), string.find("abc", "%f[%l]"), string.find("1a", "%f[%a]"))
P(string.match("THE END", "%f[%u]%u+%f[%U]"), string.match("key1 key2", "%f[%w]key%d%f[%W]", 2))
P(string.gsub("aaa bbb", "%f[^%s%z]", "|"))
G("alpha beta gamma", "%f[%w]%w+")

-- find: plain, init, fast path
P(string.find("a+b", "+", 1, true), string.find("a.b", ".", 2, true), string.find("a(b", "(", 1, true), string.find("x%y", "%", 1, true))
P(string.find("hello", "l", 1, true), string.find("hello", "l", 4, true), string.find("hello", "", 1, true), string.find("hello", "", 10, true))
P(string.find("hello", "lo", -2), string.find("hello", "h", -10), string.find("hello", "l", -3), string.find("hello", "o", 0))
P(("x"):find("", 1), ("x"):find("", 2), ("x"):find("", 3), ("x"):find("", -1), ("x"):find("", 100))
P(string.find("", ""), string.find("", "", 1), string.find("", "", 2), string.find("abc", "", 4), string.find("abc", "", 5))
P(string.find("hello", "l", 10), string.find("hello", "l", 6), string.find("aaa", "a", -1), string.find("aaa", "a", -100))
P(string.find("abc", "b", 2.0), string.find(12345, 34), string.find("a1", 1), string.find("x)y", ")"), string.find("x]y", "]"))
P(string.find("hello", "l+"), string.find("hello", ".", 5), string.find("hello", "[aeiou]", 3), string.find("hello", "(l)(l)"))
P(string.find("aXb", "X", 1, false), string.find("a.b", ".", 1, nil), string.find("a.b", ".", 1, 0))

-- match: init
P(string.match("hello", "l+", 4), string.match("hello", ".", -1), string.match("hello", ".", 6), string.match("hello", "()", 6), string.match("hello", "()", 7))
P(string.match("abc", "^b", 2), string.match("abc", "^b", 1), string.match("hello", "(h)(.)", -100))

-- gmatch
G("one two three", "%a+")
G("k1=v1, k2=v2", "(%w+)=(%w+)")
G("abc", "")
G("abc", "()")
G("a,b,,c", "([^,]*)")
G("hello world", "%a+", 3)
G("hello world", "%a+", -5)
G("hello", ".", 10)
G("hello", "()", 6)
G("^a^a", "^a")
G("aaa", "a*")
G("xAyBz", "%u()")
G("hello", "l*")

-- gsub: string replacement
P(string.gsub("hello world", "o", "0"))
P(string.gsub("hello world", "(%w+)", "<%1>"))
P(string.gsub("hello world", "%w+", "%0 %0", 1))
P(string.gsub("hello", "", "-"))
P(string.gsub("abc", "%w", "%%"))
P(string.gsub("abc", "(b)", "[%1%1]"))
P(string.gsub("abc", "b", "%1"))
P(string.gsub("abc", "()b()", "%1-%2"))
P(string.gsub("hello world", "l", "L", 2))
P(string.gsub("hello", "l", "L", 0))
P(string.gsub("hello", "l", "L", -1))
P(string.gsub("hello", "x", "y"))
P(string.gsub("abc", ".", 1))
P(string.gsub(12321, 2, 0))
P(string.gsub("abc", "%w*", "-"))
P(string.gsub("a b c", "%s*", "_"))
P(string.gsub("hello", "l*", "X"))
P(string.gsub("  trim  ", "^%s+", ""))
P(string.gsub("x", "x", "%%1"))
P(string.gsub("abc", ".", "%0%0", 2.0))

-- gsub: table and function replacements
local vars = {name = "lua", version = "5.4"}
P(string.gsub("$name $version $none", "%$(%w+)", vars))
P(string.gsub("a b c", "%a", {a = 1, b = true and "B"}))
P(string.gsub("a b", "%a", {a = false}))
local mt = setmetatable({}, {__index = function(_, k) return k:upper() end})
P(string.gsub("x y", "%a", mt))
P(string.gsub("abc", "()", {[1] = "<1>", [3] = "<3>"}))
P(string.gsub("hello world", "%w+", function(w) return #w end))
P(string.gsub("hello world", "%w+", function() end))
P(string.gsub("hello world", "%w+", function() return false end))
P(string.gsub("k=v x=y", "(%w)=(%w)", function(k, v) return v .. "=" .. k end))
P(string.gsub("abc", "", function() return "." end))
P(string.gsub("abc", "()b", function(pos) return "[" .. pos .. "]" end))
P(string.gsub("abc", "%w", function(c) if c == "b" then return nil end return c:upper() end))
local seen = {}
string.gsub("abc", "()(%w)", function(i, c) seen[#seen + 1] = i .. c end)
P(table.concat(seen, ","))

-- errors
E(string.find, "abc", "%")
E(string.find, "abc", "a%")
E(string.match, "abc", "[a")
E(string.match, "abc", "[^")
E(string.match, "abc", "[a%")
E(string.match, "abc", "[]")
E(string.match, "abc", "%f")
E(string.match, "abc", "%fa")
E(string.match, "abc", "%f[a")
E(string.match, "abc", "%b")
E(string.match, "abc", "%ba")
E(string.match, "abc", "%1")
E(string.match, "abc", "%0")
E(string.match, "abc", "(a)%2")
E(string.match, "abc", "(a%1)")
E(string.match, "abc", "a)")
E(string.gsub, "abc", ")", "")
E(string.match, "abc", "(a")
E(string.find, "abc", "(()")
E(string.match, "abc", "x(")
E(string.gsub, "abc", "(", "x")
E(string.match, string.rep("a", 40), string.rep("()", 33))
P(select("#", string.match("a", string.rep("()", 32))))
E(string.match, string.rep("a", 300), string.rep("a?", 300) .. string.rep("a", 300))
E(string.match, string.rep("a", 300), string.rep("(a)", 200))
P(string.match(string.rep("a", 16), string.rep("a?", 16) .. "b"), #string.match(string.rep("a", 150), string.rep("a?", 150) .. "$"))
P(#string.match(string.rep("a", 10000), ".-$"), #string.match(string.rep("a", 10000), "a*a*a*$"))
E(string.gsub, "abc", "b", "%2")
E(string.gsub, "abc", "(b)", "%2")
E(string.gsub, "abc", "b", "%")
E(string.gsub, "abc", "b", "%x")
E(string.gsub, "abc", "b", "%%%")
E(string.gsub, "abc", "(b", "%1")
E(string.gsub, "abc", "(b)", {b = {}})
E(string.gsub, "abc", "b", function() return {} end)
E(string.gsub, "abc", "b", function() return print end)
E(string.gsub, "abc", "b", function() error("boom") end)
E(string.gsub, "abc", "b")
E(string.gsub, "abc", "b", true)
E(string.gsub, "abc", "b", "x", 1.5)
E(string.gsub, "abc", "b", nil, 1.5)
E(string.find, "abc", "b", 1.5)
E(string.find, "abc")
E(string.find, nil, "a")
E(string.match, "abc", {})
E(string.gmatch, "abc")
E(string.gmatch("abc", "(%w"))
E(string.gmatch("abc", "%f"))
P(pcall(string.find, "abc", "x%"))
P(pcall(string.find, "abc", "b[", 1, true))
P(string.find("abc", "[a", 1, true), string.find("ab[", "[", 1, true))
E(function() return ("x"):find("%") end)
E(function() return ("x"):gsub("x", "%9") end)
E(function() for w in ("x"):gmatch("[") do end end)
print(pcall(string.gsub, "x", "x", "%"))
