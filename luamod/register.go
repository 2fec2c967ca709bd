package luamod

import (
	ecocore "github.com/golua-ws/golua-ws/luamod/eco/core"
	sillycore "github.com/golua-ws/golua-ws/luamod/silly/core"
	sillyhttp "github.com/golua-ws/golua-ws/luamod/silly/http"
	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	sillysync "github.com/golua-ws/golua-ws/luamod/silly/sync"
	sillyws "github.com/golua-ws/golua-ws/luamod/silly/websocket"
	"github.com/golua-ws/golua-ws/runtime"
)

// Register makes every module of both dialects available to require in rt.
// Call it before running any script.
func Register(rt *runtime.Runtime) {
	for _, reg := range registrars {
		reg(rt)
	}
}

// registrars lists each dialect package's registration function. It is a
// fixed table, never modified at run time.
var registrars = []func(*runtime.Runtime){
	ecocore.Register,
	sillycore.Register,
	sillysync.Register,
	sillynet.Register,
	sillyhttp.Register,
	sillyws.Register,
}
