// Package ssl provides lua-eco's "eco.ssl" and "eco.internal.ssl" modules
// on the golua-ws runtime, with Go's crypto/tls in place of mbedTLS or
// OpenSSL.
//
// eco.ssl (ssl.lua, embedded) has lua-eco's shape: ssl.listen returns a
// server table {ctx, sock, insecure} whose sock is the eco.socket listener;
// server:accept and ssl.connect return a client table {ctx, sock, ssock,
// keep_ctx} whose sock is the eco.socket TCP connection (getfd,
// getsockname and close work on it) and whose methods send, write,
// sendfile, read, recv, readfull, readuntil and close run over TLS.
// ssl.context(is_server) makes the context lua-eco's connect reuses through
// opts.ctx: load_ca_cert_file, load_cert_file, load_key_file, set_ciphers,
// require_validation, new(fd, insecure) and free, with lua-eco's reference
// counting (free with sessions alive marks the context closing; new then
// returns nil, "context closed").
//
// The handshake is one blocking Go call (15 s, lua-eco's bound) that
// releases the VM token, instead of lua-eco's WANT_READ/WANT_WRITE steps;
// the constants are still exported. Once it is done, the TCP socket is
// detached (its own reads and writes fail) and the TLS stream is an
// eco.socket of its own, so reads keep lua-eco's reader semantics and a
// close cancels a pending read ("canceled").
package ssl

import (
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

//go:embed ssl.lua
var moduleSource string

// handshakeTimeout bounds a TLS handshake, as lua-eco's ssl.lua does.
const handshakeTimeout = 15 * time.Second

// lua-eco's result codes (its ssl library's ssl.h).
const (
	codeOK        = 0
	codeError     = -1
	codeWantRead  = -2
	codeWantWrite = -3
	codeInsecure  = -4
)

const (
	ctxMetaName     = "eco.ssl.context"
	sessionMetaName = "eco.ssl.session"
)

// Register makes "eco.ssl" and "eco.internal.ssl" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("eco.internal.ssl", func(L *lua.LState) int {
		L.Push(internalModule(L))
		return 1
	})
	rt.RegisterModule("eco.ssl", func(L *lua.LState) int {
		fn, err := rt.Compile([]byte(moduleSource), "@eco/ssl.lua")
		if err != nil {
			L.RaiseError("eco.ssl: %v", err)
		}
		L.Push(fn)
		L.Push(helpers(rt, L))
		L.Call(1, 1)
		return 1
	})
}

// sslContext is lua-eco's context: what was loaded into it, and its
// reference count (sessions made by new and not yet freed).
type sslContext struct {
	isServer  bool
	closing   bool
	refs      int
	caPEM     [][]byte // trusted CAs besides the system's (load_ca_cert_file)
	certPEM   []byte
	keyPEM    []byte
	ciphers   []uint16
	requireCA bool // require_validation(true) on a server

	// Built from the loaded files by the first handshake that needs them
	// and kept for the next ones; a load_* call drops them.
	pair  *tls.Certificate
	roots *x509.CertPool
}

// session is one TLS session of a context, made by ctx:new(fd, insecure).
type session struct {
	ctx        *sslContext
	fd         int
	insecure   bool
	serverName string
	freed      bool
}

func (s *session) free() {
	if s.freed {
		return
	}
	s.freed = true
	s.ctx.refs--
}

func internalModule(L *lua.LState) *lua.LTable {
	ctxMethods := map[string]lua.LGFunction{
		"new": func(L *lua.LState) int {
			c := checkContext(L)
			fd := L.CheckInt(2)
			if c.closing {
				L.Push(lua.LNil)
				L.Push(lua.LString("context closed"))
				return 2
			}
			s := &session{ctx: c, fd: fd, insecure: L.ToBool(3)}
			c.refs++
			ud := L.NewUserData()
			ud.Value = s
			L.SetMetatable(ud, L.GetTypeMetatable(sessionMetaName))
			L.Push(ud)
			return 1
		},
		"free": func(L *lua.LState) int {
			checkContext(L).closing = true
			return 0
		},
		"load_ca_cert_file": func(L *lua.LState) int {
			c := checkContext(L)
			pemData, err := os.ReadFile(L.CheckString(2))
			if c.closing || err != nil {
				L.Push(lua.LFalse)
				return 1
			}
			if !x509.NewCertPool().AppendCertsFromPEM(pemData) {
				L.Push(lua.LFalse)
				return 1
			}
			c.caPEM = append(c.caPEM, pemData)
			c.roots = nil
			L.Push(lua.LTrue)
			return 1
		},
		"load_cert_file": func(L *lua.LState) int {
			c := checkContext(L)
			pemData, err := os.ReadFile(L.CheckString(2))
			if c.closing || err != nil || !hasCertificate(pemData) {
				L.Push(lua.LFalse)
				return 1
			}
			c.certPEM, c.pair = pemData, nil
			L.Push(lua.LTrue)
			return 1
		},
		"load_key_file": func(L *lua.LState) int {
			c := checkContext(L)
			pemData, err := os.ReadFile(L.CheckString(2))
			if c.closing || err != nil || !hasPrivateKey(pemData) {
				L.Push(lua.LFalse)
				return 1
			}
			if c.certPEM != nil {
				// As OpenSSL refuses a key that does not match the
				// certificate already loaded.
				if _, err := tls.X509KeyPair(c.certPEM, pemData); err != nil {
					L.Push(lua.LFalse)
					return 1
				}
			}
			c.keyPEM, c.pair = pemData, nil
			L.Push(lua.LTrue)
			return 1
		},
		"set_ciphers": func(L *lua.LState) int {
			c := checkContext(L)
			ids, ok := cipherSuites(L.CheckString(2))
			if c.closing || !ok {
				L.Push(lua.LFalse)
				return 1
			}
			c.ciphers = ids
			L.Push(lua.LTrue)
			return 1
		},
		"require_validation": func(L *lua.LState) int {
			c := checkContext(L)
			if !c.closing {
				c.requireCA = L.ToBool(2)
			}
			return 0
		},
	}
	ctxMeta := L.NewTypeMetatable(ctxMetaName)
	ctxMeta.RawSetString("__index", L.SetFuncs(L.NewTable(), ctxMethods))
	ctxMeta.RawSetString("__name", lua.LString(ctxMetaName))
	ctxMeta.RawSetString("__close", ctxMeta.RawGetString("__index").(*lua.LTable).RawGetString("free"))

	sessionMethods := map[string]lua.LGFunction{
		"free": func(L *lua.LState) int {
			checkSession(L).free()
			return 0
		},
		"set_server_name": func(L *lua.LState) int {
			checkSession(L).serverName = L.CheckString(2)
			return 0
		},
	}
	sMeta := L.NewTypeMetatable(sessionMetaName)
	sMeta.RawSetString("__index", L.SetFuncs(L.NewTable(), sessionMethods))
	sMeta.RawSetString("__name", lua.LString(sessionMetaName))
	sMeta.RawSetString("__close", sMeta.RawGetString("__index").(*lua.LTable).RawGetString("free"))

	m := L.NewTable()
	for name, v := range map[string]int{
		"OK": codeOK, "ERROR": codeError, "WANT_READ": codeWantRead,
		"WANT_WRITE": codeWantWrite, "INSECURE": codeInsecure,
	} {
		m.RawSetString(name, lua.LNumber(v))
	}
	m.RawSetString("context", L.NewFunction(func(L *lua.LState) int {
		ud := L.NewUserData()
		ud.Value = &sslContext{isServer: L.ToBool(1)}
		L.SetMetatable(ud, L.GetTypeMetatable(ctxMetaName))
		L.Push(ud)
		return 1
	}))
	return m
}

func checkContext(L *lua.LState) *sslContext {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if c, ok := ud.Value.(*sslContext); ok {
			return c
		}
	}
	L.TypeError(1, lua.LTUserData)
	return nil
}

func checkSession(L *lua.LState) *session {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if s, ok := ud.Value.(*session); ok {
			return s
		}
	}
	L.TypeError(1, lua.LTUserData)
	return nil
}

func hasCertificate(pemData []byte) bool {
	for {
		var b *pem.Block
		b, pemData = pem.Decode(pemData)
		if b == nil {
			return false
		}
		if b.Type == "CERTIFICATE" {
			if _, err := x509.ParseCertificate(b.Bytes); err == nil {
				return true
			}
		}
	}
}

func hasPrivateKey(pemData []byte) bool {
	for {
		var b *pem.Block
		b, pemData = pem.Decode(pemData)
		if b == nil {
			return false
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		if _, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
			return true
		}
		if _, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
			return true
		}
		if _, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
			return true
		}
	}
}

// cipherSuites maps an OpenSSL-style list ("A:B", also ',' or ' '
// separated) of Go's IANA suite names to IDs. Unknown names fail the call,
// as an unusable list does in lua-eco.
func cipherSuites(list string) ([]uint16, bool) {
	known := map[string]uint16{}
	for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		known[cs.Name] = cs.ID
	}
	var ids []uint16
	for _, name := range strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' || r == ' ' }) {
		id, ok := known[name]
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, len(ids) > 0
}

// config builds the tls.Config of session s; host is the address dialled,
// the name verified when no server name was set.
func (s *session) config(host string) (*tls.Config, error) {
	c := s.ctx
	cfg := &tls.Config{CipherSuites: c.ciphers}
	if c.pair == nil && c.certPEM != nil && c.keyPEM != nil {
		kp, err := tls.X509KeyPair(c.certPEM, c.keyPEM)
		if err != nil {
			return nil, fmt.Errorf("certificate and key do not match: %w", err)
		}
		c.pair = &kp
	}
	if c.pair != nil {
		cfg.Certificates = []tls.Certificate{*c.pair}
	}
	if c.roots == nil && len(c.caPEM) > 0 {
		c.roots = x509.NewCertPool()
		if !c.isServer {
			// lua-eco trusts the system's CAs and the loaded ones together.
			if system, err := x509.SystemCertPool(); err == nil {
				c.roots = system
			}
		}
		for _, b := range c.caPEM {
			c.roots.AppendCertsFromPEM(b)
		}
	}
	if c.isServer {
		if c.roots != nil {
			cfg.ClientCAs = c.roots
			cfg.ClientAuth = tls.VerifyClientCertIfGiven
			if c.requireCA && !s.insecure {
				cfg.ClientAuth = tls.RequireAndVerifyClientCert
			}
		}
		return cfg, nil
	}
	cfg.ServerName = s.serverName
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	cfg.InsecureSkipVerify = s.insecure
	cfg.RootCAs = c.roots
	return cfg, nil
}
