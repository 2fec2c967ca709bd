package natsbus_test

import (
	"context"
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
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bus/natsbus"
	"github.com/golua-ws/golua-ws/internal/natstest"
)

// TestTokenInURL: a server that requires a token accepts the one in the
// URL and refuses a wrong one, without printing it.
func TestTokenInURL(t *testing.T) {
	srv := natstest.StartWith(t, "--auth", "s3cret-token")
	url := "nats://s3cret-token@127.0.0.1:" + strconv.Itoa(srv.Port)
	b := connect(t, url)
	s := subscribe(t, b, "auth.ok")
	if err := b.Publish("auth.ok", []byte("in")); err != nil {
		t.Fatal(err)
	}
	mustRecv(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := natsbus.Connect(ctx, "nats://wrong-token@127.0.0.1:"+strconv.Itoa(srv.Port))
	if err == nil || strings.Contains(err.Error(), "wrong-token") {
		t.Fatalf("wrong token: %v", err)
	}
}

// TestTLSFromEnvironment: GOLUA_BUS_CA makes the connection verify a TLS
// server with that CA.
func TestTLSFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeSelfSigned(t, dir)
	srv := natstest.StartWith(t, "--tls", "--tlscert", cert, "--tlskey", key)
	env := map[string]string{natsbus.EnvCA: cert}
	b := connect(t, "tls://127.0.0.1:"+strconv.Itoa(srv.Port), natsbus.EnvOptions(func(k string) string { return env[k] })...)
	s := subscribe(t, b, "tls.ok")
	if err := b.Publish("tls.ok", []byte("secure")); err != nil {
		t.Fatal(err)
	}
	if m := mustRecv(t, s); string(m.Data) != "secure" {
		t.Fatalf("got %q", m.Data)
	}
	// Without the CA the server's certificate is not trusted.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := natsbus.Connect(ctx, "tls://127.0.0.1:"+strconv.Itoa(srv.Port)); err == nil {
		t.Fatal("connected to a self-signed server without its CA")
	}
}

// writeSelfSigned writes a self-signed certificate for 127.0.0.1 and its
// key as PEM files in dir.
func writeSelfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "golua-ws test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
