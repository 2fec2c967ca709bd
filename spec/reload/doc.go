// Package reload holds the hot-reload acceptance tests: a silly-dialect
// WebSocket server run by the real golua-ws command (reloaded by SIGHUP or
// --watch) and by a Go host through runtime.Reload, with 100 connections
// open across the reload. The scripts are in testdata; the tests copy them to
// a temporary directory and rewrite the handler module there.
package reload
