-- select with positive and negative indices and '#'.
local function f(...)
  print("count", select("#", ...))
  print("from2", select(2, ...))
  print("last", select(-1, ...))
  print("last2", select(-2, ...))
end
f("a", "b", "c", "d")
f(nil, nil)
print("selnil", select("#", nil, nil, nil))
print("err", pcall(select, 0, "a"))
