#!/usr/bin/env bash
# One search run on a given binary and a seeded SQLite file (copied first), as
# benches/load.sh does: 500 requests, 2 s warm-up, wrk -t2 -c16 SECS seconds,
# RESULT line with RSS after start and after the load, bytes per open offer and
# the load average. A fourth argument records a perf profile of the server there.
# usage: benches/search_run.sh BIN DB SECS [PERF_FILE]
BENCH=$(cd "$(dirname "$0")" && pwd)
set -euo pipefail
BIN=$(realpath "$1"); SRC=$(realpath "$2"); SECS=${3:-15}; PERF=${4:-}
DIR=$(mktemp -d)
cp "$SRC" "$DIR/po.db"
cd "$DIR"
export DATABASE_URL="sqlite://$DIR/po.db" BIND=127.0.0.1:0 RUST_LOG=warn \
  SECRET_KEY=load-benchmark-secret-0123456789abcdef \
  RATE_REQUESTS_PER_MIN=0 RATE_LOGIN_PER_MIN=0 RATE_SIGNUP_PER_HOUR=0
export PO_BENCH_DIR=$BENCH PO_REQUESTS=$DIR/requests.txt
"$BIN" >"$DIR/out" 2>"$DIR/err" &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 1200); do grep -q "listening on" "$DIR/out" 2>/dev/null && break; sleep 0.1; done
ADDR=$(sed -n 's/^listening on http:\/\///p' "$DIR/out" | head -1)
RSS0=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
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
wrk -t2 -c16 -d2s -s $BENCH/search.lua "http://$ADDR" >/dev/null
if [ -n "$PERF" ]; then
  perf record -F 999 -e cpu-clock --call-graph dwarf,16384 -p $PID -o "$PERF" -- sleep $((SECS-2)) >/dev/null 2>&1 &
  PP=$!
fi
R=$(wrk -t2 -c16 -d"${SECS}s" -s $BENCH/search.lua "http://$ADDR" | grep RESULT)
[ -n "$PERF" ] && wait $PP
RSS1=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
OPEN=$(sqlite3 "$DIR/po.db" "select count(*) from offers where status='open'")
echo "$R rss0_mib=$((RSS0/1024)) rss1_mib=$((RSS1/1024)) bytes_per_offer0=$((RSS0*1024/OPEN)) bytes_per_offer1=$((RSS1*1024/OPEN)) load=$(cut -d' ' -f1-3 /proc/loadavg)"
