package ssl

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})
}

func TestPEMChecks(t *testing.T) {
	certPEM, keyPEM := selfSigned(t)
	if !hasCertificate(certPEM) || hasCertificate(keyPEM) || hasCertificate([]byte("junk")) {
		t.Error("hasCertificate: a certificate only")
	}
	if !hasPrivateKey(keyPEM) || hasPrivateKey(certPEM) || hasPrivateKey(nil) {
		t.Error("hasPrivateKey: a private key only")
	}
	broken := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not a key")})
	if hasPrivateKey(broken) {
		t.Error("hasPrivateKey accepted a block that does not parse")
	}
}

func TestCipherSuites(t *testing.T) {
	ids, ok := cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
	if !ok || len(ids) != 2 || ids[0] != tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 {
		t.Fatalf("got %v, %v", ids, ok)
	}
	for _, bad := range []string{"", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:nope"} {
		if _, ok := cipherSuites(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSessionConfig(t *testing.T) {
	certPEM, keyPEM := selfSigned(t)
	client := &session{ctx: &sslContext{caPEM: [][]byte{certPEM}}}
	cfg, err := client.config("127.0.0.1")
	if err != nil || cfg.ServerName != "127.0.0.1" || cfg.RootCAs == nil || cfg.InsecureSkipVerify {
		t.Fatalf("client: %+v, %v", cfg, err)
	}
	client.serverName, client.insecure = "example.org", true
	if cfg, _ = client.config("127.0.0.1"); cfg.ServerName != "example.org" || !cfg.InsecureSkipVerify {
		t.Fatalf("client with server_name and insecure: %+v", cfg)
	}

	server := &session{ctx: &sslContext{isServer: true, certPEM: certPEM, keyPEM: keyPEM}}
	if cfg, err = server.config(""); err != nil || len(cfg.Certificates) != 1 || cfg.ClientAuth != tls.NoClientCert {
		t.Fatalf("server: %+v, %v", cfg, err)
	}
	server.ctx.caPEM = [][]byte{certPEM}
	if cfg, _ = server.config(""); cfg.ClientAuth != tls.VerifyClientCertIfGiven {
		t.Errorf("server with a ca: ClientAuth %v", cfg.ClientAuth)
	}
	server.ctx.requireCA = true
	if cfg, _ = server.config(""); cfg.ClientAuth != tls.RequireAndVerifyClientCert {
		t.Errorf("server with require_validation: ClientAuth %v", cfg.ClientAuth)
	}
	_, otherKey := selfSigned(t)
	server.ctx.keyPEM, server.ctx.pair = otherKey, nil // as load_key_file does
	if _, err = server.config(""); err == nil {
		t.Error("a key that does not match the certificate was accepted")
	}
}
