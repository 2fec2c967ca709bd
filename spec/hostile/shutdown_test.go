package hostile

import (
	"context"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
)

// Echo servers whose handlers just read until the peer goes.
var shutSillyScript = layerSilly("", `
		local sock = assert(websocket.upgrade(stream))
		while true do
			local d, typ = sock:read()
			if not d or typ == "close" then break end
			sock:write(d, typ)
		end
		sock:close()`)

var shutEcoScript = layerEco("", `
	local ws = assert(websocket.upgrade(con, req))
	while true do
		local d, typ = ws:recv_frame()
		if not d or typ == 'close' then break end
		ws:send_frame(true, typ == 'text' and 1 or 2, d)
	end`)

func TestShutdownSilly(t *testing.T)           { shutRun(t, shutSillyScript, false) }
func TestShutdownEco(t *testing.T)             { shutRun(t, shutEcoScript, false) }
func TestShutdownSignalSilly(t *testing.T)     { shutRun(t, shutSillyScript, true) }
func TestShutdownSignalEco(t *testing.T)       { shutRun(t, shutEcoScript, true) }
func TestShutdownSilentPeerSilly(t *testing.T) { shutSilent(t, shutSillyScript) }
func TestShutdownSilentPeerEco(t *testing.T)   { shutSilent(t, shutEcoScript) }

const shutPeers = 20

// shutRun opens peers that answer the close handshake, shuts the runtime
// down (rt.Shutdown, or SIGTERM with signal set) and checks that each peer
// got close 1001 and the runtime exited within the timeout.
func shutRun(t *testing.T, script string, signal bool) {
	const timeout = 3 * time.Second
	srv := layerServe(t, script, []runtime.Option{runtime.WithShutdownTimeout(timeout)})
	peers := make([]*wscore.Conn, shutPeers)
	for i := range peers {
		peers[i] = layerDial(t, srv.url, 0)
		defer peers[i].CloseNow()
		// One echo each: the server's handler is in its read loop.
		if err := peers[i].WriteMessage(wscore.OpText, []byte("ping")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := peers[i].ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	codes := make([]int, len(peers))
	var wg sync.WaitGroup
	for i, c := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// wscore echoes the close frame, completing the handshake.
			codes[i] = layerCloseCode(c, 10*time.Second)
		}()
	}
	start := time.Now()
	if signal {
		srv.rt.Signal(syscall.SIGTERM)
	} else {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			_ = srv.rt.Shutdown(ctx, 143)
		}()
	}
	shutAwaitExit(t, srv, start, timeout)
	wg.Wait()
	if code := srv.rt.ExitCode(); code != 143 {
		t.Errorf("exit code %d, want 143", code)
	}
	for i, code := range codes {
		if code != wscore.StatusGoingAway {
			t.Errorf("peer %d: close code %d, want 1001", i, code)
		}
	}
}

// shutSilent: one peer never reads and never answers the close; the
// runtime still exits within the timeout, and the peers that do answer
// still get 1001.
func shutSilent(t *testing.T, script string) {
	const timeout = 2 * time.Second
	srv := layerServe(t, script, []runtime.Option{runtime.WithShutdownTimeout(timeout)})
	silent := layerDial(t, srv.url, 0)
	defer silent.CloseNow()
	polite := layerDial(t, srv.url, 0)
	defer polite.CloseNow()
	code := make(chan int, 1)
	go func() { code <- layerCloseCode(polite, 10*time.Second) }()
	time.Sleep(50 * time.Millisecond) // both handlers are reading
	start := time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		_ = srv.rt.Shutdown(ctx, 143)
	}()
	shutAwaitExit(t, srv, start, timeout)
	if c := <-code; c != wscore.StatusGoingAway {
		t.Errorf("polite peer: close code %d, want 1001", c)
	}
	// The silent peer's connection was closed at the exit: its buffered
	// close frame says 1001, then the stream ends.
	if c := layerCloseCode(silent, 5*time.Second); c != wscore.StatusGoingAway {
		t.Errorf("silent peer: close code %d, want 1001", c)
	}
}

// shutAwaitExit waits for the runtime to exit and checks that it did
// within the shutdown timeout (and a second's slack) of start.
func shutAwaitExit(t *testing.T, srv *layerServer, start time.Time, timeout time.Duration) {
	t.Helper()
	select {
	case <-srv.rt.Done():
	case <-time.After(timeout + 2*time.Second):
		t.Fatalf("runtime still running %v after the shutdown began", time.Since(start))
	}
	elapsed := time.Since(start)
	t.Logf("runtime exited %v after the shutdown began, code %d", elapsed, srv.rt.ExitCode())
	if elapsed > timeout+time.Second {
		t.Errorf("exit took %v, the shutdown timeout is %v", elapsed, timeout)
	}
}
