// app.js -- the explorer: wires the timeline, the map, the network, the pyramid, the measures
// (blocs, balance, similarity) and the scenario panel to the API of `entente serve` (docs/serve.md). Every number shown comes from the server's
// reports; the page computes only colours and layouts.
import { WorldMap, drawNetwork, renderPyramid, drawFan, poleColour, fmt, esc, NONE_COLOUR } from "./views.js";

const d3 = window.d3;
const $ = (id) => document.getElementById(id);
const LEVERS = ["tightening", "engagement", "inducements", "coercion", "wedge"];
const LEVER_HELP = {
  tightening: "deepening existing alliances (deterrence, and the rival's fear)",
  engagement: "courting non-democracies as well as democracies",
  inducements: "loans, investment and trade offered to states that align",
  coercion: "economic punishment of states that align with the rival",
  wedge: "offers to the rival's allies",
};

const app = {
  info: null, map: null, mapDoc: null, netDoc: null, selected: "CHN", colourBy: "alignment",
  scenario: null, result: null, runId: null, dateSeq: 0,
  measureMap: null, measure: { seq: 0, pending: null, doc: null, kind: null }, simSeq: 0,
};

async function api(path, opts) {
  const r = await fetch(path, opts);
  let body = null;
  try { body = await r.json(); } catch (e) { /* not JSON */ }
  if (!r.ok) throw new Error((body && body.error) || `${r.status} ${r.statusText}`);
  return body;
}

function status(msg, error) {
  $("status").textContent = msg;
  $("status").className = error ? "error" : "";
}

// ------------------------------------------------------------------ the timeline

// One stop a year from the world's first year to its last; the last stop is the as-of date itself.
function timelineDates() {
  const y0 = +app.info.date_min.slice(0, 4), y1 = +app.info.as_of.slice(0, 4);
  const dates = [];
  for (let y = y0; y < y1; y++) dates.push(`${y}-12-31`);
  dates.push(app.info.as_of);
  return dates;
}

async function showDate() {
  const date = app.dates[+$("timeline").value];
  $("date-label").textContent = date;
  const seq = ++app.dateSeq;
  try {
    const [mapDoc, netDoc, world] = await Promise.all([
      api(`/api/map?date=${date}`),
      api(`/api/network?date=${date}&kinds=pact,partnership,rivalry`),
      api(`/api/world?date=${date}`),
    ]);
    if (seq !== app.dateSeq) return; // a later date was asked for meanwhile
    app.mapDoc = mapDoc;
    app.netDoc = netDoc;
    fillColourBy();
    drawMapNow();
    const n = drawNetwork($("network"), netDoc, (abbr) => colourOfAbbr(abbr), pick);
    $("network-caption").textContent = `Network on ${date}: ${n.nodes} states, ${n.edges} ties (defence and other pacts solid, partnerships dashed, rivalries red); circle area ~ capability share`;
    const blocs = world.pact_blocs.length;
    $("system").innerHTML = [
      `<span class="fact"><b>${world.states}</b> states</span>`,
      `<span class="fact"><b>${world.ties_by_kind.pact}</b> pact dyads in force</span>`,
      `<span class="fact"><b>${blocs}</b> defence-pact blocs</span>`,
      `<span class="fact">great powers: <b>${mapDoc.great_powers.join(", ")}</b></span>`,
    ].join("");
    if (app.selected) showState(app.selected, date);
    showMeasures(date);
    status("");
  } catch (e) {
    if (seq === app.dateSeq) status(`${date}: ${e.message}`, true);
  }
}

// ------------------------------------------------------------------ the map's colours

function fillColourBy() {
  const sel = $("colour-by");
  const keep = sel.value || app.colourBy;
  const opts = app.mapDoc.measures.map((m) => [m.key, m.label]);
  if (app.result) {
    for (const p of app.result.poles) {
      opts.push([`run:finlandized_${p.pole}`, `run: P[Finlandized toward ${p.name} in ${app.result.report_year}]`]);
      opts.push([`run:aligned_${p.pole}`, `run: P[aligned with ${p.name} in ${app.result.report_year}]`]);
    }
  }
  sel.innerHTML = opts.map(([k, l]) => `<option value="${esc(k)}">${esc(l)}</option>`).join("");
  sel.value = opts.some(([k]) => k === keep) ? keep : "alignment";
}

function colourOfAbbr(abbr) {
  const s = app.mapDoc && app.mapDoc.states.find((x) => x.abbr === abbr);
  return s && s.alignment ? poleColour(s.alignment, app.mapDoc.great_powers) : NONE_COLOUR;
}

function drawMapNow() {
  const key = $("colour-by").value || "alignment";
  app.colourBy = key;
  const legend = $("legend");
  let colour, label;
  if (key === "alignment") {
    colour = (s) => (s.alignment ? poleColour(s.alignment, app.mapDoc.great_powers) : NONE_COLOUR);
    label = (s) => (s.alignment ? `ally of ${s.alignment}` : "no great-power ally");
    legend.innerHTML = app.mapDoc.great_powers.map((p) => `<span><span class="swatch" style="background:${poleColour(p, app.mapDoc.great_powers)}"></span>ally of ${esc(p)} (or ${esc(p)} itself)</span>`).join("") +
      `<span><span class="swatch" style="background:${NONE_COLOUR}"></span>no great-power ally, or no data</span>`;
  } else {
    let value, lo, hi, title;
    if (key.startsWith("run:")) {
      const outcome = key.slice(4);
      const p = new Map(app.result.states.map((s) => [s.abbr, s.alignment_report_year[outcome].p]));
      value = (s) => p.get(s.abbr);
      lo = 0; hi = Math.max(0.05, d3.max([...p.values()]));
      title = $("colour-by").selectedOptions[0].textContent;
    } else {
      const m = app.mapDoc.measures.find((x) => x.key === key);
      value = (s) => s[key];
      const vals = app.mapDoc.states.map(value).filter((v) => v !== null && v !== undefined);
      lo = m.min ?? d3.min(vals); hi = m.max ?? d3.max(vals);
      if (key === "cinc") hi = d3.max(vals);
      title = m.label;
    }
    // capability shares are skewed (two powers hold a third of the world's): a square-root scale
    const t = (v) => Math.max(0, Math.min(1, (v - lo) / (hi - lo || 1)));
    const sc = key === "cinc" ? (v) => d3.interpolateYlGnBu(Math.sqrt(t(v))) : (v) => d3.interpolateYlGnBu(t(v));
    colour = (s) => { const v = value(s); return v === null || v === undefined ? NONE_COLOUR : sc(v); };
    label = (s) => fmt(value(s), 3);
    const stops = d3.range(0, 1.01, 0.1).map((t) => d3.interpolateYlGnBu(t)).join(",");
    legend.innerHTML = `<span>${esc(title)}: ${fmt(lo, 2)} <span class="ramp" style="background:linear-gradient(to right,${stops})"></span> ${fmt(hi, 2)}${key === "cinc" ? " (square-root scale)" : ""}</span><span><span class="swatch" style="background:${NONE_COLOUR}"></span>no data</span>`;
  }
  app.map.draw(app.mapDoc, colour, label, app.selected);
  $("map-caption").textContent = `States on ${app.mapDoc.date}, coloured by ${$("colour-by").selectedOptions[0].textContent}. Click a country for its pyramid.`;
}

// ------------------------------------------------------------------ a state's pyramid

function pick(abbr) {
  app.selected = abbr;
  $("state-select").value = abbr;
  $("sim-state").value = abbr;
  showState(abbr, app.dates[+$("timeline").value]);
  showSimilarity(app.dates[+$("timeline").value]);
  if (app.mapDoc) drawMapNow();
  if (app.measure.doc) drawMeasure();
}

async function showState(abbr, date) {
  try {
    renderPyramid($("pyramid"), await api(`/api/states/${encodeURIComponent(abbr)}?date=${date}`));
  } catch (e) {
    $("pyramid").innerHTML = `<p class="error">${esc(abbr)} on ${esc(date)}: ${esc(e.message)}</p>`;
  }
}

function fillStates() {
  const states = [...app.mapDoc.states].sort((a, b) => a.name.localeCompare(b.name));
  const options = states.map((s) => `<option value="${esc(s.abbr)}">${esc(s.name)} (${esc(s.abbr)})</option>`).join("");
  $("state-select").innerHTML = options;
  $("state-select").value = app.selected;
  $("sim-state").innerHTML = options;
  $("sim-state").value = app.selected;
}

// ------------------------------------------------------------------ measures: blocs, balance, similarity

function showMeasures(date) {
  $("measures-date").textContent = date;
  showSimilarity(date);
  loadMeasure(date);
}

// Blocs and balance take seconds: the server computes them in the background and answers 202 until
// the document is ready. Only the date shown is waited for; a computation for a date the timeline
// has left is cancelled, so sweeping the timeline does not queue work on the server.
async function loadMeasure(date) {
  const kind = $("measure-select").value;
  const seq = ++app.measure.seq;
  const prev = app.measure.pending;
  if (prev && (prev.date !== date || prev.kind !== kind)) {
    api(`/api/${prev.kind}?date=${prev.date}`, { method: "DELETE" }).catch(() => {});
  }
  app.measure.pending = null;
  app.measure.doc = null;
  $("measure-cancel").disabled = true;
  $("measure-status").className = "";
  // grey until this date's document is in: another date's colours would mislead
  if (app.mapDoc && app.measureMap) app.measureMap.draw(app.mapDoc, () => NONE_COLOUR, () => `computing the ${kind}…`, app.selected);
  $("measure-legend").innerHTML = "";
  $("measure-facts").innerHTML = "";
  $("measure-map-caption").textContent = `The ${kind} of ${date}: being computed`;
  const t0 = Date.now();
  try {
    for (;;) {
      const r = await fetch(`/api/${kind}?date=${date}`);
      const body = await r.json().catch(() => null);
      if (seq !== app.measure.seq) return; // another date or measure was asked for meanwhile
      if (r.status === 202 || r.status === 429) {
        if (r.status === 202) app.measure.pending = { date, kind };
        $("measure-cancel").disabled = r.status !== 202;
        $("measure-status").textContent = r.status === 202
          ? `computing the ${kind} of ${date}… ${Math.round((Date.now() - t0) / 1000)} s`
          : "the server is computing other dates; waiting…";
        await new Promise((res) => setTimeout(res, r.status === 202 ? 400 : 2000));
        if (seq !== app.measure.seq) return;
        continue;
      }
      if (!r.ok) throw new Error((body && body.error) || `${r.status} ${r.statusText}`);
      app.measure.pending = null;
      $("measure-cancel").disabled = true;
      $("measure-status").textContent = "";
      app.measure.doc = body;
      app.measure.kind = kind;
      drawMeasure();
      return;
    }
  } catch (e) {
    if (seq !== app.measure.seq) return;
    app.measure.pending = null;
    $("measure-cancel").disabled = true;
    $("measure-status").textContent = `${kind} on ${date}: ${e.message}`;
    $("measure-status").className = "error";
  }
}

function cancelMeasure() {
  const prev = app.measure.pending;
  app.measure.seq++; // stops the polling
  app.measure.pending = null;
  $("measure-cancel").disabled = true;
  if (prev) api(`/api/${prev.kind}?date=${prev.date}`, { method: "DELETE" }).catch(() => {});
  $("measure-status").textContent = "cancelled";
}

const GROUP_COLOURS = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#86bcb6"];
const SMALL_GROUP = "#e7e9ee";

// The map coloured by the blocs' signed communities or by the balance's two camps.
function drawMeasure() {
  const doc = app.measure.doc, kind = app.measure.kind;
  if (!doc || !app.mapDoc || !app.measureMap) return;
  const cinc = new Map(app.mapDoc.states.map((s) => [s.abbr, s.cinc || 0]));
  const group = new Map(), groups = [];
  if (kind === "blocs") {
    for (const s of doc.states) group.set(s.state, s.community);
    for (const c of doc.communities) groups[c.community] = { members: c.members, share: c.share };
  } else {
    for (const [abbr, b] of Object.entries(doc.partition)) group.set(abbr, b);
    for (const b of [0, 1]) groups[b] = { members: Object.keys(doc.partition).filter((a) => doc.partition[a] === b) };
  }
  // a group is named by its most capable members
  const byCap = (m) => [...m].sort((a, b) => cinc.get(b) - cinc.get(a) || a.localeCompare(b));
  const colourOf = (k) => (k < GROUP_COLOURS.length && groups[k] && groups[k].members.length > 1 ? GROUP_COLOURS[k] : SMALL_GROUP);
  const label = (s) => {
    const k = group.get(s.abbr);
    if (k === undefined) return kind === "blocs" ? "no signed tie" : "not in the network";
    return kind === "blocs" ? `community ${k + 1} (${groups[k].members.length} states)` : `camp ${k === 0 ? "A" : "B"}`;
  };
  app.measureMap.draw(app.mapDoc, (s) => (group.has(s.abbr) ? colourOf(group.get(s.abbr)) : NONE_COLOUR), label, app.selected);
  const shown = groups.map((g, k) => [g, k]).filter(([g, k]) => g && g.members.length > 1 && k < GROUP_COLOURS.length);
  $("measure-legend").innerHTML = shown.map(([g, k]) => {
    const top = byCap(g.members).slice(0, 4).join(", ");
    const name = kind === "blocs" ? `${k + 1}` : (k === 0 ? "A" : "B");
    return `<span><span class="swatch" style="background:${colourOf(k)}"></span>${kind === "blocs" ? "community" : "camp"} ${name}: ${g.members.length} states` +
      `${g.share !== undefined && g.share !== null ? `, ${fmt(100 * g.share, 1)}% of capability` : ""} (${esc(top)}${g.members.length > 4 ? ", …" : ""})</span>`;
  }).join("") + (kind === "blocs" ? `<span><span class="swatch" style="background:${SMALL_GROUP}"></span>smaller communities</span>` : "") +
    `<span><span class="swatch" style="background:${NONE_COLOUR}"></span>no signed tie, or no data</span>`;
  if (kind === "blocs") {
    const f = doc.frustration;
    $("measure-facts").innerHTML = [
      `<span class="fact"><b>${doc.community_count}</b> signed communities, modularity <b>${fmt(doc.modularity)}</b></span>`,
      `<span class="fact">friendly weight inside <b>${fmt(100 * doc.positive_inside, 1)}%</b>, hostile weight between <b>${fmt(100 * doc.negative_between, 1)}%</b></span>`,
      `<span class="fact">frustration index <b>${fmt(f.value, 2)}</b>${f.optimal ? " (proven optimal)" : ` (bound ${fmt(f.bound, 2)})`}</span>`,
      `<span class="fact">most between: <b>${doc.centrality.betweenness.slice(0, 5).map((x) => esc(x.state)).join(", ")}</b></span>`,
    ].join("");
    $("measure-map-caption").textContent = `Signed communities of the alliance system on ${doc.date} (${doc.nodes} states with a signed tie; spinglass, seed ${doc.seed}). Click a country for its pyramid and its similarity.`;
  } else {
    $("measure-facts").innerHTML = [
      `<span class="fact">frustration index <b>${fmt(doc.frustration, 2)}</b>${doc.optimal ? " (proven optimal)" : ` (bound ${fmt(doc.bound, 2)}, gap ${fmt(100 * doc.gap, 1)}%)`}</span>`,
      `<span class="fact">balanced triangles <b>${fmt(100 * doc.triangle_balance, 1)}%</b> of ${doc.triangles}</span>`,
      `<span class="fact"><b>${doc.n}</b> states, <b>${doc.positive}</b> friendly and <b>${doc.negative}</b> hostile ties</span>`,
    ].join("");
    $("measure-map-caption").textContent = `Structural balance on ${doc.date}: the split into two camps that leaves the least weight of ties frustrated (friendly ties across, hostile ties within). Click a country for its pyramid and its similarity.`;
  }
}

async function showSimilarity(date) {
  const abbr = $("sim-state").value || app.selected;
  const seq = ++app.simSeq;
  const body = $("similarity").querySelector("tbody");
  try {
    const doc = await api(`/api/similarity?date=${date}&state=${encodeURIComponent(abbr)}`);
    if (seq !== app.simSeq) return;
    const names = new Map(app.mapDoc.states.map((s) => [s.abbr, s.name]));
    const rows = [...doc.dyads].sort((a, b) => (b.s ?? -9) - (a.s ?? -9) || a.abbr2.localeCompare(b.abbr2));
    $("sim-caption").textContent = `${names.get(abbr) || abbr} against every other state in ${doc.from}: similarity of their alliance portfolios (the world's pacts, ATOP coding), most similar first. S = 1: the same allies; kappa and pi correct for chance; S weighted needs capability figures.`;
    body.innerHTML = rows.map((r) => `<tr data-abbr="${esc(r.abbr2)}"><td>${esc(names.get(r.abbr2) || r.abbr2)} (${esc(r.abbr2)})</td>` +
      ["s", "sw", "kappa", "pi", "taub"].map((k) => `<td>${fmt(r[k])}</td>`).join("") + "</tr>").join("");
  } catch (e) {
    if (seq !== app.simSeq) return;
    $("sim-caption").textContent = "";
    body.innerHTML = `<tr><td colspan="6" class="error">${esc(abbr)} in ${esc(date.slice(0, 4))}: ${esc(e.message)}</td></tr>`;
  }
}

// ------------------------------------------------------------------ scenarios

async function loadScenario(name) {
  const doc = await api(`/api/scenarios/${encodeURIComponent(name)}`);
  app.scenario = doc;
  $("scenario-description").textContent = doc.description;
  const seedParam = doc.parameters.find((p) => p.key === "seed");
  $("seed").value = seedParam.value;
  $("levers").innerHTML = Object.entries(doc.levers).map(([pole, lv]) => `
    <fieldset><legend>Levers of ${esc(pole)} (each ${doc.lever_range.min}–${doc.lever_range.max})</legend>
      ${LEVERS.map((k) => `<div class="lever" data-pole="${esc(pole)}" data-lever="${k}" data-initial="${lv[k]}">
        <label for="lever-${esc(pole)}-${k}" title="${esc(LEVER_HELP[k])}">${k}</label>
        <input type="range" id="lever-${esc(pole)}-${k}" min="${doc.lever_range.min}" max="${doc.lever_range.max}" step="0.05" value="${lv[k]}" aria-describedby="help-${esc(pole)}-${k}">
        <output id="out-${esc(pole)}-${k}">${fmt(lv[k], 2)}</output>
        <span hidden id="help-${esc(pole)}-${k}">${esc(LEVER_HELP[k])}</span></div>`).join("")}
    </fieldset>`).join("");
  for (const el of document.querySelectorAll(".lever input")) {
    el.addEventListener("input", () => {
      const box = el.closest(".lever");
      box.querySelector("output").textContent = fmt(+el.value, 2);
      box.classList.toggle("changed", Math.abs(+el.value - +box.dataset.initial) > 1e-9);
    });
  }
  $("parameters").innerHTML = doc.parameters.filter((p) => !["start_year", "runs", "seed"].includes(p.key)).map((p) => {
    const vals = p.per_pole ? Object.entries(p.value) : [["", p.value]];
    return vals.map(([pole, v]) => {
      const id = `param-${p.key}${pole ? "-" + pole : ""}`;
      return `<div class="param" title="${esc(p.why)}"><label for="${id}">${esc(p.key)}${pole ? " " + esc(pole) : ""}</label>
        <input type="number" id="${id}" data-key="${esc(p.key)}" data-pole="${esc(pole)}" data-initial="${v}" value="${v}" min="${p.min}" max="${p.max}" step="${p.type === "integer" ? 1 : "any"}">
        <span class="range">${p.min} to ${p.max}</span></div>`;
    }).join("");
  }).join("");
}

// The run request: the scenario and only what the user changed (levers, parameters).
function runRequest() {
  const req = { scenario: app.scenario.name, runs: +$("runs").value, seed: +$("seed").value };
  const levers = {};
  for (const box of document.querySelectorAll(".lever")) {
    const v = +box.querySelector("input").value;
    if (Math.abs(v - +box.dataset.initial) > 1e-9) (levers[box.dataset.pole] ||= {})[box.dataset.lever] = v;
  }
  if (Object.keys(levers).length) req.levers = levers;
  const params = {};
  for (const el of document.querySelectorAll("#parameters input")) {
    if (el.value === "" || +el.value === +el.dataset.initial) continue;
    if (el.dataset.pole) (params[el.dataset.key] ||= {})[el.dataset.pole] = +el.value;
    else params[el.dataset.key] = +el.value;
  }
  if (Object.keys(params).length) req.parameters = params;
  if ($("with-baseline").checked && app.scenario.name !== "baseline") req.baseline = "baseline";
  return req;
}

async function run() {
  const req = runRequest();
  $("run").disabled = true;
  $("run-status").textContent = "starting…";
  $("run-status").className = "";
  try {
    const started = await api("/api/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
    app.runId = started.id;
    $("cancel").disabled = false;
    let st;
    for (;;) {
      st = await api(`/api/runs/${started.id}`);
      $("progress").max = st.total;
      $("progress").value = st.done;
      $("run-status").textContent = `${st.state}: ${st.done} of ${st.total} runs${st.baseline ? " (with the baseline's)" : ""}, ${st.elapsed_s.toFixed(1)} s`;
      if (st.state !== "running") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (st.state !== "done") throw new Error(st.error || st.state);
    app.result = await api(`/api/runs/${started.id}/result`);
    app.result.request = req;
    showResults();
  } catch (e) {
    $("run-status").textContent = e.message;
    $("run-status").className = "error";
  } finally {
    $("run").disabled = false;
    $("cancel").disabled = true;
    app.runId = null;
  }
}

// ------------------------------------------------------------------ results

function showResults() {
  const r = app.result;
  $("results").hidden = false;
  const base = r.baseline;
  $("headline").innerHTML = r.poles.map((p, k) => {
    const e = base ? base.poles[k].effect_more_pacts_by_report_year : null;
    const pm = p.p_more_pacts_than_base_by_report_year, pb = p.p_alliance_builder_by_report_year;
    return `<span class="fact">${esc(p.name)}: P[more than its ${p.pacts_in_base_year} pacts by ${r.report_year}] <b>${fmt(pm.p)}</b> [${fmt(pm.lo)}, ${fmt(pm.hi)}]` +
      (e ? `, vs baseline <b>${e.diff >= 0 ? "+" : ""}${fmt(e.diff)}</b> [${fmt(e.lo)}, ${fmt(e.hi)}]` : "") +
      `; P[alliance builder by ${r.report_year}] <b>${fmt(pb.p)}</b></span>`;
  }).join("");
  // a pact between two poles counts in both poles' pacts: shown once per pair, with its own effect
  const pname = new Map(r.poles.map((p) => [p.pole, p.name]));
  $("pole-pacts").innerHTML = (r.pole_pacts || []).map((x) => {
    const [a, b] = x.poles, p = x.p_pact_by_report_year, e = x.effect_vs_baseline_by_report_year;
    return `<span class="fact" data-poles="${esc(a)}-${esc(b)}">P[a ${esc(pname.get(a) || a)}–${esc(pname.get(b) || b)} defence pact by ${x.report_year}] <b>${fmt(p.p)}</b> [${fmt(p.lo)}, ${fmt(p.hi)}]` +
      (e ? `, vs baseline <b>${e.diff >= 0 ? "+" : ""}${fmt(e.diff)}</b> [${fmt(e.lo)}, ${fmt(e.hi)}]${e.paired ? "" : " (unpaired)"}` : "") + "</span>";
  }).join("");
  const keys = Object.keys(r.series);
  const sel = $("series-select");
  const keepS = sel.value;
  sel.innerHTML = keys.map((k) => `<option value="${esc(k)}">${esc(seriesLabel(k))}</option>`).join("");
  sel.value = keys.includes(keepS) ? keepS : (keys.includes(`finlandized_${r.poles[1].pole}`) ? `finlandized_${r.poles[1].pole}` : keys[0]);
  drawSeries();
  const outcomes = Object.keys(r.states[0].alignment_report_year).filter((k) => k !== "pole");
  const os = $("outcome-select");
  const keepO = os.value;
  os.innerHTML = outcomes.map((k) => `<option value="${k}">${k.replace("_", " toward ").replace("aligned toward", "aligned with")}</option>`).join("");
  os.value = outcomes.includes(keepO) ? keepO : (outcomes.find((k) => k.startsWith("finlandized_") && k.endsWith(r.poles[1].pole)) || outcomes[0]);
  drawTable();
  fillColourBy();
  drawMapNow();
  $("provenance").dataset.run = `${r.scenario} ${r.runs} ${r.seed}`;
  footer();
}

// A series' key ("pacts_CHN") for people.
function seriesLabel(k) {
  const m = /^([a-z_]+?)_([A-Z]{2,3})$/.exec(k);
  const what = {
    pacts: "defence pacts of", bloc_share: "capability share of the bloc of", finlandized: "states Finlandized toward",
    norm: "alliance-aversion norm of",
  };
  if (m && what[m[1]]) return `${what[m[1]]} ${m[2]}`;
  return { bipolarity: "bipolarity (both blocs' capability share)", polarization: "polarization (Esteban-Ray)",
    hedgers: "hedging states", frustration: "frustration (ties against the blocs)" }[k] || k;
}

function drawSeries() {
  const r = app.result, k = $("series-select").value;
  drawFan($("fan"), r.series[k], seriesLabel(k), r.report_year);
  $("fan-caption").textContent = `${seriesLabel(k)}, ${r.start_year}–${r.end_year}: ${r.runs} runs of ${r.scenario}, seed ${r.seed}; the dotted line marks ${r.report_year}`;
}

function drawTable() {
  const r = app.result, k = $("outcome-select").value;
  const rows = r.states.filter((s) => s.alignment_report_year[k].p > 0 || (s.alignment_effect_vs_baseline && s.alignment_effect_vs_baseline[k].diff !== 0))
    .sort((a, b) => b.alignment_report_year[k].p - a.alignment_report_year[k].p || a.abbr.localeCompare(b.abbr))
    .slice(0, 25);
  $("prob-caption").textContent = `P[${k.replace("_", " toward ")} in ${r.report_year}] by state, ${r.runs} runs (${r.scenario}, seed ${r.seed}); intervals: 95% Wilson, effect: Newcombe (the baseline on the same random streams)`;
  $("probabilities").querySelector("tbody").innerHTML = rows.length ? rows.map((s) => {
    const p = s.alignment_report_year[k], e = s.alignment_effect_vs_baseline ? s.alignment_effect_vs_baseline[k] : null;
    return `<tr data-abbr="${esc(s.abbr)}"><td>${esc(s.name)} (${esc(s.abbr)})</td><td class="p">${fmt(p.p)}</td><td>[${fmt(p.lo)}, ${fmt(p.hi)}]</td>` +
      (e ? `<td class="${e.diff > 0 ? "up" : e.diff < 0 ? "down" : ""}">${e.diff > 0 ? "+" : ""}${fmt(e.diff)}</td><td>[${fmt(e.lo)}, ${fmt(e.hi)}]</td>` : "<td>–</td><td></td>") + "</tr>";
  }).join("") : `<tr><td colspan="5">no state in any run</td></tr>`;
}

function footer() {
  const i = app.info;
  let text = `entente ${i.version} (commit ${i.commit.slice(0, 12)}${i.dirty ? ", modified" : ""}) · data: ${i.origin}, as of ${i.as_of}`;
  if (app.result) {
    const r = app.result;
    text += ` · last run: ${r.scenario}, ${r.runs} runs, seed ${r.seed}${r.baseline ? `, baseline ${r.baseline.scenario}` : ""}` +
      ` · reproduce: entente simulate ${r.scenario}.yaml --runs ${r.runs} --seed ${r.seed} --json` +
      (r.request.levers || r.request.parameters ? " on the scenario edited by " + JSON.stringify({ levers: r.request.levers, parameters: r.request.parameters }) : "");
  }
  $("provenance").textContent = text;
}

// ------------------------------------------------------------------ start

async function main() {
  try {
    app.info = await api("/api/info");
    footer();
    app.dates = timelineDates();
    const tl = $("timeline");
    tl.max = app.dates.length - 1;
    tl.value = app.dates.length - 1;
    tl.setAttribute("aria-valuetext", app.info.as_of);
    let timer = null;
    tl.addEventListener("input", () => {
      $("date-label").textContent = app.dates[+tl.value];
      tl.setAttribute("aria-valuetext", app.dates[+tl.value]);
      clearTimeout(timer);
      timer = setTimeout(showDate, 120);
    });
    const [atlas, codes] = await Promise.all([api("/vendor/countries-110m.json"), api("/vendor/iso-codes.json")]);
    app.map = new WorldMap($("map"), atlas, codes, pick);
    app.measureMap = new WorldMap($("measure-map"), atlas, codes, pick);
    $("measure-select").addEventListener("change", () => loadMeasure(app.dates[+$("timeline").value]));
    $("measure-cancel").addEventListener("click", cancelMeasure);
    $("sim-state").addEventListener("change", (e) => pick(e.target.value));
    $("colour-by").addEventListener("change", drawMapNow);
    $("state-select").addEventListener("change", (e) => pick(e.target.value));
    await showDate();
    fillStates();
    const list = await api("/api/scenarios");
    $("scenario-select").innerHTML = list.scenarios.map((s) => `<option value="${esc(s.name)}">${esc(s.name)}</option>`).join("");
    const first = list.scenarios.find((s) => s.name === "taiwan-strait-crisis") || list.scenarios[0];
    if (first) {
      $("scenario-select").value = first.name;
      await loadScenario(first.name);
    }
    $("scenario-select").addEventListener("change", (e) => loadScenario(e.target.value));
    $("reset").addEventListener("click", () => loadScenario(app.scenario.name));
    $("run").addEventListener("click", run);
    $("cancel").addEventListener("click", () => { if (app.runId) api(`/api/runs/${app.runId}`, { method: "DELETE" }).catch(() => {}); });
    $("series-select").addEventListener("change", drawSeries);
    $("outcome-select").addEventListener("change", drawTable);
    document.body.dataset.ready = "1";
  } catch (e) {
    status(`cannot start: ${e.message}`, true);
  }
}

main();
