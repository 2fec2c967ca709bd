package bus

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	gobus "github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

const (
	moduleName  = "golua.bus"
	subTypeName = "golua.bus.sub"
	// defaultRequestTimeout bounds bus.request without a timeout, so that
	// a request whose responder died never waits forever.
	defaultRequestTimeout = 5 * time.Second
)

// state is the module's per-runtime state, made on the first require.
type state struct {
	rt     *runtime.Runtime
	bus    gobus.Bus
	inline bool // bus.Publish may be called holding the VM token

	// ctx ends when the runtime begins a graceful shutdown or exits: a
	// blocked recv or request then returns 'closed'.
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex // guards what the shutdown hook touches below
	subs   map[*sub]struct{}
	closed bool
	// waiting counts tasks inside a blocking recv or request; the
	// shutdown hook waits until each has taken the VM back, so that the
	// Lua after its 'closed' runs before the runtime exits.
	waiting int
	idle    chan struct{} // closed when waiting drops to 0, if set
}

// fastRunLimit is how many queued messages sub:recv returns in a row
// without giving up the VM.
const fastRunLimit = 64

// sub is a Lua subscription object.
type sub struct {
	s       gobus.Subscription
	closed  bool // by sub:close(); shutdown closes s itself
	fastRun int  // messages returned in a row without a handoff
}

// Register makes "golua.bus" available to require in rt. Call it before
// any script runs.
func Register(rt *runtime.Runtime) {
	var st *state
	rt.RegisterModule(moduleName, func(L *lua.LState) int {
		if st == nil {
			st = newState(rt)
		}
		L.Push(st.module(L))
		return 1
	})
}

func newState(rt *runtime.Runtime) *state {
	b := gobus.From(rt)
	ip, ok := b.(gobus.InlinePublisher)
	st := &state{rt: rt, bus: b, inline: ok && ip.PublishesInline(), subs: make(map[*sub]struct{})}
	st.ctx, st.cancel = context.WithCancel(rt.Context())
	rt.OnShutdown(func(ctx context.Context) {
		st.shutdown()
		st.waitIdle(ctx)
	})
	rt.OnClose(st.shutdown)
	return st
}

// block runs fn as t.Block does, counted in waiting.
func (st *state) block(L *lua.LState, fn func() error) error {
	t := st.rt.MustTask(L)
	st.mu.Lock()
	st.waiting++
	st.mu.Unlock()
	err := t.Block(func(context.Context) error { return fn() })
	st.mu.Lock()
	st.waiting--
	if st.waiting == 0 && st.idle != nil {
		close(st.idle)
		st.idle = nil
	}
	st.mu.Unlock()
	return err
}

// blockFor runs fn as block does, with a context that ends when the module
// shuts down or, for d > 0, after d.
func (st *state) blockFor(L *lua.LState, d time.Duration, fn func(ctx context.Context) error) error {
	return st.block(L, func() error {
		ctx := st.ctx
		if d > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return fn(ctx)
	})
}

// waitIdle waits until no task is inside a blocking call, or ctx ends.
func (st *state) waitIdle(ctx context.Context) {
	st.mu.Lock()
	if st.waiting == 0 {
		st.mu.Unlock()
		return
	}
	if st.idle == nil {
		st.idle = make(chan struct{})
	}
	idle := st.idle
	st.mu.Unlock()
	select {
	case <-idle:
	case <-ctx.Done():
	}
}

// shutdown closes every subscription: tasks waiting in recv get 'closed'
// and can finish. Safe from any goroutine.
func (st *state) shutdown() {
	st.cancel()
	st.mu.Lock()
	subs := st.subs
	st.subs = nil
	st.closed = true
	st.mu.Unlock()
	for sb := range subs {
		_ = sb.s.Close()
	}
}

func (st *state) module(L *lua.LState) *lua.LTable {
	mt := L.NewTypeMetatable(subTypeName)
	methods := L.NewTable()
	L.SetFuncs(methods, map[string]lua.LGFunction{
		"recv":    st.subRecv,
		"close":   st.subClose,
		"dropped": st.subDropped,
		"subject": st.subSubject,
	})
	mt.RawSetString("__index", methods)
	mt.RawSetString("__name", lua.LString(subTypeName))
	mt.RawSetString("__close", methods.RawGetString("close"))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(subTypeName + ": " + checkSub(L, "__tostring").s.Subject()))
		return 1
	}))

	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"publish":   st.publish,
		"subscribe": st.subscribe,
		"request":   st.request,
	})
	return mod
}

// errString is the Lua error string for err.
func (st *state) errString(err error) string {
	var se *gobus.SubjectError
	switch {
	case errors.Is(err, gobus.ErrClosed), errors.Is(err, context.Canceled):
		return "closed"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, gobus.ErrNoResponders):
		return "no responders"
	case errors.Is(err, gobus.ErrBufferFull):
		return "buffer full"
	case errors.Is(err, gobus.ErrTooLarge):
		return "too large"
	case errors.As(err, &se):
		return "bad subject " + quote(se.Subject) + ": " + se.Reason
	}
	return err.Error()
}

func quote(s string) string { return "\"" + s + "\"" }

func pushErr(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}

// timeoutArg reads a timeout in seconds at n: nil or absent waits without
// limit (0, false, false), and so does a timeout too long for a
// time.Duration (math.huge; forever is true); 0 or less only looks at what
// is already there (expired). NaN is an argument error.
func timeoutArg(L *lua.LState, n int, fname string) (d time.Duration, expired, forever bool) {
	if L.Get(n) == lua.LNil {
		return 0, false, false
	}
	sec := luaarg.CheckNumber(L, n, fname)
	switch {
	case math.IsNaN(sec):
		L.ArgError(n, "timeout is NaN")
	case sec <= 0:
		return 0, true, false
	case sec >= float64(math.MaxInt64)/float64(time.Second):
		// time.Duration(sec * 1e9) would overflow to a negative value.
		return 0, false, true
	}
	d = time.Duration(sec * float64(time.Second))
	if d <= 0 {
		d = time.Nanosecond
	}
	return d, false, false
}

// publish is bus.publish(subject, data).
func (st *state) publish(L *lua.LState) int {
	subject := luaarg.CheckString(L, 1, "publish")
	data := []byte(luaarg.CheckString(L, 2, "publish"))
	var err error
	if st.inline {
		err = st.bus.Publish(subject, data)
	} else {
		err = st.block(L, func() error { return st.bus.Publish(subject, data) })
	}
	if err != nil {
		return pushErr(L, st.errString(err))
	}
	L.Push(lua.LTrue)
	return 1
}

// subscribe is bus.subscribe(subject).
func (st *state) subscribe(L *lua.LState) int {
	subject := luaarg.CheckString(L, 1, "subscribe")
	if st.ctx.Err() != nil {
		return pushErr(L, "closed")
	}
	s, err := st.bus.Subscribe(subject)
	if err != nil {
		return pushErr(L, st.errString(err))
	}
	sb := &sub{s: s}
	st.mu.Lock()
	if st.closed {
		st.mu.Unlock()
		_ = s.Close()
		return pushErr(L, "closed")
	}
	st.subs[sb] = struct{}{}
	st.mu.Unlock()
	ud := L.NewUserData()
	ud.Value = sb
	L.SetMetatable(ud, L.GetTypeMetatable(subTypeName))
	L.Push(ud)
	return 1
}

// request is bus.request(subject, data[, timeout]).
func (st *state) request(L *lua.LState) int {
	subject := luaarg.CheckString(L, 1, "request")
	data := []byte(luaarg.CheckString(L, 2, "request"))
	d, expired, forever := timeoutArg(L, 3, "request")
	if expired {
		return pushErr(L, "timeout")
	}
	if d == 0 && !forever {
		d = defaultRequestTimeout
	}
	var m gobus.Msg
	err := st.blockFor(L, d, func(ctx context.Context) (err error) {
		m, err = st.bus.Request(ctx, subject, data)
		return err
	})
	if err != nil {
		return pushErr(L, st.errString(err))
	}
	L.Push(lua.LString(m.Data))
	return 1
}

func checkSub(L *lua.LState, method string) *sub {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if sb, ok := ud.Value.(*sub); ok {
			return sb
		}
	}
	luaarg.Method(method).TypeError(L, 1, subTypeName)
	return nil
}

func pushMsg(L *lua.LState, m gobus.Msg) int {
	L.Push(lua.LString(m.Data))
	L.Push(lua.LString(m.Subject))
	if m.Reply == "" {
		L.Push(lua.LNil)
	} else {
		L.Push(lua.LString(m.Reply))
	}
	return 3
}

// subRecv is sub:recv([timeout]). A message already queued is returned
// without giving up the VM.
func (st *state) subRecv(L *lua.LState) int {
	sb := checkSub(L, "recv")
	d, expired, _ := timeoutArg(L, 2, "recv")
	if m, ok := sb.s.TryRecv(); ok {
		// A backlog is returned without a handoff; every fastRunLimit
		// such messages the task still lets queued tasks run, so a relay
		// loop draining a full queue cannot starve its runtime.
		sb.fastRun++
		if sb.fastRun >= fastRunLimit {
			sb.fastRun = 0
			if st.rt.ReadyCount() > 0 {
				st.rt.MustTask(L).Yield()
			}
		}
		return pushMsg(L, m)
	}
	sb.fastRun = 0
	if sb.closed || st.ctx.Err() != nil {
		return pushErr(L, "closed")
	}
	if expired {
		return pushErr(L, "timeout")
	}
	var m gobus.Msg
	err := st.blockFor(L, d, func(ctx context.Context) (err error) {
		m, err = sb.s.Recv(ctx)
		return err
	})
	if err != nil {
		return pushErr(L, st.errString(err))
	}
	return pushMsg(L, m)
}

// subClose is sub:close(). Closing twice is harmless.
func (st *state) subClose(L *lua.LState) int {
	sb := checkSub(L, "close")
	if !sb.closed {
		sb.closed = true
		st.mu.Lock()
		delete(st.subs, sb)
		st.mu.Unlock()
		_ = sb.s.Close()
	}
	return 0
}

func (st *state) subDropped(L *lua.LState) int {
	L.Push(lua.LNumber(checkSub(L, "dropped").s.Dropped()))
	return 1
}

func (st *state) subSubject(L *lua.LState) int {
	L.Push(lua.LString(checkSub(L, "subject").s.Subject()))
	return 1
}
