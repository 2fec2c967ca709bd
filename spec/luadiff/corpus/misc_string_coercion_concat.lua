-- Numbers in string functions are converted to strings.
print("len", string.len(12345))
print("upper", string.upper(42))
print("find", string.find(12345, "34"))
print("rep", string.rep(7, 3))
