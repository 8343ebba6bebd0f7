package seal

import (
	"bytes"
	"errors"
	"testing"
)

func testBox(t *testing.T, fill byte) *Box {
	t.Helper()
	b, err := New(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpens(t *testing.T) {
	b := testBox(t, 7)
	plain := []byte("canary-api-key-0123456789")
	sealed, err := b.Seal(plain, []byte("member 1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, plain) {
		t.Fatal("the sealed value holds the plain text")
	}
	got, err := b.Open(sealed, []byte("member 1"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v; want the plain text", got, err)
	}
	again, _ := b.Seal(plain, []byte("member 1"))
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
}

func TestOpenRefuses(t *testing.T) {
	b := testBox(t, 7)
	sealed, _ := b.Seal([]byte("secret"), []byte("member 1"))
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	cases := map[string]func() ([]byte, error){
		"other row":  func() ([]byte, error) { return b.Open(sealed, []byte("member 2")) },
		"other key":  func() ([]byte, error) { return testBox(t, 8).Open(sealed, []byte("member 1")) },
		"tampered":   func() ([]byte, error) { return b.Open(tampered, []byte("member 1")) },
		"truncated":  func() ([]byte, error) { return b.Open(sealed[:10], []byte("member 1")) },
		"empty":      func() ([]byte, error) { return b.Open(nil, []byte("member 1")) },
		"bad format": func() ([]byte, error) { return b.Open(append([]byte{9}, sealed[1:]...), []byte("member 1")) },
	}
	for name, open := range cases {
		if got, err := open(); !errors.Is(err, ErrOpen) || got != nil {
			t.Errorf("%s: Open = %q, %v; want ErrOpen", name, got, err)
		}
	}
}

func TestNewNeeds32Bytes(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New accepted a %d-byte key", n)
		}
	}
}
