-- table library argument errors.
print("unpack", pcall(table.unpack, nil))
print("insert", pcall(table.insert, nil, 1))
print("remove", pcall(table.remove, {1, 2, 3}, 7))
print("move", pcall(table.move, {}, 1, 2))
