#!/usr/bin/python3
"""frustration_baseline.py -- the peers of `entente balance` in bench/frustration_cow.sh.

  ilp FILE [--time-limit S] [--network NAME]
      The frustration index of each network of a signed edge list by the
      textbook ILP (Aref, Mason & Wilson 2018, the "XOR" model: binary x_i,
      f_ij >= |x_i - x_j| on positive and >= |x_i + x_j - 1| on negative
      edges, the highest-degree node fixed), solved by scipy.optimize.milp
      (HiGHS) on the whole graph: no decomposition, no cuts of our own.
      Prints one line per network: name n m value bound proven seconds.

  enum N SEED
      The exhaustive optimum of a random complete signed graph (the same
      generator as the C side's input, written by `gen`) with numpy: all
      2^(N-1) configurations with node 0 fixed, in blocks, F = (A - s^T W s / 2) / 2.

  gen N SEED OUT
      Writes the random complete +-1 graph on N nodes as a CSV edge list.
"""
import csv
import sys
import time
from collections import OrderedDict


def read_networks(path):
    nets = OrderedDict()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            name = row.get("network", "all")
            nets.setdefault(name, []).append((row["from"], row["to"], float(row["sign"])))
    return nets


def ilp(edges, time_limit):
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    nodes = {}
    for u, v, _ in edges:
        nodes.setdefault(u, len(nodes))
        nodes.setdefault(v, len(nodes))
    n, m = len(nodes), len(edges)
    deg = [0] * n
    for u, v, _ in edges:
        deg[nodes[u]] += 1
        deg[nodes[v]] += 1
    fix = max(range(n), key=lambda i: deg[i])
    c = np.concatenate([np.zeros(n), np.array([abs(w) for _, _, w in edges])])
    A = lil_matrix((2 * m, n + m))
    lo = np.zeros(2 * m)
    for e, (u, v, w) in enumerate(edges):
        i, j = nodes[u], nodes[v]
        r = 2 * e
        A[r, n + e] = 1
        A[r + 1, n + e] = 1
        if w > 0:  # f >= x_i - x_j, f >= x_j - x_i
            A[r, i] = -1
            A[r, j] = 1
            A[r + 1, i] = 1
            A[r + 1, j] = -1
        else:  # f >= x_i + x_j - 1, f >= 1 - x_i - x_j
            A[r, i] = -1
            A[r, j] = -1
            lo[r] = -1
            A[r + 1, i] = 1
            A[r + 1, j] = 1
            lo[r + 1] = 1
    ub = np.ones(n + m)
    ub[fix] = 0
    integrality = np.concatenate([np.ones(n), np.zeros(m)])
    t0 = time.perf_counter()
    res = milp(c, constraints=LinearConstraint(A.tocsr(), lo, np.inf), integrality=integrality,
               bounds=Bounds(np.zeros(n + m), ub), options={"time_limit": time_limit, "disp": False})
    dt = time.perf_counter() - t0
    value = res.fun if res.x is not None else float("nan")
    bound = getattr(res, "mip_dual_bound", float("nan"))
    proven = res.status == 0
    return n, m, value, bound, proven, dt


def cmd_ilp(args):
    path = args[0]
    tl = 60.0
    only = None
    i = 1
    while i < len(args):
        if args[i] == "--time-limit":
            tl = float(args[i + 1])
            i += 2
        elif args[i] == "--network":
            only = args[i + 1]
            i += 2
        else:
            sys.exit("unknown argument " + args[i])
    for name, edges in read_networks(path).items():
        if only and name != only:
            continue
        n, m, v, b, ok, dt = ilp(edges, tl)
        print(f"{name} {n} {m} {v:.0f} {b:.2f} {int(ok)} {dt:.3f}", flush=True)


def gen(n, seed):
    import random
    r = random.Random(seed)
    return [(i, j, r.choice((-1, 1))) for i in range(n) for j in range(i + 1, n)]


def cmd_gen(args):
    n, seed, out = int(args[0]), int(args[1]), args[2]
    with open(out, "w") as f:
        f.write("from,to,sign\n")
        for i, j, s in gen(n, seed):
            f.write(f"v{i},v{j},{s}\n")


def cmd_enum(args):
    import numpy as np
    n, seed = int(args[0]), int(args[1])
    W = np.zeros((n, n))
    for i, j, s in gen(n, seed):
        W[i, j] = W[j, i] = s
    A = np.abs(W).sum() / 2
    t0 = time.perf_counter()
    best = np.inf
    N = 1 << (n - 1)
    block = 1 << 16 if N > (1 << 16) else N
    bits = np.arange(n - 1, dtype=np.int64)
    for start in range(0, N, block):
        c = np.arange(start, start + block, dtype=np.int64)
        s = np.ones((block, n))
        s[:, 1:] = 1 - 2 * ((c[:, None] >> bits) & 1)
        h = s @ W
        f = (A - (h * s).sum(axis=1) / 2) / 2
        best = min(best, f.min())
    dt = time.perf_counter() - t0
    print(f"{n} {best:.0f} {dt:.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("ilp", "enum", "gen"):
        sys.exit(__doc__)
    {"ilp": cmd_ilp, "enum": cmd_enum, "gen": cmd_gen}[sys.argv[1]](sys.argv[2:])
