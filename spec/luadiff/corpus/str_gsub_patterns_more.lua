-- More gsub: position captures and anchors.
print("pos", ("hello"):gsub("()l", "%1"))
print("anch", ("hello hello"):gsub("^hello", "bye"))
print("tail", ("a,b,c,"):gsub(",$", ""))
print("word", ("The Quick Brown"):gsub("(%w+)", function(w) return w:sub(1, 1):lower() .. w:sub(2) end))
print("count", select(2, ("a.b.c.d"):gsub("%.", "")))
