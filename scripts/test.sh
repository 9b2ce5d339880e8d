#!/usr/bin/env bash
# Every test of the workspace: formatting, lints and the test suites, the browser
# tests included (they need Debian's chromium and chromium-driver) and the PostgreSQL
# store's (they need PostgreSQL's server; a throwaway cluster is started here unless
# CASEBOOK_TEST_POSTGRES names one) and the S3 attachment store's (moto's server,
# from PyPI into target/python, started here unless CASEBOOK_TEST_S3 names a bucket). The web app's tests
# run twice, on SQLite and on PostgreSQL. This is the command the README gives and
# .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

# axe-core, at the version in the lock file, for the accessibility checks.
axe=crates/casebook-web/tests/axe
if [ ! -f "$axe/node_modules/axe-core/axe.min.js" ]; then
    (cd "$axe" && npm ci --no-audit --no-fund --silent)
fi

# Python's test tools from PyPI (python-docx opens the Word letters, moto's server stands
# in for S3) in a virtual environment of the project's own, so no system Python is
# changed: Debian's refuses pip (PEP 668). The tests find it first on the PATH; its
# python3 is the system's own, with the standard library the tests compare against.
venv=target/python
if [ ! -x "$venv/bin/python3" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python3" -c "import docx, moto.server" 2>/dev/null; then
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check python-docx "moto[server]"
fi
PATH="$PWD/$venv/bin:$PATH"
export PATH

# What this script starts, it stops, however it ends.
cleanup() {
    if [ -n "${moto:-}" ]; then kill "$moto" 2>/dev/null || true; fi
    if [ -n "${pgdir:-}" ]; then scripts/postgres.sh stop "$pgdir"; fi
}
trap cleanup EXIT

if [ -z "${CASEBOOK_TEST_POSTGRES:-}" ]; then
    pgdir=$(mktemp -d /tmp/casebook-postgres.XXXXXX)
    CASEBOOK_TEST_POSTGRES=$(scripts/postgres.sh start "$pgdir")
    export CASEBOOK_TEST_POSTGRES
fi

# An S3-compatible bucket for the attachment store's tests: moto's server, from PyPI.
if [ -z "${CASEBOOK_TEST_S3:-}" ]; then
    s3port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    python3 -m moto.server -H 127.0.0.1 -p "$s3port" >/dev/null 2>&1 &
    moto=$!
    export AWS_ENDPOINT="http://127.0.0.1:$s3port" AWS_ALLOW_HTTP=true AWS_DEFAULT_REGION=us-east-1 \
        AWS_ACCESS_KEY_ID=casebook-test AWS_SECRET_ACCESS_KEY=casebook-test
    # Waits until the server answers, then makes the bucket.
    curl --silent --show-error --retry 50 --retry-connrefused --retry-delay 1 -X PUT \
        "$AWS_ENDPOINT/casebook-test" -o /dev/null
    export CASEBOOK_TEST_S3=s3://casebook-test
fi

cargo fmt --all -- --check
# A second count of every hand-worked deadline, outside the engine (docs/RULES.md):
# quiet when it agrees, the whole count when it does not.
python3 scripts/oracle.py >/dev/null || python3 scripts/oracle.py
cargo clippy --workspace --all-targets --all-features -- -D warnings
if cargo nextest --version >/dev/null 2>&1; then
    run=(cargo nextest run --no-fail-fast)
else
    echo "cargo-nextest is not installed; running cargo test instead" >&2
    run=(cargo test --no-fail-fast)
fi
"${run[@]}" --workspace --all-features
CASEBOOK_TEST_BACKEND=postgres "${run[@]}" -p casebook-web
