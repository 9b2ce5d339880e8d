#!/usr/bin/env bash
# Checks the release archive scripts/package.sh built against its checksums, then
# installs its Debian package as an administrator would
# (dpkg -i, as root), then starts the systemd unit's own command line as the unit's
# user against a throwaway PostgreSQL cluster, opens the first account and signs in
# over HTTP. Removes the package and the cluster after. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
    echo "scripts/install-test.sh installs a package: run it as root (CI does)" >&2
    exit 1
fi
deb=$(ls target/debian/casebook_*.deb)
pgdir=$(mktemp -d /tmp/casebook-install.XXXXXX)
licences=$(mktemp /tmp/casebook-licences.XXXXXX)
cleanup() {
    # The server runs under runuser in a subshell: stop everything its user runs.
    if [ -n "${server:-}" ]; then pkill -u casebook 2>/dev/null || true; fi
    dpkg --purge casebook >/dev/null 2>&1 || true
    scripts/postgres.sh stop "$pgdir"
    rm -f "$licences"
}
trap cleanup EXIT

# The release archive checks against its checksums and holds the program.
(cd target/release-archive && sha256sum --quiet -c SHA256SUMS)
tar -tzf target/release-archive/casebook-*.tar.gz | grep '/casebook$' >/dev/null
tar -tzf target/release-archive/casebook-*.tar.gz | grep '/LICENSE$' >/dev/null
# The licences of what is compiled in travel with it, each crate with its licence and
# the notices it ships (typst's Apache-2.0 text among them).
tar -xzOf target/release-archive/casebook-*.tar.gz --wildcards '*/THIRD-PARTY-LICENCES.txt' > "$licences"
grep -q '^typst 0\.[0-9.]*  Apache-2.0$' "$licences"
grep -q '^rusqlite [0-9.]*  MIT$' "$licences"
grep -q 'Apache License' "$licences"

dpkg -i "$deb" >/dev/null
unit=/lib/systemd/system/casebook.service
[ -f "$unit" ] || unit=/usr/lib/systemd/system/casebook.service
id casebook >/dev/null
[ -f /usr/share/man/man1/casebook.1.gz ] || [ -f /usr/share/man/man1/casebook.1 ]
[ -f /usr/share/bash-completion/completions/casebook ]
grep -q '^NoNewPrivileges=yes' "$unit"
grep -q '^ProtectSystem=strict' "$unit"
grep -q '^User=casebook' "$unit"
grep -q 'GNU AFFERO GENERAL PUBLIC LICENSE' /usr/share/doc/casebook/copyright
cmp -s "$licences" /usr/share/doc/casebook/THIRD-PARTY-LICENCES.txt

# The organisation's database, and the settings the unit reads.
server_url=$(scripts/postgres.sh start "$pgdir")
psql -q "$server_url/postgres" -c "CREATE DATABASE cases" >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password_file=/etc/casebook/database-password
echo casebook-test > "$password_file"
chown root:casebook "$password_file"
chmod 0640 "$password_file"
cat > /etc/casebook/casebook.env <<SETTINGS
CASEBOOK_STORE=postgres://casebook@127.0.0.1:${server_url##*:}/cases
CASEBOOK_STORE_PASSWORD_FILE=$password_file
SETTINGS
[ "$(stat -c '%U %a' /var/lib/casebook)" = "casebook 700" ]

# The unit's command line, as its user, with its environment (its address moved to a
# free port for the test).
command=$(sed -n 's/^ExecStart=//p' "$unit" | sed "s/127.0.0.1:8080/127.0.0.1:$port/")
as_service() {
    # shellcheck disable=SC2046
    runuser -u casebook -- env $(grep -v '^#' /etc/casebook/casebook.env | xargs) \
        CASEBOOK_ATTACHMENTS=/var/lib/casebook/attachments "$@"
}
as_service CASEBOOK_PASSWORD='a long test passphrase' \
    casebook account add --email adviser@sendiass.example --name "Priya Shah" >/dev/null
# shellcheck disable=SC2086
as_service $command >/dev/null 2>&1 &
server=$!

# Signing in as a browser does: the page, then the form with its token and cookie.
jar=$(mktemp)
site="http://127.0.0.1:$port"
curl --silent --retry 50 --retry-connrefused --retry-delay 1 \
    -c "$jar" -b "$jar" "$site/login" -o "$pgdir/login.html"
token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' "$pgdir/login.html" | head -n 1)
answer=$(curl --silent --show-error -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    -H "Origin: $site" \
    --data-urlencode "token=$token" \
    --data-urlencode "email=adviser@sendiass.example" \
    --data-urlencode "password=a long test passphrase" \
    "$site/login")
case "$answer" in
303*) ;;
*)
    echo "signing in to the installed casebook answered $answer" >&2
    exit 1
    ;;
esac
cases=$(curl --silent --show-error -b "$jar" "$site/")
if ! grep -q "Priya Shah" <<<"$cases"; then
    echo "the signed-in page does not name the account" >&2
    exit 1
fi
echo "The package installs, its service starts as the casebook user, and an account signs in."
