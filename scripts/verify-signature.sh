#!/usr/bin/env bash
# Checks the signature on the last line of a casebook bundle (PDF or HTML) or JSON
# Lines export with OpenSSL alone, as docs/VERIFY.md explains. Exit 0 when it checks.
#   scripts/verify-signature.sh bundle.pdf
set -euo pipefail
file=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The last line is "... casebook-signature ed25519 KEY SIGNATURE ...", in hex.
line=$(tail -n 1 "$file")
key=$(printf '%s\n' "$line" | sed -n 's/.*casebook-signature ed25519 \([0-9a-f]\{64\}\) \([0-9a-f]\{128\}\).*/\1/p')
sig=$(printf '%s\n' "$line" | sed -n 's/.*casebook-signature ed25519 \([0-9a-f]\{64\}\) \([0-9a-f]\{128\}\).*/\2/p')
if [ -z "$key" ] || [ -z "$sig" ]; then
    echo "$file carries no casebook signature on its last line" >&2
    exit 1
fi

# The signature covers every byte before the last line.
length=$(tail -n 1 "$file" | wc -c)
head -c "-$length" "$file" > "$work/signed"

hex_to_file() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')" > "$2"; }
# An ed25519 public key in DER is a fixed 12-byte prefix and the 32-byte key.
hex_to_file "302a300506032b6570032100$key" "$work/key.der"
hex_to_file "$sig" "$work/sig.bin"
openssl pkey -pubin -inform DER -in "$work/key.der" -out "$work/key.pem"
openssl pkeyutl -verify -pubin -inkey "$work/key.pem" -rawin \
    -in "$work/signed" -sigfile "$work/sig.bin"
echo "Signed by the key with SHA-256 fingerprint $(hex_to_file "$key" "$work/key.bin"; sha256sum "$work/key.bin" | cut -c1-16)"
