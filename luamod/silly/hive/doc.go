// Package hive provides silly's "silly.hive" and "silly.hive.c": blocking
// work run off the VM. hive.spawn(code, ...) starts a bee, a Lua VM of its
// own (a separate golua-ws runtime with the standard libraries and the
// modules that keep no per-runtime state, as silly's bee is a bare
// lua_State that loads C modules), runs code there with the arguments and
// keeps the function it returns. hive.invoke(bee, ...) runs that function on
// a pool of goroutines — silly's thread pool, with its min/max limits and
// idle pruning — while the calling task waits with the VM token released.
// Values cross between the VMs by copy (nil, booleans, numbers, strings and
// tables of them; anything else becomes nil), and an error raised in the
// bee is raised again in the caller.
package hive
