-- eco.http.url, after lua-eco tests/http-test.lua and http/url.lua.
local url = require 'eco.http.url'

local s, n = url.escape('a b/c_D9')
assert(s == 'a%20b%2fc_D9' and n == 2, s)
s, n = url.unescape('a%20b+c%2F')
assert(s == 'a b+c/' and n == 2, s)

local p = assert(url.parse('http://[::1]:8080/v6?q=1'))
assert(p.host == '::1')
assert(p.port == 8080)
assert(p.path == '/v6')
assert(p.raw_path == '/v6?q=1')
assert(p.query == 'q=1')

p = assert(url.parse('wss://user:pass@example.com/chat;v=2?room=1#top'))
assert(p.scheme == 'wss' and p.user == 'user' and p.password == 'pass')
assert(p.host == 'example.com' and p.port == nil)
assert(p.raw_path == '/chat;v=2?room=1#top' and p.path == '/chat')
assert(p.params == 'v=2' and p.query == 'room=1' and p.frag == 'top')

p = assert(url.parse('ws://localhost'))
assert(p.raw_path == '/' and p.path == '/')

local none, err = url.parse('localhost:8080')
assert(none == nil and err == 'invalid url')
none, err = url.parse(nil)
assert(none == nil and err == 'invalid url')
