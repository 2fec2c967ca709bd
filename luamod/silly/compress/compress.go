// Package compress provides silly's "silly.compress.gzip",
// "silly.compress.lz4" and "silly.compress.snappy" modules for gopher-lua:
// whole strings in, whole strings out. Failures return nil and a message,
// as in silly; wrong argument types raise.
//
// gzip is compress/gzip at zlib's default level; lz4 is the LZ4 block
// format (no frame; decompress needs the original size) from
// github.com/pierrec/lz4/v4; snappy is the Snappy block format from
// github.com/klauspost/compress/snappy (silly offers it when built with
// libsnappy).
package compress

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"strconv"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/klauspost/compress/snappy"
	"github.com/pierrec/lz4/v4"
	lua "github.com/yuin/gopher-lua"
)

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"silly.compress.gzip":   library(map[string]lua.LGFunction{"compress": gzipCompress, "decompress": gzipDecompress}),
		"silly.compress.lz4":    library(map[string]lua.LGFunction{"compress": lz4Compress, "decompress": lz4Decompress}),
		"silly.compress.snappy": library(map[string]lua.LGFunction{"compress": snappyCompress, "decompress": snappyDecompress}),
	}
}

// library returns a loader that builds a module table of funcs.
func library(funcs map[string]lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		L.Push(L.SetFuncs(L.NewTable(), funcs))
		return 1
	}
}

// fail pushes silly's failure result: nil and the message.
func fail(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}

// zlibDataError is zlib's Z_DATA_ERROR, the code silly reports for input
// that is not gzip.
const zlibDataError = -3

// unixOS is the OS byte zlib writes in a gzip header on Unix.
const unixOS = 3

func gzipCompress(L *lua.LState) int {
	data := luaarg.CheckString(L, 1, "compress")
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.OS = unixOS
	if _, err := io.WriteString(w, data); err != nil {
		return fail(L, "deflate failed: "+err.Error())
	}
	if err := w.Close(); err != nil {
		return fail(L, "deflate failed: "+err.Error())
	}
	L.Push(lua.LString(buf.Bytes()))
	return 1
}

// gzipDecompress decodes the first gzip member of data. As with silly's
// zlib loop, input that ends early (or is empty) yields what was decoded
// so far; input that is not gzip is an error.
func gzipDecompress(L *lua.LState) int {
	data := luaarg.CheckString(L, 1, "decompress")
	r, err := gzip.NewReader(bytes.NewReader([]byte(data)))
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			L.Push(lua.LString(""))
			return 1
		}
		return fail(L, "inflate failed: "+strconv.Itoa(zlibDataError))
	}
	r.Multistream(false)
	out, err := io.ReadAll(r)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fail(L, "inflate failed: "+strconv.Itoa(zlibDataError))
	}
	L.Push(lua.LString(out))
	return 1
}

// lz4MaxInput is liblz4's LZ4_MAX_INPUT_SIZE.
const lz4MaxInput = 0x7E000000

func lz4Compress(L *lua.LState) int {
	data := []byte(luaarg.CheckString(L, 1, "compress"))
	if len(data) == 0 {
		// LZ4_compress_default's block for no input: one empty token.
		L.Push(lua.LString("\x00"))
		return 1
	}
	if len(data) > lz4MaxInput {
		return fail(L, "lz4_compress failed: 0")
	}
	dst := make([]byte, lz4.CompressBlockBound(len(data)))
	var c lz4.Compressor
	n, err := c.CompressBlock(data, dst)
	if err != nil || n == 0 {
		return fail(L, "lz4_compress failed: 0")
	}
	L.Push(lua.LString(dst[:n]))
	return 1
}

// lz4Decompress implements lz4.decompress(data, original_size): the
// output is at most original_size bytes, which the caller must know.
func lz4Decompress(L *lua.LState) int {
	data := []byte(luaarg.CheckString(L, 1, "decompress"))
	size := luaarg.CheckInteger(L, 2, "decompress")
	if size < 0 || size > math.MaxInt32 {
		return fail(L, "Invalid original_size")
	}
	if size == 0 {
		L.Push(lua.LString(""))
		return 1
	}
	dst := make([]byte, size)
	n, err := lz4.UncompressBlock(data, dst)
	if err != nil {
		return fail(L, "lz4_decompress failed: -1")
	}
	L.Push(lua.LString(dst[:n]))
	return 1
}

func snappyCompress(L *lua.LState) int {
	data := []byte(luaarg.CheckString(L, 1, "compress"))
	L.Push(lua.LString(snappy.Encode(nil, data)))
	return 1
}

// snappyStatusInvalidInput is libsnappy's SNAPPY_INVALID_INPUT.
const snappyStatusInvalidInput = 1

func snappyDecompress(L *lua.LState) int {
	data := []byte(luaarg.CheckString(L, 1, "decompress"))
	if _, err := snappy.DecodedLen(data); err != nil {
		return fail(L, "snappy_uncompressed_length failed: "+strconv.Itoa(snappyStatusInvalidInput))
	}
	out, err := snappy.DecodeStrict(nil, data)
	if err != nil {
		return fail(L, "snappy_uncompress failed: "+strconv.Itoa(snappyStatusInvalidInput))
	}
	L.Push(lua.LString(out))
	return 1
}
