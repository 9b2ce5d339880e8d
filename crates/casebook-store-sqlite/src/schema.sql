-- casebook store, schema 1. The log is append-only here as well as in the code:
-- triggers refuse to change or remove entries, and refuse any entry that does not
-- extend its case's chain by exactly one.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cases (
    id     TEXT PRIMARY KEY,
    slug   TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);

CREATE TABLE people (
    case_id TEXT NOT NULL REFERENCES cases(id),
    id      INTEGER NOT NULL,
    record  TEXT NOT NULL,
    PRIMARY KEY (case_id, id)
);

CREATE TABLE entries (
    case_id      TEXT NOT NULL REFERENCES cases(id),
    seq          INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    occurred     TEXT NOT NULL,
    recorded     TEXT NOT NULL,
    author       TEXT NOT NULL,
    links        TEXT NOT NULL,
    -- Digests are 32-byte SHA-256 values; attachments is their concatenation.
    content_hash BLOB NOT NULL,
    attachments  BLOB NOT NULL,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL UNIQUE,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID; -- stored in chain order, so reading a whole log is one sequential scan

-- Content apart from the record, so a redaction can remove it and leave the record.
CREATE TABLE contents (
    case_id TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    body    BLOB NOT NULL,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (case_id, seq) REFERENCES entries(case_id, seq)
) WITHOUT ROWID;

-- Settings of a case that are not evidence: term dates, the school's own time limits.
CREATE TABLE case_settings (
    case_id TEXT NOT NULL REFERENCES cases(id),
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (case_id, key)
);

-- Where each case's chain ends; moved only by the trigger below.
CREATE TABLE heads (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    seq     INTEGER NOT NULL,
    hash    BLOB NOT NULL
);

CREATE TRIGGER entries_extend_the_chain BEFORE INSERT ON entries
WHEN NEW.seq != COALESCE((SELECT seq FROM heads WHERE case_id = NEW.case_id), 0) + 1
  OR NEW.prev_hash != COALESCE((SELECT hash FROM heads WHERE case_id = NEW.case_id), zeroblob(32))
BEGIN
    SELECT RAISE(ABORT, 'an entry must extend its case''s chain');
END;

CREATE TRIGGER entries_move_the_head AFTER INSERT ON entries
BEGIN
    INSERT INTO heads (case_id, seq, hash) VALUES (NEW.case_id, NEW.seq, NEW.hash)
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
END;

CREATE TRIGGER heads_only_move_forward BEFORE UPDATE ON heads
WHEN NEW.seq != OLD.seq + 1
BEGIN
    SELECT RAISE(ABORT, 'the head of a chain only moves forward');
END;

CREATE TRIGGER heads_are_never_removed BEFORE DELETE ON heads
BEGIN
    SELECT RAISE(ABORT, 'the head of a chain cannot be removed');
END;

CREATE TRIGGER entries_are_never_changed BEFORE UPDATE ON entries
BEGIN
    SELECT RAISE(ABORT, 'entries are append-only');
END;

CREATE TRIGGER entries_are_never_removed BEFORE DELETE ON entries
BEGIN
    SELECT RAISE(ABORT, 'entries are append-only');
END;

CREATE TRIGGER contents_are_never_changed BEFORE UPDATE ON contents
BEGIN
    SELECT RAISE(ABORT, 'the content of an entry cannot be changed');
END;

CREATE TRIGGER contents_go_only_by_redaction BEFORE DELETE ON contents
WHEN NOT EXISTS (
    SELECT 1 FROM entries e, json_each(e.links) l
    WHERE e.case_id = OLD.case_id
      AND e.kind = 'redaction'
      AND json_extract(l.value, '$.rel') = 'redacts'
      AND json_extract(l.value, '$.target') = 'e' || OLD.seq
)
BEGIN
    SELECT RAISE(ABORT, 'content can only be removed by a redaction');
END;
