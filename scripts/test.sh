#!/usr/bin/env bash
# Every test of the workspace: formatting, lints and the test suites.
# This is the command the README gives and .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast
else
    echo "cargo-nextest is not installed; running cargo test instead" >&2
    cargo test --workspace --no-fail-fast
fi
