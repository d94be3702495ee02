#!/usr/bin/python3
"""Latency of the world endpoint of `entente serve` while blocs computations run in the background.

usage: bench/serve_measures.py build/entente [dates]
Starts a server on 127.0.0.1 (port 0), then for each of `dates` years (2024 down) asks for the blocs
of that year and, until the document is ready, queries /api/world at dates not yet cached (each a
new computation under the report lock) and at one cached date. Prints the latencies' percentiles,
and the same queries with nothing else running as the reference.
"""
import http.client, json, re, subprocess, sys, time

def pct(xs, q):
    xs = sorted(xs)
    return 1000 * xs[min(len(xs) - 1, int(q * len(xs)))]

def main():
    exe, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4
    p = subprocess.Popen([exe, "serve", "--port", "0", "--rate", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(re.search(r":(\d+)/", p.stdout.readline()).group(1))
    def get(path):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        t0 = time.time()
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        c.close()
        return r.status, time.time() - t0
    try:
        get("/api/world?date=2024")
        ref_unc = [get("/api/world?date=%d-06-30" % y)[1] for y in range(1950, 1990)]
        ref_hit = [get("/api/world?date=2024")[1] for _ in range(200)]
        unc, hit, jobs, day = [], [], [], 1
        for y in range(2024, 2024 - n, -1):
            t0 = time.time()
            st, _ = get("/api/blocs?date=%d" % y)
            while st == 202:
                s1, dt = get("/api/world?date=1990-01-%02d" % day if day <= 28 else "/api/world?date=1991-%02d-01" % (day % 12 + 1))
                day += 1
                unc.append(dt)
                for _ in range(5):
                    hit.append(get("/api/world?date=2024")[1])
                st, _ = get("/api/blocs?date=%d" % y)
            jobs.append(time.time() - t0)
        print("reference (nothing else running): uncached world p50 %.1f ms, max %.1f ms (%d); cached p50 %.2f ms, p99 %.2f ms"
              % (pct(ref_unc, .5), pct(ref_unc, 1), len(ref_unc), pct(ref_hit, .5), pct(ref_hit, .99)))
        print("while %d blocs computations ran (%.1f s each on average): uncached world p50 %.1f ms, p90 %.1f ms, max %.1f ms (%d);"
              " cached p50 %.2f ms, p99 %.2f ms, max %.1f ms (%d)"
              % (len(jobs), sum(jobs) / len(jobs), pct(unc, .5), pct(unc, .9), pct(unc, 1), len(unc),
                 pct(hit, .5), pct(hit, .99), pct(hit, 1), len(hit)))
    finally:
        p.terminate()
        p.wait()

main()
