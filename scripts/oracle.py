#!/usr/bin/env python3
"""A second, independent count of every hand-worked deadline in the rule packs.

casebook's engine (crates/casebook-rules, crates/casebook-calendar) turns a rule and a
date into a due date. Its tests compare it with the hand-worked cases in each pack's
expected.toml; but if the engine and the person who worked the cases share a
misreading, both agree and both are wrong. This script is a second implementation of
the counting conventions, written from the words of the statutes (docs and rule
files only, never the engine's code), that recomputes every case in
rules/*/expected.toml. CI fails if it disagrees with the file.

Conventions, in short: "N days after D" is D+N and "beginning/starting with D" is
D+N-1; weeks are 7N days; months go to the same day of the month (the last day when
there is none), and "starting with" takes a day off only when the corresponding date
exists; working days skip weekends and bank holidays; school days are weekdays in a
term, outside closures, that are not bank holidays. Where the data cannot answer (a
date past the last bank holiday listed, a school day outside the terms), the script
refuses rather than guesses.

Usage: python3 scripts/oracle.py     (from the repository root; Python 3.11, stdlib only)
Exit status: 0 when every case agrees and every deadline rule has a case; 1 otherwise.
"""
import calendar
import datetime as dt
import json
import pathlib
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
HOLIDAYS_JSON = ROOT / "crates/casebook-calendar/data/bank-holidays.json"
TERMS = RULES / "example-terms.toml"
ONE = dt.timedelta(days=1)
UNITS = {"calendar-days", "weeks", "months", "working-days", "school-days"}


class Refusal(Exception):
    """The data cannot answer the question; say so instead of assuming."""


def load_toml(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


# ---- Bank holidays: the gov.uk feed, one set of dates per division. -----------------
def load_bank_holidays():
    feed = json.loads(HOLIDAYS_JSON.read_text(encoding="utf-8"))
    divisions = {}
    for name, body in feed.items():
        if not isinstance(body, dict) or not isinstance(body.get("events"), list) or not body["events"]:
            sys.exit(f"oracle: {HOLIDAYS_JSON} is not in the gov.uk shape (division {name!r} has no events).")
        divisions[name] = {dt.date.fromisoformat(e["date"]) for e in body["events"]}
    return divisions


class Holidays:
    """The bank holidays of some divisions, and the span of dates the feed covers for all
    of them. Outside that span we do not know which days are holidays, so we refuse."""

    def __init__(self, feed, names):
        missing = [n for n in names if n not in feed]
        if missing:
            raise Refusal(f"the bank-holiday feed has no division {missing[0]!r}.")
        self.names = names
        self.days = set().union(*(feed[n] for n in names)) if names else set()
        # The span every division in use covers: from the latest first event to the
        # earliest last event. An empty list of divisions (pack "none") covers all time.
        self.first = max((min(feed[n]) for n in names), default=dt.date.min)
        self.last = min((max(feed[n]) for n in names), default=dt.date.max)

    def is_holiday(self, day):
        if not (self.first <= day <= self.last):
            raise Refusal(f"{day} is outside the bank holidays listed for {', '.join(self.names)} "
                          f"({self.first} to {self.last}); refresh the feed rather than guess.")
        return day in self.days

    def is_working_day(self, day):
        return day.weekday() < 5 and not self.is_holiday(day)


# ---- School days: terms and closures of the example school, both inclusive. ---------
class Terms:
    def __init__(self, path):
        data = load_toml(path)
        self.terms = [(t["start"], t["end"]) for t in data["term"]]
        self.closures = [(c["start"], c.get("end", c["start"])) for c in data.get("closure", [])]
        self.first = min(s for s, _ in self.terms)
        self.last = max(e for _, e in self.terms)

    def is_school_day(self, day, holidays):
        # Before the first term or after the last we cannot tell term from holiday.
        if not (self.first <= day <= self.last):
            raise Refusal(f"{day} is outside the school's term dates ({self.first} to {self.last}); "
                          "a school-day count cannot assume what the school does then.")
        return (day.weekday() < 5
                and any(s <= day <= e for s, e in self.terms)
                and not any(s <= day <= e for s, e in self.closures)
                and not holidays.is_holiday(day))


# ---- Counting. ---------------------------------------------------------------------
def add_months(day, n):
    """The corresponding date n months on, and whether it exists (31 April does not)."""
    y, m = divmod(day.month - 1 + n, 12)
    year, month = day.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last)), day.day <= last


def nth_day(event, n, day_one, qualifies):
    """The nth day that qualifies: after the event (day 0), or beginning with it."""
    day = event if day_one == "start" else event + ONE
    seen = 0
    while True:
        if qualifies(day):
            seen += 1
            if seen == n:
                return day
        day += ONE


def count(event, n, unit, day_one, holidays, terms):
    if unit not in UNITS:
        raise Refusal(f"unknown unit {unit!r}.")
    if not isinstance(n, int) or n < 1:
        raise Refusal(f"count {n!r} is not a positive whole number.")
    start = day_one == "start"
    if unit == "calendar-days":
        return event + dt.timedelta(days=n - 1 if start else n)
    if unit == "weeks":
        return event + dt.timedelta(days=7 * n - 1 if start else 7 * n)
    if unit == "months":
        corresponding, exists = add_months(event, n)
        # "Starting with 15 January" ends the day before 15 July; with no corresponding
        # date (31 February) the period ends on the month's last day, no day taken off.
        return corresponding - ONE if start and exists else corresponding
    if unit == "working-days":
        return nth_day(event, n, day_one, holidays.is_working_day)
    if terms is None:
        raise Refusal("school days need term dates, and this pack has none.")
    return nth_day(event, n, day_one, lambda d: terms.is_school_day(d, holidays))


def first_working_on_or_after(day, holidays):
    while not holidays.is_working_day(day):
        day += ONE
    return day


def check_choice(rule, key, allowed):
    value = rule.get(key, allowed[0])
    if value not in allowed:
        raise Refusal(f"rule {rule['id']}: {key} = {value!r} is not one of {allowed}.")
    return value


def due_date(rule, case, pack):
    day_one = check_choice(rule, "day_one", ["after", "start"])
    scope = check_choice(rule, "holidays", ["nation", "uk"])
    roll = check_choice(rule, "roll", ["none", "next-working-day"])
    adjust = check_choice(rule, "adjust", [None, "send-tribunal-holidays"])
    start_rule = check_choice(rule, "start_rule", [None, "next-school-day"])
    if scope == "uk":
        if pack["division"] == "none":
            raise Refusal(f"rule {rule['id']} wants UK bank holidays in a pack without them.")
        holidays = pack["uk"]
    else:
        holidays = pack["nation"]
    terms = pack["terms"]

    event = case["from"]
    if case.get("posted"):
        if not rule.get("postal"):
            raise Refusal(f"case says posted but rule {rule['id']} has no postal rule.")
        # Given on the second working day after posting; that day is the event day.
        event = nth_day(event, 2, "after", holidays.is_working_day)
    if start_rule == "next-school-day":
        if terms is None:
            raise Refusal("a next-school-day start needs term dates, and this pack has none.")
        # Received out of term: counted as received on the next school day.
        while not terms.is_school_day(event, holidays):
            event += ONE

    if "choose" in rule:
        choose = check_choice(rule, "choose", ["later", "earlier"])
        dates = []
        for option in rule.get("option", []):
            source = option.get("from", "from")
            if source not in ("from", "certificate"):
                raise Refusal(f"rule {rule['id']}: option from {source!r} is unknown.")
            if source == "certificate":
                if "certificate" not in case:
                    continue  # no certificate, no option counted from it
                # A certificate is its own event; the posting and start rules above
                # apply to the case's main date only.
                start = case["certificate"]
            else:
                start = event
            dates.append(count(start, option["count"], option["unit"], day_one, holidays, terms))
        if not dates:
            raise Refusal(f"rule {rule['id']}: no option applies to this case.")
        # Taking the later/earlier before adjust and roll is safe: both are monotone.
        due = max(dates) if choose == "later" else min(dates)
    elif "limit" in rule:
        due = count(event, rule["limit"]["count"], rule["limit"]["unit"], day_one, holidays, terms)
    else:
        raise Refusal(f"rule {rule['id']} has neither a limit nor a choice of options.")
    if case.get("certificate") and not any(o.get("from") == "certificate" for o in rule.get("option", [])):
        raise Refusal(f"case gives a certificate date but rule {rule['id']} never counts from one.")

    if adjust == "send-tribunal-holidays":
        # HESC Rules r.12(3), before the roll: a time ending in August, or from
        # 25 December to 1 January, ends instead on the next working day after it.
        if due.month == 8:
            due = first_working_on_or_after(dt.date(due.year, 9, 1), holidays)
        elif (due.month, due.day) >= (12, 25) or (due.month, due.day) == (1, 1):
            year = due.year + 1 if due.month == 12 else due.year
            due = first_working_on_or_after(dt.date(year, 1, 2), holidays)
    if roll == "next-working-day":
        due = first_working_on_or_after(due, holidays)  # r.12(2)
    return due


# ---- Packs and cases. --------------------------------------------------------------
def load_pack(folder, feed, terms):
    meta = load_toml(folder / "pack.toml")
    division = meta["pack"]["bank_holidays"]
    rules = list(meta.get("rule", []))
    for path in sorted(folder.glob("*.toml")):
        if path.name not in ("pack.toml", "expected.toml"):
            rules.extend(load_toml(path).get("rule", []))
    pack = {"id": meta["pack"]["id"], "division": division, "rules": {}}
    for rule in rules:
        if rule["id"] in pack["rules"]:
            raise Refusal(f"rule id {rule['id']!r} appears twice.")
        pack["rules"][rule["id"]] = rule
    if division == "none":
        pack["nation"], pack["uk"], pack["terms"] = Holidays(feed, []), None, None
    else:
        pack["nation"] = Holidays(feed, [division])
        pack["uk"] = Holidays(feed, ["england-and-wales", "scotland", "northern-ireland"])
        # The example terms are an English school's; they belong with the England and
        # Wales holidays only.
        pack["terms"] = terms if division == "england-and-wales" else None
    pack["cases"] = load_toml(folder / "expected.toml").get("case", [])
    return pack


def main():
    feed, terms = load_bank_holidays(), Terms(TERMS)
    checked = ok = differs = refused = problems = skipped = 0
    for folder in sorted(p.parent for p in RULES.glob("*/pack.toml")):
        try:
            pack = load_pack(folder, feed, terms)
        except Refusal as why:
            print(f"SKIPPED pack {folder.name}: {why}")
            skipped += 1
            continue
        print(f"== pack {pack['id']} (bank holidays: {pack['division']})")
        seen = set()
        for case in pack["cases"]:
            rule = pack["rules"].get(case["rule"])
            label = f"{case['rule']} from {case['from']}"
            label += f" certificate {case['certificate']}" if "certificate" in case else ""
            label += " posted" if case.get("posted") else ""
            if rule is None or rule.get("kind") == "step":
                what = "is a step, with no limit" if rule else "names no rule in the pack"
                print(f"UNKNOWN  {label}: {what}")
                problems += 1
                continue
            seen.add(rule["id"])
            checked += 1
            try:
                got = due_date(rule, case, pack)
            except Refusal as why:
                print(f"REFUSED  {label}: expected {case['due']}; {why}")
                refused += 1
                continue
            verdict = "OK" if got == case["due"] else "DIFFERS"
            ok, differs = ok + (got == case["due"]), differs + (got != case["due"])
            print(f"{verdict:8} {label}: expected {case['due']}, got {got} ({got:%A})")
        for rid, rule in pack["rules"].items():
            if rule.get("kind") != "step" and rid not in seen:
                print(f"NO CASE  {rid}: a deadline rule with no hand-worked case")
                problems += 1
    print(f"\n{checked} cases: {ok} agree, {differs} differ, {refused} refused; "
          f"{problems} unknown rules or deadline rules without a case; {skipped} packs skipped.")
    # A pack this script cannot count is a failure too: CI must not pass a pack unchecked.
    return 1 if differs or refused or problems or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
