package http

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// Config is what a dialect's listen gives a Server.
type Config struct {
	// Handler serves every request (the dialect's Lua handler bridge).
	Handler http.Handler
	// TLS, when set, serves HTTPS (and HTTP/2 when Protocols or the
	// default allow it) on the listener; the front door is not used.
	TLS *tls.Config
	// Protocols is net/http's; nil means its default.
	Protocols *http.Protocols
	// ReadHeaderTimeout bounds reading a request head, by net/http and by
	// the front door.
	ReadHeaderTimeout time.Duration
	// IdleTimeout is net/http's keep-alive timeout; negative disables
	// keep-alive.
	IdleTimeout time.Duration
	// ConnContext, if set, gives each request's context the connection,
	// for requests served by net/http and by the front door alike.
	ConnContext func(ctx context.Context, c net.Conn) context.Context
	// FrontDoor serves a plain-TCP connection whose first request is an
	// HTTP/1.1 GET asking for an Upgrade directly (front.go), without
	// net/http's per-connection buffers.
	FrontDoor bool
}

// Server is one listening HTTP server of a runtime.
type Server struct {
	rt   *runtime.Runtime
	ln   net.Listener
	cfg  Config
	hs   *http.Server
	door *frontDoor // nil unless plain TCP with cfg.FrontDoor

	closeOnce sync.Once
}

// New returns the Server for ln. It does not accept until Serve.
func New(rt *runtime.Runtime, ln net.Listener, cfg Config) *Server {
	s := &Server{rt: rt, ln: ln, cfg: cfg}
	s.hs = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ConnContext:       cfg.ConnContext,
		Protocols:         cfg.Protocols,
		TLSConfig:         cfg.TLS,
		// net/http's own messages are about bad clients (TLS handshakes
		// from probes, malformed requests) and accept retries, not the
		// script's errors: dropped, or debug records when the runtime
		// logs structured (seen with --log-level debug). The panics it
		// would log are reported by serveHTTP.
		ErrorLog: netHTTPLog(rt),
	}
	if cfg.IdleTimeout < 0 {
		s.hs.SetKeepAlivesEnabled(false)
	} else {
		s.hs.IdleTimeout = cfg.IdleTimeout
	}
	if cfg.TLS == nil && cfg.FrontDoor {
		s.door = newFrontDoor(s, ln)
	}
	return s
}

// Serve accepts connections until the listener is closed (by Shutdown,
// Close, the runtime's exit or the dialect) or fails, and returns that
// error. While it runs, a graceful shutdown of the runtime shuts the
// server down (Shutdown) and the runtime's exit closes it (Close).
func (s *Server) Serve() error {
	remove := s.rt.OnShutdown(func(ctx context.Context) { _ = s.Shutdown(ctx) })
	defer remove()
	// Not stopped when Serve returns: requests in flight on kept-alive
	// connections (and a graceful shutdown's waiting) end at the exit.
	context.AfterFunc(s.rt.Context(), func() { _ = s.Close() })
	var err error
	switch {
	case s.cfg.TLS != nil:
		err = s.hs.ServeTLS(s.ln, "", "")
	case s.door != nil:
		err = s.door.serve(s.hs)
	default:
		err = s.hs.Serve(s.ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = net.ErrClosed
	}
	return err
}

// Shutdown stops accepting (the listener closes), closes idle
// connections and waits for the requests in flight to finish, or for ctx
// to end. Connections taken over by a WebSocket are left alone.
func (s *Server) Shutdown(ctx context.Context) error {
	_ = s.ln.Close()
	if s.door != nil {
		s.door.drain()
	}
	err := s.hs.Shutdown(ctx)
	if s.door != nil {
		if werr := s.door.wait(ctx); err == nil {
			err = werr
		}
	}
	if err != nil {
		return fmt.Errorf("http server on %s: shutdown: %w", s.ln.Addr(), err)
	}
	return nil
}

// Close closes the listener and every connection the server has not handed
// over, at once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		_ = s.ln.Close()
		_ = s.hs.Close()
		if s.door != nil {
			s.door.closeAll()
		}
	})
	return nil
}

// serveHTTP runs the dialect's handler and reports its panics: net/http's
// own report goes to ErrorLog, which is discarded for the sake of its other
// messages. The connection is dropped afterwards (http.ErrAbortHandler).
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler { // a sentinel net/http compares by identity
				s.reportPanic(r.RemoteAddr, v, debug.Stack())
			}
			panic(http.ErrAbortHandler)
		}
	}()
	s.cfg.Handler.ServeHTTP(w, r)
}

// netHTTPLog is the log net/http writes its own messages to.
func netHTTPLog(rt *runtime.Runtime) *log.Logger {
	if l := rt.StructuredLog(); l != nil {
		return slog.NewLogLogger(l.With("logger", "net/http").Handler(), slog.LevelDebug)
	}
	return log.New(io.Discard, "", 0)
}

// reportPanic writes a recovered panic and its goroutine's stack to the
// runtime's stderr and logger.
func (s *Server) reportPanic(remote string, v any, stack []byte) {
	s.rt.Report(nil, slog.LevelError, strings.TrimSuffix(fmt.Sprintf("http: panic serving %s: %v\n%s", remote, v, stack), "\n"),
		"http: panic serving a request", slog.String("remote", remote), slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(stack)))
}
