#!/usr/bin/env bash
# Vendors the YASGUI query UI from the npm registry into endpoint/static/yasgui/, so the
# endpoint never loads it from a CDN. Re-run to upgrade; the files are committed.
set -euo pipefail
VERSION="${YASGUI_VERSION:-4.6.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/endpoint/static/yasgui"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "@zazuko/yasgui@$VERSION" >/dev/null
BUILD="$TMP/node_modules/@zazuko/yasgui/build"
mkdir -p "$DEST"
cp "$BUILD/yasgui.min.js" "$BUILD/yasgui.min.css" "$DEST/"
# The source map is 3.6 MB and only for debugging; drop its reference so browsers don't ask.
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/yasgui.min.js"
cp "$TMP/node_modules/@zazuko/yasgui/package.json" "$DEST/package.json"
LICENSE_FILE="$(ls "$TMP/node_modules/@zazuko/yasgui/" | grep -i '^licen' | head -1 || true)"
[ -n "$LICENSE_FILE" ] && cp "$TMP/node_modules/@zazuko/yasgui/$LICENSE_FILE" "$DEST/LICENSE"
echo "@zazuko/yasgui@$VERSION (MIT) from the npm registry" > "$DEST/VERSION"
echo "YASGUI $VERSION vendored into $DEST"
