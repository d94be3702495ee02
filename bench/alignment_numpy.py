#!/usr/bin/python3
"""alignment_numpy.py -- a numpy peer of the alignment model's yearly step (bench/run_alignment.sh).

  alignment_numpy.py INPUTS_DIR [--runs R] [--seed S] [--json FILE] [--compare ENTENTE_JSON]

INPUTS_DIR is what `entente simulate SCENARIO --export-inputs DIR` writes (states.csv,
prox.csv, hostility.csv, distance.csv, pairs.csv, params.csv: the arrays ent_model_run starts
from). The script runs R runs of the same yearly step as ent_model_run (src/models/alignment.c),
vectorised over runs: every per-run quantity is an array [R, n] (or [R] for a pole's norm and
threat), and numpy does the arithmetic. It uses numpy's own generator (PCG64), so its random
numbers differ from entente's: the two agree only statistically.

Each year, as in ent_model_run:
  1. capabilities drift: c *= exp(growth_i + growth_sd * N(0, 1)), renormalised;
  2. shocks: NOT implemented -- the script refuses inputs with nshocks > 0 (the baseline has none);
     without shocks hostility stays at the base year's matrix and no trade is cut;
  3. each pole's threat: direct (c * prox * hostility) plus encirclement by the rival's aligned
     states, amplified by the rival's tightening (spiral), relative to threat0;
  4. the norms erode under threat above the threshold and ambition, and recover toward norm0;
  5. each non-pole state chooses among hedge / pole 0 / pole 1 / Finlandized toward 0 / toward 1:
     utility = security (threat removed, by severity) + economy + regime - coercion - entrapment
     - autonomy, + switching cost for the current option, + 2 x pact inertia for a pole it has a pact
     with; Finlandization only when allowed; the choice is argmax(utility / temperature + Gumbel).
     As in C every state decides at once on last year's alignments (a synchronous update), so the
     whole step is one vectorised block over runs and states;
  6. each pole (pole 0 first, then pole 1) weighs pacts with every other state: deterrence,
     operational value, a run-level taste drawn once per run, entanglement, unreliability;
     dissolution after `dissolve_after` years of negative utility (or misalignment), formation
     when aligned and (1 - norm) * gain - cost - formation cost > 0 and no pact with the rival;
  7. partnership levels drift toward the alignment (tier_drift / 8 a year), 1 with a pact.
Each year's series are recorded as in record(): pacts per pole, bloc shares, bipolarity,
polarization (Esteban-Ray), hedgers, Finlandized, norms, frustration (cross-bloc fixed pacts +
pole pacts with states in the other bloc + hostile ties >= 0.5 inside a bloc).

Prints runs/s (the simulation loop alone, and the whole process) and the ensemble means of the
series in 2035 and the last year. The share-valued series are rounded to 0.001 before averaging,
as entente's histograms do. With --compare, prints them next to entente's (the `series` means of
`entente simulate --json`) with the absolute difference and its Monte Carlo standard error.
With --json, writes the numbers to FILE.
"""
import argparse
import csv
import json
import math
import sys
import time

T_PROCESS0 = time.perf_counter()

import numpy as np  # noqa: E402

HEDGE, POLE0, POLE1, FIN0, FIN1, POLE = 0, 1, 2, 3, 4, 5

SERIES = ["pacts_pole0", "pacts_pole1", "bloc_share_pole0", "bloc_share_pole1", "bipolarity", "polarization",
          "hedgers", "finlandized_pole0", "finlandized_pole1", "norm_pole0", "norm_pole1", "frustration"]
COUNT_SERIES = {"pacts_pole0", "pacts_pole1", "hedgers", "finlandized_pole0", "finlandized_pole1", "frustration"}


def read_matrix(path):
    return np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)


def read_inputs(d):
    par = {}
    with open(f"{d}/params.csv", newline="") as f:
        for row in csv.DictReader(f):
            par[row["key"]] = float(row["value"])
    cols = {}
    with open(f"{d}/states.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for k in rows[0]:
        if k != "abbr":
            cols[k] = np.array([float(r[k]) for r in rows])
    cols["abbr"] = [r["abbr"] for r in rows]
    prox = read_matrix(f"{d}/prox.csv")
    host = read_matrix(f"{d}/hostility.csv")
    dist = read_matrix(f"{d}/distance.csv")
    pairs = np.loadtxt(f"{d}/pairs.csv", delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    return par, cols, prox, host, dist, pairs


class Model:
    def __init__(self, par, cols, prox, host, dist, pairs):
        self.p = par
        n = len(cols["cinc"])
        self.n = n
        self.prox, self.host, self.dist = prox, host, dist
        assert prox.shape == (n, n) and host.shape == (n, n) and dist.shape == (n, n)
        if par.get("nshocks", 0) != 0:
            sys.exit("alignment_numpy.py: the scenario has shocks; this peer does not implement them")
        if not np.array_equal(host, host.T):
            sys.exit("alignment_numpy.py: hostility is not symmetric; the block decision of step 5 needs it")
        self.pole = [int(par["pole0"]), int(par["pole1"])]
        self.cinc0 = cols["cinc"]
        self.dem = cols["democracy"]
        self.trade = [cols["trade0"], cols["trade1"]]
        self.partner0 = [cols["partner0"], cols["partner1"]]
        self.op = [cols["op0"], cols["op1"]]
        self.pact0 = (cols["pact0"].astype(np.int8) | (cols["pact1"].astype(np.int8) << 1)).astype(np.int8)
        self.align0 = cols["align"].astype(np.int8)
        self.growth_i = cols["growth"]
        self.threat0 = [par["threat0_0"], par["threat0_1"]]
        self.lev = [{k: par[f"{k}{p}"] for k in ("tightening", "engagement", "inducements", "coercion", "wedge")}
                    for p in range(2)]
        # hostility lists: prox * hostility (the threat kernel), the states with a hostile neighbour
        nz = (host > 0) & ~np.eye(n, dtype=bool)
        self.ph = np.where(nz, prox * host, 0.0)
        self.has_nb = nz.any(axis=1)
        # entanglement kernel of pole p: E[j, k] = h_jk (1 - 0.5 h_{pole,k}), k != pole
        self.ent_k = []
        for p in range(2):
            pi = self.pole[p]
            e = np.where(nz, host * (1.0 - 0.5 * host[pi][None, :]), 0.0)
            e[:, pi] = 0.0
            self.ent_k.append(e)
        self.pairs = pairs
        iu, ju = np.nonzero(np.triu(nz, 1) & (host >= 0.5))
        self.hedge_a, self.hedge_b = iu, ju  # hostile ties >= 0.5 (i < j)
        self.nonpole = np.array([i for i in range(n) if i not in self.pole])
        self.block = np.array([i for i in self.nonpole if not self.has_nb[i]])
        self.seq = [i for i in self.nonpole if self.has_nb[i]]
        # threat0 check: the reference threat recomputed from the inputs (neutral levers)
        for p in range(2):
            t = self.pole_threat(p, self.cinc0[None, :], self.align0[None, :], neutral=True)[0]
            t = t if t > 0 else 1e-6
            if not math.isclose(t, self.threat0[p], rel_tol=1e-9):
                sys.exit(f"alignment_numpy.py: threat0 of pole {p}: recomputed {t!r}, exported {self.threat0[p]!r}")

    def pole_threat(self, p, c, align, neutral=False):
        """Threat felt by pole p, per run: [R]."""
        pi, q = self.pole[p], 1 - p
        direct = c @ self.ph[pi]
        enc = (c * (align == POLE0 + q)) @ self.prox[pi]
        tight = 0.0 if neutral else self.lev[q]["tightening"]
        return direct + self.p["encirclement"] * enc * (1.0 + self.p["spiral"] * tight)

    def choose(self, S, c, align, pact, partner, pole_cap, rng):
        """Step 5 for the states S (an index array) in every run: the new alignments [R, |S|]."""
        P, m = self.p, self.pole
        R = c.shape[0]
        ph = self.ph[S]                                    # [k, n]
        fp = [c[:, m[p]][:, None] * ph[:, m[p]][None, :] for p in range(2)]
        fc = [(c * (align == POLE0 + p)) @ ph.T for p in range(2)]
        free = (align == HEDGE) | (align == FIN0) | (align == FIN1)
        ff = (c * free) @ ph.T
        total = fp[0] + fp[1] + fc[0] + fc[1] + ff
        severity = total / (total + 0.01)
        own = align[:, S]
        util = np.empty((R, len(S), 5))
        trade = [self.trade[0][S], self.trade[1][S]]

        def score(o, resid, econ, regime=0.0, coerc=0.0, entrap=0.0, autonomy=0.0):
            with np.errstate(invalid="ignore", divide="ignore"):
                sec = np.where(total > 0, severity * (total - resid) / total, 0.0)
            u = (P["beta_security"] * sec + P["beta_economy"] * econ + P["beta_regime"] * regime
                 - P["beta_coercion"] * coerc - P["beta_entrapment"] * entrap - P["beta_autonomy"] * autonomy)
            return u + P["switching_cost"] * (own == o)

        # hedge: trade with both; a wedge offer pays a rival's ally for stepping back
        econ = trade[0] + trade[1] + 0.3 * (self.lev[0]["wedge"] * (own == POLE1) + self.lev[1]["wedge"] * (own == POLE0))
        util[:, :, HEDGE] = score(HEDGE, total, econ)
        for p in range(2):
            q = 1 - p
            o = POLE0 + p
            haspact = ((pact[:, S] >> p) & 1).astype(np.float64)
            rho = 0.6 + 0.2 * haspact + 0.2 * self.lev[p]["tightening"]
            against_q = (pole_cap[p] / (pole_cap[p] + pole_cap[q]))[:, None]
            resid = (fp[q] + fc[q]) * (1 - rho * against_q) + ff * (1 - 0.5 * rho) + fc[p] + 0.9 * fp[p]
            econ = trade[p] + trade[q] + 0.3 * self.lev[p]["inducements"]
            coerc = 2 * self.lev[q]["coercion"] * trade[q] * (0.5 + 0.5 * self.prox[S, m[q]])
            gp = np.abs(self.dem[S] - self.dem[m[p]]) * (1 - self.lev[p]["engagement"])
            gq = np.abs(self.dem[S] - self.dem[m[q]]) * (1 - self.lev[q]["engagement"])
            regime = (gq - gp) + 0.5 * (partner[p][:, S] - partner[q][:, S])
            entrap = self.host[m[p], m[q]] * self.prox[S, m[q]]
            util[:, :, o] = score(o, resid, econ, regime, coerc, entrap, 0.5) + 2 * P["pact_inertia"] * haspact
        for p in range(2):
            o = FIN0 + p
            pi, qi = m[p], m[1 - p]
            allowed = ((self.dist[S, pi] <= P["finland_distance_km"])[None, :] & (fp[p] > 0)
                       & (pole_cap[1 - p][:, None] * self.prox[S, qi][None, :] < (c[:, pi][:, None] * self.prox[S, pi][None, :])))
            u = score(o, total - 0.6 * fp[p], trade[0] + trade[1], autonomy=1.0)
            util[:, :, o] = np.where(allowed, u, -np.inf)
        g = rng.gumbel(size=util.shape)
        return np.argmax(util / P["temperature"] + g, axis=2).astype(np.int8)

    def record(self, c, align, pact, norm):
        """The year's series, per run: a dict of [R] arrays (as record() in alignment.c)."""
        m = self.pole
        out = {}
        for p in range(2):
            out[f"pacts_pole{p}"] = ((pact >> p) & 1).sum(axis=1)
        share = [c[:, m[p]] + (c * (align == POLE0 + p)).sum(axis=1) for p in range(2)]
        rest = (c * ((align == HEDGE) | (align == FIN0) | (align == FIN1))).sum(axis=1)
        out["bloc_share_pole0"], out["bloc_share_pole1"] = share
        out["bipolarity"] = share[0] + share[1]
        sh = [share[0], share[1], rest]
        pos = [0.0, 1.0, 0.5]
        er = sum(sh[a] ** 2.6 * sh[b] * abs(pos[a] - pos[b]) for a in range(3) for b in range(3))
        out["polarization"] = er / (2 * 0.5 ** 3.6)
        out["hedgers"] = (align == HEDGE).sum(axis=1)
        out["finlandized_pole0"] = (align == FIN0).sum(axis=1)
        out["finlandized_pole1"] = (align == FIN1).sum(axis=1)
        out["norm_pole0"], out["norm_pole1"] = norm[:, 0], norm[:, 1]
        bloc = np.full(align.shape, -1, dtype=np.int8)
        bloc[align == POLE0] = 0
        bloc[align == POLE1] = 1
        bloc[:, m[0]] = 0
        bloc[:, m[1]] = 1
        ba, bb = bloc[:, self.pairs[:, 0]], bloc[:, self.pairs[:, 1]]
        fr = ((ba >= 0) & (bb >= 0) & (ba != bb)).sum(axis=1)
        for p in range(2):
            fr = fr + ((((pact >> p) & 1) == 1) & (bloc >= 0) & (bloc != p)).sum(axis=1)
        ha, hb = bloc[:, self.hedge_a], bloc[:, self.hedge_b]
        fr = fr + ((ha >= 0) & (ha == hb)).sum(axis=1)
        out["frustration"] = fr
        return out

    def run(self, R, seed):
        P, n, m = self.p, self.n, self.pole
        rng = np.random.default_rng(seed)
        years = int(P["years"])
        c = np.tile(self.cinc0, (R, 1))
        align = np.tile(self.align0, (R, 1))
        pact = np.tile(self.pact0, (R, 1))
        partner = [np.tile(self.partner0[p], (R, 1)) for p in range(2)]
        neg = [np.zeros((R, n), dtype=np.int16) for _ in range(2)]
        taste = [P["pact_noise"] * rng.standard_normal((R, n)) for _ in range(2)]
        norm0 = np.array([P["norm00"], P["norm01"]])
        norm = np.tile(norm0, (R, 1))
        builder = norm < P["builder_norm"]                  # norm crossed below builder_norm so far
        series = [self.record(c, align, pact, norm)]
        extra = {"builder_by": [builder.copy()]}
        drift = P["tier_drift"] / 8.0
        for _step in range(1, years + 1):
            # 1. capabilities drift (log-normal shocks), renormalised; 2. no shocks: a second
            # renormalisation as in C (a no-op up to rounding)
            c = c * np.exp(self.growth_i[None, :] + P["growth_sd"] * rng.standard_normal((R, n)))
            c /= c.sum(axis=1, keepdims=True)
            c /= c.sum(axis=1, keepdims=True)
            # 3. threat felt by the poles, relative to the base year
            threat_rel = np.stack([self.pole_threat(p, c, align) / self.threat0[p] for p in range(2)], axis=1)
            # 4. the norms
            thr = np.array([P["threat_threshold0"], P["threat_threshold1"]])
            amb = np.array([P["ambition0"], P["ambition1"]])
            v = (norm - P["kappa_threat"] * np.maximum(0.0, threat_rel - thr) - P["kappa_ambition"] * amb
                 + P["kappa_restore"] * (norm0 - norm))
            norm = np.clip(v, 0.0, 1.0)
            builder |= norm < P["builder_norm"]
            # 5. alignments; a bloc's strength is the pole and its pact allies
            pole_cap = []
            for p in range(2):
                inb = ((pact >> p) & 1).astype(bool)
                inb[:, m[p]] = True
                pole_cap.append((c * inb).sum(axis=1))
            # every state decides on last year's alignments (synchronous, as in C)
            prev = align.copy()
            align[:, self.nonpole] = self.choose(self.nonpole, c, prev, pact, partner, pole_cap, rng)
            # 6. pole pact decisions, pole 0 then pole 1
            for p in range(2):
                q = 1 - p
                pi, qi = m[p], m[q]
                has = ((pact >> p) & 1).astype(bool)
                aligned = align == POLE0 + p
                deter = c * (0.25 + 0.75 * np.maximum(self.prox[:, pi], self.prox[:, qi]))[None, :]
                ent = c @ self.ent_k[p].T
                value = (threat_rel[:, p] + P[f"ambition{p}"])[:, None] * (
                    P["w_deterrence"] * deter + P["w_operational"] * self.op[p][None, :])
                gain = value + 0.2 * self.lev[p]["tightening"] + taste[p]
                cost = P["w_entanglement"] * ent + P["w_unreliability"] * (1 - partner[p])
                u = gain - cost + P["pact_inertia"]
                notpole = np.ones(n, dtype=bool)
                notpole[[pi, qi]] = False
                bad = has & notpole & ((u < 0) | ~aligned)
                good = has & notpole & ~bad
                neg[p] = np.where(bad, neg[p] + 1, np.where(good, 0, neg[p]))
                dissolve = bad & (neg[p] >= P["dissolve_after"])
                form = (~has & notpole & aligned & ((1.0 - norm[:, p])[:, None] * gain - cost - P["pact_formation_cost"] > 0)
                        & (((pact >> q) & 1) == 0))
                pact = np.where(dissolve, pact & ~np.int8(1 << p), pact)
                pact = np.where(form, pact | np.int8(1 << p), pact).astype(np.int8)
                neg[p] = np.where(dissolve | form, 0, neg[p])
            # 7. partnership drift
            for p in range(2):
                up = (align == POLE0 + p) | (align == FIN0 + p)
                down = align == POLE0 + (1 - p)
                partner[p] = np.where(up, np.minimum(1.0, partner[p] + drift),
                                      np.where(down, np.maximum(0.0, partner[p] - drift), partner[p]))
                partner[p] = np.where(((pact >> p) & 1) == 1, 1.0, partner[p])
            series.append(self.record(c, align, pact, norm))
            extra["builder_by"].append(builder.copy())
        return series, extra


def binned(name, v):
    """As entente's histograms: shares to the nearest 0.001 (lround), counts as they are."""
    v = np.asarray(v, dtype=np.float64)
    return v if name in COUNT_SERIES else np.floor(v * 1000 + 0.5) / 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs")
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=None, help="numpy seed (default: the scenario's)")
    ap.add_argument("--json", help="write the results to this file")
    ap.add_argument("--compare", help="entente simulate --json output to compare with")
    ap.add_argument("--pacts", type=int, default=3, help="K of P[pole holds >= K pacts by the report year]")
    a = ap.parse_args()
    par, cols, prox, host, dist, pairs = read_inputs(a.inputs)
    model = Model(par, cols, prox, host, dist, pairs)
    seed = a.seed if a.seed is not None else int(par["seed"])
    t0 = time.perf_counter()
    series, extra = model.run(a.runs, seed)
    t1 = time.perf_counter()
    start, years, ry = int(par["start_year"]), int(par["years"]), int(par["report_year"])
    check_years = [ry, start + years]
    res = {"runs": a.runs, "seed": seed, "n": model.n, "sim_seconds": t1 - t0,
           "runs_per_s_sim": a.runs / (t1 - t0), "sequential_states": len(model.seq),
           "block_states": len(model.block), "means": {}, "sd": {}, "probs": {}}
    for y in check_years:
        k = y - start
        res["means"][str(y)] = {s: float(binned(s, series[k][s]).mean()) for s in SERIES}
        res["sd"][str(y)] = {s: float(binned(s, series[k][s]).std(ddof=1)) for s in SERIES}
    kr = ry - start
    for p in range(2):
        reach = np.zeros(a.runs, dtype=bool)
        for k in range(kr + 1):
            reach |= series[k][f"pacts_pole{p}"] >= a.pacts
        res["probs"][f"p_at_least_{a.pacts}_pacts_pole{p}"] = float(reach.mean())
        base = int(series[0][f"pacts_pole{p}"][0])
        more = np.zeros(a.runs, dtype=bool)
        for k in range(kr + 1):
            more |= series[k][f"pacts_pole{p}"] >= base + 1
        res["probs"][f"p_more_pacts_than_base_pole{p}"] = float(more.mean())
        res["probs"][f"p_alliance_builder_pole{p}"] = float(extra["builder_by"][kr][:, p].mean())
    res["process_seconds"] = time.perf_counter() - T_PROCESS0
    res["runs_per_s_process"] = a.runs / res["process_seconds"]
    abbr = cols["abbr"]
    print(f"numpy peer: {a.runs} runs x {years} years, n = {model.n} states "
          f"(poles {abbr[model.pole[0]]}, {abbr[model.pole[1]]}), numpy {np.__version__}, seed {seed}")
    print(f"  step 5: {len(model.block)} states without a hostile neighbour in one block, "
          f"{len(model.seq)} one at a time; shocks not implemented (nshocks = 0)")
    print(f"  simulation {res['sim_seconds']:.2f} s: {res['runs_per_s_sim']:.1f} runs/s; "
          f"whole process {res['process_seconds']:.2f} s: {res['runs_per_s_process']:.1f} runs/s")
    for y in check_years:
        print(f"  {y}: " + ", ".join(f"{s} {res['means'][str(y)][s]:.4g}" for s in SERIES))
    print("  " + ", ".join(f"{k} {v:.4f}" for k, v in res["probs"].items()))
    if a.compare:
        with open(a.compare) as f:
            ent = json.load(f)
        compare(res, ent, check_years, a.pacts)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1, sort_keys=True)


KMAX = 10**9  # entente's ensemble counts a pole's pacts up to the number of states: no clamp


def zcell(d, se):
    if se > 0:
        return f"{d / se:+.2f}"
    return "0 (no variance)" if d == 0 else "- (no variance in the peer)"


def compare(res, ent, check_years, k):
    """Entente's ensemble means next to numpy's, with |difference| and its Monte Carlo standard error."""
    nc, nn = ent["runs"], res["runs"]
    print(f"\nstatistical agreement: entente ({nc} runs) vs numpy ({nn} runs); "
          "se = numpy's sd x sqrt(1/{0} + 1/{1}); z = difference / se".format(nn, nc))
    print("| series | year | entente mean | numpy mean | abs diff | se | z |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    rows = 0
    clamped = []
    for y in check_years:
        for s in SERIES:
            # entente names a pole's series by the pole's code ("pacts_CHN"), in pole order
            key = s.replace("pole0", ent["poles"][0]["pole"]).replace("pole1", ent["poles"][1]["pole"])
            e = next(r["mean"] for r in ent["series"][key] if r["year"] == y)
            v, sd = res["means"][str(y)][s], res["sd"][str(y)][s]
            se = sd * math.sqrt(1 / nn + 1 / nc)
            print(f"| {s} | {y} | {e:.4f} | {v:.4f} | {abs(v - e):.4f} | {se:.4f} | {zcell(v - e, se)} |")
            if se > 0:
                worst = max(worst, abs(v - e) / se)
                rows += 1
    for p in range(2):
        po = ent["poles"][p]
        for key, ek, label in ((f"p_at_least_{k}_pacts_pole{p}", f"p_at_least_{k}_pacts_by_report_year",
                                f"P[>= {k} pacts by]"),
                               (f"p_more_pacts_than_base_pole{p}", "p_more_pacts_than_base_by_report_year",
                                f"P[> {po['pacts_in_base_year']} pacts by]"),
                               (f"p_alliance_builder_pole{p}", "p_alliance_builder_by_report_year",
                                "P[alliance builder by]")):
            if key.startswith("p_more") and po["pacts_in_base_year"] + 1 > KMAX:
                clamped.append(f"{ek} of {po['pole']} ({po[ek]['p']:.4f}): entente counts pacts only up to {KMAX}, "
                               f"so for a base of {po['pacts_in_base_year']} it reports P[>= {KMAX} pacts]")
                continue
            e = po[ek]["p"]
            v = res["probs"][key]
            pp = (e * nc + v * nn) / (nc + nn)
            se = math.sqrt(pp * (1 - pp) * (1 / nn + 1 / nc))
            if se > 0:
                worst = max(worst, abs(v - e) / se)
                rows += 1
            z = zcell(v - e, se)
            print(f"| {label} {po['pole']} | {ent['report_year']} | {e:.4f} | {v:.4f} | {abs(v - e):.4f} | "
                  f"{se:.4f} | {z} |")
    print(f"\nlargest |z| over the {rows} rows with a non-zero se: {worst:.2f}")
    for c in clamped:
        print(f"not compared: {c}")


if __name__ == "__main__":
    main()
