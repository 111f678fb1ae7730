#!/usr/bin/env bash
# Side by side, in one run: a raw PostgreSQL + PostGIS nearest-neighbour query
# and our HTTP candidate search, on the same offers and the same points.
#
#   benches/postgis.sh [OFFERS] [SECONDS]        (defaults: 1000000 20)
#
# 1. Seeds a fresh SQLite file with `seed-demo --offers OFFERS --spread france`
#    (seed 1, as benches/load.sh) — or copies PO_BENCH_SQLITE if set (a file
#    seeded that way, to save the seeding time).
# 2. Copies those very offers (id, published cell centre, places, window,
#    status, women-only flag) into a scratch PostgreSQL database with PostGIS:
#    a projected geometry (Lambert-93, EPSG:2154, metres) with a GiST index.
# 3. Draws the 500 request points of benches/load.sh (Python's random, seed 7)
#    and runs, with pgbench and 2 clients, the same query shape as our search:
#    the 10 nearest open offers within 5 km with places for the party, inside
#    their availability window, not women-only (the requests state no needs).
# 4. Starts our server on the SQLite file, creates those 500 requests and runs
#    wrk -t2 -c16 with benches/search.lua (GET …/candidates?limit=10&radius_km=5).
# 5. Prints both throughputs and the ratio.
#
# PO_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is where the
# scratch database `po_postgis_bench` is created and dropped again.
set -euo pipefail
OFFERS=${1:-1000000}
SECS=${2:-20}
PG=${PO_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
SCRATCH=po_postgis_bench
cd "$(dirname "$0")/.."
for tool in wrk pgbench psql sqlite3; do
  command -v $tool >/dev/null || { echo "$tool is missing"; exit 1; }
done
cargo build --release --quiet --bin porte-ouverte
BIN=$PWD/target/release/porte-ouverte
DIR=$(mktemp -d)
PGDB=${PG%/*}/$SCRATCH
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  psql -q "$PG" -c "DROP DATABASE IF EXISTS $SCRATCH" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
export DATABASE_URL="sqlite://$DIR/po.db" BIND=127.0.0.1:0 RUST_LOG=warn \
  SECRET_KEY=${SECRET_KEY:-load-benchmark-secret-0123456789abcdef} \
  RATE_REQUESTS_PER_MIN=0 RATE_LOGIN_PER_MIN=0 RATE_SIGNUP_PER_HOUR=0
export PO_BENCH_DIR=$PWD/benches PO_REQUESTS=$DIR/requests.txt

if [ -n "${PO_BENCH_SQLITE:-}" ]; then
  echo "copying $PO_BENCH_SQLITE (its offers must be fresh: seeded less than 12 hours ago)"
  sqlite3 "$PO_BENCH_SQLITE" ".backup '$DIR/po.db'"
else
  echo "seeding $OFFERS offers..."
  /usr/bin/time -f "seed: %e s" "$BIN" seed-demo --offers "$OFFERS" --spread france >/dev/null
fi
OPEN=$(sqlite3 "$DIR/po.db" "SELECT count(*) FROM offers WHERE status = 'open'")
echo "open offers in SQLite: $OPEN"

echo "== loading the same offers into PostgreSQL + PostGIS"
psql -q "$PG" -c "DROP DATABASE IF EXISTS $SCRATCH" -c "CREATE DATABASE $SCRATCH"
psql -q -v ON_ERROR_STOP=1 "$PGDB" <<'SQL'
CREATE EXTENSION postgis;
CREATE TABLE offers (
  id text PRIMARY KEY,
  status text NOT NULL,
  hidden boolean NOT NULL,
  host_suspended boolean NOT NULL,
  women_only boolean NOT NULL,
  capacity int NOT NULL,
  accepted_places int NOT NULL,
  available_from bigint NOT NULL,
  available_until bigint NOT NULL,
  cell_lat double precision NOT NULL,
  cell_lon double precision NOT NULL
);
SQL
sqlite3 -csv "$DIR/po.db" "SELECT id, status,
    CASE WHEN hidden THEN 't' ELSE 'f' END, CASE WHEN host_suspended THEN 't' ELSE 'f' END,
    CASE WHEN women_only THEN 't' ELSE 'f' END, capacity, accepted_places,
    available_from, available_until, cell_lat, cell_lon FROM offers" >"$DIR/offers.csv"
psql -q -v ON_ERROR_STOP=1 "$PGDB" -c "\copy offers FROM '$DIR/offers.csv' WITH (FORMAT csv)"
/usr/bin/time -f "PostGIS geometry + GiST index: %e s" psql -q -v ON_ERROR_STOP=1 "$PGDB" <<'SQL'
ALTER TABLE offers ADD COLUMN geom geometry(Point, 2154);
UPDATE offers SET geom = ST_Transform(ST_SetSRID(ST_MakePoint(cell_lon, cell_lat), 4326), 2154);
ALTER TABLE offers ALTER COLUMN geom SET NOT NULL;
CREATE INDEX offers_geom ON offers USING gist (geom);
VACUUM ANALYZE offers;
SQL
PGROWS=$(psql -At "$PGDB" -c "SELECT count(*) FROM offers WHERE status = 'open'")
[ "$PGROWS" = "$OPEN" ] || { echo "PostgreSQL has $PGROWS open offers, SQLite $OPEN"; exit 1; }

# the request points of benches/load.sh, drawn the same way
python3 - "$DIR/points.csv" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    for i in range(500):
        lat = 48.80 + random.random() * 0.12
        lon = 2.25 + random.random() * 0.2
        party = random.randint(1, 3)
        f.write(f"{i},{lat},{lon},{party}\n")
PY
psql -q -v ON_ERROR_STOP=1 "$PGDB" <<SQL
CREATE TABLE points (i int PRIMARY KEY, lat double precision, lon double precision, party int, geom geometry(Point, 2154));
\copy points (i, lat, lon, party) FROM '$DIR/points.csv' WITH (FORMAT csv)
UPDATE points SET geom = ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 2154);
ANALYZE points;
SQL
NOW=$(date +%s%3N)
# The point is read by scalar subqueries (run once per query, as an InitPlan)
# so that the planner sees a constant and walks the GiST index in distance
# order (an index-ordered KNN scan that stops after 10 rows). Written as a
# join, the same query fetches every offer inside the 5 km box and sorts them:
# a first run measured that at 5 queries/s on the dense Paris cells.
cat >"$DIR/knn.sql" <<SQL
\set i random(0, 499)
SELECT o.id
FROM offers o
WHERE o.status = 'open' AND NOT o.hidden AND NOT o.host_suspended AND NOT o.women_only
  AND o.capacity - o.accepted_places >= (SELECT party FROM points WHERE i = :i)
  AND o.available_from <= $NOW AND o.available_until > $NOW
  AND ST_DWithin(o.geom, (SELECT geom FROM points WHERE i = :i), 5000)
ORDER BY o.geom <-> (SELECT geom FROM points WHERE i = :i)
LIMIT 10;
SQL
echo "-- the query plan (point 0):"
sed -e 's/:i/0/' -e '/^\\set/d' "$DIR/knn.sql" | sed '1s/^/EXPLAIN (COSTS OFF) /' | psql -At "$PGDB" | sed 's/^/   /'
echo "-- rows for point 0: $(sed -e 's/:i/0/' -e '/^\\set/d' "$DIR/knn.sql" | psql -At "$PGDB" | wc -l)"

echo "== PostGIS: pgbench, 2 clients, ${SECS}s"
pgbench -n -c 2 -j 2 -T "$SECS" -f "$DIR/knn.sql" "$PGDB" >"$DIR/pgbench.out" 2>&1 || { cat "$DIR/pgbench.out"; exit 1; }
grep -E "latency average|tps" "$DIR/pgbench.out"
PG_TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$DIR/pgbench.out" | head -1)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== our HTTP search on the same offers"
"$BIN" >"$DIR/out" 2>"$DIR/err" &
PID=$!
for _ in $(seq 1 1200); do grep -q "listening on" "$DIR/out" 2>/dev/null && break; sleep 0.1; done
ADDR=$(sed -n 's/^listening on http:\/\///p' "$DIR/out" | head -1)
[ -n "$ADDR" ] || { echo "the server did not start:"; cat "$DIR/err"; exit 1; }
echo "server $PID on $ADDR; RSS after loading the index: $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$PID/status)"
python3 - "$ADDR" "$DIR/points.csv" "$PO_REQUESTS" <<'PY'
import json, sys, urllib.request
addr, points, out = sys.argv[1:4]
with open(points) as src, open(out, "w") as f:
    for line in src:
        i, lat, lon, party = line.strip().split(",")
        body = {"lat": float(lat), "lon": float(lon), "party_size": int(party), "name": "Bench",
                "contact_phone": "+33600000000"}
        req = urllib.request.Request(f"http://{addr}/api/v1/requests", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
        r = json.load(urllib.request.urlopen(req))
        f.write(f"{r['id']} {r['access_token']}\n")
PY
echo "== our search: wrk -t2 -c16, ${SECS}s"
OURS=$(wrk -t2 -c16 -d"${SECS}s" -s benches/search.lua "http://$ADDR" | grep RESULT)
echo "$OURS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
RSS_KB=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
OUR_RPS=$(sed -n 's/.*rps=\([0-9]*\).*/\1/p' <<<"$OURS")
python3 - "$PG_TPS" "$OUR_RPS" "$RSS_KB" "$OPEN" <<'PY'
import sys
pg, ours, rss_kb, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"SIDE-BY-SIDE postgis_qps={pg:.0f} ours_rps={ours:.0f} ratio={ours / pg:.2f} "
      f"rss_mib={rss_kb / 1024:.0f} rss_bytes_per_open_offer={rss_kb * 1024 / n:.0f}")
PY
