#!/bin/sh
# The image's first build step (Dockerfile) compiles the dependencies from
# Cargo.toml and Cargo.lock alone, so that they stay cached while the code
# changes. Cargo refuses a manifest whose targets have no file: this gives
# each one an empty file — the binary, the library and every [[bench]] the
# manifest declares (its `name = "…"` on a line of its own, as Cargo.toml
# writes it). .ci/docker-context runs it too, and checks the result.
set -eu
mkdir -p src benches
echo 'fn main() {}' > src/main.rs
: > src/lib.rs
for bench in $(awk '/^\[/ { in_bench = ($0 == "[[bench]]") }
                    in_bench && /^name *=/ { gsub(/^name *= *"|"$/, ""); print }' Cargo.toml); do
  echo 'fn main() {}' > "benches/$bench.rs"
done
