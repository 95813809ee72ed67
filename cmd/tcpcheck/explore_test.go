package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

// twoWaySettings are the small settings of main_test.go with the two-way
// handshake, under which no-stale-syn is violated at depth 4.
func twoWaySettings(t *testing.T) model.Settings {
	t.Helper()
	s := model.Defaults()
	for _, kv := range [][2]string{{"handshake", "two-way"}, {"seq-space", "8"}, {"opens", "1"}, {"data", "0"}, {"horizon", "6"}, {"loss", "unbounded"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// newExplorer returns an explorer for s, its start path unset.
func newExplorer(t *testing.T, s model.Settings) *explorer {
	t.Helper()
	x := &explorer{settings: s, stderr: io.Discard}
	if err := x.init(); err != nil {
		t.Fatal(err)
	}
	return x
}

// staleSynPath is the shortest counterexample of no-stale-syn under the
// two-way settings, found by the checker: connect A, close A, listen B,
// deliver the old SYN.
func staleSynPath(t *testing.T, x *explorer) []int {
	t.Helper()
	v := searchFor(t, x, "property", "no-stale-syn")
	if v.Status != properties.Violated || v.Depth != 4 {
		t.Fatalf("no-stale-syn: %s at depth %d, want violated at depth 4", v.Status, v.Depth)
	}
	return v.Path
}

func searchFor(t *testing.T, x *explorer, kind, name string) *searchView {
	t.Helper()
	rec := httptest.NewRecorder()
	x.apiSearch(rec, httptest.NewRequest("GET", "/api/search?"+kind+"="+name, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("search %s=%s: %d %s", kind, name, rec.Code, rec.Body)
	}
	var v searchView
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// serveExplorer serves x as explore does, on a loopback httptest server.
func serveExplorer(t *testing.T, x *explorer) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = x.handler(srv.Listener.Addr())
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, r.Header, string(b)
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	r, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

func TestExploreServesPageAndAssets(t *testing.T) {
	srv := serveExplorer(t, newExplorer(t, twoWaySettings(t)))
	for _, c := range []struct{ path, ctype, want string }{
		{"/", "text/html", `<script src="/app.js">`},
		{"/app.js", "text/javascript", "renderChart"},
		{"/style.css", "text/css", ".endpoint"},
	} {
		code, h, body := get(t, srv.URL+c.path)
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), c.ctype) || !strings.Contains(body, c.want) {
			t.Errorf("GET %s: %d %q, body has %q: %v", c.path, code, h.Get("Content-Type"), c.want, strings.Contains(body, c.want))
		}
	}
	// Nothing from elsewhere: the page must work offline.
	_, _, page := get(t, srv.URL+"/")
	_, _, js := get(t, srv.URL+"/app.js")
	for _, s := range []string{page, js} {
		if strings.Contains(s, "http://") || strings.Contains(s, "https://") {
			if strings.Contains(strings.ReplaceAll(s, "http://www.w3.org/2000/svg", ""), "://") {
				t.Errorf("an asset refers to another site")
			}
		}
	}
}

func TestExploreNotFound(t *testing.T) {
	srv := serveExplorer(t, newExplorer(t, twoWaySettings(t)))
	for _, p := range []string{"/index.html", "/explore/app.js", "/app.js/x", "/api", "/api/", "/api/nope", "/favicon.ico", "/../go.mod", "/explore.go"} {
		if code, _, _ := get(t, srv.URL+p); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
	}
}

func TestExploreRefusesForeignHost(t *testing.T) {
	srv := serveExplorer(t, newExplorer(t, twoWaySettings(t)))
	req, _ := http.NewRequest("GET", srv.URL+"/api/info", nil)
	req.Host = "attacker.example:80"
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("Host attacker.example: %d, want 403", r.StatusCode)
	}
	req.Host = "localhost"
	if r, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Errorf("Host localhost: %d, want 200", r.StatusCode)
	}
}

func TestExploreInfo(t *testing.T) {
	x := newExplorer(t, twoWaySettings(t))
	x.start, x.startName = []int{0, 0}, "no-stale-syn"
	srv := serveExplorer(t, x)
	code, _, body := get(t, srv.URL+"/api/info")
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	var v infoView
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"handshake=two-way", "horizon=6", "seq-space=8", "loss=unbounded", "opens=1", "data=0"}, v.Changed); diff != "" {
		t.Errorf("changed settings (-want +got):\n%s", diff)
	}
	// The seven safety properties, then the six of liveness.
	if len(v.Properties) != 13 || v.Properties[0].Name != "no-stale-syn" || v.Properties[0].Reason == "" ||
		v.Properties[6].Liveness || !v.Properties[7].Liveness || v.Properties[7].Name != "syn-sent-resolves" {
		t.Errorf("properties: %+v", v.Properties)
	}
	if len(v.Goals) != 25 || len(v.Settings) != len(model.SettingNames()) {
		t.Errorf("%d goals, %d settings", len(v.Goals), len(v.Settings))
	}
	if diff := cmp.Diff([]int{0, 0}, v.Start); diff != "" || v.StartName != "no-stale-syn" {
		t.Errorf("start %v %q", v.Start, v.StartName)
	}
}

// brief is the part of a row the tests compare.
type brief struct {
	Action     string
	A, B       string
	AB, BA     []string
	Violations []string
}

func briefs(v *traceView) []brief {
	var out []brief
	for _, r := range v.Rows {
		b := brief{A: r.Endpoints[0].State, B: r.Endpoints[1].State, Violations: r.Violations}
		if r.Action != nil {
			b.Action = r.Action.Text
		}
		for _, g := range r.Network[0] {
			b.AB = append(b.AB, g.Text)
		}
		for _, g := range r.Network[1] {
			b.BA = append(b.BA, g.Text)
		}
		out = append(out, b)
	}
	return out
}

func traceAt(t *testing.T, srv *httptest.Server, path []int, at int) *traceView {
	t.Helper()
	return postTrace(t, srv, map[string]any{"path": path, "at": at})
}

// postTrace asks the server for the view of a trace, as the page does.
func postTrace(t *testing.T, srv *httptest.Server, req map[string]any) *traceView {
	t.Helper()
	body, _ := json.Marshal(req)
	code, out := post(t, srv.URL+"/api/trace", string(body))
	if code != http.StatusOK {
		t.Fatalf("POST /api/trace %s: %d %s", body, code, out)
	}
	var v traceView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func TestExploreTraceStaleSyn(t *testing.T) {
	x := newExplorer(t, twoWaySettings(t))
	srv := serveExplorer(t, x)
	path := staleSynPath(t, x)
	v := traceAt(t, srv, path, 3)
	want := []brief{
		{A: "CLOSED", B: "CLOSED", Violations: []string{}},
		{Action: "connect A ISS=0", A: "SYN-SENT", B: "CLOSED", AB: []string{"<SEQ=0><CTL=SYN>"}, Violations: []string{}},
		{Action: "close A", A: "CLOSED", B: "CLOSED", AB: []string{"<SEQ=0><CTL=SYN>"}, Violations: []string{}},
		{Action: "listen B", A: "CLOSED", B: "LISTEN", AB: []string{"<SEQ=0><CTL=SYN>"}, Violations: []string{}},
		{Action: "deliver A->B <SEQ=0><CTL=SYN>", A: "CLOSED", B: "ESTABLISHED", BA: []string{"<SEQ=1><ACK=1><CTL=SYN,ACK>"},
			Violations: []string{"no-stale-syn", "no-half-open"}},
	}
	if diff := cmp.Diff(want, briefs(v)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if v.At != 3 || v.Rows[4].Endpoints[1].Stale != true || v.Rows[1].Endpoints[0].Rtx == nil || *v.Rows[1].Endpoints[0].Rtx != 2 {
		t.Errorf("at %d, B stale %v, A rtx %v", v.At, v.Rows[4].Endpoints[1].Stale, v.Rows[1].Endpoints[0].Rtx)
	}
	// The actions enabled after listen B, in model.Next's order; the old
	// SYN's delivery is the path's next step.
	var enabled []string
	for i, a := range v.Enabled {
		if a.Index != i {
			t.Errorf("enabled[%d].index = %d", i, a.Index)
		}
		enabled = append(enabled, a.Text)
	}
	if diff := cmp.Diff([]string{"close B", "deliver A->B <SEQ=0><CTL=SYN>", "drop A->B <SEQ=0><CTL=SYN>", "tick"}, enabled); diff != "" {
		t.Errorf("enabled at row 3 (-want +got):\n%s", diff)
	}
	if v.Enabled[path[3]].Text != "deliver A->B <SEQ=0><CTL=SYN>" {
		t.Errorf("path[3] = %d is %q", path[3], v.Enabled[path[3]].Text)
	}
	// The chart's data: A1's SYN from row 1 to row 4 (stale by then, as A1
	// has closed, but not old: B is in LISTEN), and B1's SYN-ACK to A1
	// still in flight, to an open end below the last row; the chart is the
	// one tcpcheck render draws, placed.
	wantArrows := []traces.Arrow{
		{From: 1, To: 4, Dir: model.A, Label: "<SEQ=0><CTL=SYN>\nfrom A1 to B?", End: -1, Hot: true},
		{From: 4, To: 5, Dir: model.B, Label: "<SEQ=1><ACK=1><CTL=SYN,ACK>\nfrom B1 to A1", End: 0, Hot: true},
	}
	if diff := cmp.Diff(wantArrows, v.Chart.Arrows); diff != "" {
		t.Errorf("arrows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]traces.ArrowEnd{{Row: 5, Mark: traces.MarkOpen, Label: "in flight"}}, v.Chart.Ends); diff != "" {
		t.Errorf("ends (-want +got):\n%s", diff)
	}
	tr, err := traces.Follow(x.m, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.label(tr, ""); err != nil {
		t.Fatal(err)
	}
	c := traces.NewChart(tr)
	if diff := cmp.Diff(c, v.Chart); diff != "" {
		t.Errorf("chart differs from traces.NewChart's (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c.Layout(), v.Layout); diff != "" {
		t.Errorf("layout differs from Chart.Layout's (-want +got):\n%s", diff)
	}
}

// TestExploreFreeStep: from the violating state, A answers the SYN-ACK with
// a reset, and the reset closes B's half-open connection.
func TestExploreFreeStep(t *testing.T) {
	x := newExplorer(t, twoWaySettings(t))
	srv := serveExplorer(t, x)
	path := staleSynPath(t, x)
	find := func(v *traceView, text string) int {
		for _, a := range v.Enabled {
			if a.Text == text {
				return a.Index
			}
		}
		t.Fatalf("%q is not enabled: %+v", text, v.Enabled)
		return -1
	}
	v := traceAt(t, srv, path, 4)
	path = append(path, find(v, "deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>"))
	v = traceAt(t, srv, path, 5)
	path = append(path, find(v, "deliver A->B <SEQ=1><CTL=RST>"))
	v = traceAt(t, srv, path, 6)
	got := briefs(v)[5:]
	want := []brief{
		{Action: "deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>", A: "CLOSED", B: "ESTABLISHED", AB: []string{"<SEQ=1><CTL=RST>"}, Violations: []string{}},
		{Action: "deliver A->B <SEQ=1><CTL=RST>", A: "CLOSED", B: "CLOSED", Violations: []string{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("free steps (-want +got):\n%s", diff)
	}
	// Going back is asking for an earlier row of the same path.
	if v := traceAt(t, srv, path, 2); v.At != 2 || len(v.Rows) != 7 || v.Rows[2].Endpoints[0].State != "CLOSED" {
		t.Errorf("back to row 2: at %d, %d rows", v.At, len(v.Rows))
	}
}

func TestExploreSearchCaches(t *testing.T) {
	x := newExplorer(t, twoWaySettings(t))
	first := searchFor(t, x, "property", "no-stale-syn")
	if diff := cmp.Diff([]int{0, 0, 0, 1}, first.Path); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
	if len(x.cache) != 1 {
		t.Errorf("cache holds %d answers, want 1", len(x.cache))
	}
	if again := searchFor(t, x, "property", "no-stale-syn"); !cmp.Equal(first, again) {
		t.Errorf("second answer differs: %+v, %+v", first, again)
	}
	if v := searchFor(t, x, "property", "isn-agreement"); v.Status != properties.Holds || v.Path != nil || v.Within != 6 {
		t.Errorf("isn-agreement: %+v", v)
	}
	v := searchFor(t, x, "goal", "B-ESTABLISHED")
	if v.Status != properties.Reached || v.Kind != "goal" || len(v.Path) != v.Depth {
		t.Errorf("B-ESTABLISHED: %+v", v)
	}
}

func TestExploreBadRequests(t *testing.T) {
	x := newExplorer(t, twoWaySettings(t))
	srv := serveExplorer(t, x)
	for _, c := range []struct {
		name, method, url, body, want string
	}{
		{"not JSON", "POST", "/api/trace", "{path:", "bad JSON"},
		{"unknown field", "POST", "/api/trace", `{"path":[],"steps":[1]}`, `unknown field "steps"`},
		{"data after", "POST", "/api/trace", `{"path":[]} {}`, "data after"},
		{"path not a list", "POST", "/api/trace", `{"path":"0,1"}`, "bad JSON"},
		{"action out of range", "POST", "/api/trace", `{"path":[0,0,0,9]}`, "step 4: action 9 is not enabled (4 actions are enabled: 0 to 3)"},
		{"negative action", "POST", "/api/trace", `{"path":[-1]}`, "step 1: action -1 is not enabled"},
		{"row past the end", "POST", "/api/trace", `{"path":[0],"at":2}`, "at: row 2 is outside the path (want 0 to 1)"},
		{"negative row", "POST", "/api/trace", `{"path":[0],"at":-1}`, "row -1 is outside"},
		{"unknown property", "GET", "/api/search?property=no-such", "", `unknown property "no-such"`},
		{"unknown goal", "GET", "/api/search?goal=C-CLOSED", "", `unknown goal "C-CLOSED"`},
		{"no question", "GET", "/api/search", "", "give one of"},
		{"two questions", "GET", "/api/search?property=no-stale-syn&goal=A-CLOSED", "", "give one of"},
		{"bad format", "GET", "/api/download?format=gif&path=0", "", `format "gif" is not one of text, json, dot, svg, png`},
		{"unknown trace name", "POST", "/api/trace", `{"path":[0],"name":"nope"}`, `"nope" is neither a property nor a goal`},
		{"lasso that does not close", "POST", "/api/trace", `{"path":[0,0],"loop_at":0}`, "loop_at: the state after step 0 is not the last state"},
		{"bad path", "GET", "/api/download?format=json&path=0,x", "", `step 2: "x" is not an action index`},
		{"path not enabled", "GET", "/api/download?format=dot&path=7", "", "step 1: action 7 is not enabled"},
		{"unknown name", "GET", "/api/download?format=json&path=0&name=nope", "", `"nope" is neither a property nor a goal`},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.url, strings.NewReader(c.body))
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			msg := string(b)
			if r.StatusCode != http.StatusBadRequest || !strings.Contains(msg, c.want) {
				t.Errorf("%d %q, want 400 with %q", r.StatusCode, msg, c.want)
			}
			if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") {
				t.Errorf("message is not one line: %q", msg)
			}
		})
	}
	// And the server still answers.
	if v := traceAt(t, srv, []int{0}, 1); v.Rows[1].Endpoints[0].State != "SYN-SENT" {
		t.Errorf("after the bad requests: %+v", v.Rows[1])
	}
}

func TestExploreDownload(t *testing.T) {
	x := newExplorer(t, twoWaySettings(t))
	srv := serveExplorer(t, x)
	path := staleSynPath(t, x)
	p := pathParam(path)

	code, h, body := get(t, srv.URL+"/api/download?format=json&name=no-stale-syn&path="+p)
	if code != http.StatusOK || h.Get("Content-Disposition") != `attachment; filename="tcpcheck-no-stale-syn.json"` {
		t.Fatalf("json: %d %v %s", code, h, body)
	}
	tr, err := traces.ReadJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Kind != traces.Violation || tr.Name != "no-stale-syn" || tr.Depth() != 4 || tr.Settings != x.settings {
		t.Errorf("json: %s %s depth %d", tr.Kind, tr.Name, tr.Depth())
	}
	// Without a name, the first property the last step violates names it;
	// a path that violates nothing is an explored path.
	_, _, body = get(t, srv.URL+"/api/download?format=json&path="+p)
	if tr, err = traces.ReadJSON(strings.NewReader(body)); err != nil || tr.Name != "no-stale-syn" {
		t.Errorf("unnamed: %v %v", tr, err)
	}
	_, _, body = get(t, srv.URL+"/api/download?format=json&path=0,0&name=A-CLOSED")
	if tr, err = traces.ReadJSON(strings.NewReader(body)); err != nil || tr.Kind != traces.Witness || tr.Name != "A-CLOSED" {
		t.Errorf("goal: %v %v", tr, err)
	}
	_, _, body = get(t, srv.URL+"/api/download?format=json&path=0&name=A-CLOSED")
	if tr, err = traces.ReadJSON(strings.NewReader(body)); err != nil || tr.Kind != traces.Witness || tr.Name != "explored path" {
		t.Errorf("goal not reached: %v %v", tr, err)
	}

	code, h, body = get(t, srv.URL+"/api/download?format=dot&name=no-stale-syn&path="+p)
	if code != http.StatusOK || !strings.HasPrefix(body, "digraph sequence") || !strings.Contains(body, "violation: no-stale-syn") {
		t.Errorf("dot: %d %v %.200s", code, h, body)
	}
	code, h, body = get(t, srv.URL+"/api/download?format=text&path="+p)
	if code != http.StatusOK || h.Get("Content-Disposition") != `attachment; filename="tcpcheck-no-stale-syn.txt"` || !strings.Contains(body, "deliver A->B <SEQ=0><CTL=SYN>") {
		t.Errorf("text: %d %v %.200s", code, h, body)
	}
	code, h, body = get(t, srv.URL+"/api/download?format=svg&path="+p)
	switch code {
	case http.StatusOK:
		if h.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<svg") {
			t.Errorf("svg: %v %.200s", h, body)
		}
	case http.StatusNotImplemented: // no Graphviz here
		if !strings.Contains(body, "Graphviz") {
			t.Errorf("svg without Graphviz: %q", body)
		}
	default:
		t.Errorf("svg: %d %s", code, body)
	}
}

func TestExploreDownloadSVGWithoutGraphviz(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	srv := serveExplorer(t, newExplorer(t, twoWaySettings(t)))
	code, _, body := get(t, srv.URL+"/api/download?format=svg&path=0")
	if code != http.StatusNotImplemented || !strings.Contains(body, "apt-get install graphviz") || strings.Count(body, "\n") != 1 {
		t.Errorf("%d %q, want 501 and how to install Graphviz", code, body)
	}
	var v infoView
	_, _, info := get(t, srv.URL+"/api/info")
	if err := json.Unmarshal([]byte(info), &v); err != nil || v.Graphviz {
		t.Errorf("info says graphviz=%v (%v)", v.Graphviz, err)
	}
}

// pathParam writes a path as /api/download takes it: 0,0,0,1.
func pathParam(path []int) string {
	var s []string
	for _, i := range path {
		s = append(s, strconv.Itoa(i))
	}
	return strings.Join(s, ",")
}

func TestExploreCommandLine(t *testing.T) {
	// A trace file brings its settings and the path the page opens on.
	x := newExplorer(t, twoWaySettings(t))
	path := staleSynPath(t, x)
	tr, err := x.replay(path)
	if err != nil {
		t.Fatal(err)
	}
	tr.Kind, tr.Name = traces.Violation, "no-stale-syn"
	file := filepath.Join(t.TempDir(), "stale.json")
	var b bytes.Buffer
	if err := traces.WriteJSON(&b, tr); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, opt, err := parseExplore([]string{file, "--addr", "127.0.0.1:9999"}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got.settings != x.settings || !cmp.Equal(got.start, path) || got.startName != "no-stale-syn" || opt.addr != "127.0.0.1:9999" || opt.browser {
		t.Errorf("from a file: settings %s, start %v %q, addr %q", got.settings, got.start, got.startName, opt.addr)
	}
	// Settings flags, and the defaults: loopback, any free port.
	got, opt, err = parseExplore([]string{"--handshake", "two-way"}, io.Discard, io.Discard)
	if err != nil || got.settings.Handshake != model.TwoWay || got.start != nil || opt.addr != "127.0.0.1:0" {
		t.Errorf("settings flags: %v %+v %v", err, got, opt)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{file, file}, "at most one trace file"},
		{[]string{file, "--handshake", "two-way"}, "--handshake: a trace file brings its own settings"},
		{[]string{filepath.Join(t.TempDir(), "none.json")}, "no such file"},
		{[]string{"--msl", "0"}, "msl: 0 is out of range"},
		{[]string{"--nope"}, "unknown option --nope (see 'tcpcheck explore -h'"},
		{[]string{"--addr", "256.0.0.1:1"}, "--addr"},
	} {
		status, _, stderr := runCmd(t, append([]string{"explore"}, c.args...)...)
		if status != exitUsage || !strings.Contains(stderr, c.want) || !strings.HasPrefix(stderr, "tcpcheck: ") {
			t.Errorf("explore %v: status %d, stderr %q, want 2 and %q", c.args, status, stderr, c.want)
		}
	}
	if status, out, _ := runCmd(t, "explore", "-h"); status != exitHolds || !strings.Contains(out, "Usage: tcpcheck explore") || !strings.Contains(out, "-browser") {
		t.Errorf("explore -h: %d %s", status, out)
	}
}

// TestExploreServeShutsDown: serve stops cleanly when its context ends.
func TestExploreServeShutsDown(t *testing.T) {
	x := newExplorer(t, twoWaySettings(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- x.serve(ctx, ln) }()
	if code, _, _ := get(t, "http://"+ln.Addr().String()+"/api/info"); code != http.StatusOK {
		t.Fatalf("info: %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		t.Errorf("still serving after shutdown")
	}
}

// TestExploreTraceChartVerdict: a path the page names gets the chart's
// verdict (here a lasso's, with its loop and the search's note of who
// stays where forever); a path that shows nothing gets none.
func TestExploreTraceChartVerdict(t *testing.T) {
	s := model.Defaults()
	for _, kv := range [][2]string{{"seq-space", "4"}, {"window", "1"}, {"opens", "1"}, {"loss", "unbounded"}, {"data", "0"}, {"msl", "1"}, {"horizon", "0"}, {"retransmit", "off"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	x := newExplorer(t, s)
	srv := serveExplorer(t, x)
	lasso := searchFor(t, x, "property", "syn-sent-resolves")
	if lasso.LoopAt == nil {
		t.Fatalf("syn-sent-resolves: %+v, want a lasso", lasso)
	}
	v := postTrace(t, srv, map[string]any{"path": lasso.Path, "at": 0, "name": "syn-sent-resolves", "loop_at": *lasso.LoopAt})
	if l := v.Chart.Loop; l == nil || l.From != len(v.Chart.Rows)-1 || !strings.Contains(v.Chart.Footer, "syn-sent-resolves is violated: after step") ||
		!strings.Contains(v.Chart.Footer, "stays in SYN-SENT forever") {
		t.Errorf("lasso chart: loop %+v, footer %q", v.Chart.Loop, v.Chart.Footer)
	}
	if v := traceAt(t, srv, lasso.Path[:1], 1); v.Chart.Footer != "" || v.Chart.Loop != nil {
		t.Errorf("explored path: footer %q, loop %+v", v.Chart.Footer, v.Chart.Loop)
	}
}
