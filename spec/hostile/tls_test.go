package hostile

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/golua-ws/golua-ws/wscore"
)

// A man in the middle presents a certificate the client has no reason to
// trust. These tests stand up such a server (a certificate generated here,
// self-signed, for 127.0.0.1) and check that every TLS client of both
// dialects refuses it by default with a clear error, accepts it only when
// the script opts out explicitly, and accepts it without opting out once the
// certificate is a trusted root (SSL_CERT_FILE, which Go's crypto/x509 reads
// on Linux; each script runs in a fresh golua-ws process, so the variable
// is read before any root pool is loaded).

// unknownAuthority is Go's x509 reason for a certificate no root vouches
// for: the cause a user must be able to read in the error or the log.
const unknownAuthority = "x509: certificate signed by unknown authority"

// tlsPeer is the untrusted server: GET /ws is a WebSocket (wscore.Accept)
// that sends "hello wss"; any other request answers "hello https".
type tlsPeer struct {
	port   string
	caFile string // the server's certificate as PEM, usable as a root
}

func startTLSPeer(t *testing.T) *tlsPeer {
	t.Helper()
	certPEM, keyPEM := selfSigned(t)
	kp, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := wscore.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		if err := c.WriteMessage(wscore.OpText, []byte("hello wss")); err != nil {
			return
		}
		// Hold the connection until the client is done with it.
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello https")
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{kp}}
	// Refused handshakes are the point here, not news.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return &tlsPeer{port: port, caFile: ca}
}

// selfSigned makes a fresh ECDSA certificate for 127.0.0.1 that signs
// itself (so that it can also serve as its own root).
func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "hostile test server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// sillyTLSScript tries each silly TLS client once against the server:
// silly.net.websocket (wss://), a silly.net.http client (https://), the
// module's default http.get, and silly.net.tls. Usage: <port> [insecure].
const sillyTLSScript = `
local silly = require "silly"
local task = require "silly.task"
local websocket = require "silly.net.websocket"
local http = require "silly.net.http"
local tls = require "silly.net.tls"
local port, insecure = arg[1], arg[2] == "insecure"
local opts = insecure and {insecure = true} or nil
local base = "127.0.0.1:" .. port

task.fork(function()
	local sock, err = websocket.connect("wss://" .. base .. "/ws", nil, opts)
	if sock then
		print("wss ok " .. tostring(sock:read()))
		sock:close()
	else
		print("wss refused " .. tostring(err))
	end
	local r, e = http.newclient(opts):get("https://" .. base .. "/")
	print(r and ("https ok " .. r.status .. " " .. r.body) or ("https refused " .. tostring(e)))
	r, e = http.get("https://" .. base .. "/")
	print(r and ("https-default ok " .. r.status .. " " .. r.body) or ("https-default refused " .. tostring(e)))
	local c, ce = tls.connect(base, opts)
	if c then
		print("tls ok")
		c:close()
	else
		print("tls refused " .. tostring(ce))
	end
	silly.exit(0)
end)
`

// ecoTLSScript does the same with eco.websocket, eco.http.client and
// eco.ssl, then once more with lua-eco's ca option (a root file for this
// connection only). Usage: <port> <insecure|verify> <ca file>.
const ecoTLSScript = `
local eco = require 'eco'
local websocket = require 'eco.websocket'
local client = require 'eco.http.client'
local ssl = require 'eco.ssl'
local port, insecure, ca = arg[1], arg[2] == 'insecure', arg[3]
local base = '127.0.0.1:' .. port

eco.run(function()
	local ws, err = websocket.connect('wss://' .. base .. '/ws', { insecure = insecure, timeout = 5 })
	if ws then
		print('wss ok ' .. tostring(ws:recv_frame(5)))
		ws:send_close(1000)
	else
		print('wss refused ' .. tostring(err))
	end
	local res
	res, err = client.request('GET', 'https://' .. base .. '/', nil, { insecure = insecure, timeout = 5 })
	print(res and ('https ok ' .. res.code .. ' ' .. res.body) or ('https refused ' .. tostring(err)))
	local s
	s, err = ssl.connect('127.0.0.1', tonumber(port), { insecure = insecure })
	if s then
		print('ssl ok')
		s:close()
	else
		print('ssl refused ' .. tostring(err))
	end
	res, err = client.request('GET', 'https://' .. base .. '/', nil, { ca = ca, timeout = 5 })
	print(res and ('https-ca ok ' .. res.code .. ' ' .. res.body) or ('https-ca refused ' .. tostring(err)))
	res, err = client.request('GET', 'https://' .. base .. '/', nil, { ca = ca .. '.missing', timeout = 5 })
	print(res and 'https-badca ok' or ('https-badca refused ' .. tostring(err)))
	os.exit(0)
end)
eco.loop()
`

// runTLSScript writes script to a file and runs it on the real runtime
// (the golua-ws command, in a process of its own) with args and env.
func runTLSScript(t *testing.T, name, script string, env []string, args ...string) specrun.Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	// A trust store the test did not choose must not decide its outcome.
	env = append([]string{"SSL_CERT_FILE=" + filepath.Join(t.TempDir(), "none.pem"), "SSL_CERT_DIR=" + t.TempDir()}, env...)
	return specrun.Run(t, path, specrun.Options{Args: args, Env: env, Timeout: 20 * time.Second})
}

// wantLines fails unless out has exactly the wanted lines, in order.
func wantLines(t *testing.T, what string, res specrun.Result, want ...string) {
	t.Helper()
	got := strings.Split(strings.TrimRight(res.Stdout, "\n"), "\n")
	if d := specrun.FirstDifference(what, want, got); d != "" {
		t.Fatalf("%s\nstdout:\n%s\nstderr:\n%s", d, res.Stdout, res.Stderr)
	}
}

func TestSillyTLSVerifiesByDefault(t *testing.T) {
	p := startTLSPeer(t)
	const refused = " refused TLS error (10005)" // silly's errno.TLS, as silly returns it

	t.Run("default", func(t *testing.T) {
		res := runTLSScript(t, "tls_silly.lua", sillyTLSScript, nil, p.port)
		wantLines(t, "silly, verifying", res,
			"wss"+refused, "https"+refused, "https-default"+refused, "tls"+refused)
		// As silly does, the script gets errno.TLS and the log says why:
		// one [tls] ERROR line per refusal, naming the x509 reason.
		if n := strings.Count(res.Stderr, "E [tls] connect "); n != 4 {
			t.Errorf("%d [tls] log lines, want 4:\n%s", n, res.Stderr)
		}
		if n := strings.Count(res.Stderr, unknownAuthority); n != 4 {
			t.Errorf("the x509 reason is logged %d times, want 4:\n%s", n, res.Stderr)
		}
		t.Logf("stderr:\n%s", res.Stderr)
	})
	t.Run("insecure", func(t *testing.T) {
		res := runTLSScript(t, "tls_silly.lua", sillyTLSScript, nil, p.port, "insecure")
		// The opt-out belongs to the client that asked: http.get's default
		// client still verifies.
		wantLines(t, "silly, insecure = true", res,
			"wss ok hello wss", "https ok 200 hello https", "https-default"+refused, "tls ok")
	})
	t.Run("SSL_CERT_FILE", func(t *testing.T) {
		res := runTLSScript(t, "tls_silly.lua", sillyTLSScript, []string{"SSL_CERT_FILE=" + p.caFile}, p.port)
		wantLines(t, "silly, the server's certificate in SSL_CERT_FILE", res,
			"wss ok hello wss", "https ok 200 hello https", "https-default ok 200 hello https", "tls ok")
		if strings.Contains(res.Stderr, "[tls]") {
			t.Errorf("TLS failures logged although every connection verified:\n%s", res.Stderr)
		}
	})
}

func TestEcoTLSVerifiesByDefault(t *testing.T) {
	p := startTLSPeer(t)
	// lua-eco's wording: the failed connect, then the handshake's reason.
	connectFail := ` refused connect "127.0.0.1 ` + p.port + `" fail: tls: failed to verify certificate: ` + unknownAuthority
	badCA := `https-badca refused connect "127.0.0.1 ` + p.port + `" fail: load ca file fail: open ` + p.caFile + `.missing: no such file or directory`

	t.Run("default", func(t *testing.T) {
		res := runTLSScript(t, "tls_eco.lua", ecoTLSScript, nil, p.port, "verify", p.caFile)
		wantLines(t, "eco, verifying", res,
			"wss"+connectFail, "https"+connectFail,
			"ssl refused SSL certificate verify fail: "+unknownAuthority, // lua-eco's wording
			"https-ca ok 200 hello https", badCA)
	})
	t.Run("insecure", func(t *testing.T) {
		res := runTLSScript(t, "tls_eco.lua", ecoTLSScript, nil, p.port, "insecure", p.caFile)
		wantLines(t, "eco, insecure = true", res,
			"wss ok hello wss", "https ok 200 hello https", "ssl ok", "https-ca ok 200 hello https", badCA)
	})
	t.Run("SSL_CERT_FILE", func(t *testing.T) {
		res := runTLSScript(t, "tls_eco.lua", ecoTLSScript, []string{"SSL_CERT_FILE=" + p.caFile}, p.port, "verify", p.caFile)
		wantLines(t, "eco, the server's certificate in SSL_CERT_FILE", res,
			"wss ok hello wss", "https ok 200 hello https", "ssl ok", "https-ca ok 200 hello https", badCA)
	})
}
