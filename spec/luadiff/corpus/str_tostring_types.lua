-- tostring and type of non-address values.
print("nil", tostring(nil), type(nil))
print("bool", tostring(true), tostring(false), type(true))
print("str", tostring("s"), type("s"))
print("types", type(print), type({}), type(coroutine.create(print)))
print("prefix", tostring(print):match("^function: ") ~= nil)
print("tblprefix", tostring({}):match("^table: ") ~= nil)
