package main

// tcpcheck explore: a trace explorer in the browser.
//
// The explorer is a small HTTP server on loopback with its page embedded.
// As porcupine's visualization does, it builds plain data first (the
// structs below, sent as JSON) and only then pours it into the page
// (explore/index.html, app.js, style.css), which draws the endpoints, the
// network and the sequence chart in SVG, without Graphviz. The chart is
// traces.Chart and its traces.Layout, the view model tcpcheck render draws
// too: the page knows no TCP rule, it draws what it is sent.
//
// A path is a list of action indices from the initial state: index i at
// step k is the i-th action model.Next yields from the state before step k.
// The model is deterministic, so a path names one trace, and the server
// keeps no session: every request carries its path. The API:
//
//	GET  /api/info                          settings, properties, goals, the starting path
//	POST /api/trace {"path":[..],"at":k}    the trace of path, row k in detail (enabled actions), its chart
//	                                        ("name":N names what it shows, "loop_at":i makes it a lasso)
//	GET  /api/search?property=NAME          a property's shortest counterexample (or ?goal=NAME: a witness)
//	GET  /api/download?format=F&path=0,2,1  the trace in one of traces.Formats (&name=N names what it shows)
//
// A bad request (bad JSON, an index that is not an enabled action, a row
// outside the path, an unknown property) gets 400 and a one-line message.

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

//go:embed explore/index.html explore/app.js explore/style.css
var exploreAssets embed.FS

// maxPath bounds the length of a path in a request.
const maxPath = 10000

func cmdExplore(args []string, stdout, stderr io.Writer) (int, error) {
	x, opt, err := parseExplore(args, stdout, stderr)
	if err != nil {
		if err == flag.ErrHelp {
			return exitHolds, nil
		}
		return 0, err
	}
	ln, err := net.Listen("tcp", opt.addr)
	if err != nil {
		return 0, usagef("--addr: %v", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "tcpcheck explore: serving on %s (Ctrl-C to stop)\n", url)
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(stderr, "tcpcheck explore: warning: %s is not a loopback address; anyone who can reach it can use the explorer\n", ln.Addr())
	}
	if opt.browser {
		openBrowser(url, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := x.serve(ctx, ln); err != nil {
		return 0, err
	}
	fmt.Fprintln(stdout, "tcpcheck explore: stopped")
	return exitHolds, nil
}

// exploreOptions are the flags of explore that are not the explorer's.
type exploreOptions struct {
	addr    string
	browser bool
}

// parseExplore reads explore's command line: a trace file or settings,
// limits for the searches, and where to serve. -h prints the help and
// returns flag.ErrHelp.
func parseExplore(args []string, stdout, stderr io.Writer) (*explorer, *exploreOptions, error) {
	fs := flag.NewFlagSet("explore", flag.ContinueOnError)
	settings := settingFlags(fs)
	var lim limitFlags
	lim.register(fs)
	var opt exploreOptions
	fs.StringVar(&opt.addr, "addr", "127.0.0.1:0", "the `HOST:PORT` to serve on (default: loopback, a free port)")
	// --open is the model's setting "who opens", so the flag that opens a
	// browser is --browser.
	fs.BoolVar(&opt.browser, "browser", false, "open the page in the default browser")
	// Flags may come before or after the trace file.
	files, err := parseInterspersed(fs, args)
	if err == flag.ErrHelp {
		printDefaults(fs, stdout, "Usage: tcpcheck explore [TRACE.json] [settings] [options]\n\n"+
			"Serves a page on loopback that steps through TRACE.json (or starts from the\n"+
			"initial state), explores freely from any state, and jumps to each property's\n"+
			"shortest counterexample. Settings come from TRACE.json or from the flags.")
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	if err := lim.validate(); err != nil {
		return nil, nil, err
	}
	if len(files) > 1 {
		return nil, nil, usagef("explore takes at most one trace file (got %d)", len(files))
	}
	x := &explorer{settings: *settings, lim: lim, stderr: stderr}
	if len(files) == 1 {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for _, n := range model.SettingNames() {
			if set[n] {
				return nil, nil, usagef("--%s: a trace file brings its own settings; give a trace file or settings, not both", n)
			}
		}
		f, err := os.Open(files[0])
		if err != nil {
			return nil, nil, usageError{err.Error()}
		}
		t, err := traces.ReadJSON(f)
		f.Close()
		if err != nil {
			return nil, nil, usagef("%s: %v", files[0], err)
		}
		x.settings, x.start = t.Settings, t.Path()
		x.startName = t.Name
		if t.Lasso {
			x.startLoopAt = &t.LoopAt
		}
	}
	if err := x.init(); err != nil {
		return nil, nil, usageError{err.Error()}
	}
	return x, &opt, nil
}

// openBrowser starts the system's browser on url, best effort.
func openBrowser(url string, stderr io.Writer) {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	if err := exec.Command(name, url).Start(); err != nil {
		fmt.Fprintf(stderr, "tcpcheck explore: cannot open a browser (%v); open %s yourself\n", err, url)
	}
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// explorer serves the page and the API for one choice of settings.
type explorer struct {
	settings    model.Settings
	lim         limitFlags
	stderr      io.Writer
	start       []int  // the path the page opens on
	startName   string // what it shows: a property or goal name, or ""
	startLoopAt *int   // where its cycle starts, when it is a lasso

	m     *model.Model
	props []properties.Property
	goals []properties.Goal

	base     context.Context // cancelled at shutdown; searches run under it
	searchMu sync.Mutex      // one search at a time: each uses every CPU
	mu       sync.Mutex      // guards cache
	cache    map[string]*searchView
}

func (x *explorer) init() error {
	m, err := model.New(x.settings)
	if err != nil {
		return err
	}
	x.m, x.props, x.goals = m, properties.All(), properties.Goals()
	x.cache = map[string]*searchView{}
	if x.base == nil {
		x.base = context.Background()
	}
	if x.stderr == nil {
		x.stderr = io.Discard
	}
	return nil
}

// serve serves on ln until ctx is done, then shuts down gracefully:
// running searches are cancelled and open requests get a few seconds.
func (x *explorer) serve(ctx context.Context, ln net.Listener) error {
	base, cancel := context.WithCancel(context.Background())
	defer cancel()
	x.base = base
	hs := &http.Server{Handler: x.handler(ln.Addr()), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cancel()
	sctx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	return hs.Shutdown(sctx)
}

// handler is the explorer's HTTP handler: its assets and its API, 404 for
// anything else. When it listens on loopback it answers only requests
// addressed to a loopback host, so that a web page cannot reach it through
// DNS rebinding.
func (x *explorer) handler(addr net.Addr) http.Handler {
	mux := http.NewServeMux()
	assets, _ := fs.Sub(exploreAssets, "explore")
	for _, f := range []struct{ path, file, ctype string }{
		{"/{$}", "index.html", "text/html; charset=utf-8"},
		{"/app.js", "app.js", "text/javascript; charset=utf-8"},
		{"/style.css", "style.css", "text/css; charset=utf-8"},
	} {
		body, err := fs.ReadFile(assets, f.file)
		if err != nil {
			panic(err) // the embed directive names every file
		}
		mux.HandleFunc("GET "+f.path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", f.ctype)
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(body)
		})
	}
	mux.HandleFunc("GET /api/info", x.apiInfo)
	mux.HandleFunc("POST /api/trace", x.apiTrace)
	mux.HandleFunc("GET /api/search", x.apiSearch)
	mux.HandleFunc("GET /api/download", x.apiDownload)
	loopback := addr != nil && isLoopback(addr)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if loopback && !loopbackHost(r.Host) {
			http.Error(w, "tcpcheck explore: this server answers only on a loopback address", http.StatusForbidden)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'")
		mux.ServeHTTP(w, r)
	})
}

func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// badRequest answers 400 with a one-line message.
func badRequest(w http.ResponseWriter, format string, args ...any) {
	msg := strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
	http.Error(w, msg, http.StatusBadRequest)
}

func writeJSONResponse(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "tcpcheck explore: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// The data the page shows. Every field is plain data for JSON.

// infoView is what does not change while the server runs.
type infoView struct {
	Settings    []settingView  `json:"settings"`
	Changed     []string       `json:"changed"` // settings that differ from the defaults, as name=value
	Properties  []propertyView `json:"properties"`
	Goals       []goalView     `json:"goals"`
	Start       []int          `json:"start"`                   // the path the page opens on
	StartName   string         `json:"start_name"`              // what it shows, or ""
	StartLoopAt *int           `json:"start_loop_at,omitempty"` // its lasso's cycle starts after this step
	Graphviz    bool           `json:"graphviz"`                // whether SVG and PNG downloads work
	Formats     []string       `json:"formats"`                 // what a path downloads as: traces.Formats
}

type settingView struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type propertyView struct {
	Name      string `json:"name"`
	Statement string `json:"statement"`
	Reason    string `json:"reason"`
	Liveness  bool   `json:"liveness,omitempty"` // its counterexample is a lasso; checked on unbounded time only
}

type goalView struct {
	Name      string `json:"name"`
	Statement string `json:"statement"`
}

// traceView is a path laid out for the page: every row's state, every
// step's action, the sequence chart, and the row at the cursor in detail.
type traceView struct {
	Path    []int          `json:"path"`
	At      int            `json:"at"`
	Rows    []rowView      `json:"rows"`    // rows[0] is the initial state, rows[i] the state after step i
	Chart   *traces.Chart  `json:"chart"`   // the sequence chart, as tcpcheck render draws it
	Layout  *traces.Layout `json:"layout"`  // where its lanes, rows, arrows and labels go
	Enabled []actionView   `json:"enabled"` // the actions enabled at row At, in model.Next's order
}

// rowView is one state on the path and the step that led to it.
type rowView struct {
	Step       int             `json:"step"`             // 0 for the initial state
	Action     *actionView     `json:"action,omitempty"` // the step's action; nil in row 0
	Endpoints  [2]endpointView `json:"endpoints"`
	Network    [2][]segView    `json:"network"` // [0] is A->B, [1] is B->A
	Clock      int             `json:"clock"`
	Ticks      int             `json:"ticks"`
	Lost       int             `json:"lost"`
	Duped      int             `json:"duped"`
	Violations []string        `json:"violations"` // properties this step violates
	Why        []string        `json:"why"`        // for each violation, why (Property.Explain), or ""
	Changes    string          `json:"changes"`    // what changed, as the text trace says it; in row 0, the initial state
}

type actionView struct {
	Index int    `json:"index"` // its place among the actions enabled before it
	Text  string `json:"text"`  // Action.String()
	Kind  string `json:"kind"`
	Who   string `json:"who,omitempty"` // the endpoint, or the sender for network actions; "" for tick
}

type endpointView struct {
	Name        string `json:"name"`
	State       string `json:"state"`
	TCB         bool   `json:"tcb"` // false in CLOSED and LISTEN: the sequence variables mean nothing
	ISS         int    `json:"iss"`
	SndUna      int    `json:"snd_una"`
	SndNxt      int    `json:"snd_nxt"`
	IRS         int    `json:"irs"`
	RcvNxt      int    `json:"rcv_nxt"`
	Rtx         *int   `json:"rtx"` // ticks left, nil when stopped
	TW          *int   `json:"tw"`
	Incarnation string `json:"incarnation"` // A1, B2 (A? before the first open)
	Peer        string `json:"peer"`        // the peer incarnation it is bound to: B1, or B? for none
	Opens       int    `json:"opens"`
	Passive     bool   `json:"passive"`
	Sent        int    `json:"sent"`
	Delivered   int    `json:"delivered"`
	Tries       int    `json:"tries"`
	Stale       bool   `json:"stale"`
}

type segView struct {
	Text  string `json:"text"` // <SEQ=0><CTL=SYN>
	Age   int    `json:"age"`
	Route string `json:"route"` // from A2 to B1
	Old   string `json:"old"`   // why it is old for its receiver ("addressed to A1, A is now A2"), "" if it is not
}

// searchView is the answer to a search for one property or goal.
type searchView struct {
	Kind     string            `json:"kind"` // property or goal
	Name     string            `json:"name"`
	Status   properties.Status `json:"status"`           // holds, violated, reached, unreachable, impossible, not checked, unknown
	Reason   string            `json:"reason,omitempty"` // why it is impossible or not checked
	Path     []int             `json:"path,omitempty"`
	LoopAt   *int              `json:"loop_at,omitempty"` // a lasso's cycle starts after this step of Path
	Note     string            `json:"note,omitempty"`    // what the trace's end means: who stays where forever, why nothing can happen
	Depth    int               `json:"depth"`
	States   int64             `json:"states"`
	Seconds  float64           `json:"seconds"`
	Complete bool              `json:"complete"`
	Limit    checker.Limit     `json:"limit,omitempty"`
	Within   int               `json:"within"` // the horizon in ticks, 0 when unbounded
}

func (x *explorer) apiInfo(w http.ResponseWriter, r *http.Request) {
	v := infoView{Changed: x.settings.Diff(model.Defaults()), Start: x.start, StartName: x.startName, StartLoopAt: x.startLoopAt, Formats: traces.Formats}
	if v.Changed == nil {
		v.Changed = []string{}
	}
	if v.Start == nil {
		v.Start = []int{}
	}
	for _, n := range model.SettingNames() {
		val, _ := x.settings.Get(n)
		v.Settings = append(v.Settings, settingView{n, val})
	}
	for _, p := range x.props {
		v.Properties = append(v.Properties, propertyView{p.Name, p.Statement, p.Reason, false})
	}
	for _, l := range properties.LivenessCatalog() {
		v.Properties = append(v.Properties, propertyView{l.Name, l.Statement, l.Reason, true})
	}
	for _, g := range x.goals {
		v.Goals = append(v.Goals, goalView{g.Name, g.Statement})
	}
	_, err := exec.LookPath("dot")
	v.Graphviz = err == nil
	writeJSONResponse(w, v)
}

// traceRequest is the body of POST /api/trace.
type traceRequest struct {
	Path   []int  `json:"path"`
	At     *int   `json:"at"`      // the row to show in detail; absent: the last
	Name   string `json:"name"`    // the property or goal the path shows, as /api/download's name
	LoopAt *int   `json:"loop_at"` // a lasso's cycle starts after this step (its state is the last one)
}

func (x *explorer) apiTrace(w http.ResponseWriter, r *http.Request) {
	var req traceRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		badRequest(w, "bad JSON: %v", strings.TrimPrefix(err.Error(), "json: "))
		return
	}
	if dec.More() {
		badRequest(w, "bad JSON: data after the request")
		return
	}
	t, err := x.replay(req.Path)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	at := len(req.Path)
	if req.At != nil {
		at = *req.At
	}
	if at < 0 || at > len(req.Path) {
		badRequest(w, "at: row %d is outside the path (want 0 to %d)", at, len(req.Path))
		return
	}
	if err := x.label(t, req.Name); err != nil {
		badRequest(w, "%v", err)
		return
	}
	if l := req.LoopAt; l != nil {
		if *l < 0 || *l >= len(t.Steps) || t.Before(*l) != t.Last() {
			badRequest(w, "loop_at: the state after step %d is not the last state: the lasso does not close", *l)
			return
		}
		t.Lasso, t.LoopAt = true, *l
	}
	writeJSONResponse(w, x.view(t, req.Path, at))
}

// exploredPath names a path that shows no property or goal.
const exploredPath = "explored path"

// replay follows path from the initial state. An index that is not an
// enabled action is an error that names the step.
func (x *explorer) replay(path []int) (*traces.Trace, error) {
	if len(path) > maxPath {
		return nil, fmt.Errorf("path: %d steps is too long (at most %d)", len(path), maxPath)
	}
	t, err := traces.Follow(x.m, path)
	if err != nil {
		return nil, fmt.Errorf("path: %v", err)
	}
	t.Name = exploredPath
	return t, nil
}

// enabled lists the actions enabled in s.
func (x *explorer) enabled(s model.State) []actionView {
	out := []actionView{}
	x.m.Next(s, func(a model.Action, _ model.State) {
		out = append(out, actionOf(len(out), a))
	})
	return out
}

func actionOf(i int, a model.Action) actionView {
	v := actionView{Index: i, Text: a.String(), Kind: a.Kind.String()}
	if a.Kind != model.Tick {
		v.Who = a.Who.String()
	}
	return v
}

// violations lists the properties that step i of t violates and, for each,
// why, when the property explains itself (no-deadlock), else "".
func (x *explorer) violations(t *traces.Trace, i int) (names, whys []string) {
	names, whys = []string{}, []string{}
	from, st := t.Before(i), t.Steps[i]
	for _, p := range x.props {
		if !p.HoldsOn(x.m, from, st.Action, st.State) {
			why := ""
			if p.Explain != nil {
				why = p.Explain(x.m, st.State)
			}
			names, whys = append(names, p.Name), append(whys, why)
		}
	}
	return names, whys
}

// view lays out t (the trace of path) with row at in detail.
func (x *explorer) view(t *traces.Trace, path []int, at int) *traceView {
	c := traces.NewChart(t)
	if t.Name == exploredPath {
		c.Footer = "" // it shows nothing to give a verdict on
	}
	v := &traceView{Path: path, At: at, Chart: c, Layout: c.Layout()}
	if v.Path == nil {
		v.Path = []int{}
	}
	v.Rows = append(v.Rows, rowOf(t.Init))
	v.Rows[0].Violations, v.Rows[0].Why, v.Rows[0].Changes = []string{}, []string{}, traces.InitialText(t.Init)
	for i, st := range t.Steps {
		row := rowOf(st.State)
		row.Step = i + 1
		a := actionOf(path[i], st.Action)
		row.Action = &a
		row.Violations, row.Why = x.violations(t, i)
		row.Changes = traces.Changes(t.Before(i), st.State)
		v.Rows = append(v.Rows, row)
	}
	state := t.Init
	if at > 0 {
		state = t.Steps[at-1].State
	}
	v.Enabled = x.enabled(state)
	return v
}

func rowOf(s model.State) rowView {
	r := rowView{Clock: int(s.Clock), Ticks: int(s.Ticks), Lost: int(s.Lost), Duped: int(s.Duped)}
	for e := model.A; e <= model.B; e++ {
		t := s.TCB[e]
		r.Endpoints[e] = endpointView{
			Name: e.String(), State: t.State.String(), TCB: t.State != model.Closed && t.State != model.Listen,
			ISS: int(t.ISS), SndUna: int(t.SndUna), SndNxt: int(t.SndNxt), IRS: int(t.IRS), RcvNxt: int(t.RcvNxt),
			Rtx: timerView(t.Rtx), TW: timerView(t.TW), Opens: int(t.Opens), Passive: t.Passive,
			Sent: int(t.Sent), Delivered: int(t.Delivered), Tries: int(t.Tries), Stale: t.Stale,
			Incarnation: model.Incarnation(e, t.Opens), Peer: model.Incarnation(e.Peer(), t.Peer),
		}
	}
	for d := model.A; d <= model.B; d++ {
		r.Network[d] = []segView{}
		for _, g := range s.Net[d].Items() {
			r.Network[d] = append(r.Network[d], segView{Text: g.String(), Age: int(g.Age), Route: g.Route(d), Old: traces.OldSegment(g, d, s)})
		}
	}
	return r
}

func timerView(t model.Timer) *int {
	if !t.Running() {
		return nil
	}
	n := t.Left()
	return &n
}

func (x *explorer) apiSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	prop, goal := q.Get("property"), q.Get("goal")
	if (prop == "") == (goal == "") {
		badRequest(w, "search: give one of ?property=NAME or ?goal=NAME")
		return
	}
	var (
		props []properties.Property
		goals []properties.Goal
		key   string
		err   error
	)
	var live []properties.Liveness
	switch {
	case properties.IsLiveness(prop):
		live, _ = properties.SelectLiveness([]string{prop})
		key = "liveness:" + prop
	case prop != "":
		props, err = properties.Select([]string{prop})
		key = "property:" + prop
	default:
		goals, err = properties.SelectGoals([]string{goal})
		key = "goal:" + goal
	}
	if err != nil {
		badRequest(w, "search: %v", err)
		return
	}
	v, err := x.search(key, props, goals, live)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			http.Error(w, "tcpcheck explore: the server is shutting down", http.StatusServiceUnavailable)
			return
		}
		http.Error(w, "tcpcheck explore: search: "+strings.Join(strings.Fields(err.Error()), " "), http.StatusInternalServerError)
		return
	}
	writeJSONResponse(w, v)
}

// search runs the checker for one property or goal and caches the answer.
// Searches run one at a time, under the server's context rather than the
// request's, so that an answer a client stopped waiting for is still kept.
func (x *explorer) search(key string, props []properties.Property, goals []properties.Goal, live []properties.Liveness) (*searchView, error) {
	x.searchMu.Lock()
	defer x.searchMu.Unlock()
	x.mu.Lock()
	v, ok := x.cache[key]
	x.mu.Unlock()
	if ok {
		return v, nil
	}
	rep, err := checkTCP(x.base, x.settings, props, live, goals, x.lim, false, x.stderr)
	if err != nil {
		return nil, err
	}
	v = &searchView{Kind: "property"}
	vs := slices.Concat(rep.Properties, rep.Liveness)
	if len(goals) > 0 {
		vs, v.Kind = rep.Goals, "goal"
	}
	if lr := rep.LiveRun; lr != nil && lr.Checked {
		rep.States, rep.Seconds, rep.Complete, rep.Limit = lr.States, lr.Seconds, lr.Complete, lr.Limit
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("%d verdicts for one question", len(vs))
	}
	v.Name, v.Status, v.Depth, v.Reason = vs[0].Name, vs[0].Status, vs[0].Depth, vs[0].Reason
	v.States, v.Seconds, v.Complete, v.Limit, v.Within = rep.States, rep.Seconds, rep.Complete, rep.Limit, x.settings.Horizon
	if vs[0].Trace != nil {
		v.Path, v.Note = vs[0].Trace.Path(), vs[0].Trace.Note
		if vs[0].Trace.Lasso {
			v.LoopAt = &vs[0].Trace.LoopAt
		}
	}
	if v.Status != properties.Unknown {
		x.mu.Lock()
		x.cache[key] = v
		x.mu.Unlock()
	}
	return v, nil
}

func (x *explorer) apiDownload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if !slices.Contains(traces.Formats, format) {
		badRequest(w, "download: format %q is not one of %s", format, strings.Join(traces.Formats, ", "))
		return
	}
	path, err := parsePath(q.Get("path"))
	if err != nil {
		badRequest(w, "download: %v", err)
		return
	}
	t, err := x.replay(path)
	if err != nil {
		badRequest(w, "download: %v", err)
		return
	}
	if err := x.label(t, q.Get("name")); err != nil {
		badRequest(w, "download: %v", err)
		return
	}
	var b bytes.Buffer
	if err := traces.Write(&b, t, format, "sequence"); errors.Is(err, traces.ErrNoGraphviz) {
		http.Error(w, strings.ToUpper(format)+" needs Graphviz: "+err.Error(), http.StatusNotImplemented)
		return
	} else if err != nil {
		http.Error(w, "tcpcheck explore: "+strings.Join(strings.Fields(err.Error()), " "), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", traces.MediaType(format))
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fileName(t)+"."+traces.Extension(format)))
	w.Write(b.Bytes())
}

// parsePath reads a path written as comma-separated action indices.
func parsePath(s string) ([]int, error) {
	path := []int{}
	if s == "" {
		return path, nil
	}
	for i, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("path: step %d: %q is not an action index", i+1, f)
		}
		path = append(path, n)
	}
	return path, nil
}

// label says what t shows: name when the path violates that property at
// its last step or reaches that goal there; else the first property the
// last step violates; else it is just an explored path. A violation's
// Note says why, when the property explains itself (no-deadlock).
// searchedNote is the note of the counterexample of property name that a
// search of this explorer found, if path is its path: who stays where
// forever along a lasso, which only the search knows.
func (x *explorer) searchedNote(name string, path []int) string {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, v := range x.cache {
		if v.Name == name && slices.Equal(v.Path, path) {
			return v.Note
		}
	}
	return ""
}

func (x *explorer) label(t *traces.Trace, name string) error {
	n := len(t.Steps)
	var last, whys []string
	if n > 0 {
		last, whys = x.violations(t, n-1)
	}
	if properties.IsLiveness(name) {
		t.Kind, t.Name = traces.Violation, name // its lasso is the request's loop_at
		t.Note = x.searchedNote(name, t.Path())
		return nil
	}
	if name != "" {
		known := false
		for _, p := range x.props {
			if p.Name == name {
				known = true
				for i, v := range last {
					if v == name {
						t.Kind, t.Name, t.Note = traces.Violation, name, whys[i]
						return nil
					}
				}
			}
		}
		for _, g := range x.goals {
			if g.Name == name {
				known = true
				end := t.Init
				if n > 0 {
					end = t.Steps[n-1].State
				}
				if g.Reached(end) {
					t.Kind, t.Name = traces.Witness, name
					return nil
				}
			}
		}
		if !known {
			return fmt.Errorf("name: %q is neither a property nor a goal", name)
		}
	}
	if len(last) > 0 {
		t.Kind, t.Name, t.Note = traces.Violation, last[0], whys[0]
	}
	return nil
}

// fileName is a download's name without extension.
func fileName(t *traces.Trace) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, t.Name)
	return "tcpcheck-" + name
}
