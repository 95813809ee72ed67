// tcpcheck explore: the page. It holds a path (action indices from the
// initial state) and a cursor; the server turns them into data (POST
// /api/trace), and this script draws that data: the two endpoints, the
// network between them, the actions enabled at the cursor, and the
// sequence chart in SVG.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

const app = {
  info: null,  // GET /api/info
  path: [],    // action indices from the initial state
  at: 0,       // the row shown: 0 is the initial state, i the state after step i
  name: "",    // the property or goal the path shows, if it came from a search
  loopAt: null, // a lasso's cycle start: stepping past the end wraps to the step after it
  view: null,  // the last POST /api/trace answer
  seq: 0,      // request counter: only the newest answer is drawn
  busy: false, // a search is running
};

// el builds an HTML element: el("span", {class: "x"}, "text", child...).
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v == null) continue;
    if (k === "onclick") e.addEventListener("click", v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

function showError(msg) {
  const e = $("error");
  e.textContent = msg;
  e.hidden = !msg;
}

async function api(method, url, body) {
  const opt = { method, headers: {} };
  if (body !== undefined) {
    opt.body = JSON.stringify(body);
    opt.headers["Content-Type"] = "application/json";
  }
  const r = await fetch(url, opt);
  if (!r.ok) throw new Error((await r.text()).trim() || r.status + " " + r.statusText);
  return r;
}

// go shows row at of path, asking the server for its data.
async function go(path, at, name) {
  const seq = ++app.seq;
  try {
    const r = await api("POST", "/api/trace", { path, at, name: name ?? app.name, loop_at: app.loopAt ?? undefined });
    const view = await r.json();
    if (seq !== app.seq) return;
    app.path = view.path;
    app.at = view.at;
    if (name !== undefined) app.name = name;
    app.view = view;
    showError("");
    render();
    const h = "#path=" + app.path.join(",") + "&at=" + app.at + (app.name ? "&name=" + encodeURIComponent(app.name) : "") +
      (app.loopAt != null ? "&loop=" + app.loopAt : "");
    if (location.hash !== h) history.replaceState(null, "", h);
    return true;
  } catch (e) {
    if (seq === app.seq) showError(e.message);
    return false;
  }
}

function step(delta) {
  let at = app.at + delta;
  // A lasso's last state is its state loopAt: going on repeats the cycle.
  if (app.loopAt != null && at > app.path.length) at = app.loopAt + (at - app.path.length);
  at = Math.max(0, Math.min(app.path.length, at));
  if (at !== app.at) go(app.path, at);
}

function take(index) {
  const path = app.path.slice(0, app.at).concat([index]);
  // The path keeps its name only while it follows the searched path.
  const same = app.path[app.at] === index;
  if (!same) app.loopAt = null;
  go(path, app.at + 1, same ? app.name : "");
}

// ---- drawing ----

function render() {
  const v = app.view;
  const n = v.rows.length - 1;
  const row = v.rows[app.at];
  const prev = app.at > 0 ? v.rows[app.at - 1] : null;

  const lasso = app.loopAt != null && n === app.path.length;
  $("position").textContent = `step ${app.at} of ${n}` + (lasso ? `; the run repeats steps ${app.loopAt + 1} to ${n} forever` : "");
  $("first").disabled = $("prev").disabled = app.at === 0;
  $("last").disabled = app.at === n;
  $("next").disabled = app.at === n && !lasso;
  const label = $("label");
  label.textContent = "";
  if (app.name) {
    const isProp = app.info.properties.some((p) => p.name === app.name);
    label.append(isProp ? "shortest counterexample of " : "shortest witness of ", el("b", {}, app.name));
    label.className = isProp ? "violation" : "witness";
  } else if (n > 0) {
    label.append("explored path");
  }

  renderStep(row);
  renderEndpoint($("endpoint-A"), row.endpoints[0], prev && prev.endpoints[0]);
  renderEndpoint($("endpoint-B"), row.endpoints[1], prev && prev.endpoints[1]);
  renderNetwork(row);
  renderActions(v.enabled);
  renderChart(v);
}

function renderStep(row) {
  const box = $("step");
  box.textContent = "";
  box.classList.toggle("bad", row.violations.length > 0);
  if (row.step === 0) {
    box.append(el("span", { class: "num" }, "initial state"), " " + row.changes);
    return;
  }
  box.append(el("span", { class: "num" }, "step " + row.step), el("code", { "data-testid": "step-action" }, row.action.text));
  if (row.changes) box.append(el("div", { class: "changes" }, row.changes));
  row.violations.forEach((p, i) => {
    const prop = app.info.properties.find((q) => q.name === p);
    box.append(el("div", { class: "violation", "data-testid": "violation" }, "violates ", el("b", {}, p), prop ? ": " + prop.statement : "",
      row.why[i] ? el("div", { class: "why" }, "why: " + row.why[i]) : null));
  });
}

const fields = [
  ["ISS", "iss"], ["IRS", "irs"],
  ["SND.UNA", "snd_una"], ["RCV.NXT", "rcv_nxt"],
  ["SND.NXT", "snd_nxt"], ["peer", "peer"],
];

function timer(t) { return t == null ? "off" : String(t); }

function renderEndpoint(box, e, before) {
  box.textContent = "";
  const changed = (k) => before && JSON.stringify(before[k]) !== JSON.stringify(e[k]);
  box.className = "endpoint state-" + e.state.toLowerCase();
  box.append(el("div", { class: "who" }, "Endpoint " + e.name + (e.opens > 0 ? " (incarnation " + e.incarnation + ")" : "")));
  box.append(el("div", {
    class: "state" + (changed("state") ? " changed" : ""),
    id: "state-" + e.name, "data-testid": "state-" + e.name,
  }, e.state));
  if (before && changed("state")) box.append(el("div", { class: "was" }, "was " + before.state));
  const t = el("table", { class: "tcb" });
  for (let i = 0; i < fields.length; i += 2) {
    const tr = el("tr");
    for (const [name, k] of fields.slice(i, i + 2)) {
      const val = e.tcb ? String(e[k]) : "–";
      tr.append(el("th", {}, name), el("td", { class: changed(k) && val !== "–" ? "changed" : null, "data-testid": e.name + "-" + k }, val));
    }
    t.append(tr);
  }
  const tr = el("tr");
  tr.append(el("th", {}, "rtx"), el("td", { class: changed("rtx") ? "changed" : null, "data-testid": e.name + "-rtx" }, timer(e.rtx)));
  tr.append(el("th", {}, "tw"), el("td", { class: changed("tw") ? "changed" : null, "data-testid": e.name + "-tw" }, timer(e.tw)));
  t.append(tr);
  box.append(t);
  const extra = [];
  if (e.tcb) extra.push(e.passive ? "passive open" : "active open");
  extra.push(`opens ${e.opens}`, `sent ${e.sent}`, `delivered ${e.delivered}`, `tries ${e.tries}`);
  if (e.stale) extra.push("accepted a stale SYN");
  box.append(el("div", { class: "extra" + (e.stale ? " stale" : "") }, extra.join(" · ")));
  if (!e.tcb) box.append(el("div", { class: "note" }, "no TCB: sequence variables unset"));
}

function renderNetwork(row) {
  const box = $("network");
  box.textContent = "";
  const dirs = [["A → B", "ab"], ["B → A", "ba"]];
  for (let d = 0; d < 2; d++) {
    const lane = el("div", { class: "dir " + dirs[d][1], "data-testid": "net-" + dirs[d][1] });
    lane.append(el("div", { class: "dirname" }, dirs[d][0], el("span", { class: "count" }, ` ${row.network[d].length} in flight`)));
    if (row.network[d].length === 0) lane.append(el("div", { class: "empty" }, "empty"));
    for (const g of row.network[d]) {
      lane.append(el("div", { class: "seg" + (g.old ? " old" : ""), title: g.old ? "old: " + g.old : g.route },
        el("code", {}, g.text),
        el("span", { class: "route" }, " " + g.route),
        el("span", { class: "age" }, "age " + g.age),
        g.old ? el("span", { class: "oldtag" }, "old: " + g.old) : null));
    }
    box.append(lane);
  }
  box.append(el("div", { class: "globals" },
    `clock ${row.clock} · ticks ${row.ticks}/${app.info.settings.find((s) => s.name === "horizon").value} · lost ${row.lost} · duped ${row.duped}`));
}

function renderActions(enabled) {
  const ol = $("actions");
  ol.textContent = "";
  if (enabled.length === 0) {
    ol.append(el("li", { class: "none" }, "no action is enabled: the run ends here"));
    return;
  }
  const nextInPath = app.at < app.path.length ? app.path[app.at] : -1;
  for (const a of enabled) {
    const b = el("button", { "data-testid": "action-" + a.index, "data-kind": a.kind, class: "kind-" + a.kind, onclick: () => take(a.index) }, a.text);
    ol.append(el("li", { class: a.index === nextInPath ? "next" : null }, b,
      a.index === nextInPath ? el("span", { class: "tag" }, "next in path") : null));
  }
}

// renderChart draws the sequence chart the server sent: traces.Chart (the
// rows, arrows, notes, end marks, loop, verdict and legend) placed by
// traces.Layout, the same chart tcpcheck render draws. It adds no rule of
// its own; it only marks where the cursor is: the rows after it are faded,
// the segments in the network at it are blue.
// colors are the arrowheads' colours, as style.css colours the lines.
const colors = { ink: "#34495e", hot: "#1f6fd1", bad: "#c0392b", old: "#8a8a8a", loop: "#7d3c98" };

function renderChart(v) {
  const box = $("chart");
  box.textContent = "";
  const c = v.chart, l = v.layout, n = c.rows.length;
  const cur = c.rows.findIndex((r) => r.first <= app.at && app.at <= r.last);
  const pad = 8, top = 26;
  const x0 = -pad, y0 = -top, w = l.width + 2 * pad, h = l.height + top + pad;
  // The chart fits its box's width (no horizontal scrolling), never
  // drawn larger than its own size.
  const scale = Math.min(1, (box.clientWidth - 2) / w);
  const s = svg("svg", { width: w * scale, height: h * scale, viewBox: `${x0} ${y0} ${w} ${h}`, role: "img", "aria-label": "sequence chart" });
  const defs = svg("defs");
  for (const [name, color] of Object.entries(colors)) {
    for (const [id, d, fill] of [["head", "M0,0 L10,5 L0,10 z", color], ["open", "M0,0 L10,5 L0,10", "none"]]) {
      const m = svg("marker", { id: `m-${id}-${name}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: "userSpaceOnUse", orient: "auto" });
      m.append(svg("path", { d, fill, stroke: color }));
      defs.append(m);
    }
  }
  s.append(defs);
  const lines = (text) => (text ? text.split("\n") : []);
  // text writes lines of text from (x, y), one every l.line_h.
  const text = (g, x, y, str, cls, anchor) => {
    const t = svg("text", { x, y, class: cls, "text-anchor": anchor || "middle" });
    lines(str).forEach((line, i) => t.append(svg("tspan", { x, dy: i === 0 ? 0 : l.line_h }, line)));
    g.append(t);
    return t;
  };
  // Row bands, between the middles of neighbouring rows: click to go there.
  const mid = (i) => (i <= 0 ? -top / 2 : (l.row_y[i - 1] + l.row_y[i]) / 2);
  c.rows.forEach((r, i) => {
    const bad = v.rows.slice(r.first, r.last + 1).some((row) => row.violations.length > 0);
    const g = svg("g", { class: "band" + (i === cur ? " current" : "") + (bad ? " bad" : "") + (r.first > app.at ? " future" : ""), "data-row": i });
    g.append(svg("rect", { x: x0, y: mid(i), width: w, height: mid(i + 1) - mid(i) }));
    text(g, l.step_x, l.row_y[i] + 4 - (lines(r.step).length - 1) * l.line_h / 2, r.step, "rownum");
    g.addEventListener("click", () => go(app.path, i === cur ? app.at : r.last));
    s.append(g);
  });
  // Lanes.
  ["A", "B"].forEach((name, e) => {
    s.append(svg("line", { x1: l.lane_x[e], y1: 0, x2: l.lane_x[e], y2: l.lane_end, class: "lane" }));
    s.append(svg("rect", { x: l.lane_x[e] - 14, y: -11, width: 28, height: 22, rx: 6, class: "lanebox" }));
    s.append(svg("text", { x: l.lane_x[e], y: 5, class: "lanename", "text-anchor": "middle" }, name));
  });
  // Notes beside the lanes, and below them why each endpoint is stuck.
  const anchors = ["end", "start"];
  c.rows.forEach((r, i) => {
    for (let e = 0; e < 2; e++) {
      const [x, y] = l.notes[i][e];
      text(s, x, y + 4, r.notes[e], "note" + (r.hot ? " bad" : "") + (r.first > app.at ? " future" : ""), anchors[e]);
    }
  });
  for (let e = 0; e < 2; e++) text(s, l.notes[n][e][0], l.notes[n][e][1] + 4, l.end_notes[e], "note bad", anchors[e]);
  // Arrows, their end marks and labels.
  c.arrows.forEach((a, k) => {
    const p = l.arrows[k], end = a.end >= 0 ? c.ends[a.end] : null;
    const flying = a.from <= cur && cur < a.to, landing = a.to === cur && a.from < cur;
    let cls = "flight";
    if (a.old) cls += " old";
    if (a.lost) cls += " lost";
    if (a.hot) cls += " badarrow";
    if (flying || landing) cls += " hot";
    if (a.from > cur) cls += " future";
    const g = svg("g", { class: cls });
    const color = flying || landing ? "hot" : a.hot ? "bad" : a.old ? "old" : "ink";
    const head = !end ? `url(#m-head-${color})` : end.mark === "open" ? `url(#m-open-${color})` : null;
    g.append(svg("line", { x1: p.from[0], y1: p.from[1], x2: p.to[0], y2: p.to[1], "marker-end": head }));
    if (end) {
      const [ex, ey] = l.ends[a.end].at, d = 4.5;
      if (end.mark !== "open") g.append(svg("path", { d: `M${ex - d},${ey - d} L${ex + d},${ey + d} M${ex - d},${ey + d} L${ex + d},${ey - d}`, class: "cross " + end.mark }));
      if (end.label) text(g, l.ends[a.end].text[0], l.ends[a.end].text[1] + 3.5, end.label, "endtext " + end.mark);
    }
    const [lx0, ly0, lx1, ly1] = p.label;
    g.append(svg("rect", { x: lx0, y: ly0, width: lx1 - lx0, height: ly1 - ly0, rx: 3, class: "halo" }));
    const t = text(g, (lx0 + lx1) / 2, ly0 + 1 + l.line_h / 2 + 3.5, a.label, "seglabel");
    t.append(svg("title", {}, a.label));
    t.dataset.width = lx1 - lx0;
    s.append(g);
  });
  // A lasso's loop: from its last row back up to where its cycle starts.
  if (c.loop && c.loop.from !== c.loop.to) {
    const [yf, yt] = [l.row_y[c.loop.from], l.row_y[c.loop.to]], xs = l.step_x - 16;
    s.append(svg("path", { d: `M${xs},${yf} H${l.loop_x} V${yt} H${xs}`, class: "loop", "marker-end": "url(#m-head-loop)" }));
  }
  box.append(s);
  // A label wider in this browser's font than the box the layout gave it
  // is squeezed into it; its full text is its tooltip.
  for (const t of s.querySelectorAll("text.seglabel")) {
    const max = Number(t.dataset.width) - 4;
    for (const span of t.querySelectorAll("tspan")) {
      if (span.getComputedTextLength() > max) span.setAttribute("textLength", max), span.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
  }
  // The verdict and the legend of the marks this chart uses.
  const verdict = $("chart-verdict");
  verdict.textContent = c.footer;
  verdict.className = c.bad ? "bad" : "good";
  verdict.hidden = !c.footer;
  const legend = $("chart-legend");
  legend.textContent = "";
  for (const e of c.legend.concat([{ mark: "now", text: "blue: in the network at the current step" }, { mark: "later", text: "faded: after the current step" }])) {
    const k = svg("svg", { width: 28, height: 10, class: "flight key-" + e.mark });
    if (["dropped", "expired"].includes(e.mark)) k.append(svg("path", { d: "M10,1 L18,9 M10,9 L18,1", class: "cross " + e.mark }));
    else {
      const color = { old: "old", hot: "bad", loop: "loop", now: "hot" }[e.mark] || "ink";
      k.append(svg("line", { x1: 1, y1: 5, x2: 26, y2: 5, "marker-end": e.mark === "lost" ? null : `url(#m-${e.mark === "open" ? "open" : "head"}-${color})` }));
    }
    legend.append(el("span", { class: "entry" }, k, " " + e.text));
  }
  const here = s.querySelector(".band.current");
  if (here && box.scrollHeight > box.clientHeight) {
    const b = here.getBoundingClientRect(), r = box.getBoundingClientRect();
    if (b.top < r.top || b.bottom > r.bottom) box.scrollTop += b.top - r.top - box.clientHeight / 2;
  }
}

// ---- searches and downloads ----

function searchStatus(text, cls) {
  const s = $("search-status");
  s.textContent = text;
  s.className = cls || "";
}

function count(n) { return n.toLocaleString("en-US"); }

async function search(kind, name) {
  if (app.busy) return;
  app.busy = true;
  document.body.classList.add("busy");
  for (const b of document.querySelectorAll(".search")) b.disabled = true;
  $("goal-go").disabled = true;
  searchStatus(`checking ${name}…`, "checking");
  try {
    const r = await api("GET", `/api/search?${kind}=${encodeURIComponent(name)}`);
    const res = await r.json();
    const within = res.within ? ` within ${res.within} ticks` : "";
    const stats = ` (${count(res.states)} states, ${res.seconds.toFixed(1)} s)`;
    const cell = document.querySelector(`[data-verdict="${CSS.escape(name)}"]`);
    let text;
    switch (res.status) {
      case "violated": text = `${name} is violated at depth ${res.depth}: showing its shortest counterexample` + stats; break;
      case "reached": text = `${name} is reached at depth ${res.depth}: showing a shortest witness` + stats; break;
      case "holds": text = `${name} holds${within}: no counterexample` + stats; break;
      case "unreachable": text = `${name} is unreachable${within}` + stats; break;
      case "impossible": text = `${name} is impossible under ${res.reason}`; break;
      case "not checked": text = `${name} is not checked: ${res.reason}`; break;
      default: text = `${name}: unknown, the search stopped at a limit (${res.limit})` + stats;
    }
    if (cell) { cell.textContent = res.status + (res.depth ? " at depth " + res.depth : ""); cell.className = "verdict " + res.status; }
    searchStatus(text, res.status);
    if (res.path) {
      app.loopAt = res.loop_at ?? null;
      await go(res.path, res.path.length, name); // at the violation or the goal
    }
  } catch (e) {
    searchStatus("", "");
    showError(e.message);
  } finally {
    app.busy = false;
    document.body.classList.remove("busy");
    for (const b of document.querySelectorAll(".search")) b.disabled = false;
    $("goal-go").disabled = false;
  }
}

async function download(format) {
  const q = `format=${format}&path=${app.path.join(",")}` + (app.name ? "&name=" + encodeURIComponent(app.name) : "");
  try {
    const r = await api("GET", "/api/download?" + q);
    const blob = await r.blob();
    const m = /filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") || "");
    const a = el("a", { href: URL.createObjectURL(blob), download: m ? m[1] : "trace." + format });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    showError("");
  } catch (e) {
    showError("Download " + format.toUpperCase() + ": " + e.message);
  }
}

function renderCatalog() {
  const info = app.info;
  $("settings").textContent = info.changed.length ? "settings: " + info.changed.join(" ") : "settings: defaults";
  $("settings").title = info.settings.map((s) => `${s.name}=${s.value}`).join("\n");
  const t = $("properties");
  t.textContent = "";
  for (const p of info.properties) {
    t.append(el("tr", {},
      el("td", { class: "pname" }, p.name),
      el("td", {}, el("div", {}, p.statement), el("div", { class: "reason" }, p.reason)),
      el("td", { class: "verdict", "data-verdict": p.name }, ""),
      el("td", {}, el("button", { class: "search", "data-testid": "search-" + p.name, onclick: () => search("property", p.name) }, "Counterexample"))));
  }
  const sel = $("goal");
  for (const g of info.goals) sel.append(el("option", { value: g.name }, g.name));
  const showGoal = () => { $("goal-statement").textContent = (info.goals.find((g) => g.name === sel.value) || {}).statement || ""; };
  sel.addEventListener("change", showGoal);
  showGoal();
  $("goal-go").addEventListener("click", () => search("goal", sel.value));
}

// ---- start ----

function fromHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  if (!h.has("path")) return null;
  const p = h.get("path");
  return {
    path: p ? p.split(",").map(Number) : [],
    at: h.has("at") ? Number(h.get("at")) : 0,
    name: h.get("name") || "",
    loopAt: h.has("loop") ? Number(h.get("loop")) : null,
  };
}

async function start() {
  $("first").addEventListener("click", () => go(app.path, 0));
  $("prev").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  $("last").addEventListener("click", () => go(app.path, app.path.length));
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("select, input, textarea") || e.altKey || e.ctrlKey || e.metaKey) return;
    const k = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
    if (k) { step(k); e.preventDefault(); }
    if (e.key === "Home") { go(app.path, 0); e.preventDefault(); }
    if (e.key === "End") { go(app.path, app.path.length); e.preventDefault(); }
  });
  try {
    app.info = await (await api("GET", "/api/info")).json();
  } catch (e) {
    showError(e.message);
    return;
  }
  renderCatalog();
  for (const f of app.info.formats) $("downloads").append(el("button", { "data-format": f, onclick: () => download(f) }, f.toUpperCase()));
  const h = fromHash();
  // A link to a path (the page's address) opens on it; one that does not
  // replay under these settings falls back to the start, leaving its
  // error on show.
  if (h) app.loopAt = h.loopAt;
  if (h && await go(h.path, h.at, h.name)) return;
  app.loopAt = null;
  const err = $("error").textContent;
  // A counterexample or witness opens at its last step, the violation or
  // the goal, as a search's does.
  app.loopAt = app.info.start_loop_at ?? null;
  await go(app.info.start, app.info.start_name ? app.info.start.length : 0, app.info.start_name);
  if (err) showError("The address's path does not replay here: " + err);
}

start();
