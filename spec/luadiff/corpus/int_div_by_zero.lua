-- Integer division and modulo by zero raise errors.
print("idiv", pcall(function() local z = 0; return 1 // z end))
print("mod", pcall(function() local z = 0; return 1 % z end))
print("ok", pcall(function() local z = 1; return 1 // z end))
