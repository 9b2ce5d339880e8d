#!/usr/bin/env bash
# Every test of the workspace: formatting, lints and the test suites, the browser
# tests included (they need Debian's chromium and chromium-driver) and the PostgreSQL
# store's (they need PostgreSQL's server; a throwaway cluster is started here unless
# CASEBOOK_TEST_POSTGRES names one). The web app's tests run twice, on SQLite and on
# PostgreSQL. This is the command the README gives and .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

# axe-core, at the version in the lock file, for the accessibility checks.
axe=crates/casebook-web/tests/axe
if [ ! -f "$axe/node_modules/axe-core/axe.min.js" ]; then
    (cd "$axe" && npm ci --no-audit --no-fund --silent)
fi

if [ -z "${CASEBOOK_TEST_POSTGRES:-}" ]; then
    pgdir=$(mktemp -d /tmp/casebook-postgres.XXXXXX)
    trap 'scripts/postgres.sh stop "$pgdir"' EXIT
    CASEBOOK_TEST_POSTGRES=$(scripts/postgres.sh start "$pgdir")
    export CASEBOOK_TEST_POSTGRES
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
if cargo nextest --version >/dev/null 2>&1; then
    run=(cargo nextest run --no-fail-fast)
else
    echo "cargo-nextest is not installed; running cargo test instead" >&2
    run=(cargo test --no-fail-fast)
fi
"${run[@]}" --workspace
CASEBOOK_TEST_BACKEND=postgres "${run[@]}" -p casebook-web
