package checker

import (
	"encoding/binary"
	"fmt"
)

// links holds, for each state that is not initial, the number of the
// state it was first reached from (its parent) and the action index that
// led there. They are written once, in order of state number, and read
// back only to rebuild traces, so they live in a temporary file: TLC's
// layout.
//
// States are numbered in the order of discovery, so parents never
// decrease: a link is stored as the difference from the previous link's
// parent (a uvarint, one byte but for the first link of a parent with
// more than 127 states between it and the previous parent) and the action
// index, about 2 bytes a state. Every linkEvery links the file offset and
// the previous parent are kept in memory, so that a link is found by
// reading and decoding at most linkEvery of them.
type links struct {
	sp      *spill
	file    *tempFile // the first flushed bytes; nil until there are some
	flushed int64     // bytes in the file
	buf     []byte    // the bytes after
	n       int64     // links
	prev    uint64    // parent of the last link
	marks   []linkMark
}

// A linkMark is where link i*linkEvery starts.
type linkMark struct {
	off  int64  // offset in the file and buffer
	prev uint64 // parent of the link before
}

const (
	linkEvery = 1 << 12
	// linkBuf is the size of buffer that is written out when full.
	linkBuf = 64 << 10
	// maxLinkBytes is the most bytes one link takes.
	maxLinkBytes = binary.MaxVarintLen64 + 1
)

// len returns the number of links.
func (l *links) len() int64 { return l.n }

// add appends the link of the next state.
func (l *links) add(parent uint64, action uint8) error {
	if l.n%linkEvery == 0 {
		l.marks = append(l.marks, linkMark{l.flushed + int64(len(l.buf)), l.prev})
	}
	l.buf = binary.AppendUvarint(l.buf, parent-l.prev)
	l.buf = append(l.buf, action)
	l.prev = parent
	l.n++
	if len(l.buf) >= linkBuf {
		return l.flush()
	}
	return nil
}

// addRun appends the links of the next len(parents) states: parents
// base+parents[j] and action indices actions[j]. It is add in a loop, with
// the fields kept in locals.
func (l *links) addRun(base uint64, parents []int32, actions []uint8) error {
	actions = actions[:len(parents)]
	buf, prev, n := l.buf, l.prev, l.n
	for j, p := range parents {
		if n%linkEvery == 0 {
			l.marks = append(l.marks, linkMark{l.flushed + int64(len(buf)), prev})
		}
		parent := base + uint64(p)
		if d := parent - prev; d < 0x80 {
			buf = append(buf, byte(d), actions[j])
		} else {
			buf = binary.AppendUvarint(buf, d)
			buf = append(buf, actions[j])
		}
		prev = parent
		n++
		if len(buf) >= linkBuf {
			l.buf, l.prev, l.n = buf, prev, n
			if err := l.flush(); err != nil {
				return err
			}
			buf = l.buf
		}
	}
	l.buf, l.prev, l.n = buf, prev, n
	return nil
}

// flush writes the buffer to the file.
func (l *links) flush() error {
	if len(l.buf) == 0 {
		return nil
	}
	if l.file == nil {
		f, err := l.sp.create("links")
		if err != nil {
			return err
		}
		l.file = f
	}
	if err := l.file.write(l.buf); err != nil {
		return err
	}
	l.flushed += int64(len(l.buf))
	l.buf = l.buf[:0]
	return nil
}

// bytes returns the memory the links hold: the buffer and the marks.
func (l *links) bytes() int64 { return int64(cap(l.buf)) + int64(cap(l.marks))*16 }

// get returns link i: the parent and the action index.
func (l *links) get(i int64) (parent uint64, action uint8, err error) {
	if i < 0 || i >= l.n {
		return 0, 0, fmt.Errorf("checker: link %d of %d", i, l.n)
	}
	m := l.marks[i/linkEvery]
	end := l.flushed + int64(len(l.buf))
	if k := i/linkEvery + 1; k < int64(len(l.marks)) {
		end = l.marks[k].off
	}
	b := make([]byte, end-m.off)
	// The part in the file, then the part in the buffer.
	if n := min(l.flushed-m.off, int64(len(b))); n > 0 {
		if err := l.file.readAt(b[:n], m.off); err != nil {
			return 0, 0, err
		}
	}
	if m.off+int64(len(b)) > l.flushed {
		from := max(m.off, l.flushed)
		copy(b[from-m.off:], l.buf[from-l.flushed:])
	}
	parent = m.prev
	for k := i / linkEvery * linkEvery; ; k++ {
		d, w := binary.Uvarint(b)
		if w <= 0 || w >= len(b) {
			return 0, 0, fmt.Errorf("checker: parent links: bad record %d", k)
		}
		parent += d
		action = b[w]
		b = b[w+1:]
		if k == i {
			return parent, action, nil
		}
	}
}
