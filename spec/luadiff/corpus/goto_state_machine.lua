-- A state machine written with gotos.
local input = "aabba"
local pos, out = 1, {}
::state_a::
if pos > #input then goto done end
if input:sub(pos, pos) == "a" then
  out[#out + 1] = "A"; pos = pos + 1; goto state_a
end
goto state_b
::state_b::
if pos > #input then goto done end
if input:sub(pos, pos) == "b" then
  out[#out + 1] = "B"; pos = pos + 1; goto state_b
end
goto state_a
::done::
print("states", table.concat(out))
