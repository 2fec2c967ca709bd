package lua54

import lua "github.com/yuin/gopher-lua"

// CloseSignal is the Value of the error object raised inside a coroutine
// that coroutine.close (runtime/lua54lib) unwinds. It lives here because
// the to-be-closed helper (closeScope) recognises it with IsCloseSignal,
// calls __close with a nil error as 5.4 does, and re-raises it.
type CloseSignal struct{}

// CoroutineClose marks the close signal.
func (CloseSignal) CoroutineClose() {}

// IsCloseSignal reports whether v is the error object coroutine.close
// raises inside the coroutine it closes. A protected call that catches it
// should let it pass, since 5.4's close unwinds through pcall.
func IsCloseSignal(v lua.LValue) bool {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return false
	}
	_, ok = ud.Value.(interface{ CoroutineClose() })
	return ok
}
