#!/usr/bin/env bash
# Every test of the workspace: formatting, lints and the test suites, the browser
# tests included (they need Debian's chromium and chromium-driver; .ci/run installs
# them). This is the command the README gives and .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

# axe-core, at the version in the lock file, for the accessibility checks.
axe=crates/casebook-web/tests/axe
if [ ! -f "$axe/node_modules/axe-core/axe.min.js" ]; then
    (cd "$axe" && npm ci --no-audit --no-fund --silent)
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast
else
    echo "cargo-nextest is not installed; running cargo test instead" >&2
    cargo test --workspace --no-fail-fast
fi
