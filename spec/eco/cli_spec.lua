-- eco.cli.parse_args: option forms, defaults, and every error returned as
-- nil, message (never raised).
local cli = require 'eco.cli'

local function fails(spec, argv, want)
    local opts, err = cli.parse_args(spec, argv)
    assert(opts == nil, 'expected a failure: ' .. want)
    assert(err == want, string.format('want %q, got %q', want, tostring(err)))
end

-- Option forms and values.
local spec = {
    { name = 'host', short = 'H', type = 'string', default = 'localhost' },
    { name = 'port', short = 'p', type = 'integer' },
    { name = 'scale', type = 'number', long = 'scale-by' },
    { name = 'debug', short = 'd', type = 'count' },
    { name = 'force', short = 'f' },
    { name = 'tag', short = 't', type = 'array', default = { 'a' } },
}
local opts = assert(cli.parse_args(spec, { '-ddf', '-p0x10', 'one', '--scale-by', '2.5e1', '-t', 'b', '--tag=', '-', '--', '-p' }))
assert(opts.host == 'localhost')
assert(opts.port == 16 and math.type(opts.port) == 'integer')
assert(opts.scale == 25)
assert(opts.debug == 2 and opts.force == true)
assert(#opts.tag == 3 and opts.tag[1] == 'a' and opts.tag[2] == 'b' and opts.tag[3] == '')
assert(#spec[6].default == 1, 'the default array was modified')
assert(#opts.args == 3 and opts.args[1] == 'one' and opts.args[2] == '-' and opts.args[3] == '-p')

-- Nothing given: defaults, booleans false, counts without default absent.
opts = assert(cli.parse_args(spec, {}))
assert(opts.force == false and opts.debug == 0 and opts.port == nil and #opts.args == 0)

-- argv defaults to the global arg, without arg[0].
local saved = arg
arg = { [0] = 'script.lua', '-H', 'example.org', 'x' }
opts = assert(cli.parse_args(spec))
arg = saved
assert(opts.host == 'example.org' and #opts.args == 1 and opts.args[1] == 'x')

-- Errors in argv.
fails(spec, { '--nope' }, "unknown option '--nope'")
fails(spec, { '--=x' }, "unknown option '--=x'")
fails(spec, { '-fz' }, "unknown option '-z'")
fails(spec, { '-p' }, "option 'port' requires a value")
fails(spec, { '--host' }, "option 'host' requires a value")
fails(spec, { '-p', '1.5' }, "option 'port' expects an integer")
fails(spec, { '--scale-by=abc' }, "option 'scale' expects a number")
fails(spec, { '-p1', '--port=2' }, "option 'port' specified multiple times")
fails(spec, { '--force=yes' }, "option 'force' does not take a value")
fails(spec, { 'a', 42 }, 'argument #2 must be a string')
fails(spec, { '-H', 7 }, 'argument #2 must be a string')
fails(spec, 'argv', 'argv must be a table')
fails({ { name = 'need', type = 'string', required = true } }, { '--need' }, "option 'need' requires a value")
fails({ { name = 'need', type = 'string', required = true } }, {}, "required option 'need' is missing")

-- Errors in the spec.
fails('spec', {}, 'spec must be a table')
fails({ 'x' }, {}, 'invalid option spec #1')
fails({ { short = 'x' } }, {}, "option spec #1 requires a non-empty 'name'")
fails({ { name = '' } }, {}, "option spec #1 requires a non-empty 'name'")
fails({ { name = 'a', type = 'float' } }, {}, "option 'a' has unsupported type 'float'")
fails({ { name = 'a', type = 1 } }, {}, "option 'a' type must be a string or nil")
fails({ { name = 'a' }, { name = 'a' } }, {}, "option name 'a' specified multiple times")
fails({ { name = 'a' }, { name = 'b', long = 'a' } }, {}, "long option 'a' specified multiple times")
fails({ { name = 'a', long = '' } }, {}, "option 'a' has invalid long name")
fails({ { name = 'a', short = 'x' }, { name = 'b', short = 'x' } }, {}, "short option '-x' specified multiple times")
fails({ { name = 'a', short = '' } }, {}, "option 'a' short name must be one character")
fails({ { name = 'a', type = 'array', default = 1 } }, {}, "option 'a' default must be an array table")
fails({ { name = 'a', type = 'array', default = { x = 'y' } } }, {}, "option 'a' default must be an array table")
fails({ { name = 'a', type = 'array', default = { 'x', {} } } }, {}, "option 'a' default array item #2 must be a string")
fails({ { name = 'a', type = 'array', default = { 'x', nil, 'z' } } }, {}, "option 'a' default array must not contain holes")

print('cli_spec ok')
