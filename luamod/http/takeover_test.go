package http

import (
	"errors"
	"net/http"
	"testing"
)

func TestWriterRefusesOutput(t *testing.T) {
	w := NewTakenOverWriter()
	w.Header().Set("X", "y")
	w.WriteHeader(200)
	if _, err := w.Write([]byte("x")); !errors.Is(err, http.ErrHijacked) {
		t.Fatalf("Write err %v", err)
	}
	if err := http.NewResponseController(w).Flush(); err == nil {
		t.Fatal("Flush on a taken-over writer succeeded")
	}
}
