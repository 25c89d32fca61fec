#!/usr/bin/env bash
# Re-create static/vendor/ from the npm registry at the versions pinned in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cp package.json "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund)
nm="$work/node_modules"
version() { node -p "require('$nm/$1/package.json').version" 2>/dev/null || grep -m1 '"version"' "$nm/$1/package.json" | cut -d'"' -f4; }
rm -rf static/vendor && mkdir -p static/vendor

d=static/vendor/bootstrap-$(version bootstrap); mkdir -p "$d"
cp "$nm"/bootstrap/dist/css/bootstrap.min.css* "$nm"/bootstrap/dist/js/bootstrap.bundle.min.js* "$nm"/bootstrap/LICENSE "$d/"

d=static/vendor/bootstrap-icons-$(version bootstrap-icons); mkdir -p "$d/fonts"
cp "$nm"/bootstrap-icons/font/bootstrap-icons.min.css "$nm"/bootstrap-icons/LICENSE "$d/"
cp "$nm"/bootstrap-icons/font/fonts/* "$d/fonts/"

d=static/vendor/chart.js-$(version chart.js); mkdir -p "$d"
cp "$nm"/chart.js/dist/chart.umd.min.js* "$nm"/chart.js/LICENSE.md "$d/"

d=static/vendor/cytoscape-$(version cytoscape); mkdir -p "$d"
cp "$nm"/cytoscape/dist/cytoscape.min.js "$nm"/cytoscape/LICENSE "$d/"

d=static/vendor/tom-select-$(version tom-select); mkdir -p "$d"
cp "$nm"/tom-select/dist/js/tom-select.complete.min.js* "$nm"/tom-select/dist/css/tom-select.bootstrap5.min.css* "$nm"/tom-select/LICENSE "$d/"

# Test-only: the accessibility rules the browser tests inject (tests/e2e/test_accessibility.py).
rm -rf tests/e2e/vendor && d=tests/e2e/vendor/axe-core-$(version axe-core); mkdir -p "$d"
cp "$nm"/axe-core/axe.min.js "$nm"/axe-core/LICENSE "$nm"/axe-core/LICENSE-3RD-PARTY.txt "$d/"

rm -rf "$work"
ls static/vendor
