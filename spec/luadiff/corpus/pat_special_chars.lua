-- Escaping magic characters.
print("esc", ("a+b=c"):gsub("%+", " plus "))
print("dollar", ("cost $5"):match("%$(%d)"))
print("dotall", ("a.b.c"):gsub("%.", "/"))
print("caret", ("^x"):find("^^"))
print("bracket", ("[x]"):match("%[(.)%]"))
print("dash", ("a-b"):gsub("-", "+"))
