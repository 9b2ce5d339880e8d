//! Entries to and from rows.

use casebook_domain::{CaseId, Digest, EntryKind, Head, Occurred, Record, StoredEntry};
use casebook_store::{Append, StoreError, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use crate::{backend, from_json, json};

pub(crate) async fn head<C: GenericClient>(client: &C, case: CaseId) -> StoreResult<Option<Head>> {
    let statement = client
        .prepare_cached("SELECT seq, hash FROM heads WHERE case_id = $1")
        .await
        .map_err(backend)?;
    let row = client
        .query_opt(&statement, &[&case.0])
        .await
        .map_err(backend)?;
    row.map(|r| {
        let seq = r.get::<_, i64>(0) as u64;
        digest(r.get(1))
            .map(|hash| Head { seq, hash })
            .ok_or_else(|| {
                StoreError::Backend(format!("the head of the chain is unreadable at e{seq}"))
            })
    })
    .transpose()
}

/// How many entries one statement of an import carries: few enough statements that a
/// million entries go in minutes, small enough that the arrays stay a few megabytes.
pub(crate) const BATCH: usize = 512;

/// Entries that extend their case's chain in order, in one statement for the records and
/// one for the contents (arrays unnested into rows, taken in chain order, so each row's
/// trigger finds the one before it).
pub(crate) async fn insert_entries<C: GenericClient>(
    client: &C,
    entries: &[StoredEntry],
) -> StoreResult<()> {
    let mut columns = Columns::default();
    for entry in entries {
        columns.push(entry)?;
    }
    // Statements prepared once per connection: every append runs the same few.
    let statement = client
        .prepare_cached(
            "INSERT INTO entries (case_id, seq, version, kind, occurred, recorded, author, links,
                                  content_hash, attachments, prev_hash, hash)
             SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[], $5::text[],
                                  $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bytea[],
                                  $11::bytea[], $12::bytea[])
                 AS e(case_id, seq, version, kind, occurred, recorded, author, links,
                      content_hash, attachments, prev_hash, hash)
             ORDER BY seq",
        )
        .await
        .map_err(backend)?;
    let c = &columns;
    client
        .execute(
            &statement,
            &[
                &c.case,
                &c.seq,
                &c.version,
                &c.kind,
                &c.occurred,
                &c.recorded,
                &c.author,
                &c.links,
                &c.content_hash,
                &c.attachments,
                &c.prev_hash,
                &c.hash,
            ],
        )
        .await
        .map_err(backend)?;
    if !c.body.is_empty() {
        let statement = client
            .prepare_cached(
                "INSERT INTO contents (case_id, seq, body)
                 SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bytea[])",
            )
            .await
            .map_err(backend)?;
        client
            .execute(&statement, &[&c.body_case, &c.body_seq, &c.body])
            .await
            .map_err(backend)?;
    }
    Ok(())
}

/// Entries as one array per column, the shape `unnest` takes.
#[derive(Default)]
struct Columns<'a> {
    case: Vec<uuid::Uuid>,
    seq: Vec<i64>,
    version: Vec<i32>,
    kind: Vec<&'static str>,
    occurred: Vec<String>,
    recorded: Vec<String>,
    author: Vec<&'a str>,
    links: Vec<String>,
    content_hash: Vec<&'a [u8]>,
    attachments: Vec<Vec<u8>>,
    prev_hash: Vec<&'a [u8]>,
    hash: Vec<&'a [u8]>,
    body_case: Vec<uuid::Uuid>,
    body_seq: Vec<i64>,
    body: Vec<&'a [u8]>,
}

impl<'a> Columns<'a> {
    fn push(&mut self, entry: &'a StoredEntry) -> StoreResult<()> {
        let r = &entry.record;
        self.case.push(r.case.0);
        self.seq.push(r.seq as i64);
        self.version.push(i32::from(r.version));
        self.kind.push(r.kind.slug());
        self.occurred.push(r.occurred.canonical());
        self.recorded
            .push(casebook_domain::recorded_text(r.recorded));
        self.author.push(&r.author);
        self.links.push(json(&r.links)?);
        self.content_hash.push(&r.content_hash.0);
        self.attachments
            .push(r.attachments.iter().flat_map(|d| d.0).collect());
        self.prev_hash.push(&r.prev_hash.0);
        self.hash.push(&r.hash.0);
        if let Some(body) = &entry.content {
            self.body_case.push(r.case.0);
            self.body_seq.push(r.seq as i64);
            self.body.push(body);
        }
        Ok(())
    }
}

/// One entry, and for a redaction the removal of the content it redacts.
pub(crate) async fn write_append<C: GenericClient>(
    client: &C,
    case: CaseId,
    append: &Append,
) -> StoreResult<()> {
    insert_entries(client, std::slice::from_ref(&append.entry)).await?;
    if let Some(seq) = append.erase_content_of {
        client
            .execute(
                "DELETE FROM contents WHERE case_id = $1 AND seq = $2",
                &[&case.0, &(seq as i64)],
            )
            .await
            .map_err(backend)?;
    }
    Ok(())
}

/// Up to `limit` entries after place `after`, in chain order.
pub(crate) async fn page<C: GenericClient>(
    client: &C,
    case: CaseId,
    after: u64,
    limit: i64,
) -> StoreResult<Vec<StoredEntry>> {
    let rows = client
        .query(
            "SELECT e.case_id, e.seq, e.version, e.kind, e.occurred, e.recorded, e.author, e.links,
                    e.content_hash, e.attachments, e.prev_hash, e.hash, c.body
             FROM entries e LEFT JOIN contents c ON c.case_id = e.case_id AND c.seq = e.seq
             WHERE e.case_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3",
            &[&case.0, &(after as i64), &limit],
        )
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|row| {
            Ok(StoredEntry {
                record: record(row)?,
                content: row.get::<_, Option<Vec<u8>>>(12),
            })
        })
        .collect()
}

fn digest(bytes: &[u8]) -> Option<Digest> {
    bytes.try_into().ok().map(Digest)
}

fn record(row: &Row) -> StoreResult<Record> {
    let bad = |what: &str| {
        StoreError::Backend(format!(
            "an entry in the store cannot be read (it may have been edited by hand): {what}"
        ))
    };
    let attachments: &[u8] = row.get(9);
    if !attachments.len().is_multiple_of(32) {
        return Err(bad("the attachment digests"));
    }
    let links: &str = row.get(7);
    Ok(Record {
        case: CaseId(row.get(0)),
        seq: row.get::<_, i64>(1) as u64,
        version: u16::try_from(row.get::<_, i32>(2)).map_err(|_| bad("a version"))?,
        kind: EntryKind::parse(row.get(3)).map_err(|_| bad("a kind"))?,
        occurred: Occurred::from_stored(row.get(4)),
        recorded: row.get::<_, &str>(5).parse().map_err(|_| bad("a time"))?,
        author: row.get(6),
        links: if links == "[]" {
            Vec::new()
        } else {
            from_json(links)?
        },
        content_hash: digest(row.get(8)).ok_or_else(|| bad("a digest"))?,
        attachments: attachments.chunks_exact(32).filter_map(digest).collect(),
        prev_hash: digest(row.get(10)).ok_or_else(|| bad("a digest"))?,
        hash: digest(row.get(11)).ok_or_else(|| bad("a digest"))?,
    })
}
