#!/usr/bin/env python3
"""Counts attendance and time lost by hand, without casebook's code, for the tests.

A second count of what `casebook attendance` says, from the same inputs read
independently: the setting's term dates (casebook's TOML form), GOV.UK's bank holidays
feed (crates/casebook-calendar/data/bank-holidays.json), the school day's session times
and the case's absences as `casebook --json timeline --kind absence` lists them.

The rules, as a school's register counts (DfE, "Working together to improve school
attendance", 2024): two sessions a school day, each with its registration; possible
sessions are those of the school days in the period; attendance is sessions attended
over sessions possible, as a percentage to two places. A child who leaves after a
session's registration is present for that session; the time lost is counted from the
time they left (or were collected, when the family gave it) to the end of the day. A part-time timetable's time is when the child
leaves every day; any other absence's is when they left on its first day. Sessions the
family gave stand for whole days from the first day counted (in the period). An
absence still going on runs to the end of the period, which must not be after today.

Usage: attendance_oracle.py TERMS.toml MORNING AFTERNOON FROM TO TIMELINE.json
       (MORNING and AFTERNOON as 08:50-12:10; FROM and TO as 2026-09-01)
Prints JSON: possible, missed, authorised, unauthorised, not_said, percentage,
minutes_lost and weeks [[monday, possible, missed, minutes_lost]].
"""
import datetime
import json
import os
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
HOLIDAYS = os.path.join(HERE, "..", "crates", "casebook-calendar", "data", "bank-holidays.json")


def day(text):
    return datetime.date.fromisoformat(text)


def minutes(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def session(text):
    start, end = text.split("-")
    return minutes(start), minutes(end)


def main(terms_path, morning, afternoon, first, last, timeline_path):
    with open(terms_path, "rb") as f:
        terms = tomllib.load(f)
    with open(HOLIDAYS, encoding="utf-8") as f:
        holidays = {day(e["date"]) for e in json.load(f)["england-and-wales"]["events"]}
    closed = set()
    for c in terms.get("closure", []):
        d, end = c["start"], c.get("end", c["start"])
        while d <= end:
            closed.add(d)
            d += datetime.timedelta(days=1)

    def school_day(d):
        in_term = any(t["start"] <= d <= t["end"] for t in terms["term"])
        return in_term and d.weekday() < 5 and d not in holidays and d not in closed

    am, pm = session(morning), session(afternoon)
    length = (am[1] - am[0]) + (pm[1] - pm[0])
    first, last = day(first), day(last)
    with open(timeline_path, encoding="utf-8") as f:
        items = json.load(f)

    absent = {}  # day -> [morning missed, afternoon missed, minutes lost, authorised]
    for item in items:
        facts = item.get("facts") or {}
        if facts.get("kind") != "absence":
            continue
        occurred = item["occurred"]
        start = day(occurred[:10])
        left = minutes(occurred[11:16]) if len(occurred) > 10 else None
        # Collected after the school called: the time lost runs from then.
        if facts.get("collected"):
            left = minutes(facts["collected"][:5])
        end = day(facts["until"]) if facts.get("until") else start
        # Still going on: away to the end of the period (the tests count periods that
        # end by today, to which casebook runs an absence still going on).
        if facts.get("ongoing"):
            end = max(end, last)
        every_day = facts["reason"] == "part-time-timetable"
        given = facts.get("sessions")
        d = max(start, first)
        while d <= end:
            if school_day(d):
                morning, afternoon, lost = True, True, length
                if left is not None and (d == start or every_day):
                    morning = left <= am[0]
                    afternoon = left <= pm[0]
                    lost = sum(e - min(max(left, s), e) for s, e in (am, pm))
                if given is not None:
                    take = min(given, int(morning) + int(afternoon))
                    given -= take
                    if take == 0:
                        morning, afternoon, lost = False, False, 0
                    elif take == 1 and morning and afternoon:
                        afternoon, lost = False, am[1] - am[0]
                if first <= d <= last and (morning or afternoon or lost):
                    seen = absent.setdefault(d, [False, False, 0, None])
                    seen[0] |= morning
                    seen[1] |= afternoon
                    seen[2] = max(seen[2], lost)
                    said = facts.get("authorised")
                    if seen[3] is False or said is False:
                        seen[3] = False
                    elif seen[3] is True or said is True:
                        seen[3] = True
            d += datetime.timedelta(days=1)

    weeks = {}
    possible = 0
    d = first
    while d <= last:
        if school_day(d):
            possible += 2
            monday = d - datetime.timedelta(days=d.weekday())
            week = weeks.setdefault(monday, [0, 0, 0])
            week[0] += 2
            if d in absent:
                week[1] += int(absent[d][0]) + int(absent[d][1])
                week[2] += absent[d][2]
        d += datetime.timedelta(days=1)
    sessions = lambda said: sum(int(a[0]) + int(a[1]) for a in absent.values() if a[3] is said)
    missed = sum(int(a[0]) + int(a[1]) for a in absent.values())
    print(json.dumps({
        "possible": possible,
        "missed": missed,
        "authorised": sessions(True),
        "unauthorised": sessions(False),
        "not_said": sessions(None),
        # Half up, as casebook rounds: not Python's round(), which rounds half to even.
        "percentage": int((possible - missed) / possible * 10000 + 0.5) / 100 if possible else 100.0,
        "minutes_lost": sum(a[2] for a in absent.values()),
        "weeks": [[m.isoformat(), w[0], w[1], w[2]] for m, w in sorted(weeks.items())],
    }))


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:])
