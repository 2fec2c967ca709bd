package reload_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/golua-ws/golua-ws/runtime"
)

// TestAPIReloadKeepsConnections is the same scenario for a Go host: the
// handler module is mounted by name on the host's own HTTP server and
// reloaded with Runtime.Reload.
func TestAPIReloadKeepsConnections(t *testing.T) {
	dir := t.TempDir()
	files := newScriptDir(t, dir)
	files.install("handler_v1.lua", "handler.lua")

	var errOut syncbuf.Buffer
	rt := runtime.New(runtime.WithPackagePath(dir), runtime.WithStderr(&errOut), runtime.WithStdout(&errOut))
	luamod.Register(rt)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rt.Close(ctx); err != nil {
			t.Error(err)
		}
	}()
	ctx := context.Background()
	if _, err := rt.Call(ctx, "require", "handler"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mount.Silly(rt, "handler.serve"))
	defer srv.Close()

	runReloadScenario(t, strings.TrimPrefix(srv.URL, "http://"), scenarioSteps{
		installV2: func() {
			files.install("handler_v2.lua", "handler.lua")
			names, err := rt.Reload(ctx)
			if err != nil || len(names) != 1 || names[0] != "handler" {
				t.Fatalf("reload: %v %v", names, err)
			}
			if _, err := rt.Reload(ctx); !errors.Is(err, runtime.ErrNothingToReload) {
				t.Fatalf("second reload: %v", err)
			}
		},
		installBroken: func() string {
			files.install("handler_broken.lua", "handler.lua")
			_, err := rt.Reload(ctx)
			if err == nil {
				t.Fatal("a reload with a syntax error was accepted")
			}
			return err.Error()
		},
	})
	if s := errOut.String(); s != "" {
		t.Fatalf("stderr: %s", s)
	}
}
