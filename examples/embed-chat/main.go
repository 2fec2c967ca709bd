// Command embed-chat is an example Go host that embeds golua-ws: one
// http.ServeMux serves a JSON API written in Go and a WebSocket chat written
// in Lua (chat.lua, silly dialect), and the two talk to each other — the
// Lua chat calls a Go service the host registered, and the Go API calls a
// Lua function.
//
//	cd examples/embed-chat && go run . [-addr 127.0.0.1:8080] [-watch]
//
//	GET  /chat?name=NAME  WebSocket chat (Lua): every text is broadcast
//	GET  /api/stats       who is online and how many messages (Go, JSON)
//	POST /api/announce    {"text": "..."}: Go calls chat.broadcast in Lua
//
// With -watch (or on SIGHUP) edits to chat.lua are reloaded while the
// server runs; open chat connections keep running. SIGINT or SIGTERM shut
// the server down: the HTTP server stops, then Runtime.Close ends every Lua
// task and closes every WebSocket.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// maxMessage is the longest chat message, in characters, the host accepts.
const maxMessage = 500

// Stats is the Go service the Lua chat reports to. Lua calls its exported
// methods (host:Joined(name), ...) through gopher-luar on task goroutines,
// while the JSON API reads it from net/http goroutines, so it locks.
type Stats struct {
	mu       sync.Mutex
	online   map[string]int // user name -> open connections
	messages int
}

// NewStats returns empty statistics.
func NewStats() *Stats { return &Stats{online: make(map[string]int)} }

// Joined records that name opened a connection.
func (s *Stats) Joined(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.online[name]++
}

// Left records that one of name's connections closed.
func (s *Stats) Left(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.online[name]--; s.online[name] <= 0 {
		delete(s.online, name)
	}
}

// Online returns the number of users online.
func (s *Stats) Online() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.online)
}

// Message cleans a chat message from name and counts it. It returns the
// text to broadcast and true, or a reason and false when the message is
// refused.
func (s *Stats) Message(name, text string) (string, bool) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "empty message", false
	case utf8.RuneCountInString(text) > maxMessage:
		return fmt.Sprintf("message longer than %d characters", maxMessage), false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages++
	return text, true
}

// Snapshot is the JSON of GET /api/stats.
type Snapshot struct {
	Online   []string `json:"online"`
	Messages int      `json:"messages"`
}

// Snapshot returns the current statistics.
func (s *Stats) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.online))
	for n := range s.online {
		names = append(names, n)
	}
	slices.Sort(names)
	return Snapshot{Online: names, Messages: s.messages}
}

// App is the example's server: the Lua runtime, the Go service and the mux.
type App struct {
	Runtime *runtime.Runtime
	Stats   *Stats
	Handler http.Handler
}

// NewApp creates the runtime, registers the Go service as the Lua module
// "host", loads chat.lua from scriptDir and builds the mux.
func NewApp(ctx context.Context, scriptDir string, logger *slog.Logger) (*App, error) {
	rt := runtime.New(
		runtime.WithPackagePath(scriptDir),
		runtime.WithLogger(logger), // uncaught Lua errors become slog records
		runtime.WithStdout(os.Stdout),
		runtime.WithStderr(os.Stderr),
	)
	luamod.Register(rt)
	stats := NewStats()
	rt.RegisterGoModule("host", stats)

	// Load the chat module and make it the global "chat", so that Go can
	// call chat.broadcast by name.
	err := rt.Do(ctx, func(t *runtime.Task) error {
		L := t.L
		L.Push(L.GetGlobal("require"))
		L.Push(lua.LString("chat"))
		if err := lua54.PCall(L, 1, 1, nil); err != nil {
			return err
		}
		L.SetGlobal("chat", L.Get(-1))
		L.Pop(1)
		return nil
	})
	if err != nil {
		_ = rt.Close(ctx)
		return nil, fmt.Errorf("loading chat.lua: %w", err)
	}

	mux := http.NewServeMux()
	// Looked up by name on every request, so a reload takes effect at once.
	mux.Handle("GET /chat", mount.Silly(rt, "chat.serve"))
	mux.HandleFunc("GET /api/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, stats.Snapshot())
	})
	mux.HandleFunc("POST /api/announce", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil || req.Text == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be {\"text\": \"...\"}"})
			return
		}
		// Go calling Lua: safe from this net/http goroutine; it waits
		// for the VM token, bounded by the request's context.
		out, err := rt.Call(r.Context(), "chat.broadcast", "[announcement] "+req.Text)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"delivered_to": out[0]})
	})
	return &App{Runtime: rt, Stats: stats, Handler: mux}, nil
}

// Close ends every Lua task and closes every chat connection.
func (a *App) Close(ctx context.Context) error { return a.Runtime.Close(ctx) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	dir := flag.String("scripts", ".", "directory holding chat.lua")
	watch := flag.Bool("watch", false, "reload chat.lua when it changes")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := serve(*addr, *dir, *watch, logger); err != nil {
		logger.Error("embed-chat", "error", err)
		os.Exit(1)
	}
}

func serve(addr, dir string, watch bool, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app, err := NewApp(ctx, dir, logger)
	if err != nil {
		return err
	}
	if watch {
		go app.Runtime.Watch(ctx, 500*time.Millisecond)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				names, err := app.Runtime.Reload(ctx)
				switch {
				case errors.Is(err, runtime.ErrNothingToReload):
				case err != nil:
					logger.Error("reload refused, the old code keeps serving", "error", err)
				default:
					logger.Info("reloaded", "modules", names)
				}
			}
		}
	}()

	srv := &http.Server{Addr: addr, Handler: app.Handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("embed-chat listening", "addr", addr)
	select {
	case err := <-errc:
		_ = app.Close(context.Background())
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Shutdown does not wait for hijacked (WebSocket) connections; closing
	// the runtime closes them.
	err = srv.Shutdown(shutdown)
	if cerr := app.Close(shutdown); err == nil {
		err = cerr
	}
	return err
}
