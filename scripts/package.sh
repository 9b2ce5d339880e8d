#!/usr/bin/env bash
# Builds the Debian package (target/debian/casebook_VERSION_ARCH.deb) and the release
# archive (target/release-archive/), for the build machine's target: the release
# binary, its licence (AGPL-3.0-or-later) and those of every crate compiled into it, its manual page and shell completions made from its own help, the systemd
# unit, the documents, and SHA-256 checksums. Installs cargo-deb if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p casebook-cli
files=target/release/package-files
target/release/casebook package-files --out "$files" >/dev/null
# The licence of every crate compiled in, with the notices they ship.
scripts/licences.py "$files/THIRD-PARTY-LICENCES.txt" >/dev/null
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --quiet
cargo deb -p casebook-cli --no-build --quiet --output target/debian/
deb=$(ls target/debian/casebook_*.deb)

# The release archive: what a family downloads to run casebook without a package.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
triple=$(rustc -vV | sed -n 's/^host: //p')
name="casebook-$version-$triple"
rm -rf "target/release-archive/$name"
mkdir -p "target/release-archive/$name"
cp target/release/casebook LICENSE README.md docs/DEPLOY.md docs/SECURITY.md packaging/casebook.service \
    "$files"/* "target/release-archive/$name/"
(cd target/release-archive && tar -czf "$name.tar.gz" "$name" && rm -rf "$name")
cp "$deb" target/release-archive/
(cd target/release-archive && sha256sum -- *.tar.gz *.deb > SHA256SUMS)
ls target/release-archive/
