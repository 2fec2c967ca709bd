package crypto

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/ecdsa"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	stdhash "hash"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// Object identifiers of the key formats that x509 does not parse by itself:
// EC keys on secp256k1 (which crypto/ecdsa lacks) and PKCS#8 keys
// encrypted with PBES2 (RFC 8018).
var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	oidPBES2       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidDESEDE3CBC  = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
)

// pbkdf2PRFs maps the PBKDF2 pseudo-random functions (HMAC-SHA*) to hashes.
var pbkdf2PRFs = map[string]crypto.Hash{
	"1.2.840.113549.2.7":  crypto.SHA1,
	"1.2.840.113549.2.8":  crypto.SHA224,
	"1.2.840.113549.2.9":  crypto.SHA256,
	"1.2.840.113549.2.10": crypto.SHA384,
	"1.2.840.113549.2.11": crypto.SHA512,
}

// cbcScheme is a block cipher, used in CBC mode, that protects a key.
type cbcScheme struct {
	keyLen   int
	newBlock func([]byte) (cipher.Block, error)
}

// pbes2Ciphers maps the PBES2 encryption schemes to their ciphers.
var pbes2Ciphers = map[string]cbcScheme{
	"2.16.840.1.101.3.4.1.2":  {16, aes.NewCipher},
	"2.16.840.1.101.3.4.1.22": {24, aes.NewCipher},
	"2.16.840.1.101.3.4.1.42": {32, aes.NewCipher},
	oidDESEDE3CBC.String():    {24, des.NewTripleDESCipher},
}

// errNoKey is what loading reports when nothing in the input is a key.
var errNoKey = errors.New("no key found")

// loadKey reads a key as OpenSSL's PEM_read_bio_PrivateKey, then
// PEM_read_bio_PUBKEY, then the DER forms do: the first private key among
// the PEM blocks, else the first public key, else the input as DER.
// password decrypts an "ENCRYPTED PRIVATE KEY" block.
//
// The result is an *rsa.PrivateKey, *rsa.PublicKey, *ecdsa.PrivateKey,
// *ecdsa.PublicKey, *secp256k1.PrivateKey or *secp256k1.PublicKey.
func loadKey(data, password []byte) (any, error) {
	key, err := findKey(data, password)
	if err != nil {
		return nil, err
	}
	switch key.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey, *ecdsa.PrivateKey, *ecdsa.PublicKey,
		*secp256k1.PrivateKey, *secp256k1.PublicKey:
		return key, nil
	}
	return nil, fmt.Errorf("unsupported key type %T", key)
}

// findKey is loadKey without the check of the key's type.
func findKey(data, password []byte) (any, error) {
	var public any
	var firstErr error
	note := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch block.Type {
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			der := block.Bytes
			var err error
			if block.Headers["Proc-Type"] == "4,ENCRYPTED" {
				if der, err = decryptLegacyPEM(block, password); err != nil {
					note(err)
					continue
				}
			}
			key, err := parsePrivateDER(der)
			if err == nil {
				return key, nil
			}
			note(err)
		case "ENCRYPTED PRIVATE KEY":
			der, err := decryptPKCS8(block.Bytes, password)
			if err == nil {
				var key any
				if key, err = parsePrivateDER(der); err == nil {
					return key, nil
				}
			}
			note(err)
		case "PUBLIC KEY", "RSA PUBLIC KEY":
			if public != nil {
				continue
			}
			key, err := parsePublicDER(block.Bytes)
			if err == nil {
				public = key
			} else {
				note(err)
			}
		}
	}
	if public != nil {
		return public, nil
	}
	if key, err := parsePublicDER(data); err == nil {
		return key, nil
	}
	if key, err := parsePrivateDER(data); err == nil {
		return key, nil
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, errNoKey
}

// parsePublicDER parses a SubjectPublicKeyInfo or a PKCS#1 RSA public key.
func parsePublicDER(der []byte) (any, error) {
	key, err := x509.ParsePKIXPublicKey(der)
	if err == nil {
		return key, nil
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, aerr := asn1.Unmarshal(der, &spki); aerr == nil && len(rest) == 0 &&
		spki.Algorithm.Algorithm.Equal(oidECPublicKey) && isSecp256k1(spki.Algorithm.Parameters.FullBytes) {
		pub, perr := secp256k1.ParsePubKey(spki.PublicKey.RightAlign())
		if perr != nil {
			return nil, fmt.Errorf("secp256k1 public key: %w", perr)
		}
		return pub, nil
	}
	if rsaKey, rerr := x509.ParsePKCS1PublicKey(der); rerr == nil {
		return rsaKey, nil
	}
	return nil, err
}

// parsePrivateDER parses a PKCS#8, PKCS#1 (RSA) or SEC 1 (EC) private key.
func parsePrivateDER(der []byte) (any, error) {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err == nil {
		return key, nil
	}
	var p8 struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if rest, aerr := asn1.Unmarshal(der, &p8); aerr == nil && len(rest) == 0 &&
		p8.Algo.Algorithm.Equal(oidECPublicKey) && isSecp256k1(p8.Algo.Parameters.FullBytes) {
		return parseSEC1(p8.PrivateKey, true)
	}
	if rsaKey, rerr := x509.ParsePKCS1PrivateKey(der); rerr == nil {
		return rsaKey, nil
	}
	if ecKey, eerr := x509.ParseECPrivateKey(der); eerr == nil {
		return ecKey, nil
	}
	if k1, kerr := parseSEC1(der, false); kerr == nil {
		return k1, nil
	}
	return nil, err
}

// isSecp256k1 says whether DER-encoded EC parameters name secp256k1.
func isSecp256k1(params []byte) bool {
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(params, &oid)
	return err == nil && len(rest) == 0 && oid.Equal(oidSecp256k1)
}

// parseSEC1 parses an RFC 5915 ECPrivateKey on secp256k1. Inside PKCS#8
// (curveKnown) the curve is named by the outer structure and may be
// absent here.
func parseSEC1(der []byte, curveKnown bool) (*secp256k1.PrivateKey, error) {
	var ec struct {
		Version       int
		PrivateKey    []byte
		NamedCurveOID asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
		PublicKey     asn1.BitString        `asn1:"optional,explicit,tag:1"`
	}
	rest, err := asn1.Unmarshal(der, &ec)
	if err != nil {
		return nil, fmt.Errorf("EC private key: %w", err)
	}
	if len(rest) != 0 || ec.Version != 1 {
		return nil, errors.New("EC private key: malformed")
	}
	if !ec.NamedCurveOID.Equal(oidSecp256k1) && !(curveKnown && len(ec.NamedCurveOID) == 0) {
		return nil, errors.New("EC private key: unsupported curve")
	}
	if len(ec.PrivateKey) == 0 || len(ec.PrivateKey) > 32 {
		return nil, errors.New("EC private key: bad length")
	}
	return secp256k1.PrivKeyFromBytes(ec.PrivateKey), nil
}

// legacyPEMCiphers are the DEK-Info ciphers of OpenSSL's traditional
// encrypted PEM ("Proc-Type: 4,ENCRYPTED"), with their key lengths.
var legacyPEMCiphers = map[string]cbcScheme{
	"AES-128-CBC":  {16, aes.NewCipher},
	"AES-192-CBC":  {24, aes.NewCipher},
	"AES-256-CBC":  {32, aes.NewCipher},
	"DES-EDE3-CBC": {24, des.NewTripleDESCipher},
	"DES-CBC":      {8, des.NewCipher},
}

// decryptLegacyPEM decrypts a traditional encrypted PEM block, as
// `openssl rsa -des3 -traditional` or `openssl ec -aes256` write it: the
// key is OpenSSL's EVP_BytesToKey (MD5, one round) of the password salted
// with the first 8 bytes of the IV. (Go's x509.DecryptPEMBlock did this;
// it is deprecated because the format is weak, but keys in it exist.)
func decryptLegacyPEM(block *pem.Block, password []byte) ([]byte, error) {
	name, ivHex, ok := strings.Cut(block.Headers["DEK-Info"], ",")
	scheme, known := legacyPEMCiphers[strings.ToUpper(name)]
	if !ok || !known {
		return nil, fmt.Errorf("encrypted PEM: unsupported DEK-Info %q", block.Headers["DEK-Info"])
	}
	iv, err := hex.DecodeString(ivHex)
	if err != nil || len(iv) < 8 {
		return nil, errors.New("encrypted PEM: bad IV")
	}
	var key, prev []byte
	for len(key) < scheme.keyLen {
		h := md5.New()
		h.Write(prev)
		h.Write(password)
		h.Write(iv[:8])
		prev = h.Sum(nil)
		key = append(key, prev...)
	}
	c, err := scheme.newBlock(key[:scheme.keyLen])
	if err != nil {
		return nil, fmt.Errorf("encrypted PEM: %w", err)
	}
	return cbcDecryptUnpad(c, iv, block.Bytes)
}

// cbcDecryptUnpad decrypts CBC data and strips its PKCS#7 padding; with a
// wrong password the padding is (almost always) wrong.
func cbcDecryptUnpad(c cipher.Block, iv, data []byte) ([]byte, error) {
	bs := c.BlockSize()
	if len(iv) != bs || len(data) == 0 || len(data)%bs != 0 {
		return nil, errors.New("malformed encrypted key")
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(c, iv).CryptBlocks(plain, data)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > bs || !bytes.Equal(plain[len(plain)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errors.New("bad decrypt (wrong password?)")
	}
	return plain[:len(plain)-pad], nil
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo protected with PBES2
// (PBKDF2 and AES-CBC or 3DES-CBC), the form `openssl pkcs8 -topk8` and
// `openssl genpkey -aes256` write. A wrong password shows as bad padding
// or as a result that is not DER.
func decryptPKCS8(der, password []byte) ([]byte, error) {
	var info struct {
		Algo pkix.AlgorithmIdentifier
		Data []byte
	}
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return nil, fmt.Errorf("encrypted private key: %w", err)
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("encrypted private key: unsupported scheme %v", info.Algo.Algorithm)
	}
	var params struct {
		KDF pkix.AlgorithmIdentifier
		Enc pkix.AlgorithmIdentifier
	}
	if _, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &params); err != nil {
		return nil, fmt.Errorf("PBES2 parameters: %w", err)
	}
	if !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("PBES2: unsupported key derivation %v", params.KDF.Algorithm)
	}
	var kdf struct {
		Salt      []byte
		Iter      int
		KeyLength int                      `asn1:"optional"`
		PRF       pkix.AlgorithmIdentifier `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, fmt.Errorf("PBKDF2 parameters: %w", err)
	}
	prf := crypto.SHA1 // the default of RFC 8018
	if len(kdf.PRF.Algorithm) > 0 {
		var ok bool
		if prf, ok = pbkdf2PRFs[kdf.PRF.Algorithm.String()]; !ok {
			return nil, fmt.Errorf("PBKDF2: unsupported PRF %v", kdf.PRF.Algorithm)
		}
	}
	scheme, ok := pbes2Ciphers[params.Enc.Algorithm.String()]
	if !ok {
		return nil, fmt.Errorf("PBES2: unsupported cipher %v", params.Enc.Algorithm)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Enc.Parameters.FullBytes, &iv); err != nil {
		return nil, fmt.Errorf("PBES2 IV: %w", err)
	}
	key, err := pbkdf2.Key(func() stdhash.Hash { return prf.New() }, string(password), kdf.Salt, kdf.Iter, scheme.keyLen)
	if err != nil {
		return nil, fmt.Errorf("PBKDF2: %w", err)
	}
	block, err := scheme.newBlock(key)
	if err != nil {
		return nil, fmt.Errorf("PBES2 cipher: %w", err)
	}
	return cbcDecryptUnpad(block, iv, info.Data)
}
