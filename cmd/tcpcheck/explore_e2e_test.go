package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

var screenshots = flag.String("screenshots", "", "directory in which TestExploreInBrowser saves explore-first.png, explore-violation.png and explore-free.png (e.g. ../../docs)")

// chromium finds a Chromium or Chrome to drive, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestExploreInBrowser drives the page in a headless Chromium through the
// two-way stale-SYN counterexample, which it opens at its violating step:
// it steps forwards and backwards with the buttons and the arrow keys,
// checks both endpoints' states at every step, then explores freely from
// the violating state (A resets B's half-open connection).
func TestExploreInBrowser(t *testing.T) {
	exe := chromium()
	if exe == "" {
		t.Skip("no Chromium: install the Debian package chromium to run this test")
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}

	x := newExplorer(t, twoWaySettings(t))
	x.start, x.startName = staleSynPath(t, x), "no-stale-syn"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stopServer := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- x.serve(srvCtx, ln) }()
	defer func() {
		stopServer()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	url := "http://" + ln.Addr().String() + "/"

	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	// Without the background-networking flags Chromium's own connections
	// are refused on some machines, and it is slow to start.
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	// Start the browser under ctx itself: the first action's context owns
	// it, and the actions below run under shorter ones.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		dctx, done := context.WithTimeout(ctx, 15*time.Second)
		defer done()
		if err := chromedp.Do(dctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// text reads the element with this data-testid.
	text := func(testid string) string {
		t.Helper()
		tctx, done := context.WithTimeout(ctx, 5*time.Second)
		defer done()
		s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(fmt.Sprintf(`[data-testid=%q]`, testid))))
		if err != nil {
			t.Fatalf("text of %s: %v", testid, err)
		}
		return strings.TrimSpace(s)
	}
	// expect waits until the page shows row at of n, then checks both
	// endpoints' states.
	expect := func(at, n int, a, b string) {
		t.Helper()
		want := fmt.Sprintf("step %d of %d", at, n)
		js := fmt.Sprintf(`document.getElementById("position").textContent === %q`, want)
		if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("waiting for %q: %v (position %q)", want, err, text("position"))
		}
		if gotA, gotB := text("state-A"), text("state-B"); gotA != a || gotB != b {
			t.Errorf("%s: A %s, B %s; want A %s, B %s", want, gotA, gotB, a, b)
		}
	}
	shot := func(name string) {
		t.Helper()
		if *screenshots == "" {
			return
		}
		img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if img, err = shrinkPNG(img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*screenshots, name), img, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d KB)", name, len(img)/1024)
	}
	click := func(id string) { t.Helper(); do("click #"+id, chromedp.Click(chromedp.ID(id))) }
	key := func(k string) { t.Helper(); do("key", chromedp.KeyEvent(k)) }
	// takeAction clicks the enabled action with this exact text.
	takeAction := func(action string) {
		t.Helper()
		sel := chromedp.Search(fmt.Sprintf(`//ol[@id="actions"]//button[text()=%q]`, action))
		do("take "+action, chromedp.Click(sel))
	}

	do("load the page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(url))
	// The counterexample opens at its violating step.
	expect(4, 4, "CLOSED", "ESTABLISHED")
	key(kb.Home)
	expect(0, 4, "CLOSED", "CLOSED")
	if got := text("label"); got != "shortest counterexample of no-stale-syn" {
		t.Errorf("label %q", got)
	}
	key(kb.ArrowRight)
	expect(1, 4, "SYN-SENT", "CLOSED")
	if got := text("net-ab"); !strings.Contains(got, "<SEQ=0><CTL=SYN>") || !strings.Contains(got, "age 0") {
		t.Errorf("A->B at step 1: %q", got)
	}
	shot("explore-first.png")
	click("next")
	expect(2, 4, "CLOSED", "CLOSED")
	key(kb.ArrowRight)
	expect(3, 4, "CLOSED", "LISTEN")
	click("next")
	expect(4, 4, "CLOSED", "ESTABLISHED")
	if got := text("step"); !strings.Contains(got, "deliver A->B <SEQ=0><CTL=SYN>") || !strings.Contains(got, "violates no-stale-syn") {
		t.Errorf("step 4 box: %q", got)
	}
	shot("explore-violation.png")
	// The chart fits its box's width and the page the window's (no
	// horizontal scrollbar), and no two of the chart's texts overlap.
	overlaps, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const box = document.getElementById("chart");
		if (box.scrollWidth > box.clientWidth) return "the chart is wider than its box: " + box.scrollWidth + " > " + box.clientWidth;
		const page = document.documentElement;
		if (page.scrollWidth > page.clientWidth) return "the page is wider than the window: " + page.scrollWidth + " > " + page.clientWidth;
		const r = [...box.querySelectorAll("text.seglabel, text.note, text.endtext")].map((t) => [t.textContent, t.getBoundingClientRect()]);
		for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
			const [a, p] = r[i], [b, q] = r[j];
			if (p.width && q.width && p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1) return a + " overlaps " + b;
		}
		return "";
	})()`))
	if err != nil {
		t.Fatalf("chart labels: %v", err)
	}
	if overlaps != "" {
		t.Errorf("chart: %s", overlaps)
	}
	// Back with the button and the key, forward to the end again.
	click("prev")
	expect(3, 4, "CLOSED", "LISTEN")
	key(kb.ArrowLeft)
	expect(2, 4, "CLOSED", "CLOSED")
	click("first")
	expect(0, 4, "CLOSED", "CLOSED")
	key(kb.End)
	expect(4, 4, "CLOSED", "ESTABLISHED")

	// Free steps: A, CLOSED, answers B's SYN-ACK with a reset, and the
	// reset closes B's half-open connection.
	takeAction("deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>")
	expect(5, 5, "CLOSED", "ESTABLISHED")
	if got := text("net-ab"); !strings.Contains(got, "<SEQ=1><CTL=RST>") {
		t.Errorf("A->B after the SYN-ACK: %q", got)
	}
	if got := text("label"); got != "explored path" {
		t.Errorf("label after a free step: %q", got)
	}
	takeAction("deliver A->B <SEQ=1><CTL=RST>")
	expect(6, 6, "CLOSED", "CLOSED")
	shot("explore-free.png")
	// A free step from an earlier row drops the later ones.
	click("first")
	expect(0, 6, "CLOSED", "CLOSED")
	takeAction("listen B")
	expect(1, 1, "CLOSED", "LISTEN")
	// A path without a segment draws a chart without arrows, and no error.
	do("no error without segments", chromedp.Poll[chromedp.Void](`document.getElementById("error").hidden`, chromedp.WithPollingTimeout(2*time.Second)))

	// Back to the counterexample through the property catalog: it opens at
	// its last step, the violation.
	do("search no-stale-syn", chromedp.Click(chromedp.CSS(`[data-testid="search-no-stale-syn"]`)))
	expect(4, 4, "CLOSED", "ESTABLISHED")
	if got := text("search-status"); !strings.Contains(got, "no-stale-syn is violated at depth 4") {
		t.Errorf("search status %q", got)
	}
	// And to a goal's witness.
	do("witness of B-ESTABLISHED",
		chromedp.SetValue(chromedp.ID("goal"), "B-ESTABLISHED"),
		chromedp.Click(chromedp.ID("goal-go")),
		chromedp.Poll[chromedp.Void](`document.getElementById("label").textContent === "shortest witness of B-ESTABLISHED"`))
	key(kb.End)
	js := `document.getElementById("state-B").textContent === "ESTABLISHED" && /^step (\d+) of \1$/.test(document.getElementById("position").textContent)`
	do("the witness's last step", chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second)))
}

// shrinkPNG re-encodes a screenshot with a palette of its 256 most common
// colours: a page is mostly flat colours, so it reads the same at a
// fraction of the size.
func shrinkPNG(b []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	r := img.Bounds()
	freq := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			freq[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	colors := make([]color.RGBA, 0, len(freq))
	for c := range freq {
		colors = append(colors, c)
	}
	sort.Slice(colors, func(i, j int) bool {
		if freq[colors[i]] != freq[colors[j]] {
			return freq[colors[i]] > freq[colors[j]]
		}
		a, b := colors[i], colors[j]
		return uint32(a.R)<<16|uint32(a.G)<<8|uint32(a.B) < uint32(b.R)<<16|uint32(b.G)<<8|uint32(b.B)
	})
	pal := make(color.Palette, 0, 256)
	for _, c := range colors[:min(256, len(colors))] {
		pal = append(pal, c)
	}
	out := image.NewPaletted(r, pal)
	index := map[color.RGBA]uint8{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			i, ok := index[c]
			if !ok {
				i = uint8(pal.Index(c))
				index[c] = i
			}
			out.SetColorIndex(x, y, i)
		}
	}
	var w bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&w, out); err != nil {
		return nil, err
	}
	return w.Bytes(), nil
}
