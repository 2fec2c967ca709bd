-- rep, reverse, upper, lower, len.
print("rep", ("ab"):rep(3), ("ab"):rep(0), ("x"):rep(3, ", "), ("x"):rep(-1))
print("rev", ("hello"):reverse(), (""):reverse())
print("case", ("MiXeD 123"):upper(), ("MiXeD 123"):lower())
print("len", ("\0\0"):len(), #"\0abc")
