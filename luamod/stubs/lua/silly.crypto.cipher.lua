---@meta silly.crypto.cipher

---Symmetric ciphers: AES in ECB, CBC, CTR and GCM modes, named as OpenSSL
---names them ("aes-128-cbc", "aes-256-gcm", ...).
---@class silly.crypto.cipher
local M = {}

---@class silly.crypto.cipher.ctx
local ctx = {}

---Start afresh with a new key and IV (same algorithm and direction, padding setting kept).
---@param key string
---@param iv string?
function ctx:reset(key, iv) end

---Process `data`; returns the output ready so far (block modes keep back a partial block).
---@param data string
---@return string
function ctx:update(data) end

---Process optional last `data` and finish (padding, GCM tag check); nil when finishing fails.
---@param data string?
---@return string?
function ctx:final(data) end

---0 turns PKCS#7 padding off, anything else on.
---@param padding integer
function ctx:setpadding(padding) end

---Additional authenticated data for GCM, before any data.
---@param aad string
function ctx:setaad(aad) end

---The tag a GCM decryption must match at final (12 to 16 bytes).
---@param tag string
function ctx:settag(tag) end

---The 16-byte tag of a finished GCM encryption.
---@return string
function ctx:tag() end

---A new encryption context; an unknown algorithm or a wrong key or IV length raises an error.
---@param algorithm string
---@param key string
---@param iv string?
---@return silly.crypto.cipher.ctx
function M.encryptor(algorithm, key, iv) end

---A new decryption context.
---@param algorithm string
---@param key string
---@param iv string?
---@return silly.crypto.cipher.ctx
function M.decryptor(algorithm, key, iv) end

---Function form of ctx:reset.
---@param c silly.crypto.cipher.ctx
---@param key string
---@param iv string?
function M.reset(c, key, iv) end

---Function form of ctx:update.
---@param c silly.crypto.cipher.ctx
---@param data string
---@return string
function M.update(c, data) end

---Function form of ctx:final.
---@param c silly.crypto.cipher.ctx
---@param data string?
---@return string?
function M.final(c, data) end

---Function form of ctx:setpadding.
---@param c silly.crypto.cipher.ctx
---@param padding integer
function M.setpadding(c, padding) end

---Function form of ctx:setaad.
---@param c silly.crypto.cipher.ctx
---@param aad string
function M.setaad(c, aad) end

---Function form of ctx:settag.
---@param c silly.crypto.cipher.ctx
---@param tag string
function M.settag(c, tag) end

---Function form of ctx:tag.
---@param c silly.crypto.cipher.ctx
---@return string
function M.tag(c) end

return M
