-- casebook store, schema 2: accounts for an organisation's server. None of this is
-- evidence; the access log is append-only all the same.
CREATE TABLE accounts (
    id     TEXT PRIMARY KEY,
    email  TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);

-- A session is found by the SHA-256 of its cookie's token, never the token itself.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    expires    INTEGER NOT NULL, -- microseconds since 1970
    record     TEXT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires);

CREATE TABLE failed_logins (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX failed_logins_by_key ON failed_logins (key, at);

CREATE TABLE case_roles (
    case_id    TEXT NOT NULL REFERENCES cases(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role       TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    PRIMARY KEY (case_id, account_id)
) WITHOUT ROWID;
CREATE INDEX case_roles_by_account ON case_roles (account_id);

CREATE TABLE invitations (
    token_hash  BLOB PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    record      TEXT NOT NULL,
    accepted_by TEXT REFERENCES accounts(id),
    withdrawn   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX invitations_by_case ON invitations (case_id);

CREATE TABLE access_log (
    id      INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    record  TEXT NOT NULL
);
CREATE INDEX access_log_by_case ON access_log (case_id, id);

CREATE TRIGGER access_log_is_never_changed BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;

CREATE TRIGGER access_log_is_never_shortened BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;
