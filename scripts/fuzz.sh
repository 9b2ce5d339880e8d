#!/usr/bin/env bash
# Runs each fuzz target for a short while (default 45 seconds each; pass another number
# of seconds as the first argument). Installs cargo-fuzz when it is missing.
# RUSTC_BOOTSTRAP=1 lets the one stable toolchain accept libFuzzer's instrumentation flags.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-45}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in mailbox append; do
    RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" -- -max_total_time="$seconds"
done
