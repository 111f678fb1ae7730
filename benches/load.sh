#!/usr/bin/env bash
# HTTP load on the default setup (embedded SQLite), load generator on the
# same machine: candidate search at 16 concurrent clients, then request
# creation. Usage: benches/load.sh [OFFERS] [SECONDS]
# PO_BENCH_DATABASE_URL=postgres://… runs it on an (empty) PostgreSQL database instead;
# PO_BENCH_SEEDED=1 uses the offers already there (seeded by an earlier run) instead of seeding.
# Prints RESULT lines and the server's RSS; see docs/BENCHMARKS.md.
set -euo pipefail
OFFERS=${1:-100000}
SECS=${2:-30}
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet --bin porte-ouverte
BIN=$PWD/target/release/porte-ouverte
DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
export DATABASE_URL="${PO_BENCH_DATABASE_URL:-sqlite://$DIR/po.db}" BIND=127.0.0.1:0 RUST_LOG=warn \
  SECRET_KEY=${SECRET_KEY:-load-benchmark-secret-0123456789abcdef} \
  RATE_REQUESTS_PER_MIN=0 RATE_LOGIN_PER_MIN=0 RATE_SIGNUP_PER_HOUR=0
export PO_BENCH_DIR=$PWD/benches PO_REQUESTS=$DIR/requests.txt

if [ "${PO_BENCH_SEEDED:-0}" != 1 ]; then
  echo "seeding $OFFERS offers..."
  /usr/bin/time -f "seed: %e s" "$BIN" seed-demo --offers "$OFFERS" --spread france
fi
START=$(date +%s.%N)
"$BIN" >"$DIR/out" 2>"$DIR/err" &
PID=$!
# a million offers read from PostgreSQL take over a minute to index
for _ in $(seq 1 6000); do grep -q "listening on" "$DIR/out" 2>/dev/null && break; sleep 0.1; done
ADDR=$(sed -n 's/^listening on http:\/\///p' "$DIR/out" | head -1)
[ -n "$ADDR" ] || { echo "the server did not start:"; tail -5 "$DIR/err"; exit 1; }
echo "start-up with the index loaded: $(python3 -c "print(round($(date +%s.%N) - $START, 1))") s"
echo "server $PID on $ADDR; RSS after loading the index: $(grep VmRSS /proc/$PID/status | awk '{print $2/1024 " MiB"}')"

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

echo "== candidate search, 16 connections, ${SECS}s"
wrk -t2 -c16 -d"${SECS}s" -s benches/search.lua "http://$ADDR" | grep RESULT
echo "RSS after search load: $(grep VmRSS /proc/$PID/status | awk '{print $2/1024 " MiB"}')"
echo "== request creation, 16 connections, ${SECS}s"
wrk -t2 -c16 -d"${SECS}s" -s benches/create.lua "http://$ADDR" | grep RESULT
echo "RSS at the end: $(grep VmRSS /proc/$PID/status | awk '{print $2/1024 " MiB"}')"
