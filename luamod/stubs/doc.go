// Package stubs holds the one machine-readable description of every Lua
// module golua-ws provides: a LuaLS definition file per module
// (lua/<module name>.lua, "---@meta", "---@param", "---@return",
// "---@class"). The same files are written for editors by `golua-ws stubs
// DIR`, turned into the API reference under docs/api by go generate, and
// compared with the functions the runtime really registers by this
// package's drift test, so the three cannot disagree.
package stubs

//go:generate go run ../../internal/apidoc -out ../../docs/api
