// Package seal encrypts small secrets kept at rest (members' intervals.icu
// API keys) with AES-256-GCM from the standard library, under the host's
// SHAKEOUT_SECRET_KEY. A sealed value is a version byte, a random 12-byte
// nonce and the ciphertext with its tag; associated data binds it to the row
// it belongs to, so a value copied to another row does not open.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// KeySize is the secret key's length in bytes (AES-256).
const KeySize = 32

// version marks the sealed format, so a later one can be told apart.
const version = 1

// ErrOpen is any failure to open a sealed value: wrong key, tampered or
// bound to other data. It says nothing more, on purpose.
var ErrOpen = errors.New("seal: cannot open the sealed value")

// Box seals and opens values under one key.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: the key is %d bytes; it must be %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plain, bound to associated.
func (b *Box) Seal(plain, associated []byte) ([]byte, error) {
	out := make([]byte, 1+b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return b.aead.Seal(out, out[1:], plain, associated), nil
}

// Open decrypts a value Seal made with the same key and associated data.
func (b *Box) Open(sealed, associated []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], associated)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
