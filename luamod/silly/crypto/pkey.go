package crypto

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// pkeyMetatable is the registry name of the key objects' metatable.
const pkeyMetatable = "silly.crypto.pkey"

// OpenSSL's RSA padding numbers, which silly exports as pkey.RSA_*.
const (
	rsaPKCS1Padding = 1
	rsaNoPadding    = 3
	rsaOAEPPadding  = 4
	rsaX931Padding  = 5
)

// The OpenSSL library names (ERR_lib_error_string) silly puts in its
// messages; Go's errors are not OpenSSL's, so only the library is kept.
const (
	decoderLibrary = "DECODER routines"
	rsaLibrary     = "rsa routines"
)

// pkey is the userdata value of a key made by pkey.new.
type pkey struct {
	key any // see loadKey
}

func loadPKey(L *lua.LState) int {
	mod := L.NewTable()
	mt := L.NewTypeMetatable(pkeyMetatable)
	mt.RawSetString("__name", lua.LString(pkeyMetatable))
	mt.RawSetString("__index", mod)
	funcs := map[string]lua.LGFunction{
		"new":     func(L *lua.LState) int { return pkeyNew(L, mt) },
		"sign":    pkeySign,
		"verify":  pkeyVerify,
		"encrypt": pkeyEncrypt,
		"decrypt": pkeyDecrypt,
	}
	for name, fn := range funcs {
		mod.RawSetString(name, L.NewFunction(fn))
	}
	for name, v := range map[string]int{"RSA_PKCS1": rsaPKCS1Padding, "RSA_NO": rsaNoPadding,
		"RSA_PKCS1_OAEP": rsaOAEPPadding, "RSA_X931": rsaX931Padding} {
		mod.RawSetString(name, lua.LNumber(v))
	}
	L.Push(mod)
	return 1
}

// pkeyNew implements pkey.new(pem, password?): key, nil or nil, err.
func pkeyNew(L *lua.LState, mt *lua.LTable) int {
	data := luaarg.CheckString(L, 1, "new")
	var password string
	if L.GetTop() == 2 {
		password = luaarg.CheckString(L, 2, "new")
	}
	key, err := loadKey([]byte(data), []byte(password))
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString("pkey_load err:" + decoderLibrary))
		return 2
	}
	ud := L.NewUserData()
	ud.Value = &pkey{key: key}
	ud.Metatable = mt
	L.Push(ud)
	L.Push(lua.LNil)
	return 2
}

func checkPKey(L *lua.LState, fname string) *pkey {
	return checkSelf[*pkey](L, pkeyMetatable, fname)
}

// digestOf hashes msg with the digest named at argument n.
func digestOf(L *lua.LState, n int, fname string, msg string) (crypto.Hash, []byte) {
	alg := checkDigest(L, n, fname)
	h := alg.New()
	h.Write([]byte(msg))
	return alg, h.Sum(nil)
}

// pkeySign implements key:sign(data, alg): PKCS#1 v1.5 for RSA, DER-encoded
// ECDSA for EC keys. A public key cannot sign: that raises, as in silly.
func pkeySign(L *lua.LState) int {
	k := checkPKey(L, "sign")
	msg := luaarg.Method("sign").CheckString(L, 2)
	alg, digest := digestOf(L, 3, "sign", msg)
	var sig []byte
	var err error
	switch key := k.key.(type) {
	case *rsa.PrivateKey:
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, alg, digest)
	case *ecdsa.PrivateKey:
		sig, err = ecdsa.SignASN1(rand.Reader, key, digest)
	case *secp256k1.PrivateKey:
		// Like OpenSSL, decred uses the leftmost 256 bits of a longer digest.
		sig = k1ecdsa.Sign(key, digest).Serialize()
	default:
		err = errors.New("not a private key")
	}
	if err != nil {
		L.RaiseError("sign error:%s", evpLibrary)
	}
	L.Push(lua.LString(sig))
	return 1
}

// pkeyVerify implements key:verify(data, sig, alg): true or false. A
// signature of another key type simply does not verify.
func pkeyVerify(L *lua.LState) int {
	k := checkPKey(L, "verify")
	msg := luaarg.Method("verify").CheckString(L, 2)
	sig := []byte(luaarg.Method("verify").CheckString(L, 3))
	alg, digest := digestOf(L, 4, "verify", msg)
	ok := false
	switch key := publicOf(k.key).(type) {
	case *rsa.PublicKey:
		ok = rsa.VerifyPKCS1v15(key, alg, digest, sig) == nil
	case *ecdsa.PublicKey:
		ok = ecdsa.VerifyASN1(key, digest, sig)
	case *secp256k1.PublicKey:
		if s, err := k1ecdsa.ParseDERSignature(sig); err == nil {
			ok = s.Verify(digest, key)
		}
	}
	L.Push(lua.LBool(ok))
	return 1
}

// publicOf returns the public half of a private key, or key itself.
func publicOf(key any) any {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return &k.PublicKey
	case *ecdsa.PrivateKey:
		return &k.PublicKey
	case *secp256k1.PrivateKey:
		return k.PubKey()
	}
	return key
}

// rsaOptions reads encrypt's and decrypt's optional padding (argument 3,
// PKCS#1 v1.5 when absent) and OAEP digest (argument 4, SHA-1 when absent).
func rsaOptions(L *lua.LState, fname string) (padding int64, oaep crypto.Hash, err error) {
	padding, oaep = rsaPKCS1Padding, crypto.SHA1
	if L.GetTop() >= 3 {
		padding = luaarg.CheckInteger(L, 3, fname)
	}
	switch padding {
	case rsaPKCS1Padding, rsaNoPadding:
	case rsaOAEPPadding:
		if L.GetTop() >= 4 {
			oaep = checkDigest(L, 4, fname)
		}
	default:
		return 0, 0, fmt.Errorf("padding mode %d cannot encrypt", padding)
	}
	return padding, oaep, nil
}

// pushResult pushes out, nil or nil, "<action> err:<library>".
func pushResult(L *lua.LState, out []byte, action string, err error) int {
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(action + " err:" + rsaLibrary))
		return 2
	}
	L.Push(lua.LString(out))
	L.Push(lua.LNil)
	return 2
}

// pkeyEncrypt implements key:encrypt(data, padding?, oaep_md?) with the
// public half of an RSA key: ciphertext, nil or nil, err.
func pkeyEncrypt(L *lua.LState) int {
	k := checkPKey(L, "encrypt")
	msg := []byte(luaarg.Method("encrypt").CheckString(L, 2))
	pub, ok := publicOf(k.key).(*rsa.PublicKey)
	if !ok {
		return pushResult(L, nil, "EVP_PKEY_encrypt_init", errors.New("not an RSA key"))
	}
	padding, oaep, err := rsaOptions(L, "encrypt")
	if err != nil {
		return pushResult(L, nil, "set_rsa_padding", err)
	}
	var out []byte
	switch padding {
	case rsaPKCS1Padding:
		// PKCS#1 v1.5 is silly's default padding and its scripts rely on it.
		//lint:ignore SA1019 the dialect's API requires PKCS #1 v1.5 encryption
		out, err = rsa.EncryptPKCS1v15(rand.Reader, pub, msg)
	case rsaOAEPPadding:
		// OpenSSL uses the OAEP digest for MGF1 too (silly sets both).
		out, err = rsa.EncryptOAEP(oaep.New(), rand.Reader, pub, msg, nil)
	case rsaNoPadding:
		out, err = rawRSA(msg, pub.Size(), func(m *big.Int) *big.Int {
			return m.Exp(m, big.NewInt(int64(pub.E)), pub.N)
		}, pub.N)
	}
	return pushResult(L, out, "EVP_PKEY_encrypt", err)
}

// pkeyDecrypt implements key:decrypt(data, padding?, oaep_md?) with an RSA
// private key: plaintext, nil or nil, err.
func pkeyDecrypt(L *lua.LState) int {
	k := checkPKey(L, "decrypt")
	msg := []byte(luaarg.Method("decrypt").CheckString(L, 2))
	priv, ok := k.key.(*rsa.PrivateKey)
	if !ok {
		return pushResult(L, nil, "EVP_PKEY_decrypt_init", errors.New("not an RSA private key"))
	}
	padding, oaep, err := rsaOptions(L, "decrypt")
	if err != nil {
		return pushResult(L, nil, "set_rsa_padding", err)
	}
	var out []byte
	switch padding {
	case rsaPKCS1Padding:
		//lint:ignore SA1019 the dialect's API requires PKCS #1 v1.5 decryption
		out, err = rsa.DecryptPKCS1v15(nil, priv, msg)
	case rsaOAEPPadding:
		out, err = rsa.DecryptOAEP(oaep.New(), nil, priv, msg, nil)
	case rsaNoPadding:
		// Raw RSA (no padding) is what RSA_NO asks for; crypto/rsa does not
		// offer it, so it is computed with math/big (not constant-time).
		out, err = rawRSA(msg, priv.Size(), func(c *big.Int) *big.Int {
			return c.Exp(c, priv.D, priv.N)
		}, priv.N)
	}
	return pushResult(L, out, "EVP_PKEY_decrypt failed", err)
}

// rawRSA applies op to in read as a number below n; in must be exactly
// size bytes, and so is the result.
func rawRSA(in []byte, size int, op func(*big.Int) *big.Int, n *big.Int) ([]byte, error) {
	if len(in) != size {
		return nil, fmt.Errorf("raw RSA needs %d bytes, got %d", size, len(in))
	}
	x := new(big.Int).SetBytes(in)
	if x.Cmp(n) >= 0 {
		return nil, errors.New("raw RSA input too large for the modulus")
	}
	return op(x).FillBytes(make([]byte, size)), nil
}
