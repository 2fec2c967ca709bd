// Package codecs holds the Lua spec scripts for the codec and utility
// modules of both dialects (eco.encoding.*, eco.hash.*, eco.log,
// eco.http.url, silly.encoding.*, silly.crypto.*). The scripts use Lua 5.1
// syntax and plain assert; codecs_test runs each one on a fresh gopher-lua
// state with the modules preloaded and reports the script and line of the
// first failed assertion.
package codecs
