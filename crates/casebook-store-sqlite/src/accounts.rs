//! Accounts, sessions, roles, invitations and the access log (schema 2).

use casebook_domain::{
    AccessEvent, Account, AccountId, Case, CaseId, CaseRole, Digest, Invitation, Session,
};
use casebook_store::{AccountStore, StoreError, StoreResult};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use crate::{SqliteStore, backend, from_json, json};

fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

fn role_from(text: &str) -> rusqlite::Result<CaseRole> {
    CaseRole::parse(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A unique index refused the row: the caller's `Conflict`.
fn conflict_or_backend(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict
        }
        _ => backend(e),
    }
}

impl AccountStore for SqliteStore {
    fn create_account(&self, account: &Account) -> StoreResult<()> {
        self.conn()?
            .execute(
                "INSERT INTO accounts (id, email, record) VALUES (?1, ?2, ?3)",
                params![
                    account.id.to_string(),
                    account.email.to_lowercase(),
                    json(account)?
                ],
            )
            .map_err(conflict_or_backend)?;
        Ok(())
    }

    fn account(&self, id: AccountId) -> StoreResult<Option<Account>> {
        self.reader()?
            .query_row(
                "SELECT record FROM accounts WHERE id = ?1",
                params![id.to_string()],
                |r| from_json(&r.get::<_, String>(0)?),
            )
            .optional()
            .map_err(backend)
    }

    fn account_by_email(&self, email: &str) -> StoreResult<Option<Account>> {
        self.reader()?
            .query_row(
                "SELECT record FROM accounts WHERE email = ?1",
                params![email.trim().to_lowercase()],
                |r| from_json(&r.get::<_, String>(0)?),
            )
            .optional()
            .map_err(backend)
    }

    fn accounts(&self) -> StoreResult<Vec<Account>> {
        let conn = self.reader()?;
        let mut statement = conn
            .prepare("SELECT record FROM accounts ORDER BY email")
            .map_err(backend)?;
        let rows = statement
            .query_map([], |r| from_json(&r.get::<_, String>(0)?))
            .map_err(backend)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(backend)
    }

    fn create_session(&self, session: &Session) -> StoreResult<()> {
        self.conn()?
            .execute(
                "INSERT INTO sessions (token_hash, account_id, expires, record) VALUES (?1, ?2, ?3, ?4)",
                params![
                    &session.token_hash.0[..],
                    session.account.to_string(),
                    micros(session.expires),
                    json(session)?
                ],
            )
            .map_err(conflict_or_backend)?;
        Ok(())
    }

    fn session(&self, token_hash: &Digest) -> StoreResult<Option<Session>> {
        self.reader()?
            .query_row(
                "SELECT record FROM sessions WHERE token_hash = ?1",
                params![&token_hash.0[..]],
                |r| from_json(&r.get::<_, String>(0)?),
            )
            .optional()
            .map_err(backend)
    }

    fn end_session(&self, token_hash: &Digest) -> StoreResult<()> {
        self.conn()?
            .execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                params![&token_hash.0[..]],
            )
            .map_err(backend)?;
        Ok(())
    }

    fn end_expired_sessions(&self, now: Timestamp) -> StoreResult<()> {
        self.conn()?
            .execute(
                "DELETE FROM sessions WHERE expires < ?1",
                params![micros(now)],
            )
            .map_err(backend)?;
        Ok(())
    }

    fn count_attempt(&self, key: &str, at: Timestamp, since: Timestamp) -> StoreResult<u32> {
        let mut conn = self.conn()?;
        // IMMEDIATE: the write lock is taken first, so another server over the same
        // file cannot count between this insert and this count.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        tx.execute(
            "DELETE FROM failed_logins WHERE key = ?1 AND at < ?2",
            params![key, micros(since)],
        )
        .map_err(backend)?;
        tx.execute(
            "INSERT INTO failed_logins (key, at) VALUES (?1, ?2)",
            params![key, micros(at)],
        )
        .map_err(backend)?;
        let count: u32 = tx
            .query_row(
                "SELECT COUNT(*) FROM failed_logins WHERE key = ?1 AND at >= ?2",
                params![key, micros(since)],
                |r| r.get(0),
            )
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(count)
    }

    fn failed_logins_since(&self, key: &str, since: Timestamp) -> StoreResult<u32> {
        self.reader()?
            .query_row(
                "SELECT COUNT(*) FROM failed_logins WHERE key = ?1 AND at >= ?2",
                params![key, micros(since)],
                |r| r.get(0),
            )
            .map_err(backend)
    }

    fn clear_failed_logins(&self, key: &str) -> StoreResult<()> {
        self.conn()?
            .execute("DELETE FROM failed_logins WHERE key = ?1", params![key])
            .map_err(backend)?;
        Ok(())
    }

    fn set_role(&self, case: CaseId, account: AccountId, role: CaseRole) -> StoreResult<()> {
        self.conn()?
            .execute(
                "INSERT INTO case_roles (case_id, account_id, role) VALUES (?1, ?2, ?3)
                 ON CONFLICT (case_id, account_id) DO UPDATE SET role = excluded.role",
                params![case.to_string(), account.to_string(), role.slug()],
            )
            .map_err(backend)?;
        Ok(())
    }

    fn remove_role(&self, case: CaseId, account: AccountId) -> StoreResult<()> {
        self.conn()?
            .execute(
                "DELETE FROM case_roles WHERE case_id = ?1 AND account_id = ?2",
                params![case.to_string(), account.to_string()],
            )
            .map_err(backend)?;
        Ok(())
    }

    fn role(&self, case: CaseId, account: AccountId) -> StoreResult<Option<CaseRole>> {
        self.reader()?
            .query_row(
                "SELECT role FROM case_roles WHERE case_id = ?1 AND account_id = ?2",
                params![case.to_string(), account.to_string()],
                |r| role_from(&r.get::<_, String>(0)?),
            )
            .optional()
            .map_err(backend)
    }

    fn members(&self, case: CaseId) -> StoreResult<Vec<(Account, CaseRole)>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare(
                "SELECT a.record, r.role FROM case_roles r JOIN accounts a ON a.id = r.account_id
                 WHERE r.case_id = ?1 ORDER BY a.email",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map(params![case.to_string()], |r| {
                Ok((
                    from_json(&r.get::<_, String>(0)?)?,
                    role_from(&r.get::<_, String>(1)?)?,
                ))
            })
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }

    fn cases_of(&self, account: AccountId) -> StoreResult<Vec<(Case, CaseRole)>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare(
                "SELECT c.record, r.role FROM case_roles r JOIN cases c ON c.id = r.case_id
                 WHERE r.account_id = ?1 ORDER BY c.slug",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map(params![account.to_string()], |r| {
                Ok((
                    from_json(&r.get::<_, String>(0)?)?,
                    role_from(&r.get::<_, String>(1)?)?,
                ))
            })
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }

    fn create_invitation(&self, invitation: &Invitation) -> StoreResult<()> {
        self.conn()?
            .execute(
                "INSERT INTO invitations (token_hash, case_id, record) VALUES (?1, ?2, ?3)",
                params![
                    &invitation.token_hash.0[..],
                    invitation.case.to_string(),
                    json(invitation)?
                ],
            )
            .map_err(conflict_or_backend)?;
        Ok(())
    }

    fn invitation(&self, token_hash: &Digest) -> StoreResult<Option<Invitation>> {
        self.reader()?
            .query_row(
                "SELECT record, accepted_by, withdrawn FROM invitations WHERE token_hash = ?1",
                params![&token_hash.0[..]],
                invitation_row,
            )
            .optional()
            .map_err(backend)
    }

    fn invitations(&self, case: CaseId) -> StoreResult<Vec<Invitation>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare(
                "SELECT record, accepted_by, withdrawn FROM invitations WHERE case_id = ?1
                 ORDER BY rowid",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map(params![case.to_string()], invitation_row)
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }

    fn accept_invitation(&self, token_hash: &Digest, account: AccountId) -> StoreResult<()> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let taken = tx
            .execute(
                "UPDATE invitations SET accepted_by = ?2
                 WHERE token_hash = ?1 AND accepted_by IS NULL AND withdrawn = 0",
                params![&token_hash.0[..], account.to_string()],
            )
            .map_err(backend)?;
        if taken != 1 {
            return Err(StoreError::Conflict);
        }
        let (case, record): (String, String) = tx
            .query_row(
                "SELECT case_id, record FROM invitations WHERE token_hash = ?1",
                params![&token_hash.0[..]],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(backend)?;
        let invitation: Invitation = from_json(&record).map_err(backend)?;
        // Accepting never lowers a role someone already holds on the case.
        tx.execute(
            "INSERT INTO case_roles (case_id, account_id, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (case_id, account_id) DO UPDATE SET role = CASE
                 WHEN case_roles.role = 'owner' OR excluded.role = 'owner' THEN 'owner'
                 WHEN case_roles.role = 'editor' OR excluded.role = 'editor' THEN 'editor'
                 ELSE 'viewer' END",
            params![case, account.to_string(), invitation.role.slug()],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)
    }

    fn withdraw_invitation(&self, token_hash: &Digest) -> StoreResult<()> {
        self.conn()?
            .execute(
                "UPDATE invitations SET withdrawn = 1 WHERE token_hash = ?1",
                params![&token_hash.0[..]],
            )
            .map_err(backend)?;
        Ok(())
    }

    fn record_access(&self, event: &AccessEvent) -> StoreResult<()> {
        self.conn()?
            .execute(
                "INSERT INTO access_log (case_id, record) VALUES (?1, ?2)",
                params![event.case.to_string(), json(event)?],
            )
            .map_err(backend)?;
        Ok(())
    }

    fn access_log(&self, case: CaseId) -> StoreResult<Vec<AccessEvent>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare("SELECT record FROM access_log WHERE case_id = ?1 ORDER BY id")
            .map_err(backend)?;
        let rows = stmt
            .query_map(params![case.to_string()], |r| {
                from_json(&r.get::<_, String>(0)?)
            })
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }
}

/// The invitation as created, with what happened to it since.
fn invitation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Invitation> {
    let mut invitation: Invitation = from_json(&r.get::<_, String>(0)?)?;
    invitation.accepted_by = r
        .get::<_, Option<String>>(1)?
        .map(|id| {
            id.parse().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        })
        .transpose()?;
    invitation.withdrawn = r.get::<_, i64>(2)? != 0;
    Ok(invitation)
}
