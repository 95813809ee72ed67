package checker

// links holds, for each state number n, the number of the state n was
// reached from and the action index that led to it: 5 bytes a state. They
// are kept in blocks of linkBlock states, so that growing never copies more
// than one block and never leaves more than one block partly unused.
type links struct {
	n      int        // number of states
	parent [][]uint32 // parent[n>>linkBits][n&linkMask]
	action [][]uint8  // action[n>>linkBits][n&linkMask]
}

const (
	linkBits  = 16
	linkBlock = 1 << linkBits
	linkMask  = linkBlock - 1
	// linkBytes is the size of one state's links.
	linkBytes = 5
)

// len returns the number of states.
func (l *links) len() int { return l.n }

// get returns state n's parent and action index.
func (l *links) get(n uint32) (parent uint32, action uint8) {
	return l.parent[n>>linkBits][n&linkMask], l.action[n>>linkBits][n&linkMask]
}

// set sets state n's parent and action index; n < l.len().
func (l *links) set(n uint32, parent uint32, action uint8) {
	l.parent[n>>linkBits][n&linkMask] = parent
	l.action[n>>linkBits][n&linkMask] = action
}

// bytes returns the memory held by the links.
func (l *links) bytes() int64 {
	if len(l.parent) == 0 {
		return 0
	}
	last := len(l.parent) - 1
	return int64(last*linkBlock+cap(l.parent[last])) * linkBytes
}

// capFor returns the number of states that the blocks hold once resized
// to n states: full blocks and a last block grown by at least an eighth.
func (l *links) capFor(n int) int {
	if n == 0 {
		return l.capacity()
	}
	full := (n - 1) >> linkBits // blocks before the last one
	need := n - full*linkBlock  // states in the last one
	c := 0
	if full == len(l.parent)-1 {
		c = cap(l.parent[full])
	}
	if need > c {
		c = min(max(need, c+c/8, 64), linkBlock)
	}
	return max(full*linkBlock+c, l.capacity())
}

// capacity returns the number of states the blocks hold now.
func (l *links) capacity() int { return int(l.bytes() / linkBytes) }

// resize sets the number of states to n >= l.len().
func (l *links) resize(n int) {
	c := l.capFor(n)
	for l.capacity() < c {
		if k := len(l.parent) - 1; k >= 0 && len(l.parent[k]) < linkBlock {
			size := min(c-k*linkBlock, linkBlock)
			l.parent[k] = growTo(l.parent[k], size)
			l.action[k] = growTo(l.action[k], size)
			continue
		}
		size := min(c-len(l.parent)*linkBlock, linkBlock)
		l.parent = append(l.parent, make([]uint32, size))
		l.action = append(l.action, make([]uint8, size))
	}
	l.n = n
}

// growTo returns s with length c, keeping its elements.
func growTo[T any](s []T, c int) []T {
	t := make([]T, c)
	copy(t, s)
	return t
}
