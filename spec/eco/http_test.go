package eco_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// TestHTTPSpec runs the eco.http.server / eco.http.client spec script.
func TestHTTPSpec(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "index.html"), []byte("<h1>index</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	specrun.Run(t, "http_spec.lua", specrun.Options{
		Args:    []string{strconv.Itoa(specrun.FreePort(t)), root},
		Timeout: 60 * time.Second,
	})
}

// httpSelfSigned writes a certificate for 127.0.0.1 and its key into dir.
func httpSelfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestSocketSpec runs the eco.socket / eco.ssl spec script, including
// https:// and wss:// through eco.http.server with cert and key.
func TestSocketSpec(t *testing.T) {
	cert, key := httpSelfSigned(t, t.TempDir())
	specrun.Run(t, "socket_spec.lua", specrun.Options{
		Args:    []string{cert, key, strconv.Itoa(specrun.FreePort(t))},
		Timeout: 60 * time.Second,
	})
}

// TestSocketNetSpec runs the eco.socket spec for UDP, Unix sockets,
// socketpair, options and sendfile, with a scratch directory for socket
// files.
func TestSocketNetSpec(t *testing.T) {
	specrun.RunToEnd(t, "socket_net_spec.lua", specrun.Options{
		Flags: coreFatal(),
		Args:  []string{t.TempDir()},
	}, "socket_net_spec ok")
}
