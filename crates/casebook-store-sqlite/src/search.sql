-- casebook store, schema 3: full-text search. Every string in an entry's content is
-- indexed (porter stemming, so "push" finds "pushed"); the index row goes when a
-- redaction removes the content, so redacted words are never found.
CREATE VIRTUAL TABLE search USING fts5(
    words,
    case_id UNINDEXED,
    seq UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER contents_are_searched AFTER INSERT ON contents
BEGIN
    INSERT INTO search (words, case_id, seq)
    SELECT group_concat(value, ' '), NEW.case_id, NEW.seq
    FROM json_tree(CAST(NEW.body AS TEXT)) WHERE type = 'text';
END;

CREATE TRIGGER redacted_words_are_forgotten AFTER DELETE ON contents
BEGIN
    DELETE FROM search WHERE case_id = OLD.case_id AND seq = OLD.seq;
END;

INSERT INTO search (words, case_id, seq)
SELECT (SELECT group_concat(value, ' ') FROM json_tree(CAST(c.body AS TEXT)) WHERE type = 'text'),
       c.case_id, c.seq
FROM contents c;
