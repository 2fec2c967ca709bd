-- String escapes in literals.
print("esc", "a\tb", "q\"uote", 'single\'')
print("dec", "\65\066\0671")
print("hex", "\x41\x62")
print("utf", "\u{48}\u{49}", #"\u{20AC}")
print("z", "line1 \z
       continued")
print("nl", #"a\
b")
