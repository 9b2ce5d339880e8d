#!/usr/bin/env bash
# Checks every trusted timestamp in a casebook JSON Lines export with OpenSSL alone
# (docs/VERIFY.md): each token must be signed by an authority whose certificate is in
# ROOTS.pem, and cover the hash the export gives for the entry the token names.
#
# Usage: scripts/verify-timestamp.sh EXPORT.jsonl ROOTS.pem
# Python's standard library only reads the JSON; the check is `openssl ts -verify`.
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 EXPORT.jsonl ROOTS.pem" >&2
    exit 2
fi
export_file=$1
roots=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# For each token: the token (base64), the entry it covers and that entry's hash.
python3 - "$export_file" "$work" <<'PY'
import json, sys
hashes, tokens = {}, []
for line in open(sys.argv[1], encoding="utf-8"):
    item = json.loads(line)
    if item["type"] != "entry":
        continue
    record = item["record"]
    hashes["e%d" % record["seq"]] = record["hash"]
    if record["kind"] == "timestamp" and item["content"] is not None:
        covers = [l["target"] for l in record["links"] if l["rel"] == "covers"][0]
        tokens.append(("e%d" % record["seq"], covers, item["content"]["facts"]["token"]))
for entry, covers, token in tokens:
    with open(f"{sys.argv[2]}/{entry}.b64", "w") as f:
        f.write(token)
    with open(f"{sys.argv[2]}/{entry}.covers", "w") as f:
        f.write(f"{covers} {hashes[covers]}\n")
PY

found=0
for b64 in "$work"/*.b64; do
    [ -e "$b64" ] || continue
    entry=$(basename "$b64" .b64)
    read -r covers digest < "$work/$entry.covers"
    openssl base64 -d -A -in "$b64" -out "$work/$entry.der"
    if openssl ts -verify -digest "$digest" -in "$work/$entry.der" -token_in -CAfile "$roots" >/dev/null 2>"$work/$entry.err"; then
        echo "$entry: the token covers $covers ($digest): Verification: OK"
    else
        echo "$entry: the token does not verify for $covers ($digest):" >&2
        cat "$work/$entry.err" >&2
        exit 1
    fi
    found=$((found + 1))
done
echo "$found timestamps checked"
