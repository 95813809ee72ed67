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
    const r = await api("POST", "/api/trace", { path, at });
    const view = await r.json();
    if (seq !== app.seq) return;
    app.path = view.path;
    app.at = view.at;
    if (name !== undefined) app.name = name;
    app.view = view;
    showError("");
    render();
    const h = "#path=" + app.path.join(",") + "&at=" + app.at + (app.name ? "&name=" + encodeURIComponent(app.name) : "");
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
    box.append(el("span", { class: "num" }, "initial state"), " both endpoints CLOSED, the network empty");
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

// renderChart draws the sequence chart: a lane per endpoint, a row per
// step, an arrow per segment from the row that sent it to the row that
// delivered it (or to a cross where it was dropped or expired).
function renderChart(v) {
  const box = $("chart");
  box.textContent = "";
  const n = v.rows.length - 1;
  // The chart fills its box; the space between the lanes takes what the
  // gutter and the notes beside the lanes leave.
  const rowH = 34, top = 44, gutter = 36, noteW = 115;
  const width = Math.max(520, box.clientWidth - 2);
  const mid = width - gutter - 2 * noteW - 10;
  const xA = gutter + noteW, xB = xA + mid;
  // A run of two or more quiet ticks (nothing sent, taken out or changed
  // but time) shares one row, as tcpcheck render draws it.
  const busy = new Array(n + 1).fill(false);
  for (const f of v.flights) { busy[f.from] = true; if (f.to >= 0) busy[f.to] = true; }
  const quiet = (r) => r > 0 && v.rows[r].action.kind === "tick" && !busy[r] && v.rows[r].violations.length === 0 &&
    v.rows[r].endpoints.every((e, i) => e.state === v.rows[r - 1].endpoints[i].state);
  const first = []; // first[r]: the first row of the folded run r is in, or r
  for (let r = 0; r <= n; r++) first[r] = r;
  for (let r = 1; r <= n; r++) if (quiet(r) && quiet(r - 1)) first[r] = first[r - 1];
  const last = []; // last[r]: the last row of the run that starts at r
  for (let r = n; r >= 0; r--) last[r] = r < n && first[r + 1] === first[r] ? last[r + 1] : r;
  const ys = [];
  for (let r = 0; r <= n; r++) ys[r] = r === 0 ? top : first[r] !== r ? ys[first[r]] : ys[r - 1] + rowH;
  const y = (r) => { const k = Math.min(Math.floor(r), n); return ys[k] + (r - k) * rowH; };
  const hasFlying = v.flights.some((f) => f.to < 0);
  const height = y(n + (hasFlying ? 1 : 0)) + 30;
  const s = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "sequence chart" });
  const defs = svg("defs");
  for (const [id, color] of [["arrow", "#34495e"], ["arrow-hot", "#1f6fd1"], ["arrow-old", "#9aa0a6"], ["arrow-bad", "#c0392b"]]) {
    const m = svg("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    m.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: color }));
    defs.append(m);
  }
  s.append(defs);

  // Row bands: the cursor, violating steps; click to go there.
  for (let r = 0; r <= n; r++) {
    if (first[r] !== r) continue; // drawn with its run's first row
    const e = last[r]; // the run's last row (r itself when nothing is folded)
    const bad = v.rows[r].violations.length > 0;
    const here = r <= app.at && app.at <= e;
    const cls = "band" + (here ? " current" : "") + (bad ? " bad" : "") + (r > app.at ? " future" : "");
    const g = svg("g", { class: cls, "data-row": r });
    g.append(svg("rect", { x: 0, y: y(r) - rowH / 2, width, height: rowH }));
    g.append(svg("text", { x: 6, y: y(r) + 4, class: "rownum" }, r === 0 ? "init" : e > r ? `${r}-${e}` : String(r)));
    if (r > 0 && v.rows[r].action.kind === "tick") {
      const label = e > r ? `ticks ${v.rows[r].ticks}-${v.rows[e].ticks}` : "tick " + v.rows[r].ticks;
      g.append(svg("text", { x: (xA + xB) / 2, y: y(r) + 4, class: "tick", "text-anchor": "middle" }, label));
    }
    g.addEventListener("click", () => go(app.path, here ? app.at : e));
    s.append(g);
  }
  // Lanes.
  for (const [x, name] of [[xA, "A"], [xB, "B"]]) {
    s.append(svg("text", { x, y: 18, class: "lanename", "text-anchor": "middle" }, name));
    s.append(svg("line", { x1: x, y1: 26, x2: x, y2: height - 14, class: "lane" }));
  }
  // Notes beside the lanes: the call made, the state entered.
  for (let r = 0; r <= n; r++) {
    const row = v.rows[r];
    for (let e = 0; e < 2; e++) {
      const ep = row.endpoints[e];
      const was = r > 0 ? v.rows[r - 1].endpoints[e].state : null;
      const lines = [];
      const a = row.action;
      if (a && a.who === ep.name && !["deliver", "drop", "dup", "tick"].includes(a.kind)) lines.push([a.text.replace(" " + ep.name, ""), "call"]);
      if (r === 0 || was !== ep.state) lines.push([ep.state, "statename"]);
      const x = e === 0 ? xA - 8 : xB + 8;
      const anchor = e === 0 ? "end" : "start";
      lines.forEach(([text, cls], i) => {
        const dy = lines.length === 2 ? (i === 0 ? -3 : 11) : 4;
        s.append(svg("text", { x, y: y(r) + dy, class: cls + (r > app.at ? " future" : ""), "text-anchor": anchor }, text));
      });
    }
  }
  // Arrows.
  const laneX = [xA, xB];
  for (const f of v.flights) {
    const x1 = laneX[f.dir], sign = f.dir === 0 ? 1 : -1;
    const y1 = y(f.from);
    let x2, y2, cross = false, open = false, endText = "";
    switch (f.end) {
      case "delivered": x2 = laneX[1 - f.dir]; y2 = y(f.to); break;
      case "dropped": x2 = x1 + sign * mid * 0.7; y2 = y(f.to); cross = true; endText = "dropped"; break;
      case "expired": x2 = x1 + sign * mid * 0.7; y2 = y(f.to); cross = true; endText = "expired (MSL)"; break;
      case "lost": x2 = x1 + sign * mid * 0.3; y2 = y(f.to) + rowH * 0.3; cross = true; endText = "reply lost: no room"; break;
      default: x2 = x1 + sign * mid * 0.7; y2 = y(n + 0.7); open = true; endText = "in flight"; break;
    }
    const to = f.to < 0 ? Infinity : f.to;
    const flying = f.from <= app.at && app.at < to;   // in the network at the cursor
    const landing = f.to === app.at && f.from < app.at; // taken out by the current step
    const future = f.from > app.at;
    const bad = f.to >= 0 && f.to === app.at && v.rows[f.to].violations.length > 0;
    // Old as of the cursor: once its flight is over, as it ended; while it
    // flies, by the endpoints' incarnations now.
    const old = f.to >= 0 && app.at >= f.to ? f.old : flying ? oldAt(f, app.at) : "";
    let cls = "flight";
    if (old) cls += " old";
    if (flying || landing) cls += " hot";
    if (bad) cls += " badarrow";
    if (future) cls += " future";
    const g = svg("g", { class: cls });
    const marker = cross ? null : `url(#${bad ? "arrow-bad" : (flying || landing) ? "arrow-hot" : old ? "arrow-old" : "arrow"})`;
    g.append(svg("line", { x1, y1, x2, y2, "marker-end": marker, "stroke-dasharray": old || open ? "5 4" : null }));
    if (cross) {
      const c = 5;
      g.append(svg("path", { d: `M${x2 - c},${y2 - c} L${x2 + c},${y2 + c} M${x2 - c},${y2 + c} L${x2 + c},${y2 - c}`, class: "cross" }));
    }
    if (endText) g.append(svg("text", { x: x2 + sign * 8, y: y2 + 4, class: "endtext", "text-anchor": f.dir === 0 ? "start" : "end" }, endText));
    // The label sits in the middle of the arrow.
    const lx = (x1 + x2) / 2, ly = (y1 + y2) / 2;
    const text = f.text + " " + (f.route || "") + (f.note ? " " + f.note : "") + (old ? " old: " + old : "");
    if (f.end !== "lost") {
      const lbl = svg("text", { x: lx, y: ly - 4, class: "seglabel", "text-anchor": "middle" }, text);
      g.append(lbl);
    }
    s.append(g);
  }
  box.append(s);
  // Put a white halo behind every segment label so that lines do not cross it.
  for (const t of s.querySelectorAll("text.seglabel")) {
    const b = t.getBBox();
    const r = svg("rect", { x: b.x - 2, y: b.y, width: b.width + 4, height: b.height, class: "halo" });
    t.parentNode.insertBefore(r, t);
  }
  const cur = s.querySelector(".band.current");
  if (cur && box.scrollHeight > box.clientHeight) {
    const b = cur.getBBox();
    if (b.y < box.scrollTop || b.y + b.height > box.scrollTop + box.clientHeight) box.scrollTop = b.y - box.clientHeight / 2;
  }
}

// oldAt says why flight f's segment is old for its receiver in row i, as
// the server computed it (traces.OldSegment), or "" when it is not.
function oldAt(f, i) {
  return (f.old_at && f.old_at[i - f.from]) || "";
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
  };
}

async function start() {
  $("first").addEventListener("click", () => go(app.path, 0));
  $("prev").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  $("last").addEventListener("click", () => go(app.path, app.path.length));
  for (const b of document.querySelectorAll(".downloads button")) b.addEventListener("click", () => download(b.dataset.format));
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
  const h = fromHash();
  // A link to a path (the page's address) opens on it; one that does not
  // replay under these settings falls back to the start, leaving its
  // error on show.
  if (h && await go(h.path, h.at, h.name)) return;
  const err = $("error").textContent;
  await go(app.info.start, 0, app.info.start_name);
  if (err) showError("The address's path does not replay here: " + err);
}

start();
