#!/usr/bin/python3
"""validation_summary.py -- from `entente backtest --json-out` output: the
summary table of docs/validation.md (markdown, on stdout) and the reliability
plot as a hand-written SVG (no plotting library needed).

usage: validation_summary.py CARD.json OUT.svg
"""
import json
import math
import sys


def f(v, p=4):
    return "undefined" if v is None else f"{v:.{p}f}"


def ci(c, p=3):
    return "" if c is None or c[0] is None else f" [{c[0]:.{p}f}, {c[1]:.{p}f}]"


def main():
    d = json.load(open(sys.argv[1]))
    print("| predictor | log score | log skill vs base rate | Brier skill vs base rate | ROC-AUC | PR-AUC "
          "| recall top 100 | treaty recall top 100 | top 1,000: mean p / observed | state-level ROC-AUC |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for p in d["predictors"]:
        c, s = p["dyad"], p["state"]
        tk = {t["k"]: t for t in c["top_k"]}
        top = p["reliability"][-1]
        ls = "inf" if c["log_score_infinite"] else f(c["log_score"], 5)
        print(f"| {p['predictor']} | {ls} | {f(c['log_skill_base_rate'], 3)} "
              f"| {f(c['brier_skill_base_rate'], 3)}{ci(c['ci90']['brier_skill_base_rate'])} "
              f"| {f(c['roc_auc'], 3)}{ci(c['ci90']['roc_auc'])} | {f(c['pr_auc'], 4)} "
              f"| {f(tk[100]['recall'], 3)}{ci(tk[100]['recall_ci90'])} | {f(tk[100].get('treaty_recall'), 3)} "
              f"| {f(top['p_mean'], 4)} / {f(top['observed'], 4)} | {f(s['roc_auc'], 3)} |")

    # observed vs mean forecast on log axes, 90% Wilson bars, the diagonal
    W, H, L, B = 560, 430, 70, 50
    lo, hi = -6, 0

    def x(v):
        return L + (math.log10(max(v, 10 ** lo)) - lo) / (hi - lo) * (W - L - 20)

    def y(v):
        return H - B - (math.log10(max(v, 10 ** lo)) - lo) / (hi - lo) * (H - B - 20)

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
         '<rect width="100%" height="100%" fill="white"/>',
         f'<line x1="{x(1e-6):.1f}" y1="{y(1e-6):.1f}" x2="{x(1):.1f}" y2="{y(1):.1f}" stroke="#999" '
         'stroke-dasharray="4 3"/>',
         f'<line x1="{L}" y1="{H - B}" x2="{W - 20}" y2="{H - B}" stroke="black"/>',
         f'<line x1="{L}" y1="20" x2="{L}" y2="{H - B}" stroke="black"/>']
    for e in range(lo, hi + 1):
        o.append(f'<line x1="{x(10 ** e):.1f}" y1="{H - B}" x2="{x(10 ** e):.1f}" y2="{H - B + 4}" stroke="black"/>'
                 f'<text x="{x(10 ** e):.1f}" y="{H - B + 16}" text-anchor="middle">1e{e}</text>'
                 f'<line x1="{L - 4}" y1="{y(10 ** e):.1f}" x2="{L}" y2="{y(10 ** e):.1f}" stroke="black"/>'
                 f'<text x="{L - 6}" y="{y(10 ** e) + 4:.1f}" text-anchor="end">1e{e}</text>')
    o.append(f'<text x="{(L + W - 20) / 2}" y="{H - 12}" text-anchor="middle">mean forecast in the bin</text>')
    o.append(f'<text x="16" y="{(H - B) / 2}" text-anchor="middle" transform="rotate(-90 16 {(H - B) / 2})">'
             'observed share (0 drawn at 1e-6)</text>')
    colours = {"base-rate": "#2ca02c", "history": "#1f77b4", "logit": "#d62728"}
    ly = 30
    for p in d["predictors"]:
        col = colours.get(p["predictor"])
        if not col:
            continue
        for b in p["reliability"]:
            if b["p_mean"] is None:
                continue
            cx, cy = x(b["p_mean"]), y(b["observed"] or 0)
            l_, h_ = b["observed_ci90"]
            o.append(f'<line x1="{cx:.1f}" y1="{y(l_ or 0):.1f}" x2="{cx:.1f}" y2="{y(h_ or 0):.1f}" stroke="{col}"/>')
            if b["bin"] == "top1000":
                o.append(f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="none" stroke="{col}"/>')
            else:
                o.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{col}"/>')
        o.append(f'<circle cx="{L + 20}" cy="{ly}" r="3.5" fill="{col}"/>'
                 f'<text x="{L + 30}" y="{ly + 4}">{p["predictor"]}</text>')
        ly += 16
    o.append(f'<rect x="{L + 16}" y="{ly - 4}" width="8" height="8" fill="none" stroke="black"/>'
             f'<text x="{L + 30}" y="{ly + 4}">the 1,000 highest forecasts</text>')
    o.append(f'<text x="{W - 20}" y="{H - B - 8}" text-anchor="end">test years, 10 equal-count bins, '
             '90% Wilson bars</text>')
    o.append("</svg>")
    with open(sys.argv[2], "w") as fh:
        fh.write("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
