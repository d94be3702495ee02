#!/usr/bin/python3
"""landscape_numpy.py -- the numpy peer of `entente landscape` in bench/landscape_exhaustive.sh.

  gen N SEED OUTDIR
      Writes a random landscape on N actors: OUTDIR/actorsN.csv (actor,size; sizes uniform
      on [0.1, 1.1)) and OUTDIR/propsN.csv (a,b,p for every pair; p uniform on [-1, 1)),
      from numpy's default_rng(SEED).

  enum ACTORS PROPS [--no-basins]
      Straightforward exhaustive landscape: all 2^(N-1) configurations with actor 0 on side 0,
      E(X) = sum_{i != j} s_i s_j p_ij [X_i != X_j] = sum_{i<j} a_ij (1 - sigma_i sigma_j)
      computed in blocks of 2^16 configurations (one matrix product each); the global minimum;
      the local minima (no single-actor move lowers E, neighbours looked up in the energy
      table); basins by steepest descent (the lowest neighbour, ties to the lowest actor)
      resolved by pointer doubling. Prints: n configurations E_min minima basins seconds.
"""
import csv
import sys
import time

import numpy as np


def gen(n, seed, outdir):
    rng = np.random.default_rng(seed)
    sizes = 0.1 + rng.random(n)
    p = 2.0 * rng.random((n, n)) - 1.0
    with open(f"{outdir}/actors{n}.csv", "w") as f:
        f.write("actor,size\n")
        for i in range(n):
            f.write(f"x{i},{sizes[i]!r}\n")
    with open(f"{outdir}/props{n}.csv", "w") as f:
        f.write("a,b,p\n")
        for i in range(n):
            for j in range(i + 1, n):
                f.write(f"x{i},x{j},{p[i, j]!r}\n")


def read(actors, props):
    names, sizes = [], []
    with open(actors, newline="") as f:
        for row in csv.DictReader(f):
            names.append(row["actor"])
            sizes.append(float(row["size"]))
    idx = {a: k for k, a in enumerate(names)}
    n = len(names)
    p = np.zeros((n, n))
    with open(props, newline="") as f:
        for row in csv.DictReader(f):
            i, j = idx[row["a"]], idx[row["b"]]
            p[i, j] = p[j, i] = float(row["p"])
    s = np.array(sizes)
    return s[:, None] * s[None, :] * p


def enum(a, basins):
    n = a.shape[0]
    N = 1 << (n - 1)
    total = np.abs(np.triu(a, 1)).sum()
    half = np.triu(a, 1).sum()
    E = np.empty(N)
    block = 1 << 16 if N > (1 << 16) else N
    bits = np.arange(n - 1, dtype=np.int64)
    for start in range(0, N, block):
        c = np.arange(start, min(start + block, N), dtype=np.int64)
        sigma = np.ones((len(c), n))
        sigma[:, 1:] = 1.0 - 2.0 * ((c[:, None] >> bits[None, :]) & 1)
        # E = sum_{i != j} a_ij (1 - sigma_i sigma_j) / 2 = half - quad / 2
        quad = np.einsum("ij,ij->i", sigma @ a, sigma)  # sum_{i != j} a_ij sigma_i sigma_j
        E[start:start + len(c)] = half - 0.5 * quad
    best = E.min()
    c = np.arange(N, dtype=np.int64)
    tol = 1e-12 * 2.0 * total
    low = E - tol
    nxt = c.copy()
    # actor 0's move flips every other bit; then actors 1..n-1
    for k in range(n):
        d = c ^ (N - 1) if k == 0 else c ^ (1 << (k - 1))
        ed = E[d]
        better = ed < low
        low = np.where(better, ed, low)
        nxt = np.where(better, d, nxt)
    minima = int((nxt == c).sum())
    if basins:
        # pointer doubling: every configuration's end of descent
        end = nxt
        while True:
            nn = end[end]
            if np.array_equal(nn, end):
                break
            end = nn
        counts = np.bincount(end, minlength=N)
        assert counts.sum() == N and int((counts > 0).sum()) <= minima
    return N, best, minima


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) >= 4 and sys.argv[1] == "enum":
        basins = "--no-basins" not in sys.argv
        a = read(sys.argv[2], sys.argv[3])
        t0 = time.perf_counter()
        N, best, minima = enum(a, basins)
        dt = time.perf_counter() - t0
        print(a.shape[0], N, repr(best), minima, "yes" if basins else "no", f"{dt:.3f}")
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
