package cli

import (
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
)

func TestParseArgs(t *testing.T) {
	L := luatest.NewState(t, Modules(), `cli = require 'eco.cli'`)
	luatest.Run(t, L, `
		local spec = {
			{ name = 'v', short = 'v', type = 'count' },
			{ name = 'out', short = 'o', type = 'string' },
			{ name = 'n', type = 'integer', default = 1 },
			{ name = 'tag', short = 't', type = 'array', default = { 'x' } },
		}
		local o = assert(cli.parse_args(spec, { '-vvo', 'f', '--n=3', '-ty', 'arg', '--', '-v' }))
		assert(o.v == 2 and o.out == 'f' and o.n == 3)
		assert(#o.tag == 2 and o.tag[2] == 'y' and #spec[4].default == 1)
		assert(#o.args == 2 and o.args[1] == 'arg' and o.args[2] == '-v')
		local r, err = cli.parse_args(spec, { '--n', 'x' })
		assert(r == nil and err == "option 'n' expects an integer", err)
		r, err = cli.parse_args(spec, { '-o' })
		assert(r == nil and err == "option 'out' requires a value", err)
		r, err = cli.parse_args({ { name = 'a', type = 'array', default = { 'p', nil, 'q' } } }, {})
		assert(r == nil and err == "option 'a' default array must not contain holes", err)
	`)
}
