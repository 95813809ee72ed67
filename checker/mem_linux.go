package checker

import "syscall"

// sysAlloc maps n zero bytes of anonymous memory, or returns nil. The
// pages are populated at once: left to the first access, a page that is
// read before it is written (as a table's bitmaps are) would be mapped to
// the shared zero page, then copied on the write, and that copy makes the
// kernel interrupt every other CPU running the process to flush its TLB.
func sysAlloc(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
	if err != nil {
		return nil
	}
	return b
}

// sysFree unmaps b and reports whether sysAlloc had mapped it; syscall.Munmap
// refuses a slice it did not map.
func sysFree(b []byte) bool { return syscall.Munmap(b) == nil }
