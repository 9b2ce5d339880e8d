-- casebook store for PostgreSQL, schema 1. The same tables as the embedded store and
-- the same rules, held by the database itself: the log is append-only, an entry must
-- extend its case's chain by one, the head only moves forward, content goes only by a
-- redaction, and the access log is never changed.
CREATE TABLE casebook_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cases (
    id     UUID PRIMARY KEY,
    slug   TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);

CREATE TABLE people (
    case_id UUID NOT NULL REFERENCES cases(id),
    id      INTEGER NOT NULL,
    record  TEXT NOT NULL,
    PRIMARY KEY (case_id, id)
);

CREATE TABLE entries (
    case_id      UUID NOT NULL REFERENCES cases(id),
    seq          BIGINT NOT NULL,
    version      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    occurred     TEXT NOT NULL,
    recorded     TEXT NOT NULL,
    author       TEXT NOT NULL,
    links        TEXT NOT NULL,
    content_hash BYTEA NOT NULL,
    attachments  BYTEA NOT NULL,
    prev_hash    BYTEA NOT NULL,
    hash         BYTEA NOT NULL UNIQUE,
    PRIMARY KEY (case_id, seq)
);

-- Content apart from the record, so a redaction can remove it and leave the record;
-- its words for search, gone with it.
CREATE TABLE contents (
    case_id UUID NOT NULL,
    seq     BIGINT NOT NULL,
    body    BYTEA NOT NULL,
    words   TSVECTOR NOT NULL,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (case_id, seq) REFERENCES entries(case_id, seq)
);
CREATE INDEX contents_words ON contents USING GIN (words);

CREATE TABLE case_settings (
    case_id UUID NOT NULL REFERENCES cases(id),
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (case_id, key)
);

CREATE TABLE heads (
    case_id UUID PRIMARY KEY REFERENCES cases(id),
    seq     BIGINT NOT NULL,
    hash    BYTEA NOT NULL
);

CREATE FUNCTION casebook_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;

-- Checked against the entry before, not the head: a long import in one transaction
-- would otherwise rewrite the head row once per entry, and every rewrite leaves a row
-- version that later lookups walk past until the transaction ends.
CREATE FUNCTION casebook_extend_the_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before_hash BYTEA;
BEGIN
    IF NEW.seq = 1 THEN
        before_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    ELSE
        SELECT hash INTO before_hash FROM entries WHERE case_id = NEW.case_id AND seq = NEW.seq - 1;
    END IF;
    IF before_hash IS NULL OR NEW.prev_hash <> before_hash THEN
        RAISE EXCEPTION 'an entry must extend its case''s chain' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

-- Once per statement, to the last entry the statement added for each case.
CREATE FUNCTION casebook_move_the_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO heads (case_id, seq, hash)
    SELECT DISTINCT ON (case_id) case_id, seq, hash FROM added ORDER BY case_id, seq DESC
    ON CONFLICT (case_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash;
    RETURN NULL;
END $$;

-- A head names an entry of its case, and only ever moves forward.
CREATE FUNCTION casebook_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION 'the head of a chain only moves forward' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM entries WHERE case_id = NEW.case_id AND seq = NEW.seq AND hash = NEW.hash
    ) THEN
        RAISE EXCEPTION 'the head of a chain must name an entry of its case' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION casebook_content_goes_by_redaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM entries e
        WHERE e.case_id = OLD.case_id AND e.kind = 'redaction'
          AND e.links::jsonb @> jsonb_build_array(jsonb_build_object('rel', 'redacts', 'target', 'e' || OLD.seq))
    ) THEN
        RAISE EXCEPTION 'content can only be removed by a redaction' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END $$;

-- Every string in an entry's content, stemmed, for search.
CREATE FUNCTION casebook_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.words := jsonb_to_tsvector('english', convert_from(NEW.body, 'UTF8')::jsonb, '["string"]');
    RETURN NEW;
END $$;

CREATE TRIGGER entries_extend_the_chain BEFORE INSERT ON entries
    FOR EACH ROW EXECUTE FUNCTION casebook_extend_the_chain();
CREATE TRIGGER entries_move_the_head AFTER INSERT ON entries
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION casebook_move_the_head();
CREATE TRIGGER entries_are_never_changed BEFORE UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION casebook_refuse('entries are append-only');
CREATE TRIGGER entries_are_never_emptied BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION casebook_refuse('entries are append-only');
CREATE TRIGGER heads_only_move_forward BEFORE INSERT OR UPDATE ON heads
    FOR EACH ROW EXECUTE FUNCTION casebook_head_moves_forward();
CREATE TRIGGER heads_are_never_removed BEFORE DELETE ON heads
    FOR EACH ROW EXECUTE FUNCTION casebook_refuse('the head of a chain cannot be removed');
CREATE TRIGGER heads_are_never_emptied BEFORE TRUNCATE ON heads
    FOR EACH STATEMENT EXECUTE FUNCTION casebook_refuse('the head of a chain cannot be removed');
CREATE TRIGGER contents_are_never_changed BEFORE UPDATE ON contents
    FOR EACH ROW EXECUTE FUNCTION casebook_refuse('the content of an entry cannot be changed');
CREATE TRIGGER contents_go_only_by_redaction BEFORE DELETE ON contents
    FOR EACH ROW EXECUTE FUNCTION casebook_content_goes_by_redaction();
CREATE TRIGGER contents_are_never_emptied BEFORE TRUNCATE ON contents
    FOR EACH STATEMENT EXECUTE FUNCTION casebook_refuse('content can only be removed by a redaction');
CREATE TRIGGER contents_are_searched BEFORE INSERT ON contents
    FOR EACH ROW EXECUTE FUNCTION casebook_words();

-- Accounts for an organisation's server.
CREATE TABLE accounts (
    id     UUID PRIMARY KEY,
    email  TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts(id),
    expires    BIGINT NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires);

CREATE TABLE failed_logins (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX failed_logins_by_key ON failed_logins (key, at);

CREATE TABLE case_roles (
    case_id    UUID NOT NULL REFERENCES cases(id),
    account_id UUID NOT NULL REFERENCES accounts(id),
    role       TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    PRIMARY KEY (case_id, account_id)
);
CREATE INDEX case_roles_by_account ON case_roles (account_id);

CREATE TABLE invitations (
    token_hash  BYTEA PRIMARY KEY,
    case_id     UUID NOT NULL REFERENCES cases(id),
    record      TEXT NOT NULL,
    accepted_by UUID REFERENCES accounts(id),
    withdrawn   BOOLEAN NOT NULL DEFAULT FALSE,
    made        BIGSERIAL
);
CREATE INDEX invitations_by_case ON invitations (case_id);

CREATE TABLE access_log (
    id      BIGSERIAL PRIMARY KEY,
    case_id UUID NOT NULL REFERENCES cases(id),
    record  TEXT NOT NULL
);
CREATE INDEX access_log_by_case ON access_log (case_id, id);
CREATE TRIGGER access_log_is_never_changed BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION casebook_refuse('the access log is append-only');
CREATE TRIGGER access_log_is_never_emptied BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION casebook_refuse('the access log is append-only');

INSERT INTO casebook_meta (key, value) VALUES ('schema', '1');
