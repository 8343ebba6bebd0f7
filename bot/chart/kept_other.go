//go:build !unix

package chart

// keptPixels makes the kept picture buffer on the heap, where the system
// has no anonymous mappings.
func keptPixels(n int) []byte { return make([]byte, n) }
