package sillynet

import (
	"crypto/tls"
	"errors"
	"fmt"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// ParseCerts reads silly's certs table, { {cert=<PEM>, key=<PEM>}, ... }:
// PEM contents, not file names.
func ParseCerts(tbl *lua.LTable) ([]tls.Certificate, error) {
	var out []tls.Certificate
	for i := 1; i <= tbl.Len(); i++ {
		ent, ok := tbl.RawGetInt(i).(*lua.LTable)
		if !ok {
			return nil, fmt.Errorf("certs[%d] is not a table", i)
		}
		cert := lua.LVAsString(ent.RawGetString("cert"))
		key := lua.LVAsString(ent.RawGetString("key"))
		kp, err := tls.X509KeyPair([]byte(cert), []byte(key))
		if err != nil {
			return nil, fmt.Errorf("certs[%d]: %w", i, err)
		}
		out = append(out, kp)
	}
	if len(out) == 0 {
		return nil, errors.New("no certificate")
	}
	return out, nil
}

// certHolder lets listener:reload swap certificates under live listeners.
type certHolder struct {
	mu    sync.RWMutex
	certs []tls.Certificate
}

func (h *certHolder) set(cs []tls.Certificate) {
	h.mu.Lock()
	h.certs = cs
	h.mu.Unlock()
}

// get picks the certificate for the client hello: the first one that
// supports it, else the first one (as OpenSSL's default SNI handling does).
func (h *certHolder) get(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for i := range h.certs {
		if hello.SupportsCertificate(&h.certs[i]) == nil {
			return &h.certs[i], nil
		}
	}
	return &h.certs[0], nil
}

// TLSServerConfig builds a server configuration from a certs table and an
// ALPN list; the returned reload function replaces the certificates.
func TLSServerConfig(tbl *lua.LTable, alpn []string) (*tls.Config, func([]tls.Certificate), error) {
	cs, err := ParseCerts(tbl)
	if err != nil {
		return nil, nil, err
	}
	h := &certHolder{}
	h.set(cs)
	return &tls.Config{GetCertificate: h.get, NextProtos: alpn}, h.set, nil
}
