#!/usr/bin/env bash
# The spike (issue 14, item 3), on the default setup (embedded SQLite), load
# generator on the same machine:
#  1. what is served from memory — the landing page, the request form, a
#     static asset — with wrk (closed loop, 16 connections);
#  2. the rate the server sustains for request creation and for candidate
#     search (wrk, closed loop, 16 connections);
#  3. an open-loop crowd (benches/openloop.rs) offering 1×, 3× and 10× that
#     rate: throughput, p50/p99 of the admitted (2xx) answers, the share
#     shed (503); after each creation run the database must hold every
#     acknowledged request (and nothing else).
# Every step runs RUNS times (default 3); benches/spike_summary.py prints medians.
# Usage: benches/spike.sh [OFFERS] [SECONDS]
#   PO_BIN=path/to/porte-ouverte measures another build (e.g. the one before
#   admission control) with the same load.
#   SERVER_CPUS=0 LOAD_CPUS=1 pins the server to one core and wrk and the
#   open-loop generator to the other (taskset), so that a generator offering
#   many times the server's rate is not starved by the server it measures.
set -euo pipefail
OFFERS=${1:-100000}
SECS=${2:-10}
RUNS=${RUNS:-3}
# a crowd: many people, one connection each (64 connections pipelining at
# ten times the rate put one slow answer in front of the next ones on its
# connection; docs/BENCHMARKS.md, "A one-thread generator")
CONNS=${CONNS:-1024}
cd "$(dirname "$0")/.."
# run a command on the load's cores (when pinned)
on_load() { if [ -n "${LOAD_CPUS:-}" ]; then taskset -c "$LOAD_CPUS" "$@"; else "$@"; fi; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -n "${PO_BIN:-}" ] || cargo build --release --quiet --bin porte-ouverte
# PO_OPEN=0 skips the open-loop runs (and building their generator)
if [ "${PO_OPEN:-1}" = 1 ]; then
  GEN=$(cargo bench --bench openloop --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "openloop" and m.get("executable"):
        print(m["executable"])')
fi
BIN=${PO_BIN:-$PWD/target/release/porte-ouverte}
DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
export DATABASE_URL="sqlite://$DIR/po.db" BIND=127.0.0.1:0 RUST_LOG=warn \
  SECRET_KEY=spike-benchmark-secret-0123456789abcdef METRICS_TOKEN=spike-metrics-0123456789 \
  RATE_REQUESTS_PER_MIN=0 RATE_LOGIN_PER_MIN=0 RATE_SIGNUP_PER_HOUR=0
export PO_BENCH_DIR=$PWD/benches PO_REQUESTS=$DIR/requests.txt

exec > >(tee "$DIR/log")
echo "binary: $BIN; server cores: ${SERVER_CPUS:-all}; load cores: ${LOAD_CPUS:-all}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" seed-demo --offers "$OFFERS" --spread france >/dev/null
# taskset execs the server: $! is the server's own PID
${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} "$BIN" >"$DIR/out" 2>"$DIR/err" &
PID=$!
for _ in $(seq 1 600); do grep -q "listening on" "$DIR/out" 2>/dev/null && break; sleep 0.1; done
ADDR=$(sed -n 's/^listening on http:\/\///p' "$DIR/out" | head -1)
echo "server $PID on $ADDR"

python3 - "$ADDR" "$PO_REQUESTS" <<'PY'
import json, random, sys, urllib.request
addr, out = sys.argv[1], sys.argv[2]
random.seed(7)
with open(out, "w") as f:
    for i in range(500):
        body = {"lat": 48.80 + random.random() * 0.12, "lon": 2.25 + random.random() * 0.2,
                "party_size": random.randint(1, 3), "name": "Bench", "contact_phone": "+33600000000"}
        req = urllib.request.Request(f"http://{addr}/api/v1/requests", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
        r = json.load(urllib.request.urlopen(req))
        f.write(f"{r['id']} {r['access_token']}\n")
PY

# the database's count of requests, and whether every acknowledged one is there
check_db() {
  python3 - "$DIR/po.db" "$1" "$2" <<'PY'
import sqlite3, sys
db, before, acked_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
acked = [l.strip() for l in open(acked_file) if l.strip()]
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
rows = c.execute("SELECT count(*) FROM requests").fetchone()[0]
have = set()
for i in range(0, len(acked), 500):
    part = acked[i:i + 500]
    q = "SELECT id FROM requests WHERE id IN (%s)" % ",".join("?" * len(part))
    have.update(r[0] for r in c.execute(q, part))
lost = len(acked) - len(have)
extra = rows - before - len(acked)
print(f"DB acknowledged={len(acked)} lost={lost} new_rows={rows - before} unacknowledged_rows={extra}")
PY
}
count_db() { python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$DIR/po.db?mode=ro', uri=True).execute('SELECT count(*) FROM requests').fetchone()[0])"; }

CSS=$(curl -s "http://$ADDR/" | grep -o '/assets/app\.[0-9a-f]*\.css' | head -1)
for path in / /need "$CSS"; do
  for r in $(seq 1 "$RUNS"); do
    echo "STATIC path=$path run=$r $(on_load wrk -t2 -c16 -d"${SECS}s" -s benches/get.lua "http://$ADDR$path" | grep RESULT)"
  done
done

for kind in create search; do
  for r in $(seq 1 "$RUNS"); do
    echo "SUSTAIN kind=$kind run=$r $(on_load wrk -t2 -c16 -d"${SECS}s" -s "benches/$kind.lua" "http://$ADDR" | grep RESULT)"
  done
done
echo "shed so far: $(curl -s -H "Authorization: Bearer $METRICS_TOKEN" "http://$ADDR/metrics" | grep '^po_shed_total' | tr '\n' ' ')"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
# Each kind's sustainable rate: the median of its closed-loop runs
# (or PO_RATE_create / PO_RATE_search, to offer the same load to two builds).
rate_of() {
  local fixed="PO_RATE_$1"
  if [ -n "${!fixed:-}" ]; then echo "${!fixed}"; return; fi
  grep "^SUSTAIN kind=$1 " "$DIR/log" | sed -n 's/.* rps=\([0-9]*\).*/\1/p' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
for kind in $([ "${PO_OPEN:-1}" = 1 ] && echo create search); do
  RATE=$(rate_of "$kind")
  for mult in 1 3 10; do
    for r in $(seq 1 "$RUNS"); do
      before=$(count_db)
      res=$(on_load "$GEN" "$ADDR" "$kind" $((RATE * mult)) "$SECS" "$CONNS" "$DIR/acked.txt" | grep RESULT)
      db=""
      [ "$kind" = create ] && db=$(check_db "$before" "$DIR/acked.txt")
      echo "OPEN mult=$mult run=$r sustain_rps=$RATE $res $db"
      sleep 2
    done
  done
done
echo "health during the last run's aftermath: $(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/healthz")"
echo "shed in all: $(curl -s -H "Authorization: Bearer $METRICS_TOKEN" "http://$ADDR/metrics" | grep '^po_shed_total' | tr '\n' ' ')"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 benches/spike_summary.py "$DIR/log"
