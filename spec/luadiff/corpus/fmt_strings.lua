-- %s with width and precision, and %% escapes.
print("s", string.format("[%s][%10s][%-10s][%.2s]", "abc", "abc", "abc", "abc"))
print("pct", string.format("100%% of %s", "it"))
print("num", string.format("%s %s", 12, "x"))
print("bool", string.format("%s %s", true, nil))
print("tostr", string.format("%s", setmetatable({}, {__tostring = function() return "T!" end})))
print("many", string.format("%s-%s-%s", 1, 2, 3))
print("missing", pcall(string.format, "%s %s", 1))
