package sillystore

import "testing"

func TestAppendCommandIsRESPArrayOfBulkStrings(t *testing.T) {
	got := string(appendCommand(nil, "SET", []string{"k", "a\r\nb", ""}))
	want := "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n$0\r\n\r\n"
	if got != want {
		t.Fatalf("appendCommand = %q, want %q", got, want)
	}
	two := string(appendCommand(appendCommand(nil, "PING", nil), "GET", []string{"x"}))
	if want := "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nx\r\n"; two != want {
		t.Fatalf("pipelined = %q, want %q", two, want)
	}
}
