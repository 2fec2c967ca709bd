package core

import (
	_ "embed"

	lua "github.com/yuin/gopher-lua"
)

// channelSource is eco.channel, written in Lua over eco.sync like the
// original, so that scripts can reach its fields (capacity, closed, buf,
// cond_send, cond_recv).
//
//go:embed channel.lua
var channelSource []byte

func (s *state) openChannel(L *lua.LState) int {
	fn, err := s.rt.Compile(channelSource, "@eco/channel.lua")
	if err != nil {
		L.RaiseError("eco.channel: %v", err)
	}
	L.Push(fn)
	L.Call(0, 1)
	return 1
}
