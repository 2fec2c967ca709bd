// Package luamod wires every Lua module of both dialects (eco and silly)
// into a runtime. Each module lives in its own package below this folder,
// grouped by dialect: luamod/eco/... defines the eco.* modules and
// luamod/silly/... the silly.* modules, and luamod/golua/... the golua.*
// modules both dialects share. Register is what the golua-ws
// command and embedders call to make them all available to require.
package luamod
