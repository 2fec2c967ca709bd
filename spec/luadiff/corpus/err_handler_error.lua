-- An error inside the message handler.
local ok, e = xpcall(function() error("first", 0) end, function(m) error("handler broke", 0) end)
print("handler", ok, type(e))
