// test_browser.mjs -- the explorer in headless Chromium (Debian's, driven by playwright-core from
// web/node_modules): the page loads without errors, the map and the network render, the timeline
// moves the map to another date, the measures view colours a map by the blocs and (chosen by
// keyboard) by the balance's camps and lists a state's similarity with the CLI's numbers, and
// moving a lever slider and pressing Run shows a chart and a table whose numbers equal
// `entente simulate --json` for the same scenario, edit and seed.
// Screenshots go to $ENT_TMP (the build tree). Exit 77 (skip) without chromium or playwright-core.
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";

const ENTENTE = process.env.ENTENTE;
const SRC = process.env.ENT_SRC;
const TMP = process.env.ENT_TMP || "/tmp/ent_serve_browser";
const CHROMIUM = process.env.ENT_CHROMIUM || "/usr/bin/chromium";
mkdirSync(TMP, { recursive: true });

if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: no Chromium at ${CHROMIUM} (apt-get install chromium, or scripts/bootstrap)`);
  process.exit(77);
}
let chromium;
try {
  chromium = createRequire(path.join(SRC, "web", "package.json"))("playwright-core").chromium;
} catch (e) {
  console.log("SKIP: playwright-core is not installed in web/node_modules (scripts/bootstrap runs npm ci there)");
  process.exit(77);
}

let failures = 0, checks = 0;
function check(cond, what) {
  checks++;
  if (!cond) { failures++; console.error("FAIL:", what); }
}

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn(ENTENTE, ["serve", "--port", "0", "--rate", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    const rl = createInterface({ input: p.stdout });
    rl.once("line", (line) => (/^http:\/\/127\.0\.0\.1:\d+\/$/.test(line) ? resolve({ p, url: line }) : reject(new Error(line))));
    p.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

const { p: server, url } = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  const outside = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) outside.push(r.url()); });

  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 120000 });
  const info = await (await page.request.get(url + "api/info")).json();

  // the map: countries coloured, on the world's as-of date
  const shown = await page.locator("#map path.country:not(.nodata)").count();
  const allied = await page.$$eval("#map path.country", (ps) => ps.filter((p) => p.getAttribute("fill") !== "#c9ced6").length);
  check(shown > 150 && allied > 40, `map: ${shown} countries with data, ${allied} coloured as allies`);
  check(await page.getAttribute("#map", "data-date") === info.as_of, "map shows the as-of date");
  const nodes = await page.locator("#network circle").count(), lines = await page.locator("#network line").count();
  check(nodes > 50 && lines > 50, `network: ${nodes} nodes, ${lines} ties`);
  check((await page.locator("#pyramid h3").first().textContent()).includes("China"), "China's pyramid shown");
  await page.screenshot({ path: path.join(TMP, "1-loaded.png"), fullPage: true });

  // the measures view: the blocs (a background computation on the server) colour their map
  await page.waitForSelector("#measure-facts .fact", { timeout: 180000 }).catch(async (e) => {
    // say what the page said (an error from the server, or still computing) before failing
    throw new Error(`${e.message}; the measures view says: "${await page.textContent("#measure-status")}"`);
  });
  const groups = await page.$$eval("#measure-map path.country", (ps) => new Set(ps.map((p) => p.getAttribute("fill")).filter((f) => f !== "#c9ced6" && f !== "#e7e9ee")).size);
  const inGroups = await page.$$eval("#measure-map path.country", (ps) => ps.filter((p) => !["#c9ced6", "#e7e9ee"].includes(p.getAttribute("fill"))).length);
  check(groups >= 2 && inGroups > 100, `blocs map: ${inGroups} countries in ${groups} coloured communities`);
  check((await page.textContent("#measure-map-caption")).includes("Signed communities"), "blocs caption");
  // China's similarity with every other state, most similar first; the US row equals the CLI's
  const simRows = await page.$$eval("#similarity tbody tr[data-abbr]", (trs) => trs.map((tr) => [tr.dataset.abbr, ...[...tr.querySelectorAll("td")].slice(1).map((td) => td.textContent)]));
  const year = info.as_of.slice(0, 4);
  const simCli = JSON.parse(execFileSync(ENTENTE, ["similarity", "--world", "--year", year, "--pair", "CHN,USA", "--json"], { encoding: "utf8" })).dyads[0];
  const usaRow = simRows.find((r) => r[0] === "USA");
  check(simRows.length > 150 && usaRow && usaRow[1] === simCli.s.toFixed(3) && usaRow[3] === simCli.kappa.toFixed(3),
    `similarity table: ${simRows.length} rows; USA ${JSON.stringify(usaRow)} vs the CLI's S ${simCli.s}, kappa ${simCli.kappa}`);
  check(simRows.every((r, k) => k === 0 || r[1] === "–" || +simRows[k - 1][1] >= +r[1]), "similarity: most similar first");
  // by keyboard: the balance's two camps instead
  await page.focus("#measure-select");
  await page.keyboard.press("ArrowDown");
  await page.waitForSelector("#measure-map-caption:has-text('Structural balance')", { timeout: 180000 });
  const camps = await page.$$eval("#measure-map path.country", (ps) => new Set(ps.map((p) => p.getAttribute("fill")).filter((f) => f !== "#c9ced6" && f !== "#e7e9ee")).size);
  check(camps === 2, `balance map: ${camps} camps coloured`);
  check((await page.textContent("#measure-facts")).includes("frustration index"), "balance facts");
  await page.locator("#measures").screenshot({ path: path.join(TMP, "4-measures.png") });

  // the timeline, by keyboard: ten years back
  await page.focus("#timeline");
  for (let k = 0; k < 10; k++) await page.keyboard.press("ArrowLeft");
  const want = `${+info.as_of.slice(0, 4) - 10}-12-31`;
  // (no waitForFunction: the page's Content-Security-Policy forbids evaluating strings, as it should)
  await page.waitForSelector(`#map[data-date='${want}']`, { timeout: 60000 });
  check(await page.textContent("#date-label") === want, "timeline label moved");
  check(await page.getAttribute("#network", "data-date") === want, "network moved with the timeline");
  // ten years back the capability share is the nearest year's, and the page says which
  await page.waitForSelector(`#measures-date:has-text('${want}')`, { timeout: 60000 });
  const cap = await page.textContent("#pyramid");
  check(/capability share \d\.\d{4} \(\d{4}\)/.test(cap.replace(/\s+/g, " ")), `capability share on a past date: ${cap.slice(0, 200)}`);
  // the colour-by menu: a measure
  await page.selectOption("#colour-by", "trade_share_chn");
  check((await page.textContent("#legend")).includes("trade with China"), "legend of a measure");
  await page.screenshot({ path: path.join(TMP, "2-timeline.png"), fullPage: true });

  // a lever moved by keyboard, then Run: the numbers against the CLI's
  const runs = 40, seed = 5;
  await page.selectOption("#scenario-select", "taiwan-strait-crisis");
  await page.fill("#runs", String(runs));
  await page.fill("#seed", String(seed));
  await page.focus("#lever-USA-engagement");
  for (let k = 0; k < 10; k++) await page.keyboard.press("ArrowRight");
  const lever = await page.inputValue("#lever-USA-engagement");
  check(lever === "0.7", `lever moved to ${lever}`);
  await page.click("#run");
  await page.waitForSelector("#probabilities tbody tr[data-abbr]", { timeout: 180000 });
  const outcome = await page.inputValue("#outcome-select");
  const rows = await page.$$eval("#probabilities tbody tr[data-abbr]", (trs) => trs.map((tr) => [tr.dataset.abbr, tr.querySelector("td.p").textContent]));
  const points = +(await page.getAttribute("#fan", "data-points"));
  await page.selectOption("#colour-by", `run:${outcome}`);
  await page.screenshot({ path: path.join(TMP, "3-run.png"), fullPage: true });

  const yaml = readFileSync(path.join(SRC, "scenarios", "taiwan-strait-crisis.yaml"), "utf8");
  const edited = yaml.replace("USA: {tightening: 0.5, engagement: 0.2,", "USA: {tightening: 0.5, engagement: 0.7,");
  check(edited !== yaml, "the test's edit applies to the scenario file");
  writeFileSync(path.join(TMP, "edited.yaml"), edited);
  const cli = JSON.parse(execFileSync(ENTENTE, ["simulate", path.join(TMP, "edited.yaml"), "--runs", String(runs), "--seed", String(seed), "--threads", "1", "--json"], { encoding: "utf8", maxBuffer: 64 << 20 }));
  check(points === cli.end_year - cli.start_year + 1, `fan chart: ${points} years`);
  check(rows.length > 0, `probability table: ${rows.length} rows of ${outcome}`);
  const byAbbr = new Map(cli.states.map((s) => [s.abbr, s]));
  const diffs = rows.filter(([abbr, text]) => byAbbr.get(abbr).alignment_report_year[outcome].toFixed(3) !== text);
  check(diffs.length === 0, `the page's probabilities equal the CLI's: ${JSON.stringify(diffs.slice(0, 5))}`);
  const cliTop = cli.states.map((s) => [s.abbr, s.alignment_report_year[outcome]]).filter(([, p]) => p > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  check(cliTop.length === 0 || rows[0][0] === cliTop[0][0], `the page's most likely state is the CLI's (${rows[0] && rows[0][0]})`);
  const pair = await page.textContent('#pole-pacts [data-poles="USA-CHN"] b');
  check(pair === cli.pole_pacts[0].p_pact_by_report_year.p.toFixed(3), `the USA-CHN pact shown is the CLI's: ${pair}`);
  check((await page.textContent("#provenance")).includes(`seed ${seed}`), "provenance footer names the seed");
  check(errors.length === 0, `no errors in the page: ${errors.slice(0, 5)}`);
  check(outside.length === 0, `nothing fetched from elsewhere: ${outside.slice(0, 3)}`);
} finally {
  await browser.close();
  server.kill("SIGINT");
}
console.log(`${checks} checks, ${failures} failed; screenshots in ${TMP}`);
process.exit(failures ? 1 : 0);
