package crypto

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

func TestLoadKeyPrefersThePrivateKey(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	sec1, _ := x509.MarshalECPrivateKey(priv)
	both := append(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})...)
	key, err := loadKey(both, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := key.(*ecdsa.PrivateKey); !ok {
		t.Fatalf("got %T, want the private key that follows the public one", key)
	}
	key, err = loadKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), nil)
	if _, ok := key.(*ecdsa.PublicKey); err != nil || !ok {
		t.Fatalf("public key: %T, %v", key, err)
	}
}

// TestLoadKeySecp256k1 builds the SEC 1, PKCS#8 and SubjectPublicKeyInfo
// forms of a secp256k1 key by hand (x509 cannot) and loads each.
func TestLoadKeySecp256k1(t *testing.T) {
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	curve, _ := asn1.Marshal(oidSecp256k1)
	sec1, err := asn1.Marshal(struct {
		Version    int
		PrivateKey []byte
		Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	}{1, k.Serialize(), oidSecp256k1})
	if err != nil {
		t.Fatal(err)
	}
	algo := pkix.AlgorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: curve}}
	p8, _ := asn1.Marshal(struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}{0, algo, sec1})
	spki, _ := asn1.Marshal(struct {
		Algo      pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}{algo, asn1.BitString{Bytes: k.PubKey().SerializeUncompressed(), BitLength: 65 * 8}})
	for name, der := range map[string][]byte{"sec1": sec1, "pkcs8": p8} {
		key, err := loadKey(der, nil)
		got, ok := key.(*secp256k1.PrivateKey)
		if err != nil || !ok || !got.Key.Equals(&k.Key) {
			t.Errorf("%s: %T %v", name, key, err)
		}
	}
	key, err := loadKey(spki, nil)
	got, ok := key.(*secp256k1.PublicKey)
	if err != nil || !ok || !got.IsEqual(k.PubKey()) {
		t.Errorf("spki: %T %v", key, err)
	}
}

func TestLoadKeyFailures(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	// an EncryptedPrivateKeyInfo whose scheme is not PBES2 (PBE-SHA1-3DES)
	notPBES2, _ := asn1.Marshal(struct {
		Algo pkix.AlgorithmIdentifier
		Data []byte
	}{pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}}, p8})
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	edDER, _ := x509.MarshalPKCS8PrivateKey(edKey)
	for name, in := range map[string]struct {
		data []byte
		want string
	}{
		"empty":         {nil, "no key found"},
		"garbage":       {[]byte("not a key at all"), "no key found"},
		"unknown block": {pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: p8}), "no key found"},
		"cut pkcs8":     {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8[:40]}), "asn1"},
		"ed25519":       {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER}), "unsupported key type"},
		"not pbes2":     {pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: notPBES2}), "unsupported scheme"},
	} {
		key, err := loadKey(in.data, []byte("pw"))
		if key != nil || err == nil || !strings.Contains(err.Error(), in.want) {
			t.Errorf("%s: %T, %v (want an error with %q)", name, key, err, in.want)
		}
	}
}
