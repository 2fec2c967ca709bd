-- * + - ? quantifiers.
print("star", ("aaab"):match("a*"))
print("plus", ("aaab"):match("a+b"))
print("lazy", ("<a><b>"):match("<(.-)>"))
print("greedy", ("<a><b>"):match("<(.*)>"))
print("opt", ("color colour"):gsub("colou?r", "C"))
print("minus0", ("xyz"):match("x-"))
