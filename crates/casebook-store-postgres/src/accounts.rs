//! Accounts, sessions, roles, invitations and the access log.

use casebook_domain::{
    AccessEvent, Account, AccountId, Case, CaseId, CaseRole, Digest, Invitation, Session,
};
use casebook_store::{AccountStore, StoreError, StoreResult};
use jiff::Timestamp;
use tokio_postgres::Row;

use crate::{PgStore, backend, from_json, json};

fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

fn role(text: &str) -> StoreResult<CaseRole> {
    CaseRole::parse(text).map_err(|e| StoreError::Backend(e.to_string()))
}

fn invitation(row: &Row) -> StoreResult<Invitation> {
    let mut invitation: Invitation = from_json(row.get(0))?;
    invitation.accepted_by = row.get::<_, Option<uuid::Uuid>>(1).map(AccountId);
    invitation.withdrawn = row.get(2);
    Ok(invitation)
}

impl PgStore {
    /// One statement that changes rows, with no answer but success.
    fn change(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> StoreResult<u64> {
        self.run(async {
            let client = self.client().await?;
            client.execute(sql, params).await.map_err(backend)
        })
    }

    /// The first column of every row, as text.
    fn texts(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> StoreResult<Vec<String>> {
        self.run(async {
            let client = self.client().await?;
            let rows = client.query(sql, params).await.map_err(backend)?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }
}

impl AccountStore for PgStore {
    fn create_account(&self, account: &Account) -> StoreResult<()> {
        self.change(
            "INSERT INTO accounts (id, email, record) VALUES ($1, $2, $3)",
            &[
                &account.id.0,
                &account.email.to_lowercase(),
                &json(account)?,
            ],
        )
        .map(|_| ())
    }

    fn account(&self, id: AccountId) -> StoreResult<Option<Account>> {
        self.texts("SELECT record FROM accounts WHERE id = $1", &[&id.0])?
            .first()
            .map(|t| from_json(t))
            .transpose()
    }

    fn account_by_email(&self, email: &str) -> StoreResult<Option<Account>> {
        self.texts(
            "SELECT record FROM accounts WHERE email = $1",
            &[&email.trim().to_lowercase()],
        )?
        .first()
        .map(|t| from_json(t))
        .transpose()
    }

    fn accounts(&self) -> StoreResult<Vec<Account>> {
        self.texts("SELECT record FROM accounts ORDER BY email", &[])?
            .iter()
            .map(|t| from_json(t))
            .collect()
    }

    fn create_session(&self, session: &Session) -> StoreResult<()> {
        self.change(
            "INSERT INTO sessions (token_hash, account_id, expires, record) VALUES ($1, $2, $3, $4)",
            &[
                &&session.token_hash.0[..],
                &session.account.0,
                &micros(session.expires),
                &json(session)?,
            ],
        )
        .map(|_| ())
    }

    fn session(&self, token_hash: &Digest) -> StoreResult<Option<Session>> {
        self.texts(
            "SELECT record FROM sessions WHERE token_hash = $1",
            &[&&token_hash.0[..]],
        )?
        .first()
        .map(|t| from_json(t))
        .transpose()
    }

    fn end_session(&self, token_hash: &Digest) -> StoreResult<()> {
        self.change(
            "DELETE FROM sessions WHERE token_hash = $1",
            &[&&token_hash.0[..]],
        )
        .map(|_| ())
    }

    fn end_expired_sessions(&self, now: Timestamp) -> StoreResult<()> {
        self.change("DELETE FROM sessions WHERE expires < $1", &[&micros(now)])
            .map(|_| ())
    }

    fn count_attempt(&self, key: &str, at: Timestamp, since: Timestamp) -> StoreResult<u32> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(backend)?;
            // Attempts against one key, from any server, take turns until the commit.
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 7071964))",
                &[&key],
            )
            .await
            .map_err(backend)?;
            tx.execute(
                "DELETE FROM failed_logins WHERE key = $1 AND at < $2",
                &[&key, &micros(since)],
            )
            .await
            .map_err(backend)?;
            tx.execute(
                "INSERT INTO failed_logins (key, at) VALUES ($1, $2)",
                &[&key, &micros(at)],
            )
            .await
            .map_err(backend)?;
            let row = tx
                .query_one(
                    "SELECT COUNT(*) FROM failed_logins WHERE key = $1 AND at >= $2",
                    &[&key, &micros(since)],
                )
                .await
                .map_err(backend)?;
            tx.commit().await.map_err(backend)?;
            Ok(u32::try_from(row.get::<_, i64>(0)).unwrap_or(u32::MAX))
        })
    }

    fn failed_logins_since(&self, key: &str, since: Timestamp) -> StoreResult<u32> {
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_one(
                    "SELECT COUNT(*) FROM failed_logins WHERE key = $1 AND at >= $2",
                    &[&key, &micros(since)],
                )
                .await
                .map_err(backend)?;
            Ok(u32::try_from(row.get::<_, i64>(0)).unwrap_or(u32::MAX))
        })
    }

    fn clear_failed_logins(&self, key: &str) -> StoreResult<()> {
        self.change("DELETE FROM failed_logins WHERE key = $1", &[&key])
            .map(|_| ())
    }

    fn set_role(&self, case: CaseId, account: AccountId, role: CaseRole) -> StoreResult<()> {
        self.change(
            "INSERT INTO case_roles (case_id, account_id, role) VALUES ($1, $2, $3)
             ON CONFLICT (case_id, account_id) DO UPDATE SET role = EXCLUDED.role",
            &[&case.0, &account.0, &role.slug()],
        )
        .map(|_| ())
    }

    fn remove_role(&self, case: CaseId, account: AccountId) -> StoreResult<()> {
        self.change(
            "DELETE FROM case_roles WHERE case_id = $1 AND account_id = $2",
            &[&case.0, &account.0],
        )
        .map(|_| ())
    }

    fn role(&self, case: CaseId, account: AccountId) -> StoreResult<Option<CaseRole>> {
        self.texts(
            "SELECT role FROM case_roles WHERE case_id = $1 AND account_id = $2",
            &[&case.0, &account.0],
        )?
        .first()
        .map(|t| role(t))
        .transpose()
    }

    fn members(&self, case: CaseId) -> StoreResult<Vec<(Account, CaseRole)>> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT a.record, r.role FROM case_roles r JOIN accounts a ON a.id = r.account_id
                     WHERE r.case_id = $1 ORDER BY a.email",
                    &[&case.0],
                )
                .await
                .map_err(backend)?;
            rows.iter()
                .map(|r| Ok((from_json(r.get(0))?, role(r.get(1))?)))
                .collect()
        })
    }

    fn cases_of(&self, account: AccountId) -> StoreResult<Vec<(Case, CaseRole)>> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT c.record, r.role FROM case_roles r JOIN cases c ON c.id = r.case_id
                     WHERE r.account_id = $1 ORDER BY c.slug",
                    &[&account.0],
                )
                .await
                .map_err(backend)?;
            rows.iter()
                .map(|r| Ok((from_json(r.get(0))?, role(r.get(1))?)))
                .collect()
        })
    }

    fn create_invitation(&self, invitation: &Invitation) -> StoreResult<()> {
        self.change(
            "INSERT INTO invitations (token_hash, case_id, record) VALUES ($1, $2, $3)",
            &[
                &&invitation.token_hash.0[..],
                &invitation.case.0,
                &json(invitation)?,
            ],
        )
        .map(|_| ())
    }

    fn invitation(&self, token_hash: &Digest) -> StoreResult<Option<Invitation>> {
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT record, accepted_by, withdrawn FROM invitations WHERE token_hash = $1",
                    &[&&token_hash.0[..]],
                )
                .await
                .map_err(backend)?;
            row.as_ref().map(invitation).transpose()
        })
    }

    fn invitations(&self, case: CaseId) -> StoreResult<Vec<Invitation>> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT record, accepted_by, withdrawn FROM invitations WHERE case_id = $1 ORDER BY made",
                    &[&case.0],
                )
                .await
                .map_err(backend)?;
            rows.iter().map(invitation).collect()
        })
    }

    fn accept_invitation(&self, token_hash: &Digest, account: AccountId) -> StoreResult<()> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(backend)?;
            let taken = tx
                .query_opt(
                    "UPDATE invitations SET accepted_by = $2
                     WHERE token_hash = $1 AND accepted_by IS NULL AND NOT withdrawn
                     RETURNING case_id, record",
                    &[&&token_hash.0[..], &account.0],
                )
                .await
                .map_err(backend)?;
            let Some(row) = taken else {
                return Err(StoreError::Conflict);
            };
            let case: uuid::Uuid = row.get(0);
            let invitation: Invitation = from_json(row.get(1))?;
            // Accepting never lowers a role someone already holds on the case.
            tx.execute(
                "INSERT INTO case_roles (case_id, account_id, role) VALUES ($1, $2, $3)
                 ON CONFLICT (case_id, account_id) DO UPDATE SET role = CASE
                     WHEN case_roles.role = 'owner' OR EXCLUDED.role = 'owner' THEN 'owner'
                     WHEN case_roles.role = 'editor' OR EXCLUDED.role = 'editor' THEN 'editor'
                     ELSE 'viewer' END",
                &[&case, &account.0, &invitation.role.slug()],
            )
            .await
            .map_err(backend)?;
            tx.commit().await.map_err(backend)
        })
    }

    fn withdraw_invitation(&self, token_hash: &Digest) -> StoreResult<()> {
        self.change(
            "UPDATE invitations SET withdrawn = TRUE WHERE token_hash = $1",
            &[&&token_hash.0[..]],
        )
        .map(|_| ())
    }

    fn record_access(&self, event: &AccessEvent) -> StoreResult<()> {
        self.change(
            "INSERT INTO access_log (case_id, record) VALUES ($1, $2)",
            &[&event.case.0, &json(event)?],
        )
        .map(|_| ())
    }

    fn access_log(&self, case: CaseId) -> StoreResult<Vec<AccessEvent>> {
        self.texts(
            "SELECT record FROM access_log WHERE case_id = $1 ORDER BY id",
            &[&case.0],
        )?
        .iter()
        .map(|t| from_json(t))
        .collect()
    }
}
