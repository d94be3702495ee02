#!/usr/bin/env bash
# bench/serve_load.sh [ENTENTE] [SECONDS] -- a bounded load test of `entente serve` on loopback with
# Debian's wrk: (1) world queries only (the goal: >= 1,000 requests/s on 2 cores, no failures), then
# (2) a mix of valid queries and malformed requests (bench/serve_load.lua checks each status class).
# Prints requests/s, latency percentiles, errors, and the server's resident memory before and after.
# The server runs with --rate 0 (no per-client limit: one client makes all the load).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
entente=${1:-$here/../build/entente}
seconds=${2:-15}
command -v wrk >/dev/null || { echo "serve_load: wrk is not installed (apt-get install wrk)" >&2; exit 77; }
out=$(mktemp -d)
"$entente" serve --port 0 --rate 0 --threads 2 >"$out/url" 2>"$out/err" &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 50); do [ -s "$out/url" ] && break; sleep 0.1; done
url=$(head -1 "$out/url")
rss() { awk '/^VmRSS/ {print $2 " kB"}' /proc/$pid/status; }
# warm the cache (the documents of a date are computed once), then measure
for p in "api/world?date=2024" "api/world?date=2000-06-30" "api/map?date=2020" "api/states/CHN?date=2024" "api/polarization"; do
    curl -s -o /dev/null "$url$p"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "server RSS after warm-up: $(rss)"
echo "== 1. world queries only: wrk -t2 -c32 -d${seconds}s"
wrk -t2 -c32 -d"${seconds}s" --latency "${url}api/world?date=2024"
echo "server RSS after run 1: $(rss)"
echo "== 2. mixed valid and malformed requests: wrk -t2 -c32 -d${seconds}s -s serve_load.lua"
wrk -t2 -c32 -d"${seconds}s" --latency -s "$here/serve_load.lua" "$url"
echo "server RSS after run 2: $(rss)"
echo "== 3. world queries again (memory growth check)"
wrk -t2 -c32 -d"${seconds}s" "${url}api/world?date=2024" | grep -E 'Requests/sec|Non-2xx|Socket errors' || true
echo "server RSS after run 3: $(rss)"
curl -s -o /dev/null -w 'server still answers: %{http_code}\n' "${url}api/info"
