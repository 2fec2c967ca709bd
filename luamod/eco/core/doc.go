// Package core provides the core modules of the lua-eco dialect: "eco"
// (tasks, sleep, the loop, the panic hook and the watchdog), "eco.time"
// (clocks and one-shot timers), "eco.sync" (cond, mutex, waitgroup) and
// "eco.channel" (bounded channels).
//
// Every eco coroutine is a runtime task (a goroutine holding the VM token
// while it runs Lua), so blocking calls work inside pcall, iterators,
// metamethods and Lua coroutines. The modules keep lua-eco's signatures,
// return conventions and error messages; the few places where they differ
// are documented on the functions that implement them.
package core
