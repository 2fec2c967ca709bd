-- The %b balanced match.
print("b1", ("f(a(b)c) d"):match("%b()"))
print("b2", ("[[x]] [y]"):gsub("%b[]", "B"))
print("b3", ("no parens"):match("%b()"))
print("b4", ("<<a>"):match("%b<>"))
