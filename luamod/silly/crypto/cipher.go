package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"fmt"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// cipherMetatable is the registry name of the cipher contexts' metatable.
const cipherMetatable = "silly.crypto.cipher"

// cipherMode is a block cipher mode of operation that silly.crypto.cipher
// offers (through OpenSSL in silly, through crypto/cipher here).
type cipherMode int

const (
	modeECB cipherMode = iota
	modeCBC
	modeCTR
	modeGCM
)

// cipherSpec describes one algorithm name: the AES key size and the mode.
type cipherSpec struct {
	keyLen int
	mode   cipherMode
}

// ivLen is the IV length OpenSSL requires for the spec (EVP_CIPHER_get_iv_length).
func (s cipherSpec) ivLen() int {
	switch s.mode {
	case modeECB:
		return 0
	case modeGCM:
		return gcmNonceSize
	}
	return aes.BlockSize
}

// gcmNonceSize and gcmTagSize are OpenSSL's defaults for AES-GCM.
const (
	gcmNonceSize = 12
	gcmTagSize   = 16
)

// ciphers maps lowercase OpenSSL cipher names and aliases to their specs.
var ciphers = func() map[string]cipherSpec {
	m := map[string]cipherSpec{}
	for _, bits := range []int{128, 192, 256} {
		for mode, name := range map[cipherMode]string{modeECB: "ecb", modeCBC: "cbc", modeCTR: "ctr", modeGCM: "gcm"} {
			spec := cipherSpec{keyLen: bits / 8, mode: mode}
			m[fmt.Sprintf("aes-%d-%s", bits, name)] = spec
			if mode == modeGCM {
				m[fmt.Sprintf("id-aes%d-gcm", bits)] = spec
			}
		}
		m[fmt.Sprintf("aes%d", bits)] = cipherSpec{keyLen: bits / 8, mode: modeCBC}
	}
	return m
}()

// cipherCtx is the userdata value of a context made by encryptor or decryptor.
type cipherCtx struct {
	spec    cipherSpec
	encrypt bool
	// padding is the value last given to setpadding, -1 when never set
	// (PKCS#7 padding is then on, as in OpenSSL).
	padding int64

	block cipher.Block
	// cbc is the CBC chain; nil in the other modes.
	cbc cipher.BlockMode
	// pending holds the input of ECB and CBC that does not yet make a
	// whole block, or (when decrypting with padding) the last whole
	// block, which final needs to strip the padding.
	pending []byte
	// stream is the CTR key stream, also used by GCM for its output.
	stream cipher.Stream

	// GCM: Go's AEAD is one-shot, so the text is kept until final, which
	// computes or checks the tag over it; update already returns the
	// counter-mode output, as OpenSSL does.
	iv      []byte
	aad     []byte
	text    []byte
	tag     []byte
	aeadEnd bool
}

func loadCipher(L *lua.LState) int {
	mod := L.NewTable()
	mt := L.NewTypeMetatable(cipherMetatable)
	mt.RawSetString("__name", lua.LString(cipherMetatable))
	mt.RawSetString("__index", mod)
	funcs := map[string]lua.LGFunction{
		"encryptor":  func(L *lua.LState) int { return newCipher(L, mt, true) },
		"decryptor":  func(L *lua.LState) int { return newCipher(L, mt, false) },
		"reset":      cipherReset,
		"update":     cipherUpdate,
		"final":      cipherFinal,
		"setpadding": cipherSetPadding,
		"setaad":     cipherSetAAD,
		"settag":     cipherSetTag,
		"tag":        cipherTag,
	}
	for name, fn := range funcs {
		mod.RawSetString(name, L.NewFunction(fn))
	}
	L.Push(mod)
	return 1
}

// newCipher implements encryptor(alg, key, iv?) and decryptor(alg, key, iv?).
func newCipher(L *lua.LState, mt *lua.LTable, encrypt bool) int {
	fname := "decryptor"
	if encrypt {
		fname = "encryptor"
	}
	luaarg.CheckString(L, 2, fname)
	name := luaarg.CheckString(L, 1, fname)
	spec, ok := ciphers[strings.ToLower(name)]
	if !ok {
		L.RaiseError("unkonwn algorithm: %s", name)
	}
	c := &cipherCtx{spec: spec, encrypt: encrypt, padding: -1}
	c.init(L, fname)
	ud := L.NewUserData()
	ud.Value = c
	ud.Metatable = mt
	L.Push(ud)
	return 1
}

// init checks the key (argument 2) and IV (argument 3) and starts the
// context afresh with them.
func (c *cipherCtx) init(L *lua.LState, fname string) {
	key := luaarg.CheckString(L, 2, fname)
	if len(key) != c.spec.keyLen {
		L.RaiseError("key length need:%d got:%d", c.spec.keyLen, len(key))
	}
	iv := make([]byte, c.spec.ivLen())
	if v := L.Get(3); v != lua.LNil {
		s := luaarg.CheckString(L, 3, fname)
		if len(s) != len(iv) {
			L.RaiseError("iv length need:%d got:%d", len(iv), len(s))
		}
		copy(iv, s)
	}
	block, err := aes.NewCipher([]byte(key))
	if err != nil { // unreachable: the key length was checked
		L.RaiseError("cipher init error: %v", err)
	}
	c.block, c.cbc, c.stream = block, nil, nil
	c.pending, c.aad, c.text, c.tag, c.aeadEnd = nil, nil, nil, nil, false
	c.iv = iv
	switch c.spec.mode {
	case modeCBC:
		if c.encrypt {
			c.cbc = cipher.NewCBCEncrypter(block, iv)
		} else {
			c.cbc = cipher.NewCBCDecrypter(block, iv)
		}
	case modeCTR:
		c.stream = cipher.NewCTR(block, iv)
	case modeGCM:
		// With a 96-bit nonce GCM encrypts with CTR from nonce||2 (NIST
		// SP 800-38D, 7.1): counter 1 is kept for the tag.
		ctr := make([]byte, aes.BlockSize)
		copy(ctr, iv)
		ctr[aes.BlockSize-1] = 2
		c.stream = cipher.NewCTR(block, ctr)
	}
}

// padded says whether PKCS#7 padding applies: block modes only, and not
// after setpadding(0).
func (c *cipherCtx) padded() bool {
	return (c.spec.mode == modeECB || c.spec.mode == modeCBC) && c.padding != 0
}

// update returns the output for data, keeping back what the mode cannot
// process yet.
func (c *cipherCtx) update(data []byte) ([]byte, error) {
	switch c.spec.mode {
	case modeCTR:
		out := make([]byte, len(data))
		c.stream.XORKeyStream(out, data)
		return out, nil
	case modeGCM:
		if c.aeadEnd {
			return nil, fmt.Errorf("GCM operation already finished")
		}
		out := make([]byte, len(data))
		c.stream.XORKeyStream(out, data)
		c.text = append(c.text, data...) // the plaintext, or the ciphertext to check
		return out, nil
	}
	c.pending = append(c.pending, data...)
	n := len(c.pending) / aes.BlockSize * aes.BlockSize
	if !c.encrypt && c.padded() && n == len(c.pending) && n > 0 {
		n -= aes.BlockSize // the last block may be padding
	}
	out := c.crypt(c.pending[:n])
	c.pending = append(c.pending[:0], c.pending[n:]...)
	return out, nil
}

// crypt runs whole blocks through ECB or CBC.
func (c *cipherCtx) crypt(in []byte) []byte {
	out := make([]byte, len(in))
	if c.cbc != nil {
		c.cbc.CryptBlocks(out, in)
		return out
	}
	for i := 0; i < len(in); i += aes.BlockSize {
		if c.encrypt {
			c.block.Encrypt(out[i:], in[i:])
		} else {
			c.block.Decrypt(out[i:], in[i:])
		}
	}
	return out
}

// final finishes the operation: the padded last block, or the GCM tag.
// A failure (bad padding, a partial block without padding, a GCM tag that
// does not match) is an error, which silly reports as a nil result.
func (c *cipherCtx) final() ([]byte, error) {
	switch c.spec.mode {
	case modeCTR:
		return nil, nil
	case modeGCM:
		return nil, c.finalGCM()
	}
	pending := c.pending
	c.pending = nil
	switch {
	case c.encrypt && c.padded():
		pad := aes.BlockSize - len(pending)%aes.BlockSize
		return c.crypt(append(pending, bytes.Repeat([]byte{byte(pad)}, pad)...)), nil
	case len(pending) == 0 && !c.padded():
		return nil, nil
	case !c.encrypt && c.padded() && len(pending) == aes.BlockSize:
		block := c.crypt(pending)
		pad := int(block[aes.BlockSize-1])
		if pad == 0 || pad > aes.BlockSize || subtle.ConstantTimeCompare(block[aes.BlockSize-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) != 1 {
			return nil, fmt.Errorf("bad decrypt")
		}
		return block[:aes.BlockSize-pad], nil
	}
	return nil, fmt.Errorf("wrong final block length")
}

// finalGCM computes the tag of what was encrypted, or checks the tag set
// with settag against what was decrypted.
func (c *cipherCtx) finalGCM() error {
	if c.aeadEnd {
		return fmt.Errorf("GCM operation already finished")
	}
	c.aeadEnd = true
	if c.encrypt {
		aead, err := cipher.NewGCM(c.block)
		if err != nil {
			return fmt.Errorf("GCM: %w", err)
		}
		sealed := aead.Seal(nil, c.iv, c.text, c.aad)
		c.tag = sealed[len(c.text):]
		c.text = nil
		return nil
	}
	if c.tag == nil {
		return fmt.Errorf("GCM tag not set")
	}
	aead, err := cipher.NewGCMWithTagSize(c.block, len(c.tag))
	if err != nil {
		return fmt.Errorf("GCM: %w", err)
	}
	_, err = aead.Open(nil, c.iv, append(c.text, c.tag...), c.aad)
	c.text = nil
	return err
}

func checkCipher(L *lua.LState, fname string) *cipherCtx {
	return checkSelf[*cipherCtx](L, cipherMetatable, fname)
}

// cipherReset implements ctx:reset(key, iv?): the same algorithm and
// direction, a new key and IV, the padding setting kept.
func cipherReset(L *lua.LState) int {
	c := checkCipher(L, "reset")
	c.init(L, "reset")
	return 0
}

func cipherUpdate(L *lua.LState) int {
	c := checkCipher(L, "update")
	data := luaarg.Method("update").CheckString(L, 2)
	out, err := c.update([]byte(data))
	if err != nil {
		L.RaiseError("cipher update error: %s", evpLibrary)
	}
	L.Push(lua.LString(out))
	return 1
}

// cipherFinal implements ctx:final(data?): update with data, then finish.
// It returns nil, not an error, when finishing fails, as silly does.
func cipherFinal(L *lua.LState) int {
	c := checkCipher(L, "final")
	var out []byte
	if v := L.Get(2); v != lua.LNil {
		data := luaarg.Method("final").CheckString(L, 2)
		var err error
		if out, err = c.update([]byte(data)); err != nil {
			L.RaiseError("cipher update error: %s", evpLibrary)
		}
	}
	last, err := c.final()
	if err != nil {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(append(out, last...)))
	return 1
}

// cipherSetPadding implements ctx:setpadding(n): 0 turns PKCS#7 padding
// off, anything else on; reset keeps the setting.
func cipherSetPadding(L *lua.LState) int {
	c := checkCipher(L, "setpadding")
	c.padding = luaarg.CheckInteger(L, 2, "setpadding")
	return 0
}

// cipherSetAAD implements ctx:setaad(aad) for GCM, before any data.
func cipherSetAAD(L *lua.LState) int {
	c := checkCipher(L, "setaad")
	aad := luaarg.Method("setaad").CheckString(L, 2)
	if c.spec.mode != modeGCM || c.aeadEnd || len(c.text) > 0 {
		L.RaiseError("cipher aad error: %s", evpLibrary)
	}
	c.aad = append(c.aad, aad...)
	return 0
}

// cipherSetTag implements ctx:settag(tag): the tag a GCM decryption must
// match at final (12 to 16 bytes).
func cipherSetTag(L *lua.LState) int {
	c := checkCipher(L, "settag")
	tag := luaarg.Method("settag").CheckString(L, 2)
	if c.spec.mode != modeGCM || c.encrypt || len(tag) < 12 || len(tag) > gcmTagSize {
		L.RaiseError("cipher tag error: %s", evpLibrary)
	}
	c.tag = []byte(tag)
	return 0
}

// cipherTag implements ctx:tag(): the 16-byte tag of a finished GCM encryption.
func cipherTag(L *lua.LState) int {
	c := checkCipher(L, "tag")
	if c.spec.mode != modeGCM || !c.encrypt || !c.aeadEnd || c.tag == nil {
		L.RaiseError("cipher tag error: %s", evpLibrary)
	}
	L.Push(lua.LString(c.tag))
	return 1
}
