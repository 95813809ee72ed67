package checker

import (
	"sync/atomic"
	"unsafe"
)

// The engine's large arrays (the visited table's shards, the frontier's
// buffers) are allocated outside the Go heap where the system allows it,
// and freed as soon as they are replaced: garbage on the Go heap is only
// returned after a collection, and the collector lets the heap grow to
// twice what is live before it runs, so an array replaced by a larger one
// would count twice in the peak resident memory.

// offHeapMin is the size from which an allocation is made outside the Go
// heap.
const offHeapMin = 64 << 10

// sysBytes is the number of bytes allocated from the system and not yet
// returned, for tests.
var sysBytes atomic.Int64

// allocBytes returns n zero bytes, from the system if n is large.
func allocBytes(n int) []byte {
	if n >= offHeapMin {
		if b := sysAlloc(n); b != nil {
			sysBytes.Add(int64(cap(b)))
			return b
		}
	}
	return make([]byte, n)
}

// freeBytes returns b, which allocBytes returned (perhaps shortened since),
// to the system if it came from there; b must not be used after.
func freeBytes(b []byte) {
	if cap(b) >= offHeapMin && sysFree(b[:cap(b)]) {
		sysBytes.Add(-int64(cap(b)))
	}
}

// words returns b as 64-bit words; len(b) is a multiple of 8.
func words(b []byte) []uint64 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
}
