-- silly.encoding.json and silly.encoding.base64, after silly's test/testjson.lua and testbase64.lua.
local json = require 'silly.encoding.json'
local base64 = require 'silly.encoding.base64'

local function eq(got, want, what)
    assert(got == want, what .. ': got ' .. tostring(got) .. ', want ' .. tostring(want))
end

eq(json.encode({ foo = 'hello' }), '{"foo":"hello"}', 'string')
eq(json.encode({ foo = 'hello"' }), '{"foo":"hello\\""}', 'escaped quote')
eq(json.encode({ foo = 123 }), '{"foo":123}', 'integer')
eq(json.encode({ foo = 3.1415 }), '{"foo":3.1415}', 'float')
eq(json.encode(2.0), '2', 'integral float')
eq(json.encode({ foo = true }), '{"foo":true}', 'true')
eq(json.encode({}), '[]', 'empty table')
eq(json.encode({ 1, 'a', true, { false } }), '[1,"a",true,[false]]', 'mixed array')
eq(json.encode({ foo = '/' }), '{"foo":"/"}', 'slash not escaped')
eq(json.encode({ foo = '\b\f\n\r\t' }), '{"foo":"\\b\\f\\n\\r\\t"}', 'control escapes')
eq(json.encode({ foo = 'line1\nline2\t"quoted"' }), '{"foo":"line1\\nline2\\t\\"quoted\\""}', 'mixed escapes')
eq(json.encode(json.null), 'null', 'null sentinel')

local s, err = json.encode({ [2] = 1 })
assert(s == nil and err == 'object key must be string', err)
s, err = json.encode(0 / 0)
assert(s == nil and err == 'NaN or Infinity not allowed', err)
s, err = json.encode({ f = print })
assert(s == nil and err == 'unsupported type', err)

local obj = assert(json.decode('{"foo":"hello\\""}'))
eq(obj.foo, 'hello"', 'decoded escape')
eq(json.decode('[-1.23e5]')[1], -123000, 'exponent')
eq(json.decode('{"foo":null}').foo, json.null, 'null decodes to json.null')
eq(tostring(json.null), 'null', 'tostring(json.null)')
local deep = {}
local cur = deep
for _ = 1, 100 do
    cur[1] = {}
    cur = cur[1]
end
eq(type(json.decode(json.encode(deep))), 'table', 'deep nesting')
for _, bad in ipairs({ '{"a":1', '[1,,2]', '{"a":}', '{"a":tru}', "'string'" }) do
    local v, e = json.decode(bad)
    assert(v == nil and e == 'invalid json', bad)
end
local v, e = json.decode('  ')
assert(v == nil and e == 'empty input')
eq(json.decode('[1] trailing')[1], 1, 'trailing data ignored')

eq(base64.encode('hello world'), 'aGVsbG8gd29ybGQ=', 'b64 encode')
eq(base64.encode('\228\189\160\229\165\189'), '5L2g5aW9', 'b64 non-ascii')
eq(base64.urlsafe_encode('hello world'), 'aGVsbG8gd29ybGQ', 'urlsafe has no padding')
eq(base64.decode('aGVsbG8gd29ybGQ='), 'hello world', 'b64 decode')
eq(base64.decode('aGVsbG8gd29ybGQ'), 'hello world', 'b64 decode without padding')
eq(base64.urlsafe_decode('Zg=='), 'f', 'urlsafe_decode accepts padding')
eq(base64.decode(''), '', 'b64 empty')
