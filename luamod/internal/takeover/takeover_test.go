package takeover

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequestKeepsWhatLuaReadsAndDropsTheBody(t *testing.T) {
	type key struct{}
	r := httptest.NewRequest("GET", "http://example.test/ws?x=1", http.NoBody)
	r = r.WithContext(context.WithValue(r.Context(), key{}, "connection state"))
	r.Header.Set("Upgrade", "websocket")
	r.RemoteAddr = "127.0.0.1:5000"
	c := Request(r)
	if c.Method != "GET" || c.URL.RawQuery != "x=1" || c.Header.Get("Upgrade") != "websocket" ||
		c.RemoteAddr != "127.0.0.1:5000" || c.Host != "example.test" || c.RequestURI != r.RequestURI {
		t.Fatalf("copy lost fields: %+v", c)
	}
	if c.Body != http.NoBody {
		t.Fatal("the copy still reaches the original body")
	}
	if c.Context().Value(key{}) != nil {
		t.Fatal("the copy still carries the connection's context")
	}
}

func TestWriterRefusesOutput(t *testing.T) {
	w := NewWriter()
	w.Header().Set("X", "y")
	w.WriteHeader(200)
	if _, err := w.Write([]byte("x")); !errors.Is(err, http.ErrHijacked) {
		t.Fatalf("Write err %v", err)
	}
	if err := http.NewResponseController(w).Flush(); err == nil {
		t.Fatal("Flush on a taken-over writer succeeded")
	}
}
