#!/usr/bin/env python3
"""Recomputes a casebook entry hash from its parts, without casebook.

An independent implementation of the encoding in docs/VERIFY.md. It also wrote
crates/casebook-domain/golden/entry-v1.txt, which the Rust tests compare against, so
the documented encoding and the code cannot drift apart.

Usage: scripts/verify_entry.py EXPORT.jsonl   (checks every entry of a JSON Lines export)
       scripts/verify_entry.py --golden        (prints the golden fixture)
"""
import hashlib
import json
import struct
import sys


def s(text):
    data = text.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def encode(record):
    out = b"casebook/entry/v%d\x00" % record["version"]
    out += bytes.fromhex(record["prev_hash"])
    out += s(record["case"]) + struct.pack(">Q", record["seq"])
    out += s(record["kind"]) + s(record["occurred"]) + s(record["recorded"]) + s(record["author"])
    out += struct.pack(">I", len(record["links"]))
    for link in record["links"]:
        out += s(link["rel"]) + struct.pack(">Q", int(link["target"][1:]))
    out += bytes.fromhex(record["content_hash"])
    out += struct.pack(">I", len(record["attachments"]))
    for digest in record["attachments"]:
        out += bytes.fromhex(digest)
    return out


def check_export(path):
    prev = "0" * 64
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            item = json.loads(line)
            if item["type"] != "entry":
                continue
            record = item["record"]
            if record["prev_hash"] != prev:
                sys.exit(f"line {number}: entry e{record['seq']} does not follow the one before")
            if item["content"] is not None:
                if hashlib.sha256(canonical(item["content"])).hexdigest() != record["content_hash"]:
                    sys.exit(f"line {number}: the text of entry e{record['seq']} was changed")
            if hashlib.sha256(encode(record)).hexdigest() != record["hash"]:
                sys.exit(f"line {number}: entry e{record['seq']} was changed")
            prev = record["hash"]
    print(f"{path}: every entry's hash checks out; the chain ends at {prev}")


def golden():
    content = {
        "summary": "Pushed over in the lunch queue",
        "details": "Two lines.\nSecond line, with \u201cquotes\u201d and \u00e9.",
        "sources": ["my notes at the time"],
        "attachments": [{"sha256": hashlib.sha256(b"photo").hexdigest(), "name": "bruise.jpg",
                         "media_type": "image/jpeg", "size": 5}],
        "facts": {"kind": "incident", "place": "lunch hall", "categories": ["physical", "verbal"],
                  "involved": ["p2"], "school_word": "niggle"},
    }
    body = canonical(content)
    record = {
        "version": 1,
        "case": "00000000-0000-4000-8000-000000000001",
        "seq": 7,
        "kind": "incident",
        "occurred": "2026-03-03T12:40",
        "recorded": "2026-03-03T09:26:40Z",
        "author": "parent or carer",
        "links": [{"rel": "about", "target": "e3"}],
        "content_hash": hashlib.sha256(body).hexdigest(),
        "attachments": [hashlib.sha256(b"photo").hexdigest()],
        "prev_hash": hashlib.sha256(b"previous entry").hexdigest(),
    }
    encoded = encode(record)
    sys.stdout.write(f"version 1\nencoding {encoded.hex()}\ncontent {body.decode('utf-8')}\n"
                     f"hash {hashlib.sha256(encoded).hexdigest()}\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--golden"]:
        golden()
    elif len(sys.argv) == 2:
        check_export(sys.argv[1])
    else:
        sys.exit(__doc__)
