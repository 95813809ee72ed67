package checker

import (
	"reflect"
	"slices"
	"sync/atomic"
	"unsafe"
)

// A codec stores states in records of a fixed size: the model's own
// packing (Packer), or else the bytes of the state as it lies in memory.
// A state type that holds pointers has no codec (size 0): its states are
// kept as they are, in memory.
type codec[S comparable] struct {
	size   int
	pack   func(b []byte, s *S) bool
	unpack func(s *S, b []byte)
}

// codecOf returns the codec for m's states.
func codecOf[S comparable, A any](m Model[S, A]) codec[S] {
	if p, ok := m.(Packer[S]); ok {
		if size, pack, unpack := p.Packing(); size > 0 {
			return codec[S]{size, pack, unpack}
		}
	}
	size := int(unsafe.Sizeof(*new(S)))
	if size == 0 || hasPointers(reflect.TypeFor[S]()) {
		return codec[S]{}
	}
	return codec[S]{
		size: size,
		pack: func(b []byte, s *S) bool {
			copy(b[:size], unsafe.Slice((*byte)(unsafe.Pointer(s)), size))
			return true
		},
		unpack: func(s *S, b []byte) {
			copy(unsafe.Slice((*byte)(unsafe.Pointer(s)), size), b[:size])
		},
	}
}

// hasPointers reports whether values of t hold pointers, so that their
// bytes cannot be written to a file and read back.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

// spilled counts the bytes of frontier written to files, and readAheads
// the batches that prefetch read, for tests.
var spilled, readAheads atomic.Int64

// A queue is one level of the frontier: states in the order they were
// found, appended in batches and read in batches. Packed states are kept
// in memory up to half a budget; when the next batch would pass it, what
// is in memory is written to the end of the level's file: the file holds
// the first states of the level, memory the last ones. The write runs in
// its own goroutine, from a second buffer, while the search goes on; the
// two buffers together stay within the budget. Without a codec the states
// are kept in memory as they are.
type queue[S comparable] struct {
	c      *codec[S]
	sp     *spill
	budget int // bytes of records kept in memory, in mem and spare

	n      int64     // records
	file   *tempFile // records 0 to onDisk-1; nil until needed
	onDisk int64
	mem    []byte // records onDisk to n-1; cap(mem) is the memory held
	read   []byte // records read back from the file
	// spareRead is the buffer of the next read ahead.
	spareRead []byte
	states    []S // all records, without a codec
	// spare is the buffer the last spill writes, or wrote: it becomes mem
	// at the next spill. writing reports the end of that write; nil
	// once it was waited for.
	spare   []byte
	writing chan error
	// ahead is the read of the next view's records from the file, started
	// by prefetch; nil when there is none.
	ahead *readAhead
}

// A readAhead reads records lo to hi-1 into buf in the background and
// reports the end of the read on done.
type readAhead struct {
	lo, hi int64
	buf    []byte
	done   chan error
}

// wait waits for the write of the last spill, if it was not waited for,
// and returns its error.
func (q *queue[S]) wait() error {
	if q.writing == nil {
		return nil
	}
	err := <-q.writing
	q.writing = nil
	return err
}

// len returns the number of states.
func (q *queue[S]) len() int64 { return q.n }

// waitAhead waits for the read that prefetch started, if any, and keeps
// its buffer for the next one.
func (q *queue[S]) waitAhead() {
	if q.ahead != nil {
		<-q.ahead.done
		q.spareRead, q.ahead = q.ahead.buf, nil
	}
}

// reset empties the queue, keeping its memory and file for reuse.
func (q *queue[S]) reset() error {
	q.waitAhead()
	if err := q.wait(); err != nil {
		return err
	}
	q.n, q.onDisk = 0, 0
	q.mem = q.mem[:0]
	clear(q.states)
	q.states = q.states[:0]
	if q.file != nil {
		q.file.empty()
	}
	return nil
}

// bytes returns the memory the queue holds.
func (q *queue[S]) bytes() int64 {
	n := cap(q.mem) + cap(q.spare) + cap(q.read) + cap(q.spareRead)
	if q.ahead != nil {
		n += cap(q.ahead.buf)
	}
	return int64(n) + int64(cap(q.states))*int64(unsafe.Sizeof(*new(S)))
}

// free returns the queue's memory.
func (q *queue[S]) free() {
	q.waitAhead()
	q.wait()
	freeBytes(q.mem)
	freeBytes(q.spare)
	freeBytes(q.read)
	freeBytes(q.spareRead)
	q.mem, q.spare, q.read, q.spareRead, q.states = nil, nil, nil, nil, nil
}

// growth returns how many bytes of memory appending k records would add.
func (q *queue[S]) growth(k int) int64 {
	if q.c.size == 0 {
		if need := len(q.states) + k; need > cap(q.states) {
			return int64(max(need, 2*cap(q.states))-cap(q.states)) * int64(unsafe.Sizeof(*new(S)))
		}
		return 0
	}
	_, cur, c := q.plan(k)
	return int64(c - cur)
}

// plan says how appending k records goes: whether what is in memory goes
// to the file first (and mem is then the spare buffer), the capacity of
// that buffer now, and its capacity after.
func (q *queue[S]) plan(k int) (spill bool, cur, c int) {
	need := len(q.mem) + k*q.c.size
	cur = cap(q.mem)
	if need > q.budget/2 && len(q.mem) > 0 {
		spill, need, cur = true, k*q.c.size, cap(q.spare)
	}
	if need <= cur {
		return spill, cur, cur
	}
	return spill, cur, max(need, min(2*cur, q.budget/2), 64<<10)
}

// tail appends k records and returns where to write them: k*size bytes,
// or k states without a codec.
func (q *queue[S]) tail(k int) ([]byte, []S, error) {
	if q.c.size == 0 {
		q.states = slices.Grow(q.states, k)[:len(q.states)+k]
		q.n += int64(k)
		return nil, q.states[len(q.states)-k:], nil
	}
	spill, _, c := q.plan(k)
	if spill {
		if err := q.spill(); err != nil {
			return nil, nil, err
		}
	}
	if c > cap(q.mem) {
		mem := allocBytes(c)[:len(q.mem)]
		copy(mem, q.mem)
		freeBytes(q.mem)
		q.mem = mem
	}
	start := len(q.mem)
	q.mem = q.mem[:start+k*q.c.size]
	q.n += int64(k)
	return q.mem[start:], nil, nil
}

// spill starts writing the records in memory to the end of the file, from
// the spare buffer, and makes the spare buffer of the last spill mem. It
// first waits for the last spill's write.
func (q *queue[S]) spill() error {
	if err := q.wait(); err != nil {
		return err
	}
	if q.file == nil {
		f, err := q.sp.create("frontier")
		if err != nil {
			return err
		}
		q.file = f
	}
	b, f := q.mem, q.file
	off := f.reserve(len(b))
	spilled.Add(int64(len(b)))
	q.onDisk = q.n
	q.mem, q.spare = q.spare[:0], b
	done := make(chan error, 1)
	q.writing = done
	go func() { done <- f.writeAt(b, off) }()
	return nil
}

// view returns records lo to hi-1: their bytes, or their states without a
// codec. The bytes are valid until the next view.
func (q *queue[S]) view(lo, hi int64) ([]byte, []S, error) {
	if q.c.size == 0 {
		return nil, q.states[lo:hi], nil
	}
	size := int64(q.c.size)
	if lo >= q.onDisk {
		return q.mem[(lo-q.onDisk)*size : (hi-q.onDisk)*size], nil, nil
	}
	if a := q.ahead; a != nil && a.lo == lo && a.hi == hi {
		q.ahead = nil
		readAheads.Add(1)
		err := <-a.done
		q.read, q.spareRead = a.buf, q.read
		return a.buf, nil, err
	}
	q.waitAhead()
	if err := q.wait(); err != nil {
		return nil, nil, err
	}
	b := q.readBuf(&q.read, hi-lo)
	return b, nil, q.readRecords(b, lo, hi)
}

// prefetch starts reading records lo to hi-1 from the file, in the
// background, for the next view, if some are there: reading the frontier
// back then does not hold up the search between batches.
func (q *queue[S]) prefetch(lo, hi int64) error {
	if q.c.size == 0 || lo >= min(hi, q.onDisk) {
		return nil
	}
	q.waitAhead()
	if err := q.wait(); err != nil {
		return err
	}
	a := &readAhead{lo: lo, hi: hi, buf: q.readBuf(&q.spareRead, hi-lo), done: make(chan error, 1)}
	q.spareRead = nil
	q.ahead = a
	go func() { a.done <- q.readRecords(a.buf, lo, hi) }()
	return nil
}

// readBuf returns *buf with room for k records, reallocating it if it is
// too small.
func (q *queue[S]) readBuf(buf *[]byte, k int64) []byte {
	n := int(k) * q.c.size
	if cap(*buf) < n {
		freeBytes(*buf)
		*buf = allocBytes(n)
	}
	return (*buf)[:n]
}

// readRecords fills b with records lo to hi-1: those from the file, then
// those in memory. The last spill's write must have ended.
func (q *queue[S]) readRecords(b []byte, lo, hi int64) error {
	size := int64(q.c.size)
	fromFile := (min(hi, q.onDisk) - lo) * size
	if err := q.file.readAt(b[:fromFile], lo*size); err != nil {
		return err
	}
	copy(b[fromFile:], q.mem)
	return nil
}
