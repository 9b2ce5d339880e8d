#!/usr/bin/env python3
"""Writes the licences of everything compiled into the casebook binary.

For each crate in casebook-cli's normal (not dev, not build) dependency graph on this
machine's target, from `cargo metadata`: its name, version, licence expression and
source, then the text of every licence or notice file it ships (LICENSE*, LICENCE*,
COPYING*, NOTICE*). Data casebook vendors with a licence of its own (the bank holidays
feed) is appended. MIT, BSD and Apache-2.0 ask for their notices to travel with the
binary: this file is how they do.

Usage: scripts/licences.py OUT.txt
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTICE_PREFIXES = ("license", "licence", "copying", "notice", "unlicense")


def metadata():
    host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    triple = next(l.split(": ", 1)[1] for l in host.splitlines() if l.startswith("host: "))
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", triple],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out)


def compiled_in(meta):
    """The package ids reached from casebook-cli through normal dependencies."""
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    start = next(p["id"] for p in meta["packages"] if p["name"] == "casebook-cli")
    seen, todo = set(), [start]
    while todo:
        node = nodes[todo.pop()]
        if node["id"] in seen:
            continue
        seen.add(node["id"])
        for dep in node["deps"]:
            if any(k["kind"] is None for k in dep["dep_kinds"]):
                todo.append(dep["pkg"])
    return seen


def notices(package):
    folder = os.path.dirname(package["manifest_path"])
    found = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and name.lower().startswith(NOTICE_PREFIXES):
            with open(path, encoding="utf-8", errors="replace") as f:
                found.append((name, f.read().strip()))
    return found


def main(out_path):
    meta = metadata()
    ids = compiled_in(meta)
    packages = sorted(
        (p for p in meta["packages"] if p["id"] in ids and not p["name"].startswith("casebook")),
        key=lambda p: (p["name"], p["version"]),
    )
    lines = [
        "Licences of the software compiled into casebook",
        "",
        "casebook itself is free software under the GNU Affero General Public License,",
        "version 3 or later (LICENSE). It is built from these %d crates:" % len(packages),
        "",
    ]
    for p in packages:
        lines.append("%s %s  %s" % (p["name"], p["version"], p.get("license") or p.get("license_file") or "licence not stated"))
    for p in packages:
        lines += ["", "=" * 78, "%s %s (%s)" % (p["name"], p["version"], p.get("license") or "see below")]
        if p.get("repository"):
            lines.append(p["repository"])
        found = notices(p)
        if not found:
            lines += ["", "The published crate carries no licence file; its licence is %s." % (p.get("license") or "not stated")]
        for name, text in found:
            lines += ["", "--- %s ---" % name, "", text]
    with open(os.path.join(ROOT, "crates/casebook-calendar/data/LICENCE.md"), encoding="utf-8") as f:
        lines += ["", "=" * 78, "Data: bank holidays (crates/casebook-calendar/data)", "", f.read().strip()]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("%s: %d crates" % (out_path, len(packages)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
