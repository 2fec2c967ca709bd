---@meta silly.crypto.pkey

---Public and private keys (RSA, EC) from PEM or DER: sign, verify, and RSA encrypt/decrypt.
---@class silly.crypto.pkey
local M = {}

---RSA padding modes for encrypt and decrypt.
M.RSA_PKCS1 = 1
M.RSA_NO = 3
M.RSA_PKCS1_OAEP = 4
M.RSA_X931 = 5

---@class silly.crypto.pkey.key
local key = {}

---Sign `data` hashed with `algorithm` (PKCS#1 v1.5 for RSA, DER ECDSA for EC); a public key raises an error.
---@param data string
---@param algorithm string
---@return string? signature, string? err
function key:sign(data, algorithm) end

---Whether `signature` is a valid signature of `data`.
---@param data string
---@param signature string
---@param algorithm string
---@return boolean? valid, string? err
function key:verify(data, signature, algorithm) end

---RSA-encrypt with the public half of the key.
---@param data string
---@param padding integer? default RSA_PKCS1
---@param oaep_md string? OAEP digest, default "sha1"
---@return string? ciphertext, string? err
function key:encrypt(data, padding, oaep_md) end

---RSA-decrypt with the private key.
---@param data string
---@param padding integer? default RSA_PKCS1
---@param oaep_md string? OAEP digest, default "sha1"
---@return string? plaintext, string? err
function key:decrypt(data, padding, oaep_md) end

---Load a key: the first private key in the PEM, else the first public key, else DER.
---@param pem string
---@param password string? for an encrypted private key
---@return silly.crypto.pkey.key? key, string? err
function M.new(pem, password) end

---Function form of key:sign.
---@param k silly.crypto.pkey.key
---@param data string
---@param algorithm string
---@return string? signature, string? err
function M.sign(k, data, algorithm) end

---Function form of key:verify.
---@param k silly.crypto.pkey.key
---@param data string
---@param signature string
---@param algorithm string
---@return boolean? valid, string? err
function M.verify(k, data, signature, algorithm) end

---Function form of key:encrypt.
---@param k silly.crypto.pkey.key
---@param data string
---@param padding integer?
---@param oaep_md string?
---@return string? ciphertext, string? err
function M.encrypt(k, data, padding, oaep_md) end

---Function form of key:decrypt.
---@param k silly.crypto.pkey.key
---@param data string
---@param padding integer?
---@param oaep_md string?
---@return string? plaintext, string? err
function M.decrypt(k, data, padding, oaep_md) end

return M
