//go:build unix

package chart

import "syscall"

// keptPixels maps n bytes of anonymous memory for the kept picture buffer,
// outside the Go heap: the system gives pages only as they are first
// written, and the collector neither scans them nor counts them towards its
// heap goal. It is never unmapped. Where the mapping fails the buffer comes
// from the heap instead.
func keptPixels(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n)
	}
	return b
}
