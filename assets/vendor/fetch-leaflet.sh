#!/bin/sh
# Fetches Leaflet from the npm registry into assets/vendor/leaflet/, checking
# the tarball against the integrity the registry published for that version.
set -eu
VERSION=1.9.4
INTEGRITY="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --loglevel=error "leaflet@$VERSION" >/dev/null
got="sha512-$(openssl dgst -sha512 -binary "leaflet-$VERSION.tgz" | base64 -w0)"
[ "$got" = "$INTEGRITY" ] || { echo "integrity mismatch: $got" >&2; exit 1; }
tar xzf "leaflet-$VERSION.tgz"
mkdir -p "$here/leaflet"
cp package/dist/leaflet.js package/dist/leaflet.css package/LICENSE "$here/leaflet/"
echo "leaflet $VERSION vendored into $here/leaflet"
