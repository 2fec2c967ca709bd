package luamod

import (
	ecocli "github.com/golua-ws/golua-ws/luamod/eco/cli"
	ecocore "github.com/golua-ws/golua-ws/luamod/eco/core"
	ecodns "github.com/golua-ws/golua-ws/luamod/eco/dns"
	ecoencoding "github.com/golua-ws/golua-ws/luamod/eco/encoding"
	ecofile "github.com/golua-ws/golua-ws/luamod/eco/file"
	ecohash "github.com/golua-ws/golua-ws/luamod/eco/hash"
	ecohttp "github.com/golua-ws/golua-ws/luamod/eco/http"
	ecolog "github.com/golua-ws/golua-ws/luamod/eco/log"
	econet "github.com/golua-ws/golua-ws/luamod/eco/net"
	ecopacket "github.com/golua-ws/golua-ws/luamod/eco/packet"
	ecoshared "github.com/golua-ws/golua-ws/luamod/eco/shared"
	ecosocket "github.com/golua-ws/golua-ws/luamod/eco/socket"
	ecossl "github.com/golua-ws/golua-ws/luamod/eco/ssl"
	ecosys "github.com/golua-ws/golua-ws/luamod/eco/sys"
	ecourl "github.com/golua-ws/golua-ws/luamod/eco/url"
	ecowebsocket "github.com/golua-ws/golua-ws/luamod/eco/websocket"
	goluabus "github.com/golua-ws/golua-ws/luamod/golua/bus"
	goluametrics "github.com/golua-ws/golua-ws/luamod/golua/metrics"
	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	sillyadt "github.com/golua-ws/golua-ws/luamod/silly/adt"
	sillycompress "github.com/golua-ws/golua-ws/luamod/silly/compress"
	sillycore "github.com/golua-ws/golua-ws/luamod/silly/core"
	sillycrypto "github.com/golua-ws/golua-ws/luamod/silly/crypto"
	sillyencoding "github.com/golua-ws/golua-ws/luamod/silly/encoding"
	sillyhive "github.com/golua-ws/golua-ws/luamod/silly/hive"
	sillyhttp "github.com/golua-ws/golua-ws/luamod/silly/http"
	sillydom "github.com/golua-ws/golua-ws/luamod/silly/http/dom"
	sillymetrics "github.com/golua-ws/golua-ws/luamod/silly/metrics"
	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	sillysecurity "github.com/golua-ws/golua-ws/luamod/silly/security"
	sillystore "github.com/golua-ws/golua-ws/luamod/silly/store"
	sillysync "github.com/golua-ws/golua-ws/luamod/silly/sync"
	sillyws "github.com/golua-ws/golua-ws/luamod/silly/websocket"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Register makes every module of both dialects available to require in rt.
// Call it before running any script.
func Register(rt *runtime.Runtime) {
	for _, reg := range registrars {
		reg(rt)
	}
	sillyhive.Register(rt, standaloneModules)
	for _, mods := range standaloneModules() {
		rt.RegisterModules(mods)
	}
	// This runtime's eco.log follows its log format and level; the bees
	// keep the standalone one.
	ecolog.Register(rt)
}

// standaloneModules are the modules that keep no state in their runtime:
// every VM gets them, silly.hive's bees included.
func standaloneModules() []map[string]lua.LGFunction {
	return []map[string]lua.LGFunction{
		ecocli.Modules(),
		ecoencoding.Modules(),
		ecohash.Modules(),
		ecolog.Modules(),
		ecourl.Modules(),
		sillyencoding.Modules(),
		sillycrypto.Modules(),
		sillycompress.Modules(),
		sillyadt.Modules(),
		sillydom.Modules(),
	}
}

// registrars lists each dialect package's registration function. It is a
// fixed table, never modified at run time.
var registrars = []func(*runtime.Runtime){
	ecocore.Register,
	ecofile.Register,
	ecoshared.Register,
	ecosocket.Register,
	ecossl.Register,
	ecosys.Register,
	ecodns.Register,
	ecopacket.Register,
	econet.Register,
	ecohttp.Register,
	ecowebsocket.Register,
	sillycore.Register,
	sillysync.Register,
	sillynet.Register,
	sillyhttp.Register,
	sillyws.Register,
	sillystore.Register,
	sillymetrics.Register,
	sillysecurity.Register,
	sillyadt.Register,
	worker.Register,
	goluabus.Register,
	goluametrics.Register,
}
