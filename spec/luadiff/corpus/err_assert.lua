-- assert returns its arguments or raises its message.
print("ok", assert(1, "unused"), select("#", assert(true, 2, 3)))
print("msg", pcall(assert, false, "custom"))
print("nomsg", pcall(assert, nil))
print("tbl", select(2, pcall(assert, false, {1})) ~= nil)
print("noarg", pcall(assert))
