#!/usr/bin/env bash
# Vendors from the npm registry, like scripts/install_yasgui.sh, so nothing is loaded from a CDN:
#   vega, vega-lite, vega-embed  -> endpoint/static/vega/   (the charts on department and document pages)
#   axe-core                     -> tests/vendor/axe-core/  (the accessibility check in the browser tests)
# Re-run to upgrade; the files are committed.
set -euo pipefail
VEGA="${VEGA_VERSION:-5.33.1}"; VEGALITE="${VEGALITE_VERSION:-5.23.0}"; EMBED="${EMBED_VERSION:-6.29.0}"
AXE="${AXE_VERSION:-4.14.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "vega@$VEGA" "vega-lite@$VEGALITE" "vega-embed@$EMBED" "axe-core@$AXE" >/dev/null
M="$TMP/node_modules"
DEST="$ROOT/endpoint/static/vega"
mkdir -p "$DEST"
cp "$M/vega/build/vega.min.js" "$DEST/vega.min.js"
cp "$M/vega-lite/build/vega-lite.min.js" "$DEST/vega-lite.min.js"
cp "$M/vega-embed/build/vega-embed.min.js" "$DEST/vega-embed.min.js"
# source maps are for debugging only; drop their references so browsers don't ask
sed -i '/^\/\/# sourceMappingURL=/d; s#//\# sourceMappingURL=[^ ]*\.map##' "$DEST"/*.js
for p in vega vega-lite vega-embed; do f="$(ls "$M/$p" | grep -i "^licen" | head -1 || true)"; [ -n "$f" ] && cp "$M/$p/$f" "$DEST/LICENSE.$p"; done
printf 'vega@%s vega-lite@%s vega-embed@%s (BSD-3-Clause) from the npm registry\n' \
  "$(node -p "require('$M/vega/package.json').version")" "$(node -p "require('$M/vega-lite/package.json').version")" \
  "$(node -p "require('$M/vega-embed/package.json').version")" > "$DEST/VERSION"
AXED="$ROOT/tests/vendor/axe-core"
mkdir -p "$AXED"
cp "$M/axe-core/axe.min.js" "$M/axe-core/LICENSE" "$AXED/"
printf 'axe-core@%s (MPL-2.0) from the npm registry\n' "$(node -p "require('$M/axe-core/package.json').version")" > "$AXED/VERSION"
echo "vendored into $DEST and $AXED"
