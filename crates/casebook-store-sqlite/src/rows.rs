//! Entries to and from table rows.

use casebook_domain::{CaseId, Digest, EntryKind, Head, Occurred, Record, StoredEntry};
use casebook_store::{StoreError, StoreResult};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::{backend, from_json, json};

pub fn head(conn: &Connection, case: CaseId) -> StoreResult<Option<Head>> {
    conn.query_row(
        "SELECT seq, hash FROM heads WHERE case_id = ?1",
        params![case.to_string()],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?)),
    )
    .optional()
    .map_err(backend)?
    .map(|(seq, hash)| {
        Digest::from_hex(&hash)
            .map(|hash| Head { seq, hash })
            .ok_or_else(|| {
                StoreError::Backend(format!("the head of the chain is unreadable at e{seq}"))
            })
    })
    .transpose()
}

pub fn insert_entry(conn: &Connection, entry: &StoredEntry) -> StoreResult<()> {
    let r = &entry.record;
    let attachments: Vec<String> = r.attachments.iter().map(Digest::to_hex).collect();
    conn.execute(
        "INSERT INTO entries (case_id, seq, version, kind, occurred, recorded, author, links,
                              content_hash, attachments, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            r.case.to_string(),
            r.seq as i64,
            r.version,
            r.kind.slug(),
            r.occurred.canonical(),
            casebook_domain::recorded_text(r.recorded),
            r.author,
            json(&r.links)?,
            r.content_hash.to_hex(),
            json(&attachments)?,
            r.prev_hash.to_hex(),
            r.hash.to_hex(),
        ],
    )
    .map_err(backend)?;
    if let Some(body) = &entry.content {
        conn.execute(
            "INSERT INTO contents (case_id, seq, body) VALUES (?1, ?2, ?3)",
            params![r.case.to_string(), r.seq as i64, body],
        )
        .map_err(backend)?;
    }
    Ok(())
}

const SELECT_ENTRIES: &str = "SELECT e.case_id, e.seq, e.version, e.kind, e.occurred, e.recorded,
            e.author, e.links, e.content_hash, e.attachments, e.prev_hash, e.hash, c.body
     FROM entries e LEFT JOIN contents c ON c.case_id = e.case_id AND c.seq = e.seq";

pub fn entry(conn: &Connection, case: CaseId, seq: u64) -> StoreResult<Option<StoredEntry>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "{SELECT_ENTRIES} WHERE e.case_id = ?1 AND e.seq = ?2"
        ))
        .map_err(backend)?;
    stmt.query_row(params![case.to_string(), seq as i64], read_entry)
        .optional()
        .map_err(unreadable)
}

pub fn entries(conn: &Connection, case: CaseId) -> StoreResult<Vec<StoredEntry>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "{SELECT_ENTRIES} WHERE e.case_id = ?1 ORDER BY e.seq"
        ))
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![case.to_string()], read_entry)
        .map_err(backend)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(unreadable)
}

fn unreadable(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!(
        "an entry in the store cannot be read (it may have been edited by hand): {e}"
    ))
}

fn read_entry(row: &Row<'_>) -> rusqlite::Result<StoredEntry> {
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            what.to_owned().into(),
        )
    };
    let digest = |i: usize| -> rusqlite::Result<Digest> {
        Digest::from_hex(&row.get::<_, String>(i)?).ok_or_else(|| bad("a digest"))
    };
    let attachments: Vec<String> = from_json(&row.get::<_, String>(9)?)?;
    let record = Record {
        case: CaseId(
            row.get::<_, String>(0)?
                .parse()
                .map_err(|_| bad("a case id"))?,
        ),
        seq: row.get::<_, i64>(1)? as u64,
        version: row.get(2)?,
        kind: EntryKind::parse(&row.get::<_, String>(3)?).map_err(|_| bad("a kind"))?,
        occurred: Occurred::parse(&row.get::<_, String>(4)?).map_err(|_| bad("a date"))?,
        recorded: row
            .get::<_, String>(5)?
            .parse()
            .map_err(|_| bad("a time"))?,
        author: row.get(6)?,
        links: from_json(&row.get::<_, String>(7)?)?,
        content_hash: digest(8)?,
        attachments: attachments
            .iter()
            .map(|d| Digest::from_hex(d).ok_or_else(|| bad("an attachment digest")))
            .collect::<Result<_, _>>()?,
        prev_hash: digest(10)?,
        hash: digest(11)?,
    };
    // Read whatever is there as bytes: text put in by hand must reach the verifier as
    // altered content, not fail as an unreadable row.
    let content = match row.get_ref(12)? {
        ValueRef::Blob(b) | ValueRef::Text(b) => Some(b.to_vec()),
        _ => None,
    };
    Ok(StoredEntry { record, content })
}
