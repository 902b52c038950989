#!/usr/bin/env bash
# Refresh the front-end assets vendored under static/vendor from their npm packages.
# Pages load nothing from a CDN: they must work offline and under a strict CSP.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PICO_VERSION=${PICO_VERSION:-2.1.1}
npm install --silent --no-audit --no-fund --prefix "$work" "@picocss/pico@${PICO_VERSION}"
mkdir -p "$root/static/vendor/pico"
cp "$work/node_modules/@picocss/pico/css/pico.min.css" "$root/static/vendor/pico/"
cp "$work/node_modules/@picocss/pico/LICENSE.md" "$root/static/vendor/pico/"
echo "@picocss/pico@${PICO_VERSION}" > "$root/static/vendor/pico/VERSION"
echo "vendored @picocss/pico@${PICO_VERSION} into static/vendor/pico"
