package websocket

import (
	"errors"
	"time"

	"github.com/golua-ws/golua-ws/wscore"
	lua "github.com/yuin/gopher-lua"
)

// OptionNames is how a dialect spells the layer's options in the Lua
// table its upgrade and connect take (eco: max_queued, write_timeout in
// seconds; silly: maxqueued, writetimeout in milliseconds).
type OptionNames struct {
	MaxQueued, WriteTimeout, PingInterval, IdleTimeout, CloseTimeout string
	// Unit is the dialect's unit of time (time.Second, time.Millisecond).
	Unit time.Duration
	// Dialect is the dialect's name, for the metrics (Options.Dialect).
	Dialect string
}

// Parse reads the options from t (nil: all defaults) into the layer's
// Options and wo's keepalive and close timeout. A MaxQueued or
// WriteTimeout that is zero or negative turns that bound off; absent
// fields keep the defaults.
func (n *OptionNames) Parse(t *lua.LTable, wo *wscore.Options) Options {
	o := Options{Dialect: n.Dialect}
	if t == nil {
		return o
	}
	if v, ok := t.RawGetString(n.MaxQueued).(lua.LNumber); ok {
		o.MaxQueued = int(v)
		if v <= 0 {
			o.MaxQueued = -1
		}
	}
	o.WriteTimeout = n.duration(t, n.WriteTimeout)
	wo.PingInterval = max(n.duration(t, n.PingInterval), 0)
	wo.PongTimeout = max(n.duration(t, n.IdleTimeout), 0)
	wo.CloseTimeout = max(n.duration(t, n.CloseTimeout), 0)
	return o
}

// duration reads a time in n.Unit: 0 when absent, -1 when not positive.
func (n *OptionNames) duration(t *lua.LTable, name string) time.Duration {
	v, ok := t.RawGetString(name).(lua.LNumber)
	switch {
	case !ok:
		return 0
	case v <= 0:
		return -1
	}
	return time.Duration(float64(v) * float64(n.Unit))
}

// Words is how a dialect words the layer's reasons for ending a
// connection in the errors its sends and reads return.
type Words struct {
	SlowConsumer, WriteTimeout, GoingAway, HandlerFailed, Closed string
}

// For returns the words for err when the layer ended the connection (a
// *CloseError or ErrClosed).
func (w *Words) For(err error) (string, bool) {
	switch {
	case errors.Is(err, ErrSlowConsumer):
		return w.SlowConsumer, true
	case errors.Is(err, ErrWriteTimeout):
		return w.WriteTimeout, true
	case errors.Is(err, ErrGoingAway):
		return w.GoingAway, true
	case errors.Is(err, ErrHandlerFailed):
		return w.HandlerFailed, true
	case errors.Is(err, ErrClosed):
		return w.Closed, true
	}
	return "", false
}

// OpcodeNames returns the frame types as the dialects' reads return them
// (wscore.Opcode.String: "text", "binary", "close", ...), indexed by
// opcode and boxed once, so that a read allocates no type string.
func OpcodeNames() (names [16]lua.LValue) {
	for i := range names {
		names[i] = lua.LString(wscore.Opcode(i).String())
	}
	return names
}
