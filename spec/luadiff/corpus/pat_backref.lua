-- %1 back-references in patterns.
print("dup", ("hello"):match("(.)%1"))
print("quote", ([[say "hi" and 'bye']]):match("([\"'])(.-)%1"))
print("none", ("abc"):match("(.)%1"))
