#!/usr/bin/env bash
# Times the mail import of an earlier commit against this tree's, alternating the two on
# one mailbox, three rounds, with OpenSSL's hash of the same file beside each round:
#   scripts/compare-import.sh COMMIT [MIB]
# Builds COMMIT in a worktree with its own target folder (a full release build), and this
# tree's release build; writes the mailbox with casebook-bench (default 1024 MiB).
set -euo pipefail
commit=${1:?give the earlier commit}
size=${2:-1024}
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/old" 2>/dev/null || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/old" "$commit" >/dev/null
(cd "$work/old" && CARGO_TARGET_DIR="$work/old-target" cargo build --release -p casebook-cli)
(cd "$root" && cargo build --release -p casebook-cli -p casebook-bench)
mkdir -p "$work/mail"
"$root/target/release/casebook-bench" mailbox "$size" "$work/mail" >/dev/null
export CASEBOOK_TODAY=2026-12-31
for round in 1 2 3; do
    for which in before after; do
        case $which in
            before) casebook="$work/old-target/release/casebook" ;;
            after) casebook="$root/target/release/casebook" ;;
        esac
        store="$work/round.db"
        rm -rf "$store" "$store.attachments"
        "$casebook" --store "$store" case new --slug bench --child "Alex Morgan" \
            --setting "Millbrook Primary" --setting-kind maintained >/dev/null 2>&1
        "$casebook" --store "$store" person add --name "Mrs Carter" --role head-teacher \
            --email head@millbrook.example >/dev/null 2>&1
        sync
        /usr/bin/time -f "$which, round $round: %e s, peak %M KB" \
            "$casebook" --store "$store" import --me jo@example.org "$work/mail/mail.mbox" 2>&1 >/dev/null | tail -1
    done
    /usr/bin/time -f "openssl, round $round: %e s" openssl dgst -sha256 "$work/mail/mail.mbox" 2>&1 >/dev/null | tail -1
done
