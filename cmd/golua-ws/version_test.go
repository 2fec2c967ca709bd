package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/golua-ws/golua-ws", Version: "v0.3.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef"},
			{Key: "vcs.time", Value: "2026-12-07T17:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := versionLine(info, true)
	want := "golua-ws v0.3.0 (revision 0123456789abcdef 2026-12-07T17:00:00Z (modified), go1.26.8, Lua 5.4 syntax on gopher-lua)"
	if got != want {
		t.Errorf("versionLine = %q\nwant          %q", got, want)
	}
	info.Settings, info.Main.Version = nil, ""
	if got := versionLine(info, true); !strings.HasPrefix(got, "golua-ws (devel) (no VCS revision, go1.26.8") {
		t.Errorf("no VCS info: %q", got)
	}
	if got := versionLine(nil, false); !strings.Contains(got, "no build info") {
		t.Errorf("no build info: %q", got)
	}
	// The option itself prints the line for this binary.
	var out, errOut bytes.Buffer
	if code := run([]string{"--version"}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "golua-ws ") {
		t.Errorf("--version: code %d stdout %q stderr %q", code, out.String(), errOut.String())
	}
	// silly's test runner calls --version and --help as a preflight: both
	// exit 0 with their text on stdout.
	out.Reset()
	if code := run([]string{"--help"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "--health-check URL") {
		t.Errorf("--help: code %d stdout %q", code, out.String())
	}
}

func TestHealthCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	var out, errOut bytes.Buffer
	if code := run([]string{"--health-check", srv.URL + "/"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "200") {
		t.Errorf("healthy: code %d stdout %q stderr %q", code, out.String(), errOut.String())
	}
	for _, url := range []string{srv.URL + "/down", "http://127.0.0.1:1/", "::not a url"} {
		errOut.Reset()
		if code := run([]string{"--health-check", url}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "--health-check") {
			t.Errorf("%s: code %d stderr %q", url, code, errOut.String())
		}
	}
	if code := run([]string{"--health-check"}, &out, &errOut); code != 1 {
		t.Errorf("--health-check without URL: code %d", code)
	}
}
