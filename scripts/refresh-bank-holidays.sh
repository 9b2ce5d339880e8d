#!/usr/bin/env bash
# Refreshes crates/casebook-calendar/data/bank-holidays.json from the govuk-bank-holidays
# package on PyPI, which ships GOV.UK's official feed (Open Government Licence v3.0).
# Then update the version and date in data/LICENCE.md and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip download --no-deps --quiet --dest "$work" govuk-bank-holidays
python3 -m zipfile -e "$work"/govuk_bank_holidays-*.whl "$work/x"
python3 - "$work/x/govuk_bank_holidays/bank-holidays.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
for division in ("england-and-wales", "scotland", "northern-ireland"):
    events = data[division]["events"]
    print(division, len(events), "holidays,", events[0]["date"], "to", events[-1]["date"])
PY
cp "$work/x/govuk_bank_holidays/bank-holidays.json" crates/casebook-calendar/data/bank-holidays.json
ls "$work"/govuk_bank_holidays-*.whl
