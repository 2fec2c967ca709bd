package silly_test

import "testing"

// TestSillyHTTPCompat covers what silly's own testhttp and testwebsocket
// rely on beyond http_api.lua: silly.net.http.helper and .client, 405 for
// methods silly does not serve, stream.conn:close() cutting a response
// short, stream.eof, client read timeouts, and modules resolving through
// the silly.net.dns they captured when loaded.
func TestSillyHTTPCompat(t *testing.T) { wsRunSpec(t, "http_compat.lua", 1, "--fatal-errors") }
