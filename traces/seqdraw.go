package traces

import (
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// This file places a chart on the page and writes it as DOT. Every node
// is pinned where it is placed here (pos="x,y!" under layout=neato), so
// that the picture does not depend on Graphviz's heuristics: the labels of
// the segments are placed along their arrows where they overlap no other
// label, no cross and as few other arrows as can be. Distances are in
// points, y grows downwards; DOT gets inches, y upwards.

const (
	red       = "#c0392b"
	grey      = "#8a8a8a"
	laneColor = "#9aa5b1"
	loopColor = "#7d3c98"
	green     = "#1e6b3a"

	fontSize    = 10.0 // points, every text but the title and the verdict
	lineHeight  = 11.0 // Graphviz's line height at fontSize
	noteGap     = 8.0  // from a lane to its notes
	minRowGap   = 32.0 // between two rows of one-line notes
	minMiddle   = 230.0
	labelPadX   = 3.0 // white margin around a segment's label
	labelPadY   = 1.0
	maxHidden   = 0.6   // the share of its arrow a label may hide before the rows it spans open up
	maxEndNoteW = 150.0 // the stuck notes widen the notes' column up to this, then wrap
)

// charWidths are the advance widths, in hundredths of a point at 10
// points, of the printable ASCII characters from ' ' on, as Graphviz
// measures its default sans-serif face for "Helvetica" (Liberation Sans
// where Helvetica is missing; real Helvetica is a little narrower, so
// that the estimate errs on the wide side).
var charWidths = [...]int{
	301, 376, 451, 826, 601, 976, 751, 301, 376, 376, 526, 826, 301, 376, 301, 301, // ' ' to '/'
	601, 601, 601, 601, 601, 601, 601, 601, 601, 601, 301, 301, 826, 826, 826, 526, // '0' to '?'
	976, 676, 676, 676, 751, 601, 601, 751, 751, 301, 301, 676, 526, 901, 751, 751, // '@' to 'O'
	601, 751, 676, 601, 601, 751, 676, 976, 676, 601, 676, 376, 301, 376, 826, 526, // 'P' to '_'
	526, 601, 601, 526, 601, 601, 338, 601, 601, 301, 301, 601, 301, 976, 601, 601, // '`' to 'o'
	601, 601, 376, 526, 376, 601, 601, 826, 601, 601, 526, 601, 301, 601, 826, // 'p' to '~'
}

// textWidth is the width in points of the widest line of s at size points.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, line := range strings.Split(s, "\n") {
		lw := 0.0
		for _, r := range line {
			if r >= ' ' && int(r-' ') < len(charWidths) {
				lw += float64(charWidths[r-' ']) / 100
			} else {
				lw += 9.8 // arrows, crosses, anything wide
			}
		}
		w = max(w, lw)
	}
	return w * size / fontSize
}

// lines counts the lines of s; "" has none.
func lines(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

// A rect is a box on the page.
type rect struct{ x0, y0, x1, y1 float64 }

func centred(x, y, w, h float64) rect { return rect{x - w/2, y - h/2, x + w/2, y + h/2} }

func (r rect) overlaps(s rect) bool {
	return r.x0 < s.x1 && s.x0 < r.x1 && r.y0 < s.y1 && s.y0 < r.y1
}

func (r rect) inset(d float64) rect { return rect{r.x0 + d, r.y0 + d, r.x1 - d, r.y1 - d} }

type point struct{ x, y float64 }

// crosses reports whether the segment p-q passes through r.
func (r rect) crosses(p, q point) bool {
	_, _, ok := r.clip(p, q)
	return ok
}

// clip returns the part of the segment p-q inside r, as the interval
// [t0, t1] of p + t(q-p), and whether there is one (Liang-Barsky).
func (r rect) clip(p, q point) (t0, t1 float64, ok bool) {
	t0, t1 = 0.0, 1.0
	dx, dy := q.x-p.x, q.y-p.y
	for _, c := range [][2]float64{{-dx, p.x - r.x0}, {dx, r.x1 - p.x}, {-dy, p.y - r.y0}, {dy, r.y1 - p.y}} {
		if c[0] == 0 {
			if c[1] < 0 {
				return 0, 0, false
			}
			continue
		}
		t := c[1] / c[0]
		if c[0] < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return 0, 0, false
		}
	}
	return t0, t1, true
}

// A page is a chart placed: the x of each column, the y of each row, and
// where each arrow, end mark and label goes.
type page struct {
	c          *Chart
	loopX      float64 // the loop-back line (lassos)
	stepX      float64 // centre of the step column
	laneX      [2]float64
	noteW      [2]float64
	endNotes   [2]string // the chart's EndNotes, wrapped to the width of the notes
	rowY       []float64 // rows 0..len(c.Rows)-1, then the end row
	gapExtra   []float64 // extra space above each row, added where labels collide
	endAt      []point   // each end mark
	endText    []rect    // each end mark's text
	endTextAt  []point
	from, to   []point // each arrow's ends
	label      []rect  // each arrow's label
	labelSize  [][2]float64
	collisions [][2]int // arrows whose labels (or a label and an end) still overlap
}

// place lays the chart out. It places the rows, then the labels; where
// two labels cannot be kept apart it opens up the rows they span and tries
// again.
func place(c *Chart) *page {
	p := &page{c: c, gapExtra: make([]float64, len(c.Rows)+1)}
	for k := range c.Arrows {
		w := textWidth(c.Arrows[k].Label, fontSize) + 2*labelPadX
		h := float64(lines(c.Arrows[k].Label))*lineHeight + 2*labelPadY
		p.labelSize = append(p.labelSize, [2]float64{w, h})
	}
	for range 20 {
		p.columns()
		p.rows()
		p.ends()
		p.labels()
		if len(p.collisions) == 0 {
			break
		}
		grown := false
		for _, pair := range p.collisions {
			ks := pair[:]
			if pair[0] == pair[1] {
				// A label on its own arrow's end (a tall label on a short
				// arrow): a longer arrow gives it room.
				ks = pair[:1]
			}
			for _, k := range ks {
				a := c.Arrows[k]
				lo, hi := min(a.From, a.To), max(a.From, a.To)
				grow := func(r int) {
					if r < len(p.gapExtra) && p.gapExtra[r] < 48 {
						p.gapExtra[r] += 6
						grown = true
					}
				}
				for r := lo + 1; r <= hi; r++ {
					grow(r)
				}
				if lo == hi {
					grow(lo)
					grow(lo + 1)
				}
			}
		}
		if !grown {
			break
		}
	}
	return p
}

// columns places the loop-back, the step column, the notes and the lanes.
func (p *page) columns() {
	c := p.c
	x := 0.0
	if c.Loop != nil {
		x = textWidth("forever", fontSize) + 14
		p.loopX = x
		x += 10
	}
	stepW := 30.0
	for _, r := range c.Rows {
		stepW = max(stepW, textWidth(r.Step, fontSize))
	}
	p.stepX = x + stepW/2
	x += stepW + 14
	for e := range 2 {
		p.noteW[e] = 40
		for _, r := range c.Rows {
			p.noteW[e] = max(p.noteW[e], textWidth(r.Notes[e], fontSize))
		}
		p.noteW[e] = max(p.noteW[e], textWidth(c.Rows[0].Notes[e], fontSize)+16)
		// The stuck notes take the column as the rows leave it, wrapped,
		// unless it is narrower than maxEndNoteW.
		p.noteW[e] = max(p.noteW[e], min(textWidth(c.EndNotes[e], fontSize), maxEndNoteW))
		p.endNotes[e] = wrapTo(c.EndNotes[e], p.noteW[e])
	}
	middle := minMiddle
	for _, s := range p.labelSize {
		middle = max(middle, s[0]+50)
	}
	p.laneX[model.A] = x + p.noteW[model.A] + noteGap
	p.laneX[model.B] = p.laneX[model.A] + middle
}

// rows places the rows: each as far below the one above as their notes
// need, and at least minRowGap, plus whatever extra space the labels asked
// for.
func (p *page) rows() {
	c := p.c
	height := func(r Row) float64 {
		n := max(lines(r.Notes[0]), lines(r.Notes[1]), lines(r.Step), 1)
		return float64(n) * lineHeight
	}
	p.rowY = make([]float64, len(c.Rows)+1)
	p.rowY[0] = 0
	for i := 1; i < len(c.Rows); i++ {
		gap := max(minRowGap, (height(c.Rows[i-1])+height(c.Rows[i]))/2+10)
		p.rowY[i] = p.rowY[i-1] + gap + p.gapExtra[i]
	}
	// The end row: open ends of segments still in flight, and the stuck
	// notes of a deadlock.
	// The stuck notes hang from it.
	n := len(c.Rows)
	p.rowY[n] = p.rowY[n-1] + max(minRowGap, (height(c.Rows[n-1])+lineHeight)/2+14) + p.gapExtra[n]
}

// ends places the crosses and open ends: a lost reply's a short way
// from the lane that could not send it, the others in the middle of their
// row, each where its text crosses fewest arrows.
func (p *page) ends() {
	c := p.c
	p.endAt = make([]point, len(c.Ends))
	p.endText = make([]rect, len(c.Ends))
	p.endTextAt = make([]point, len(c.Ends))
	owner := make([]int, len(c.Ends))
	for k, a := range c.Arrows {
		if a.End >= 0 {
			owner[a.End] = k
		}
	}
	p.from = make([]point, len(c.Arrows))
	p.to = make([]point, len(c.Arrows))
	for k, a := range c.Arrows {
		p.from[k] = point{p.laneX[a.Dir], p.rowY[a.From]}
		p.to[k] = point{p.laneX[a.Dir.Peer()], p.rowY[min(a.To, len(p.rowY)-1)]}
	}
	middle := p.laneX[1] - p.laneX[0]
	perRow := map[int]int{}
	for k, e := range c.Ends {
		if !c.Arrows[owner[k]].Lost {
			perRow[e.Row]++
		}
	}
	seen := map[int]int{}
	slot := make([]int, len(c.Ends)) // order on a row with several: A's ends first
	for _, dir := range []model.Dir{model.A, model.B} {
		for k, e := range c.Ends {
			if a := c.Arrows[owner[k]]; !a.Lost && a.Dir == dir && perRow[e.Row] > 1 {
				slot[k] = seen[e.Row]
				seen[e.Row]++
			}
		}
	}
	for k, e := range c.Ends {
		a := c.Arrows[owner[k]]
		sign := 1.0 // the direction the arrow goes: right from A, left from B
		if a.Dir == model.B {
			sign = -1
		}
		y := p.rowY[e.Row]
		var fs []float64 // where on the row, as a fraction of the way from the sender's lane
		switch {
		case a.Lost:
			fs = []float64{0.3}
		case perRow[e.Row] > 1:
			// Spread over the row, those from A left of those from B, so
			// that they do not cross.
			f := float64(slot[k]+1) / float64(perRow[e.Row]+1)
			if a.Dir == model.B {
				f = 1 - f
			}
			fs = []float64{f}
		case !e.Cross():
			fs = []float64{0.7, 0.6, 0.5}
		default:
			fs = []float64{0.5, 0.42, 0.58, 0.34, 0.66}
		}
		best := math.Inf(1)
		for _, f := range fs {
			at := point{p.laneX[a.Dir] + sign*f*middle, y}
			w := textWidth(e.Label, fontSize)
			side := sign // the text beyond the mark
			if perRow[e.Row] > 1 && !a.Lost {
				side = -sign // outwards, away from the other marks
			}
			tat := point{at.x + side*(8+w/2), y}
			if !e.Cross() {
				tat = point{at.x, y + lineHeight}
			}
			tr := centred(tat.x, tat.y, w+2, lineHeight+2)
			if e.Label == "" {
				tr = rect{}
			}
			score := 0.0
			for j := range c.Arrows {
				if j == owner[k] {
					continue
				}
				if e.Label != "" && tr.crosses(p.from[j], p.to[j]) {
					score++
				}
				if centred(at.x, at.y, 12, 12).crosses(p.from[j], p.to[j]) {
					score++
				}
			}
			if score < best {
				best = score
				p.endAt[k], p.endTextAt[k], p.endText[k] = at, tat, tr
			}
		}
		p.to[owner[k]] = p.endAt[k]
	}
}

// labels places each segment's label on its arrow: centred on it where
// it overlaps nothing, else further along it or just beside it. The
// arrows that span fewest rows go first: they have the least choice.
func (p *page) labels() {
	c := p.c
	p.label = make([]rect, len(c.Arrows))
	p.collisions = nil
	order := make([]int, len(c.Arrows))
	for k := range order {
		order[k] = k
	}
	span := func(k int) int { return abs(c.Arrows[k].To - c.Arrows[k].From) }
	sort.SliceStable(order, func(i, j int) bool { return span(order[i]) < span(order[j]) })
	type obstacle struct {
		r     rect
		owner int
	}
	// Obstacles and arrows are looked up by horizontal band, so that a
	// long trace does not cost the square of its length.
	const band = 48.0
	bandOf := func(y float64) int { return int(math.Floor(y / band)) }
	index := func(b map[int][]int, y0, y1 float64, id int) {
		for i := bandOf(min(y0, y1)); i <= bandOf(max(y0, y1)); i++ {
			b[i] = append(b[i], id)
		}
	}
	var taken []obstacle
	takenBands, arrowBands := map[int][]int{}, map[int][]int{}
	take := func(o obstacle) {
		taken = append(taken, o)
		index(takenBands, o.r.y0, o.r.y1, len(taken)-1)
	}
	for k, a := range c.Arrows {
		index(arrowBands, p.from[k].y, p.to[k].y, k)
		if a.End >= 0 {
			e := p.endAt[a.End]
			take(obstacle{centred(e.x, e.y, 12, 12), k})
			if c.Ends[a.End].Label != "" {
				take(obstacle{p.endText[a.End], k})
			}
		}
	}
	seenArrow := make([]int, len(c.Arrows)) // the candidate that last looked at each arrow
	var seenTaken []int
	candidate := 0
	lo, hi := p.laneX[0]+10, p.laneX[1]-10
	for _, k := range order {
		w, h := p.labelSize[k][0], p.labelSize[k][1]
		best, bestScore, bestHit := rect{}, math.Inf(1), -1
		for _, t := range []float64{0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82} {
			at := point{p.from[k].x + t*(p.to[k].x-p.from[k].x), p.from[k].y + t*(p.to[k].y-p.from[k].y)}
			for _, off := range []float64{0, h/2 + 9, -h/2 - 9} { // on the arrow, or clear of it and its cross
				r := centred(at.x, at.y+off, w, h)
				shift := 0.0
				if r.x0 < lo {
					shift = lo - r.x0
				} else if r.x1 > hi {
					shift = hi - r.x1
				}
				r.x0, r.x1 = r.x0+shift, r.x1+shift
				score := 8*math.Abs(t-0.5) + math.Abs(shift)*0.05
				if off != 0 {
					score += 12
				}
				candidate++
				for len(seenTaken) < len(taken) {
					seenTaken = append(seenTaken, 0)
				}
				hit := -1
				in := r.inset(1)
				for b := bandOf(r.y0 - 3); b <= bandOf(r.y1+3); b++ {
					for _, i := range takenBands[b] {
						if seenTaken[i] == candidate {
							continue
						}
						seenTaken[i] = candidate
						if r.inset(-3).overlaps(taken[i].r) {
							score += 1000
							hit = taken[i].owner
						}
					}
					for _, j := range arrowBands[b] {
						if seenArrow[j] == candidate {
							continue
						}
						seenArrow[j] = candidate
						if j != k && in.crosses(p.from[j], p.to[j]) {
							score += 15
						}
					}
				}
				if !r.inset(-10).crosses(p.from[k], p.to[k]) {
					score += 60 // too far from its own arrow to be read as its label
				}
				if t0, t1, ok := r.clip(p.from[k], p.to[k]); ok && t1-t0 > 0.5 {
					score += 40 * (t1 - t0 - 0.5) // it hides most of its own arrow
				}
				if score < bestScore {
					best, bestScore, bestHit = r, score, hit
				}
			}
		}
		p.label[k] = best
		take(obstacle{best, k})
		if bestHit >= 0 {
			p.collisions = append(p.collisions, [2]int{k, bestHit})
		} else if t0, t1, ok := best.clip(p.from[k], p.to[k]); ok && t1-t0 > maxHidden && c.Arrows[k].From != c.Arrows[k].To {
			// A tall label on a flat arrow hides it: a steeper arrow
			// shows more of itself.
			p.collisions = append(p.collisions, [2]int{k, k})
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// wrapTo breaks each line of s wider than w points at spaces, as wrap
// does.
func wrapTo(s string, w float64) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for textWidth(line, fontSize) > w {
			cut := -1
			for i := len(line) - 1; i > 0; i-- {
				if line[i] == ' ' && strings.TrimSpace(line[:i]) != "" && textWidth(line[:i], fontSize) <= w {
					cut = i
					break
				}
			}
			if cut < 0 {
				break
			}
			out = append(out, line[:cut])
			line = "  " + line[cut+1:]
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// wrap breaks each line of s longer than width characters at spaces.
func wrap(s string, width int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for len(line) > width {
			cut := strings.LastIndex(line[:width], " ")
			if cut <= 0 {
				break
			}
			out = append(out, line[:cut])
			line = "  " + line[cut+1:]
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// noteAt is where the notes of endpoint e at row i start: the x of their
// aligned edge (the right edge left of A's lane, the left edge right of
// B's) and the y of their first line's middle. A row's notes are centred
// on it; the stuck notes below the last row (i is len(Rows)) hang from
// the end row.
func (p *page) noteAt(i, e int) point {
	gap := noteGap
	if i == 0 {
		gap += 16 // beside the box A or B
	}
	x := p.laneX[e] - gap
	if e == 1 {
		x = p.laneX[e] + gap
	}
	if i == len(p.c.Rows) {
		return point{x, p.rowY[i]}
	}
	return point{x, p.rowY[i] - float64(lines(p.c.Rows[i].Notes[e])-1)*lineHeight/2}
}

// bottom is where the lanes end, below the end row.
func (p *page) bottom() float64 { return p.rowY[len(p.c.Rows)] + 12 }

// below is the lowest thing on the lanes: their end, or the stuck notes.
func (p *page) below() float64 {
	n := len(p.c.Rows)
	y := p.bottom()
	for e := range 2 {
		y = max(y, p.rowY[n]-lineHeight/2+float64(lines(p.endNotes[e]))*lineHeight)
	}
	return y
}

// A Layout is a Chart placed on a page, in points with y growing
// downwards: where each lane, row, note, arrow, label and end mark goes.
// The labels are where they overlap no other label and no end mark (the
// rows open up where they must). WriteSequenceDOT draws this placement
// through Graphviz; tcpcheck explore sends it to the browser, which draws
// it in SVG.
type Layout struct {
	Width    float64       `json:"width"`     // from the left edge to the end of B's notes
	Height   float64       `json:"height"`    // down to the lanes' end and the stuck notes
	LineH    float64       `json:"line_h"`    // the distance between two lines of text
	LoopX    float64       `json:"loop_x"`    // the x of a lasso's loop-back line
	StepX    float64       `json:"step_x"`    // the centre of the step column
	LaneX    [2]float64    `json:"lane_x"`    // A's lane, B's lane
	LaneEnd  float64       `json:"lane_end"`  // the y where the lanes end
	RowY     []float64     `json:"row_y"`     // each row's y, then the end row's (open ends, stuck notes)
	NoteW    [2]float64    `json:"note_w"`    // the width of the notes beside each lane
	Notes    [][2]Point    `json:"notes"`     // per row and endpoint, where its notes start (A's right-aligned, B's left-aligned); then the stuck notes'
	EndNotes [2]string     `json:"end_notes"` // the chart's EndNotes, wrapped to the width of the notes
	Arrows   []ArrowLayout `json:"arrows"`    // as Chart.Arrows
	Ends     []EndLayout   `json:"ends"`      // as Chart.Ends
}

// A Point is a position on a Layout's page: [x, y].
type Point [2]float64

// An ArrowLayout is where an arrow goes: from, to, and the box of its
// label, [x0, y0, x1, y1], its lines centred in it.
type ArrowLayout struct {
	From  Point      `json:"from"`
	To    Point      `json:"to"`
	Label [4]float64 `json:"label"`
}

// An EndLayout is where an end mark goes, and the centre of its text.
type EndLayout struct {
	At   Point `json:"at"`
	Text Point `json:"text"`
}

// Layout places c on a page.
func (c *Chart) Layout() *Layout {
	p := place(c)
	n := len(c.Rows)
	l := &Layout{
		Width: p.laneX[1] + noteGap + p.noteW[1], Height: p.below(), LineH: lineHeight,
		LoopX: p.loopX, StepX: p.stepX, LaneX: p.laneX, LaneEnd: p.bottom(), RowY: p.rowY, NoteW: p.noteW, EndNotes: p.endNotes,
		Arrows: []ArrowLayout{}, Ends: []EndLayout{}, // [] in JSON, not null, for a chart without segments
	}
	pt := func(q point) Point { return Point{q.x, q.y} }
	for i := 0; i <= n; i++ {
		l.Notes = append(l.Notes, [2]Point{pt(p.noteAt(i, 0)), pt(p.noteAt(i, 1))})
	}
	for k := range c.Arrows {
		r := p.label[k]
		l.Arrows = append(l.Arrows, ArrowLayout{From: pt(p.from[k]), To: pt(p.to[k]), Label: [4]float64{r.x0, r.y0, r.x1, r.y1}})
	}
	for k := range c.Ends {
		l.Ends = append(l.Ends, EndLayout{At: pt(p.endAt[k]), Text: pt(p.endTextAt[k])})
	}
	return l
}

// WriteSequenceDOT writes t as a sequence chart in Graphviz DOT, drawn the
// way networking textbooks draw TCP: A's lane on the left, B's on the
// right, time going down one row per step. Each segment is an arrow from
// the step that sent it to the step that delivered it, labelled as RFC
// 9293 writes segments (<SEQ=100><CTL=SYN>) and with whom it is from and
// to ("from A2 to B1"); duplicates and retransmissions say so. A dropped
// segment ends in a cross mid-way, an expired one in a cross marked
// "expired (MSL)", a reply lost for want of room in a dotted arrow to a
// cross marked "lost: no room", one still in flight at the end in an open
// arrowhead. A segment that is old for its receiver is dashed and grey and
// says why ("old: addressed to A1, A is now A2"). Beside the lanes: calls,
// timers, state changes, what an ACK acknowledged, and why a segment that
// arrives is answered as it is ("unacceptable ACK: reset", "not
// acceptable: ACK"). The last step of a violation is red and names the
// property; a witness names its goal; a no-deadlock violation says below
// each lane why that endpoint can never act again; a lasso's loop is a
// purple arrow back to where its cycle starts. A legend below says what
// the dashes, colours and crosses mean.
//
// The chart is laid out here, every node pinned (the DOT asks for
// Graphviz's neato layout, which keeps pinned positions), so that no label
// overlaps another. Render it with Render or `dot -Tsvg`.
func WriteSequenceDOT(w io.Writer, t *Trace) error {
	_, err := io.WriteString(w, sequenceDOT(NewChart(t)))
	return err
}

// sequenceDOT places c and writes it as DOT.
func sequenceDOT(c *Chart) string {
	p := place(c)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	pos := func(x, y float64) string { return fmt.Sprintf(`pos="%.3f,%.3f!"`, x/72, -y/72) }
	n := len(c.Rows)
	bottom, below := p.bottom(), p.below()

	w("digraph sequence {\n")
	w("\tgraph [layout=neato, splines=false, outputorder=edgesfirst, pad=0.25, fontname=\"Helvetica\", fontsize=13, labelloc=t, labeljust=c, label=%s];\n", quote(c.Title+"\n "))
	w("\tnode [fontname=\"Helvetica\", fontsize=%g, shape=plaintext, margin=0, width=0, height=0, label=\"\"];\n", fontSize)
	w("\tedge [fontname=\"Helvetica\", fontsize=%g, arrowsize=0.7];\n", fontSize)

	// The lanes, from the boxes A and B down past the last row.
	for e, name := range []string{"a", "b"} {
		x := p.laneX[e]
		w("\t%s0 [label=\"%s\", shape=box, style=\"rounded,filled\", fillcolor=\"#e3ecf6\", color=%s, fontsize=14, width=0.4, height=0.3, %s];\n", name, model.Endpoint(e), quote(laneColor), pos(x, 0))
		w("\t%send [shape=point, width=0.01, color=%s, %s];\n", name, quote(laneColor), pos(x, bottom))
		w("\t%s0 -> %send [arrowhead=none, color=%s, penwidth=2];\n", name, name, quote(laneColor))
	}

	// note writes the notes of endpoint e beside its lane, from at (see
	// page.noteAt): right-aligned left of A's lane, left-aligned right of
	// B's.
	note := func(id string, e int, text, color string, at point) {
		h := float64(lines(text)) * lineHeight
		x := at.x - p.noteW[e]/2
		if e == 1 {
			x = at.x + p.noteW[e]/2
		}
		w("\t%s [label=%s, %s];\n", id, htmlText(text, color, []string{"right", "left"}[e], p.noteW[e], h), pos(x, at.y-lineHeight/2+h/2))
	}

	// The rows: step, notes, and a dot where an arrow starts or ends.
	dots := map[string]bool{}
	dot := func(e model.Endpoint, row int, color string, size float64) {
		id := fmt.Sprintf("%s%d", lane(e), row)
		if row == 0 || dots[id] {
			return
		}
		dots[id] = true
		w("\t%s [shape=point, width=%.2f, color=%s, %s];\n", id, size, quote(color), pos(p.laneX[e], p.rowY[row]))
	}
	for i, row := range c.Rows {
		color := "black"
		if row.Hot {
			color = red
		}
		y := p.rowY[i]
		w("\t// row %d\n", i)
		w("\ts%d [label=%s, fontcolor=%s, %s];\n", i, quote(row.Step), quote(grey), pos(p.stepX, y))
		for e, name := range []string{"na", "nb"} {
			if row.Notes[e] == "" {
				continue
			}
			note(fmt.Sprintf("%s%d", name, i), e, row.Notes[e], color, p.noteAt(i, e))
		}
		for e := model.A; e <= model.B; e++ {
			if row.Event[e] {
				dot(e, i, color, 0.07)
			}
		}
	}
	// Below the last row: why each endpoint is stuck.
	for e, name := range []string{"na", "nb"} {
		if p.endNotes[e] != "" {
			note(fmt.Sprintf("%s%d", name, n), e, p.endNotes[e], red, p.noteAt(n, e))
		}
	}

	// The end marks.
	for k, e := range c.Ends {
		at, tat := p.endAt[k], p.endTextAt[k]
		color := endColor(e.Mark)
		if e.Cross() {
			w("\tx%d [label=\"✕\", fontsize=12, fontcolor=%s, width=0.16, height=0.16, fixedsize=true, %s];\n", k, quote(color), pos(at.x, at.y))
		} else {
			w("\tx%d [shape=point, width=0.01, color=%s, %s];\n", k, quote(grey), pos(at.x, at.y))
		}
		if e.Label != "" {
			w("\txt%d [label=%s, fontcolor=%s, %s];\n", k, quote(e.Label), quote(color), pos(tat.x, tat.y))
		}
	}

	// The segments, and their labels.
	for k, a := range c.Arrows {
		color := "black"
		switch {
		case a.Hot:
			color = red
		case a.Old != "":
			color = grey
		}
		from := fmt.Sprintf("%s%d", lane(a.Dir), a.From)
		if a.From == 0 {
			from = lane(a.Dir) + "0s" // a segment in flight from the start: below the box
			w("\t%s [shape=point, width=0.01, color=%s, %s];\n", from, quote(laneColor), pos(p.from[k].x, p.from[k].y+14))
		} else {
			dot(a.Dir, a.From, color, 0.01)
		}
		to := fmt.Sprintf("x%d", a.End)
		if a.End < 0 {
			dot(a.Dir.Peer(), a.To, color, 0.01)
			to = fmt.Sprintf("%s%d", lane(a.Dir.Peer()), a.To)
		}
		attrs := []string{"color=" + quote(color)}
		if a.Hot {
			attrs = append(attrs, "penwidth=1.6")
		}
		switch {
		case a.Lost:
			attrs = append(attrs, "style=dotted")
		case a.Old != "":
			attrs = append(attrs, "style=dashed")
		}
		if a.End >= 0 && !c.Ends[a.End].Cross() {
			attrs = append(attrs, "arrowhead=onormal")
		} else if a.End >= 0 {
			attrs = append(attrs, "arrowhead=none")
		}
		w("\t%s -> %s [%s];\n", from, to, strings.Join(attrs, ", "))
		r := p.label[k]
		w("\tl%d [label=%s, fontcolor=%s, shape=box, style=filled, fillcolor=white, color=white, penwidth=0, %s];\n",
			k, quote(a.Label), quote(color), pos((r.x0+r.x1)/2, (r.y0+r.y1)/2))
	}

	// A lasso's loop-back: from its last row up to the row its cycle
	// starts from, left of the step column.
	if l := c.Loop; l != nil && l.From != l.To {
		yf, yt := p.rowY[l.From], p.rowY[l.To]
		stub := p.stepX - textWidth(c.Rows[l.To].Step, fontSize)/2 - 4
		w("\tlp%d [shape=point, width=0.01, color=%s, %s];\n", l.From, quote(loopColor), pos(p.loopX, yf))
		w("\tlp%d [shape=point, width=0.01, color=%s, %s];\n", l.To, quote(loopColor), pos(p.loopX, yt))
		w("\tlps%d [shape=point, width=0.01, color=%s, %s];\n", l.From, quote(loopColor), pos(p.stepX-textWidth(c.Rows[l.From].Step, fontSize)/2-4, yf))
		w("\tlps%d [shape=point, width=0.01, color=%s, %s];\n", l.To, quote(loopColor), pos(stub, yt))
		w("\tlps%d -> lp%d [color=%s, penwidth=1.6, arrowhead=none];\n", l.From, l.From, quote(loopColor))
		w("\tlp%d -> lp%d [color=%s, penwidth=1.6, arrowhead=none];\n", l.From, l.To, quote(loopColor))
		w("\tlp%d -> lps%d [color=%s, penwidth=1.6];\n", l.To, l.To, quote(loopColor))
		w("\tlpt [label=%s, fontcolor=%s, %s];\n", quote("repeats\nforever"), quote(loopColor), pos(p.loopX-4-textWidth("forever", fontSize)/2, (yf+yt)/2))
	}

	// The verdict, below the middle, and the legend below it.
	fcolor := green
	if c.Bad {
		fcolor = red
	}
	footer := wrap(c.Footer, 90)
	fh := float64(lines(footer))*13 + 12
	y := below + 18 + fh/2
	mid := (p.laneX[0] + p.laneX[1]) / 2
	w("\tverdict [label=%s, fontcolor=%s, fontsize=12, shape=box, style=rounded, color=%s, margin=\"0.1,0.08\", %s];\n", quote(footer), quote(fcolor), quote(fcolor), pos(mid, y))
	y += fh/2 + 18
	tw := 0.0
	for _, e := range c.Legend {
		tw = max(tw, textWidth(e.Text, 9))
	}
	x0 := mid - (34+tw)/2
	for i, e := range c.Legend {
		ly := y + float64(i)*13
		if style, ok := legendLines[e.Mark]; ok {
			w("\tg%da [shape=point, width=0.01, color=white, %s];\n", i, pos(x0, ly))
			w("\tg%db [shape=point, width=0.01, color=white, %s];\n", i, pos(x0+26, ly))
			w("\tg%da -> g%db [%s];\n", i, i, style)
		} else {
			w("\tg%da [label=\"✕\", fontsize=11, fontcolor=%s, %s];\n", i, quote(endColor(e.Mark)), pos(x0+13, ly))
		}
		w("\tg%dt [label=%s, fontsize=9, %s];\n", i, htmlText(e.Text, "#444444", "left", tw, 11), pos(x0+34+tw/2, ly))
	}
	w("}\n")
	return b.String()
}

// legendLines are the DOT edge attributes of the sample line the legend
// draws for each mark that is a line; the others are crosses.
var legendLines = map[Mark]string{
	MarkSegment: `color="black"`,
	MarkOld:     fmt.Sprintf(`color=%q, style=dashed`, grey),
	MarkHot:     fmt.Sprintf(`color=%q, penwidth=1.6`, red),
	MarkLost:    `color="black", style=dotted, arrowhead=none`,
	MarkOpen:    `color="black", arrowhead=onormal`,
	MarkLoop:    fmt.Sprintf(`color=%q, penwidth=1.6`, loopColor),
}

// endColor is the colour of an end mark and its text: grey for a segment
// that expired or is still in flight, red for one the network lost.
func endColor(m Mark) string {
	if m == MarkExpired || m == MarkOpen {
		return grey
	}
	return red
}

// htmlText is a DOT HTML label for text in a box w points wide and h
// high, its lines aligned to the box's left or right: Graphviz aligns
// them, so that they line up whatever the font's real widths.
func htmlText(text, color, align string, w, h float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<<table border="0" cellborder="0" cellspacing="0" cellpadding="0"><tr><td fixedsize="true" width="%d" height="%d" align="%s" balign="%s"><font color="%s">`,
		int(math.Ceil(w)), int(math.Ceil(h)), align, align, color)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<br/>")
		}
		b.WriteString(html.EscapeString(line))
	}
	b.WriteString(`</font></td></tr></table>>`)
	return b.String()
}

func lane(e model.Endpoint) string { return [...]string{"a", "b"}[e] }

// quote writes s as a DOT string; newlines become \n.
func quote(s string) string {
	return `"` + strings.ReplaceAll(escape(s), "\n", `\n`) + `"`
}

// escape escapes the backslashes and quotes of s for a DOT string.
func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`)
}
