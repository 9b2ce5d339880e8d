#!/usr/bin/env python3
"""The second reader of mail: what Python's own email and mailbox packages read in each
message, for casebook-mail's conformance test to compare field by field.

Usage: mail_reference.py mbox:PATH | file:PATH | count:PATH ...   (or the same, one per
line, on stdin; a tab and a key after the path names the result)

Prints one JSON object per message: its key ("PATH#n" for the nth message of an mbox,
the path for a message file, or the key given), its date as an instant (or a local time when the Date
gives no zone), its From, To and Cc addresses, Subject, Message-ID and body text with
whitespace runs made single spaces; or, for count, how many messages Python's mbox
reader finds in the file. Written from the Python documentation only: it
shares nothing with the Rust reader but the conventions in docs/MAIL.md (which part is
the body, how HTML becomes text).
"""

import codecs
import email
import email.policy
import email.utils
import json
import mailbox
import re
import sys
from html.parser import HTMLParser

# Elements whose start and end break a line when HTML becomes text (docs/MAIL.md).
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "center", "dd", "div",
    "dl", "dt", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
# Elements whose text is not part of what the message says.
HIDDEN = {"script", "style", "title", "template", "noscript"}


class HtmlText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.out.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.out.append(data)


def html_text(markup):
    parser = HtmlText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.out)


# Unicode's White_Space characters (str.split() also splits at U+001C to U+001F).
SPACES = re.compile("[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def words(text):
    return " ".join(w for w in SPACES.split(text) if w)


# windows-1252 as the WHATWG standard reads it: its five unassigned bytes are the C1
# controls of the same number, not errors.
codecs.register_error("c1", lambda e: (chr(e.object[e.start]), e.start + 1))


def date_of(raw):
    if raw is None:
        return None
    try:
        when = email.utils.parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        return {"local": when.replace(microsecond=0).isoformat()}
    return {
        "utc": int(when.timestamp()),
        "offset": int(when.utcoffset().total_seconds()),
    }


def is_address(addr):
    """An address names one mailbox at a domain: "postmaster", "@school.example",
    "a@b@c", "[x]@school.example" and the remains of a group
    ("undisclosed-recipients:;") are not addresses (docs/MAIL.md)."""
    local, at, domain = addr.rpartition("@")
    return (
        bool(local and at and domain)
        and addr.count("@") == 1
        and not any(c in local for c in "[]")
        and not any(c in addr for c in ":;")
    )


# Python's classic address reading. Releases with the fix for CVE-2023-27043 (3.11.10
# on, and Debian's 3.11.2 as patched) read strictly by default, giving nothing for a
# header with a stray quote or bracket; the comparison is with the reading every 3.11
# release gives when asked for it, so it does not depend on which patch level runs it.
try:
    email.utils.getaddresses([], strict=False)
    CLASSIC = {"strict": False}
except TypeError:
    CLASSIC = {}


def addresses(message, name):
    values = message.get_all(name) or []
    try:
        pairs = email.utils.getaddresses([str(v) for v in values], **CLASSIC)
    except Exception:  # a header the package cannot read at all
        return []
    found = [addr.strip().lower() for _, addr in pairs]
    return [addr for addr in found if is_address(addr)]


# Labels the WHATWG Encoding Standard reads as another encoding than Python's codec of
# the same name: mail programs (and browsers) decode by the standard.
WHATWG = {
    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "iso_8859-1": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254",
    "iso-8859-11": "cp874", "tis-620": "cp874", "gb2312": "gbk", "gb_2312-80": "gbk",
    "x-gbk": "gbk", "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "shift_jis": "cp932",
    "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932", "big5": "big5hkscs",
    "x-user-defined": "latin-1",
}


def decoded(part):
    """A text part's words, its charset read as the WHATWG standard reads it. Where no
    charset is declared, or US-ASCII, or one no codec knows: UTF-8 when the bytes are
    UTF-8, else windows-1252, as mail programs fall back (docs/MAIL.md)."""
    payload = part.get_payload(decode=True) or b""
    label = (part.get_content_charset() or "us-ascii").strip().lower()
    codec = WHATWG.get(label, label)
    try:
        "".encode(codec)
    except LookupError:
        codec = "cp1252"
    if codec == "cp1252":
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return payload.decode(codec, "c1" if codec == "cp1252" else "replace")


def body_of(message):
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        return ""
    if part is None:
        return ""
    text = decoded(part)
    if part.get_content_type() == "text/html":
        text = html_text(text)
    return words(text)


def charset_of(message):
    """The charset the message's text declares: its body part's, else its own."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    for source in (part, message):
        label = source.get_content_charset() if source is not None else None
        if label:
            return label.strip().lower()
    return None


def subject_of(plain, modern):
    """The Subject, its encoded words decoded by Python. Bytes written into a header
    without an encoded word are in no declared charset: read as UTF-8 when they are,
    else in the charset the message's text declares, else windows-1252, as mail
    programs read them (docs/MAIL.md)."""
    raw = next((v for k, v in plain.raw_items() if k.lower() == "subject"), None)
    if raw is None:
        return None
    if isinstance(raw, str):
        written = raw.encode("ascii", "surrogateescape")
        if any(b > 127 for b in written):
            label = charset_of(modern) or "us-ascii"
            codec = WHATWG.get(label, label)
            try:
                text = written.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    text = written.decode(codec, "c1" if codec == "cp1252" else "replace")
                except LookupError:
                    text = written.decode("cp1252", "c1")
            return words(text) or None
    try:
        text = words(str(modern.get("subject")))
    except Exception:
        return None
    return text or None


def message_id_of(message):
    value = message.get("message-id")
    if value is None:
        return None
    # The id is what the angle brackets hold; a server's comment after it is not.
    text = str(value)
    found = re.search(r"<([^<>]*)>", text)
    text = (found.group(1) if found else text).strip()
    return text or None


def describe(key, raw):
    # Lines ended by CR alone (old Macintosh mail) are read with LF ends, as casebook
    # reads them: Python's quoted-printable decoder otherwise stops at the first soft
    # line break ("=\r"), which is a line-end convention, not a reading (docs/MAIL.md).
    head = raw[:8192]
    if b"\r" in head and b"\n" not in head:
        raw = raw.replace(b"\r", b"\n")
    plain = email.message_from_bytes(raw)
    modern = email.message_from_bytes(raw, policy=email.policy.default)
    return {
        "key": key,
        "date": date_of(plain.get("date")),
        "from": addresses(plain, "from"),
        "to": addresses(plain, "to"),
        "cc": addresses(plain, "cc"),
        "subject": subject_of(plain, modern),
        "message_id": message_id_of(plain),
        "body": body_of(modern),
    }


def main(args):
    for arg in args:
        kind, rest = arg.split(":", 1)
        path, _, key = rest.partition("\t")
        if kind == "count":
            # How many messages Python's mbox reader finds in the file.
            box = mailbox.mbox(path, create=False)
            print(json.dumps({"key": key or path, "count": len(box.keys())}))
        elif kind == "mbox":
            box = mailbox.mbox(path, create=False)
            for n, k in enumerate(box.iterkeys(), start=1):
                print(json.dumps(describe(f"{key or path}#{n}", box.get_bytes(k))))
        else:
            with open(path, "rb") as f:
                print(json.dumps(describe(key or path, f.read())))


if __name__ == "__main__":
    main(sys.argv[1:] or [line.rstrip("\n") for line in sys.stdin if line.strip()])
