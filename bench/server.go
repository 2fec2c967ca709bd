package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/golua-ws/golua-ws/wscore"
)

// Server kinds for the pure-Go baselines.
const (
	ServerWscore  = "wscore"
	ServerGorilla = "gorilla"
)

// EchoHandler returns an http.Handler that upgrades every request to a
// WebSocket and echoes each text or binary message back with its type,
// using wscore (the project's own core, the baseline the Lua targets are
// compared with) or gorilla/websocket (a second, independent baseline).
// Messages up to 16 MiB are accepted, like the scripts' defaults.
func EchoHandler(kind string) (http.Handler, error) {
	switch kind {
	case ServerWscore:
		return http.HandlerFunc(echoWscore), nil
	case ServerGorilla:
		up := &websocket.Upgrader{
			ReadBufferSize:  4096,
			WriteBufferSize: 4096,
			CheckOrigin:     func(*http.Request) bool { return true },
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { echoGorilla(up, w, r) }), nil
	}
	return nil, fmt.Errorf("bench: unknown server kind %q (want wscore or gorilla)", kind)
}

func echoWscore(w http.ResponseWriter, r *http.Request) {
	c, err := wscore.Accept(w, r, &wscore.AcceptOptions{Conn: wscore.Options{AutoPong: true}})
	if err != nil {
		return // Accept has answered with an HTTP error
	}
	defer c.CloseNow()
	for {
		op, data, err := c.ReadMessage()
		if err != nil {
			return // a close frame was echoed by wscore, or the peer went away
		}
		if !op.IsData() {
			continue
		}
		if err := c.WriteMessage(op, data); err != nil {
			return
		}
	}
}

func echoGorilla(up *websocket.Upgrader, w http.ResponseWriter, r *http.Request) {
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	c.SetReadLimit(16 << 20)
	for {
		mt, rd, err := c.NextReader()
		if err != nil {
			return // gorilla answers the peer's close itself
		}
		wr, err := c.NextWriter(mt)
		if err != nil {
			return
		}
		if _, err := io.Copy(wr, rd); err != nil {
			return
		}
		if err := wr.Close(); err != nil {
			return
		}
	}
}

// Serve runs an echo server of the given kind on addr until ctx ends.
// ready, if not nil, is called with the bound address once it listens.
func Serve(ctx context.Context, kind, addr string, ready func(net.Addr)) error {
	h, err := EchoHandler(kind)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("bench: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	stop := context.AfterFunc(ctx, func() { srv.Close() })
	defer stop()
	if ready != nil {
		ready(ln.Addr())
	}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("bench: serve: %w", err)
	}
	return nil
}
