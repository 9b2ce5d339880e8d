#!/usr/bin/env bash
# Refreshes the screenshots the README shows: runs the browser tests, which take them
# on a 375-pixel phone screen in target/screenshots/, and copies them to
# docs/screenshots/. Needs what scripts/test.sh needs for the browser tests (Debian's
# chromium and chromium-driver, and axe-core from npm).
set -euo pipefail
cd "$(dirname "$0")/.."
axe=crates/casebook-web/tests/axe
if [ ! -f "$axe/node_modules/axe-core/axe.min.js" ]; then
    (cd "$axe" && npm ci --no-audit --no-fund --silent)
fi
rm -rf target/screenshots
cargo test -p casebook-web --test main -- browser::
mkdir -p docs/screenshots
cp target/screenshots/*.png docs/screenshots/
ls docs/screenshots/
