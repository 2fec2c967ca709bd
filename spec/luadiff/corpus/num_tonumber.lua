-- tonumber of strings in many forms.
print("dec", tonumber("42"), tonumber("-7"), tonumber("  12  "))
print("float", tonumber("3.5"), tonumber(".5"), tonumber("5."))
print("exp", tonumber("1e2"), tonumber("2E-1"))
print("hex", tonumber("0x1F"), tonumber("0XaB"), tonumber("-0x10"))
print("hexfloat", tonumber("0x1p4"), tonumber("0x.8"))
print("bad", tonumber("abc"), tonumber("1e"), tonumber(""), tonumber("0x"), tonumber("1 2"))
print("nonstr", tonumber(nil), tonumber(true), tonumber({}))
