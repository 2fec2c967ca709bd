-- Syntax errors from load.
local function try(src) local f, e = load(src, "=chunk") print("syn", f, e) end
try("x = = 1")
try("local 1")
try("return (")
try("for i = 1 do end")
try("x = 'unterminated")
try("return 1 +")
