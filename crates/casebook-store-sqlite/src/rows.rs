//! Entries to and from table rows.

use casebook_domain::{CaseId, Digest, EntryKind, Head, Occurred, Record, StoredEntry};
use casebook_store::{StoreError, StoreResult};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::{backend, from_json, json};

pub fn head(conn: &Connection, case: CaseId) -> StoreResult<Option<Head>> {
    // Cached: every append asks for the head and writes the same two statements.
    conn.prepare_cached("SELECT seq, hash FROM heads WHERE case_id = ?1")
        .map_err(backend)?
        .query_row(params![case.to_string()], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, Vec<u8>>(1)?))
        })
        .optional()
        .map_err(backend)?
        .map(|(seq, hash)| {
            digest_from(&hash)
                .map(|hash| Head { seq, hash })
                .ok_or_else(|| {
                    StoreError::Backend(format!("the head of the chain is unreadable at e{seq}"))
                })
        })
        .transpose()
}

pub fn insert_entry(conn: &Connection, entry: &StoredEntry) -> StoreResult<()> {
    let r = &entry.record;
    let attachments: Vec<u8> = r.attachments.iter().flat_map(|d| d.0).collect();
    conn.prepare_cached(
        "INSERT INTO entries (case_id, seq, version, kind, occurred, recorded, author, links,
                              content_hash, attachments, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )
    .map_err(backend)?
    .execute(params![
        r.case.to_string(),
        r.seq as i64,
        r.version,
        r.kind.slug(),
        r.occurred.canonical(),
        casebook_domain::recorded_text(r.recorded),
        r.author,
        json(&r.links)?,
        &r.content_hash.0[..],
        attachments,
        &r.prev_hash.0[..],
        &r.hash.0[..],
    ])
    .map_err(backend)?;
    if let Some(body) = &entry.content {
        conn.prepare_cached("INSERT INTO contents (case_id, seq, body) VALUES (?1, ?2, ?3)")
            .map_err(backend)?
            .execute(params![r.case.to_string(), r.seq as i64, body])
            .map_err(backend)?;
    }
    Ok(())
}

/// Every string in the contents of the case's entries after `after` goes into the
/// search index, in one statement (see search_in_batches.sql for why not a trigger).
pub fn index_contents(conn: &Connection, case: CaseId, after: u64) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO search (words, case_id, seq)
         SELECT (SELECT group_concat(value, ' ') FROM json_tree(CAST(c.body AS TEXT))
                 WHERE type = 'text'),
                c.case_id, c.seq
         FROM contents c WHERE c.case_id = ?1 AND c.seq > ?2",
    )
    .map_err(backend)?
    .execute(params![case.to_string(), after as i64])
    .map_err(backend)?;
    Ok(())
}

const SELECT_RECORDS: &str =
    "SELECT case_id, seq, version, kind, occurred, recorded, author, links,
            content_hash, attachments, prev_hash, hash
     FROM entries";

pub fn entry(conn: &Connection, case: CaseId, seq: u64) -> StoreResult<Option<StoredEntry>> {
    let mut stmt = conn
        .prepare_cached(&format!("{SELECT_RECORDS} WHERE case_id = ?1 AND seq = ?2"))
        .map_err(backend)?;
    let Some(record) = stmt
        .query_row(params![case.to_string(), seq as i64], read_record)
        .optional()
        .map_err(unreadable)?
    else {
        return Ok(None);
    };
    let content = conn
        .query_row(
            "SELECT body FROM contents WHERE case_id = ?1 AND seq = ?2",
            params![case.to_string(), seq as i64],
            |r| content_bytes(r, 0),
        )
        .optional()
        .map_err(unreadable)?
        .flatten();
    Ok(Some(StoredEntry { record, content }))
}

/// The whole log, records and contents read as two scans in chain order and merged:
/// several times faster than a join on a long log.
pub fn each_entry(
    conn: &Connection,
    case: CaseId,
    visit: &mut dyn FnMut(StoredEntry) -> bool,
) -> StoreResult<()> {
    let id = case.to_string();
    let mut records = conn
        .prepare_cached(&format!("{SELECT_RECORDS} WHERE case_id = ?1 ORDER BY seq"))
        .map_err(backend)?;
    let mut contents = conn
        .prepare_cached("SELECT seq, body FROM contents WHERE case_id = ?1 ORDER BY seq")
        .map_err(backend)?;
    let mut bodies = contents
        .query_map(params![id], |r| {
            Ok((r.get::<_, i64>(0)? as u64, content_bytes(r, 1)?))
        })
        .map_err(backend)?
        .peekable();
    for record in records
        .query_map(params![id], read_record)
        .map_err(backend)?
    {
        let record = record.map_err(unreadable)?;
        while bodies
            .next_if(|b| b.as_ref().is_ok_and(|(seq, _)| *seq < record.seq))
            .is_some()
        {}
        let content = match bodies.next_if(|b| b.as_ref().is_ok_and(|(seq, _)| *seq == record.seq))
        {
            Some(found) => found.map_err(unreadable)?.1,
            None => None,
        };
        if !visit(StoredEntry { record, content }) {
            break;
        }
    }
    Ok(())
}

fn unreadable(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!(
        "an entry in the store cannot be read (it may have been edited by hand): {e}"
    ))
}

fn digest_from(bytes: &[u8]) -> Option<Digest> {
    bytes.try_into().ok().map(Digest)
}

/// Reads one record. Values are borrowed from SQLite where they can be, because
/// verifying a long log reads every row once.
fn read_record(row: &Row<'_>) -> rusqlite::Result<Record> {
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            what.to_owned().into(),
        )
    };
    let text =
        |i: usize| -> rusqlite::Result<&str> { row.get_ref(i)?.as_str().map_err(Into::into) };
    let digest = |i: usize| -> rusqlite::Result<Digest> {
        digest_from(row.get_ref(i)?.as_blob()?).ok_or_else(|| bad("a digest"))
    };
    let attachments = row.get_ref(9)?.as_blob()?;
    if attachments.len() % 32 != 0 {
        return Err(bad("the attachment digests"));
    }
    let links = text(7)?;
    Ok(Record {
        case: CaseId(text(0)?.parse().map_err(|_| bad("a case id"))?),
        seq: row.get::<_, i64>(1)? as u64,
        version: row.get(2)?,
        kind: EntryKind::parse(text(3)?).map_err(|_| bad("a kind"))?,
        occurred: Occurred::from_stored(text(4)?),
        recorded: text(5)?.parse().map_err(|_| bad("a time"))?,
        author: text(6)?.to_owned(),
        links: if links == "[]" {
            Vec::new()
        } else {
            from_json(links)?
        },
        content_hash: digest(8)?,
        attachments: attachments
            .chunks_exact(32)
            .filter_map(digest_from)
            .collect(),
        prev_hash: digest(10)?,
        hash: digest(11)?,
    })
}

/// Content as bytes, whatever type it was stored as: text put in by hand must reach the
/// verifier as altered content, not fail as an unreadable row.
fn content_bytes(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<Vec<u8>>> {
    Ok(match row.get_ref(i)? {
        ValueRef::Blob(b) | ValueRef::Text(b) => Some(b.to_vec()),
        _ => None,
    })
}
