#!/usr/bin/env bash
# Scale-out on PostgreSQL: three instances on one database. An offer taken on
# one instance (a guest's ask holds all its places) must disappear from the
# searches of the other two within INDEX_SYNC_MS (plus one poll). Prints how
# long that took, per trial, as median / p90 / max, against INDEX_SYNC_MS.
# Usage: benches/scaleout.sh [OFFERS] [TRIALS] [INDEX_SYNC_MS]
# Needs PostgreSQL on 127.0.0.1:5432 (trust), as in CI. See docs/BENCHMARKS.md.
set -euo pipefail
OFFERS=${1:-20000}
TRIALS=${2:-40}
SYNC=${3:-1000}
cd "$(dirname "$0")/.."
[ -n "${PO_BENCH_NO_BUILD:-}" ] || cargo build --release --quiet --bin porte-ouverte
BIN=$PWD/target/release/porte-ouverte
DB=po_scaleout
ADMIN=${PO_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
DIR=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$DIR"' EXIT
export DATABASE_URL="${ADMIN%/*}/$DB" RUST_LOG=warn INDEX_SYNC_MS=$SYNC \
  SECRET_KEY=${SECRET_KEY:-scaleout-benchmark-secret-0123456789abcdef} \
  RATE_REQUESTS_PER_MIN=0 RATE_LOGIN_PER_MIN=0 RATE_SIGNUP_PER_HOUR=0
echo "seeding $OFFERS offers on PostgreSQL..."
"$BIN" seed-demo --offers "$OFFERS" --spread paris >/dev/null
ADDRS=()
for i in 1 2 3; do
  BIND=127.0.0.1:0 "$BIN" >"$DIR/out$i" 2>"$DIR/err$i" &
  PIDS+=($!)
done
for i in 1 2 3; do
  for _ in $(seq 1 600); do grep -q "listening on" "$DIR/out$i" 2>/dev/null && break; sleep 0.1; done
  ADDRS+=("$(sed -n 's/^listening on http:\/\///p' "$DIR/out$i" | head -1)")
done
echo "instances: ${ADDRS[*]} (INDEX_SYNC_MS=$SYNC)"
python3 benches/scaleout.py "$TRIALS" "$SYNC" "${ADDRS[@]}"
