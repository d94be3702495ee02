// views.js -- the explorer's drawings: the map, the network, a state's pyramid, the fan chart and
// the table of per-state probabilities. Each takes a report of the server (the library's JSON
// documents, docs/report.md) and draws it; none fetches anything.
const d3 = window.d3;
const topojson = window.topojson;

const POLE_COLOURS = { USA: "#2b6cb0", CHN: "#c53030", RUS: "#dd8a1e" };
const OTHER_COLOURS = ["#6b46c1", "#2f855a", "#b7791f", "#805ad5", "#319795", "#d53f8c"];
export const NONE_COLOUR = "#c9ced6";

export function poleColour(abbr, order) {
  if (POLE_COLOURS[abbr]) return POLE_COLOURS[abbr];
  const k = order.indexOf(abbr);
  return OTHER_COLOURS[(k < 0 ? 0 : k) % OTHER_COLOURS.length];
}

export function fmt(p, digits = 3) {
  return p === null || p === undefined || Number.isNaN(p) ? "–" : Number(p).toFixed(digits);
}

export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// ------------------------------------------------------------------ the map

export class WorldMap {
  // atlas: world-atlas countries-110m (TopoJSON); codes: i18n-iso-countries rows [alpha2, alpha3, numeric]
  constructor(svg, atlas, codes, onPick) {
    this.svg = d3.select(svg);
    const numToA3 = new Map(codes.map((r) => [String(r[2]).padStart(3, "0"), r[1]]));
    const land = topojson.feature(atlas, atlas.objects.countries);
    for (const f of land.features) f.iso3 = numToA3.get(String(f.id)) || "";
    const projection = d3.geoNaturalEarth1().fitExtent([[4, 4], [956, 496]], { type: "Sphere" });
    const path = d3.geoPath(projection);
    this.svg.selectAll("*").remove();
    this.svg.append("path").attr("class", "sphere").attr("d", path({ type: "Sphere" }));
    this.paths = this.svg.append("g").selectAll("path").data(land.features).join("path")
      .attr("class", "country").attr("d", path)
      .attr("data-iso3", (f) => f.iso3)
      .on("click", (ev, f) => { const s = this.byIso.get(f.iso3); if (s) onPick(s.abbr); });
    this.paths.append("title");
    this.byIso = new Map();
  }

  // Colours every country by colour(state) (a CSS colour), grey where the state is not in the data.
  draw(doc, colour, label, selected) {
    this.byIso = new Map(doc.states.filter((s) => s.iso3).map((s) => [s.iso3, s]));
    this.svg.attr("data-date", doc.date);
    this.paths
      .attr("fill", (f) => { const s = this.byIso.get(f.iso3); return s ? colour(s) : NONE_COLOUR; })
      .classed("selected", (f) => { const s = this.byIso.get(f.iso3); return !!s && s.abbr === selected; })
      .classed("nodata", (f) => !this.byIso.has(f.iso3));
    this.paths.select("title").text((f) => {
      const s = this.byIso.get(f.iso3);
      return s ? `${s.name} (${s.abbr}): ${label(s)}` : (f.properties && f.properties.name) || "";
    });
  }
}

// ------------------------------------------------------------------ the network

// A force layout, run to a fixed number of ticks before drawing, so the picture is the same every time.
export function drawNetwork(svg, doc, colour, onPick) {
  const root = d3.select(svg);
  root.selectAll("*").remove();
  root.attr("data-date", doc.date);
  const W = 600, H = 500;
  const nodes = doc.nodes.map((n) => ({ ...n }));
  const links = doc.edges.map((e) => ({ source: e.a, target: e.b, kind: e.kind, defense: e.defense }));
  const r = (n) => 2.5 + 40 * Math.sqrt(n.cinc || 0);
  const sim = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((n) => n.abbr).distance(40).strength(0.03))
    .force("charge", d3.forceManyBody().strength(-28).distanceMax(220))
    .force("collide", d3.forceCollide().radius((n) => r(n) + 1))
    .force("x", d3.forceX(W / 2).strength(0.06))
    .force("y", d3.forceY(H / 2).strength(0.08))
    .stop();
  for (let k = 0; k < 220; k++) sim.tick();
  const clampX = (x) => Math.max(8, Math.min(W - 8, x)), clampY = (y) => Math.max(8, Math.min(H - 8, y));
  root.append("g").selectAll("line").data(links).join("line")
    .attr("class", (l) => l.kind)
    .attr("x1", (l) => clampX(l.source.x)).attr("y1", (l) => clampY(l.source.y))
    .attr("x2", (l) => clampX(l.target.x)).attr("y2", (l) => clampY(l.target.y));
  const g = root.append("g").selectAll("g").data(nodes).join("g")
    .attr("transform", (n) => `translate(${clampX(n.x)},${clampY(n.y)})`)
    .style("cursor", "pointer").on("click", (ev, n) => onPick(n.abbr));
  g.append("circle").attr("r", r).attr("fill", (n) => colour(n.abbr));
  g.append("title").text((n) => `${n.name} (${n.abbr})`);
  g.filter((n) => (n.cinc || 0) > 0.008).append("text").attr("dx", (n) => r(n) + 1).attr("dy", 3).text((n) => n.abbr);
  return { nodes: nodes.length, edges: links.length };
}

// ------------------------------------------------------------------ a state's pyramid

// A list of ties, one line per partner: a state bound by several ties of a kind (three pacts with
// India, five exercises with Russia) shows once, with the number and the first tie's details.
function tieList(title, ties, extra) {
  if (!ties || !ties.length) return "";
  const by = new Map();
  for (const t of ties) {
    if (by.has(t.partner)) by.get(t.partner).n++;
    else by.set(t.partner, { t, n: 1 });
  }
  const rows = [...by.values()];
  const items = rows.slice(0, 40).map(({ t, n }) =>
    `<li><b>${esc(t.partner)}</b> ${esc(t.partner_name)}${n > 1 ? ` (${n})` : ""}${extra ? extra(t) : ""}</li>`);
  const more = rows.length > 40 ? `<li>… and ${rows.length - 40} more</li>` : "";
  return `<div><h3>${esc(title)} (${ties.length} with ${rows.length} states)</h3><ul>${items.join("")}${more}</ul></div>`;
}

export function renderPyramid(el, doc) {
  const tiers = doc.partnership_tiers || [];
  const maxW = Math.max(1, ...tiers.map((t) => t.partners.length));
  const pyramid = tiers.length
    ? `<div class="pyramid" aria-label="partnership tiers, top first">${tiers.map((t) =>
        `<div class="tier" style="width:${Math.round(30 + 70 * t.partners.length / maxW)}%"><span class="label">${esc(t.label)}</span>${t.partners.map((p) => esc(p.partner)).join(" ")}</div>`).join("")}</div>`
    : "";
  const facts = [
    doc.cinc === null
      ? `<span class="fact" title="the world holds no capability figure within ten years of this date (the shipped world: 2022 only; entente serve --db shows 1816 onwards)">capability share <b>–</b> (no figure within ten years)</span>`
      : `<span class="fact">capability share <b>${fmt(doc.cinc, 4)}</b>${doc.cinc_year && doc.cinc_year !== +doc.date.slice(0, 4) ? ` (${doc.cinc_year})` : ""}</span>`,
    doc.gdp_usd_bn !== null ? `<span class="fact">GDP <b>$${fmt(doc.gdp_usd_bn, 0)} bn</b></span>` : "",
    doc.economy && doc.economy.trade_share_chn !== null ? `<span class="fact">trade with China <b>${fmt(100 * doc.economy.trade_share_chn, 1)}%</b></span>` : "",
    doc.economy && doc.economy.trade_share_usa !== null ? `<span class="fact">trade with the US <b>${fmt(100 * doc.economy.trade_share_usa, 1)}%</b></span>` : "",
    doc.unga && doc.unga.agree_usa !== null ? `<span class="fact">UN votes with the US <b>${fmt(100 * doc.unga.agree_usa, 0)}%</b>, with China <b>${fmt(100 * doc.unga.agree_chn, 0)}%</b></span>` : "",
  ].join("");
  el.innerHTML = `<h3>${esc(doc.name)} (${esc(doc.abbr)}) on ${esc(doc.date)} — ${esc(doc.region)}</h3>
    <div class="facts">${facts}</div>${pyramid}
    <div class="cols">
      ${tieList("Formal allies (defence pacts)", doc.allies, (t) => ` — ${esc(t.moniker)}${t.dormant ? " (dormant)" : ""}`)}
      ${tieList("Partnerships with poles", doc.partnerships_with_poles, (t) => ` — tier ${t.level}: ${esc(t.moniker)}`)}
      ${tieList("Other pacts", doc.other_pacts)}
      ${tieList("Security cooperation", doc.security, (t) => t.subtype ? ` — ${esc(t.subtype)}` : "")}
      ${tieList("Rivalries", doc.rivalries, (t) => ` — intensity ${fmt(t.level, 2)}`)}
      ${tieList("Coercion received", doc.coercion_received)}
      ${doc.organisations && doc.organisations.length ? `<div><h3>Organisations (${doc.organisations.length})</h3><ul>${doc.organisations.map((o) => `<li>${esc(o.name)} — ${esc(o.role)}</li>`).join("")}</ul></div>` : ""}
    </div>`;
}

// ------------------------------------------------------------------ the fan chart

export function drawFan(svg, rows, label, reportYear) {
  const root = d3.select(svg);
  root.selectAll("*").remove();
  const W = 600, H = 320, m = { l: 48, r: 12, t: 12, b: 30 };
  const x = d3.scaleLinear().domain(d3.extent(rows, (r) => r.year)).range([m.l, W - m.r]);
  const hi = d3.max(rows, (r) => r.q95), lo = d3.min(rows, (r) => r.q05);
  const y = d3.scaleLinear().domain([Math.min(0, lo), hi > 0 ? hi * 1.05 : 1]).nice().range([H - m.b, m.t]);
  root.append("path").attr("class", "band90")
    .attr("d", d3.area().x((r) => x(r.year)).y0((r) => y(r.q05)).y1((r) => y(r.q95))(rows));
  root.append("path").attr("class", "median").attr("d", d3.line().x((r) => x(r.year)).y((r) => y(r.q50))(rows));
  root.append("path").attr("class", "base").attr("d", d3.line().x((r) => x(r.year)).y((r) => y(r.mean))(rows));
  if (reportYear) {
    root.append("line").attr("x1", x(reportYear)).attr("x2", x(reportYear)).attr("y1", m.t).attr("y2", H - m.b)
      .attr("stroke", "#aaa").attr("stroke-dasharray", "2 3");
  }
  root.append("g").attr("transform", `translate(0,${H - m.b})`).call(d3.axisBottom(x).tickFormat(d3.format("d")).ticks(8));
  root.append("g").attr("transform", `translate(${m.l},0)`).call(d3.axisLeft(y).ticks(6));
  root.append("text").attr("x", m.l + 6).attr("y", m.t + 10).attr("font-size", 11).text(`${label}: median (line), mean (dashed), 5–95% of runs (band)`);
  root.attr("data-points", rows.length);
}
