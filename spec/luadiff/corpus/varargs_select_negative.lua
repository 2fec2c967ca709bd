-- select with negative indices beyond the count.
print("neg", pcall(select, -3, "a", "b"))
print("ok", select(-2, "a", "b"))
print("big", select(5, "a", "b"))
print("count", select("#"))
