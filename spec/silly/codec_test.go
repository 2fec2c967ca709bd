package silly_test

import (
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// codecFatal runs a codec spec with --fatal-errors, so that a failed
// assertion ends the script with its line.
func codecFatal() specrun.Options { return specrun.Options{Flags: []string{"--fatal-errors"}} }

func TestCodecCipher(t *testing.T) {
	specrun.RunToEnd(t, "codec_cipher.lua", codecFatal(), "codec_cipher ok")
}

func TestCodecADT(t *testing.T) {
	specrun.RunToEnd(t, "codec_adt.lua", codecFatal(), "codec_adt ok")
}

func TestCodecDOM(t *testing.T) {
	specrun.RunToEnd(t, "codec_dom.lua", codecFatal(), "codec_dom ok")
}

// TestCodecCompress runs codec_compress.lua on data that the gzip command
// (when installed) and Go's compress/gzip wrote, and checks that both
// can read what the script wrote.
func TestCodecCompress(t *testing.T) {
	dir := t.TempDir()
	text := []byte(strings.Repeat("golua-ws gzip interop\n", 100))
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(text)
	zw.Close()
	codecWrite(t, dir, "text.txt", text)
	codecWrite(t, dir, "go.gz", buf.Bytes())
	if gz, err := exec.LookPath("gzip"); err == nil {
		out, err := exec.Command(gz, "-c", "-9", filepath.Join(dir, "text.txt")).Output()
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		codecWrite(t, dir, "cli.gz", out)
	} else {
		t.Log("gzip command not installed: its interop case is skipped")
	}
	opts := codecFatal()
	opts.Env = []string{"CODEC_DIR=" + dir}
	specrun.RunToEnd(t, "codec_compress.lua", opts, "codec_compress ok")

	zr, err := gzip.NewReader(bytes.NewReader(codecRead(t, dir, "lua.gz")))
	if err != nil {
		t.Fatalf("compress/gzip cannot read the script's output: %v", err)
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(zr); err != nil || !bytes.Equal(got.Bytes(), text) {
		t.Fatalf("compress/gzip read %q, %v", got.Bytes(), err)
	}
	if gz, err := exec.LookPath("gzip"); err == nil {
		out, err := exec.Command(gz, "-dc", filepath.Join(dir, "lua.gz")).Output()
		if err != nil || !bytes.Equal(out, text) {
			t.Fatalf("gzip -d: %v", err)
		}
	}
}

// TestCodecPKey writes RSA and EC keys in every form pkey.new reads, made
// by Go's crypto (and, when the openssl command is installed, a secp256k1
// key and a PBES2-encrypted key made by OpenSSL), runs codec_pkey.lua on
// them, and verifies the signatures and ciphertexts the script wrote.
func TestCodecPKey(t *testing.T) {
	dir := t.TempDir()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	rsaPub, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	codecWritePEM(t, dir, "rsa_pkcs1.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey))
	codecWritePEM(t, dir, "rsa_pkcs8.pem", "PRIVATE KEY", pkcs8)
	codecWrite(t, dir, "rsa_pkcs8.der", pkcs8)
	codecWritePEM(t, dir, "rsa_pub.pem", "PUBLIC KEY", rsaPub)
	codecWrite(t, dir, "rsa_pub.der", rsaPub)

	msg := []byte("message to sign")
	digest := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, rsaKey, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	codecWrite(t, dir, "rsa_go.sig", sig)
	oaep, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &rsaKey.PublicKey, []byte("from go"), nil)
	if err != nil {
		t.Fatal(err)
	}
	codecWrite(t, dir, "rsa_go_oaep.bin", oaep)

	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(p256)
	if err != nil {
		t.Fatal(err)
	}
	codecWritePEM(t, dir, "p256.pem", "EC PRIVATE KEY", sec1)
	codecWritePEM(t, dir, "p256_pub.pem", "PUBLIC KEY", codecMust(t)(x509.MarshalPKIXPublicKey(&p256.PublicKey)))
	ecSig, err := ecdsa.SignASN1(rand.Reader, p256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	codecWrite(t, dir, "p256_go.sig", ecSig)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	codecWritePEM(t, dir, "p384_pkcs8.pem", "PRIVATE KEY", codecMust(t)(x509.MarshalPKCS8PrivateKey(p384)))
	codecWritePEM(t, dir, "p384_pub.pem", "PUBLIC KEY", codecMust(t)(x509.MarshalPKIXPublicKey(&p384.PublicKey)))

	openssl, err := exec.LookPath("openssl")
	if err == nil {
		run := func(args ...string) {
			t.Helper()
			cmd := exec.Command(openssl, args...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("openssl %v: %v\n%s", args, err, out)
			}
		}
		codecWrite(t, dir, "msg.txt", msg)
		run("ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "k1.pem")
		run("ec", "-in", "k1.pem", "-pubout", "-out", "k1_pub.pem")
		run("dgst", "-sha256", "-sign", "k1.pem", "-out", "k1_openssl.sig", "msg.txt")
		// OpenSSL's traditional encrypted PEM, with DES3 and with AES
		run("rsa", "-in", "rsa_pkcs1.pem", "-des3", "-traditional", "-passout", "pass:secret", "-out", "rsa_legacy.pem")
		run("ec", "-in", "p256.pem", "-aes128", "-passout", "pass:secret", "-out", "p256_legacy.pem")
		run("pkcs8", "-topk8", "-in", "rsa_pkcs8.pem", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256",
			"-passout", "pass:secret", "-out", "rsa_enc.pem")
	} else {
		t.Log("openssl command not installed: the secp256k1 and encrypted-key cases are skipped")
	}

	opts := codecFatal()
	opts.Env = []string{"CODEC_KEYS=" + dir}
	res := specrun.RunToEnd(t, "codec_pkey.lua", opts, "codec_pkey ok")
	if openssl != "" && !strings.Contains(res.Stdout, "openssl keys checked") {
		t.Fatalf("the OpenSSL-made keys were not checked:\n%s", res.Stdout)
	}

	if err := rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, digest[:], codecRead(t, dir, "rsa_lua.sig")); err != nil {
		t.Errorf("Go rejects the script's RSA signature: %v", err)
	}
	if !ecdsa.VerifyASN1(&p256.PublicKey, digest[:], codecRead(t, dir, "p256_lua.sig")) {
		t.Error("Go rejects the script's P-256 signature")
	}
	pt, err := rsa.DecryptOAEP(sha256.New(), nil, rsaKey, codecRead(t, dir, "rsa_lua_oaep.bin"), nil)
	if err != nil || string(pt) != "from lua" {
		t.Errorf("Go cannot decrypt the script's OAEP ciphertext: %q %v", pt, err)
	}
	if openssl != "" {
		cmd := exec.Command(openssl, "dgst", "-sha256", "-verify", "k1_pub.pem", "-signature", "k1_lua.sig", "msg.txt")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("openssl rejects the script's secp256k1 signature: %v\n%s", err, out)
		}
	}
}

// TestCodecJWT runs codec_jwt.lua on the keys TestCodecPKey's way of
// writing them, with a token Go signed, and checks the tokens it wrote.
func TestCodecJWT(t *testing.T) {
	dir := t.TempDir()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	codecWritePEM(t, dir, "rsa_pkcs8.pem", "PRIVATE KEY", codecMust(t)(x509.MarshalPKCS8PrivateKey(rsaKey)))
	codecWritePEM(t, dir, "rsa_pub.pem", "PUBLIC KEY", codecMust(t)(x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)))
	codecWritePEM(t, dir, "p256.pem", "EC PRIVATE KEY", codecMust(t)(x509.MarshalECPrivateKey(p256)))
	codecWritePEM(t, dir, "p256_pub.pem", "PUBLIC KEY", codecMust(t)(x509.MarshalPKIXPublicKey(&p256.PublicKey)))
	b64 := base64.RawURLEncoding
	input := b64.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64.EncodeToString([]byte(`{"user":"gopher"}`))
	mac := hmac.New(sha256.New, []byte("go-secret"))
	mac.Write([]byte(input))
	codecWrite(t, dir, "go.jwt", []byte(input+"."+b64.EncodeToString(mac.Sum(nil))))

	opts := codecFatal()
	opts.Env = []string{"CODEC_KEYS=" + dir}
	specrun.RunToEnd(t, "codec_jwt.lua", opts, "codec_jwt ok")

	split := func(name string) (string, []byte) {
		parts := strings.Split(string(codecRead(t, dir, name)), ".")
		if len(parts) != 3 {
			t.Fatalf("%s: %d parts", name, len(parts))
		}
		sig, err := b64.DecodeString(parts[2])
		if err != nil {
			t.Fatalf("%s: signature is not base64url: %v", name, err)
		}
		return parts[0] + "." + parts[1], sig
	}
	in, sig := split("lua_hs.jwt")
	mac = hmac.New(sha256.New, []byte("lua-secret"))
	mac.Write([]byte(in))
	if !hmac.Equal(mac.Sum(nil), sig) {
		t.Error("the script's HS256 token has a wrong MAC")
	}
	in, sig = split("lua_rs.jwt")
	digest := sha256.Sum256([]byte(in))
	if err := rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		t.Errorf("the script's RS256 token does not verify: %v", err)
	}
}

func codecMust(t *testing.T) func([]byte, error) []byte {
	return func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

func codecWrite(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func codecRead(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func codecWritePEM(t *testing.T, dir, name, typ string, der []byte) {
	t.Helper()
	codecWrite(t, dir, name, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}
