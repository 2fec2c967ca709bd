package lua54lib

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// benchCoroutine runs body on a VM with the runtime's thread sizes, with
// gopher-lua's own coroutines (native) or this package's goroutine-based
// ones, so that the two are measured in the same run.
//
//	go test ./runtime/lua54lib -run '^$' -bench Coroutine
func benchCoroutine(b *testing.B, native bool, body string) {
	L := lua.NewState(lua.Options{RegistrySize: 128, RegistryGrowStep: 64, RegistryMaxSize: 1 << 20,
		CallStackSize: 1024, MinimizeStackMemory: true})
	defer L.Close()
	L.Options.RegistrySize = 32 // as runtime.New: small task threads
	if !native {
		Open(L)
	}
	runLoopOn(b, L, "", body)
}

const (
	benchCreate = `
		local create, resume = coroutine.create, coroutine.resume
		local f = function(x) return x end
		for i = 1, N do resume(create(f), i) end`
	benchSwitch = `
		local co = coroutine.wrap(function() local yield = coroutine.yield while true do yield() end end)
		for i = 1, N do co() end`
	benchGenerator = `
		local wrap, yield = coroutine.wrap, coroutine.yield
		local function gen() for i = 1, 1000 do yield(i) end end
		for n = 1, N do
			local s = 0
			for v in wrap(gen) do s = s + v end
		end`
)

func BenchmarkCoroutineCreateNative(b *testing.B)      { benchCoroutine(b, true, benchCreate) }
func BenchmarkCoroutineCreate(b *testing.B)            { benchCoroutine(b, false, benchCreate) }
func BenchmarkCoroutineSwitchNative(b *testing.B)      { benchCoroutine(b, true, benchSwitch) }
func BenchmarkCoroutineSwitch(b *testing.B)            { benchCoroutine(b, false, benchSwitch) }
func BenchmarkCoroutineGenerator1kNative(b *testing.B) { benchCoroutine(b, true, benchGenerator) }
func BenchmarkCoroutineGenerator1k(b *testing.B)       { benchCoroutine(b, false, benchGenerator) }
