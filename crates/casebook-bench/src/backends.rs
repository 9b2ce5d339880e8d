//! The store benchmarks on both backends: appending (SPEC section 9, beside the bare
//! rusqlite loop), appends from 1, 4 and 16 writers on different cases at once, and
//! full-text search over a million entries (SPEC section 9, beside ripgrep's search
//! engine over the JSON Lines export of the same entries). PostgreSQL is the server CASEBOOK_BENCH_POSTGRES
//! names (postgres://USER:PASSWORD@HOST:PORT); each run makes databases of its own.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use casebook_domain::{Case, Content, Facts, StoredEntry};
use casebook_store::conformance::sample_case;
use casebook_store::{Append, CaseStore};
use casebook_store_postgres::PgStore;
use casebook_store_sqlite::SqliteStore;
use grep_matcher::Matcher;
use grep_regex::RegexMatcherBuilder;
use grep_searcher::SearcherBuilder;
use grep_searcher::sinks::UTF8;

use crate::{bare_loop, chain, chain_of};

fn postgres_server() -> Result<String> {
    std::env::var("CASEBOOK_BENCH_POSTGRES")
        .map(|s| s.trim_end_matches('/').to_owned())
        .context("set CASEBOOK_BENCH_POSTGRES to a server, as postgres://USER:PASSWORD@HOST:PORT")
}

/// A new, empty database on the benchmark server.
fn new_database(what: &str) -> Result<PgStore> {
    let server = postgres_server()?;
    let name = format!(
        "casebook_bench_{what}_{}_{}",
        std::process::id(),
        next_number()
    );
    PgStore::create_database(&format!("{server}/postgres"), &name)?;
    Ok(PgStore::connect(&format!("{server}/{name}"), None)?)
}

/// Different on every call within a run, so databases never collide.
fn next_number() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Entries/s appending `entries` one transaction each, as the store's own append.
pub fn store_append(store: &impl CaseStore, case: &Case, entries: &[StoredEntry]) -> Result<f64> {
    store.create_case(case)?;
    let start = Instant::now();
    let mut head = None;
    for entry in entries {
        store.append(
            case.id,
            head,
            &Append {
                entry: entry.clone(),
                erase_content_of: None,
            },
        )?;
        head = Some(entry.head());
    }
    Ok(entries.len() as f64 / start.elapsed().as_secs_f64())
}

/// Entries/s with `writers` threads each logging `each` entries to a case of its own.
fn concurrent(store: &impl CaseStore, writers: usize, each: usize) -> Result<f64> {
    let cases: Vec<Case> = (0..writers)
        .map(|w| sample_case(&format!("writer-{writers}-{w}")))
        .collect();
    for case in &cases {
        store.create_case(case)?;
    }
    let start = Instant::now();
    std::thread::scope(|scope| {
        let running: Vec<_> = cases
            .iter()
            .map(|case| {
                scope.spawn(move || {
                    for i in 0..each {
                        store.append_next(case.id, &mut |head| Append {
                            entry: crate::chain_entry(case, head, i),
                            erase_content_of: None,
                        })?;
                    }
                    Ok::<(), anyhow::Error>(())
                })
            })
            .collect();
        running.into_iter().try_for_each(|w| {
            w.join()
                .map_err(|_| anyhow::anyhow!("a writer stopped"))
                .and_then(|done| done)
        })
    })?;
    Ok((writers * each) as f64 / start.elapsed().as_secs_f64())
}

pub fn postgres(n: usize) -> Result<()> {
    const ROUNDS: usize = 3;
    let dir = tempfile::tempdir()?;
    let case = sample_case("bench");
    let entries = chain(&case, n);
    let mut rates: [Vec<f64>; 3] = Default::default();
    for round in 0..ROUNDS {
        rates[0].push(bare_loop(
            &dir.path().join(format!("bare-{round}.db")),
            &entries,
        )?);
        let sqlite = SqliteStore::create(&dir.path().join(format!("store-{round}.db")), None)?;
        rates[1].push(store_append(&sqlite, &case, &entries)?);
        rates[2].push(store_append(&new_database("append")?, &case, &entries)?);
    }
    let [bare, sqlite, postgres] = rates.map(|mut r| {
        r.sort_by(f64::total_cmp);
        r[r.len() / 2]
    });
    println!(
        "| append ({n} entries, one transaction each; median of {ROUNDS} rounds) | entries/s |"
    );
    println!("|---|---|");
    println!("| reference: bare rusqlite loop, same rows, same durability | {bare:.0} |");
    println!(
        "| casebook SQLite store append | {sqlite:.0} ({:.0}% of the reference) |",
        100.0 * sqlite / bare
    );
    println!(
        "| casebook PostgreSQL store append | {postgres:.0} ({:.0}% of the reference) |",
        100.0 * postgres / bare
    );
    println!();
    println!(
        "| writers at once, each on its own case ({n} entries in all) | SQLite entries/s | PostgreSQL entries/s |"
    );
    println!("|---|---|---|");
    for writers in [1, 4, 16] {
        let sqlite = SqliteStore::create(&dir.path().join(format!("writers-{writers}.db")), None)?;
        let on_sqlite = concurrent(&sqlite, writers, n / writers)?;
        let on_postgres = concurrent(&new_database("writers")?, writers, n / writers)?;
        println!("| {writers} | {on_sqlite:.0} | {on_postgres:.0} |");
    }
    Ok(())
}

/// A word of the benchmark's made-up vocabulary of 5,000.
fn word(i: u64) -> String {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "da", "fe", "gu", "ho", "ji", "ku", "la",
        "mo", "nu", "pa", "re", "si",
    ];
    let i = i % 5_000;
    format!(
        "{}{}{}",
        SYLLABLES[(i % 20) as usize],
        SYLLABLES[((i / 20) % 20) as usize],
        SYLLABLES[((i / 400) % 20) as usize]
    )
}

/// A note of eight words drawn from the vocabulary, the same for the same `i`.
fn words_for(i: usize) -> Content {
    let mut state = (i as u64)
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1);
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    let summary: Vec<String> = (0..8).map(|_| word(next())).collect();
    Content {
        summary: summary.join(" "),
        details: None,
        sources: vec![],
        attachments: vec![],
        facts: Facts::Note,
    }
}

/// p50 and p99 of `times`, in milliseconds.
fn percentiles(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    (at(0.50), at(0.99))
}

pub fn search(n: usize) -> Result<()> {
    const QUERIES: u64 = 200;
    let casebook = std::env::current_exe()?.with_file_name("casebook");
    if !casebook.exists() {
        bail!("build the command first: cargo build --release -p casebook-cli");
    }
    let dir = tempfile::tempdir()?;
    let case = sample_case("bench");
    let entries = chain_of(&case, n, words_for);
    let path = dir.path().join("search.db");
    let sqlite = SqliteStore::create(&path, None)?;
    let start = Instant::now();
    sqlite.import_case(&case, &[], &entries)?;
    let sqlite_load = start.elapsed().as_secs_f64();
    let postgres = new_database("search")?;
    let start = Instant::now();
    postgres.import_case(&case, &[], &entries)?;
    let postgres_load = start.elapsed().as_secs_f64();
    drop(entries);
    drop(sqlite);
    let export = dir.path().join("export.jsonl");
    let exported = Command::new(&casebook)
        .arg("--store")
        .arg(&path)
        .args(["export", "--format", "jsonl", "--out"])
        .arg(&export)
        .output()?;
    if !exported.status.success() {
        bail!(
            "export failed: {}",
            String::from_utf8_lossy(&exported.stderr)
        );
    }
    let sqlite = SqliteStore::open(&path, None)?;
    // Half the queries one word, half two; the first 100 matches, a page of results.
    let query = |q: u64| match q % 2 {
        0 => word(q * 7919),
        _ => format!("{} {}", word(q * 7919), word(q * 104_729)),
    };
    let mut times: [Vec<f64>; 3] = Default::default();
    let mut found = 0;
    for q in 0..QUERIES {
        let words = query(q);
        let start = Instant::now();
        let from_sqlite = sqlite.search(case.id, &words, 100)?;
        times[0].push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        let from_postgres = postgres.search(case.id, &words, 100)?;
        times[1].push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        let from_ripgrep = ripgrep(&words, &export)?;
        times[2].push(start.elapsed().as_secs_f64() * 1000.0);
        if from_sqlite != from_postgres || from_sqlite != from_ripgrep {
            bail!(
                "\"{words}\" found different entries: {} in SQLite, {} in PostgreSQL, {} by ripgrep",
                from_sqlite.len(),
                from_postgres.len(),
                from_ripgrep.len()
            );
        }
        found += from_sqlite.len();
    }
    let [sqlite_times, postgres_times, rg_times] = times;
    let (s50, s99) = percentiles(sqlite_times);
    let (p50, p99) = percentiles(postgres_times);
    let (r50, r99) = percentiles(rg_times);
    let size = std::fs::metadata(&export)?.len() as f64 / 1e6;
    println!(
        "| search over {n} entries, {QUERIES} queries (first 100 matches) | p50 ms | p99 ms |"
    );
    println!("|---|---|---|");
    println!(
        "| reference: ripgrep's engine over the JSON Lines export ({size:.0} MB) | {r50:.1} | {r99:.1} |"
    );
    println!("| casebook SQLite store (FTS5) | {s50:.2} | {s99:.2} |");
    println!("| casebook PostgreSQL store (tsvector, GIN) | {p50:.2} | {p99:.2} |");
    println!(
        "\nAll three found the same {found} entries over the {QUERIES} queries, query by query. Loading the entries took {sqlite_load:.0} s into SQLite and {postgres_load:.0} s into PostgreSQL, indexes included."
    );
    Ok(())
}

/// ripgrep's own search engine (its grep-searcher and grep-regex crates), run in this
/// process like the stores and over the export in the page cache, as they search
/// their warm files: the lines holding every word, whole and ignoring case, the first
/// 100 in file order, which is log order. Returns the entries found, to be compared
/// with what the stores found.
fn ripgrep(words: &str, file: &Path) -> Result<Vec<u64>> {
    let matchers = words
        .split(' ')
        .map(|w| {
            RegexMatcherBuilder::new()
                .case_insensitive(true)
                .word(true)
                .build(w)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let Some((first, rest)) = matchers.split_first() else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    SearcherBuilder::new().build().search_path(
        first,
        file,
        UTF8(|_, line| {
            if rest
                .iter()
                .all(|m| m.is_match(line.as_bytes()).unwrap_or(false))
            {
                found.push(entry_of(line));
            }
            Ok(found.len() < 100)
        }),
    )?;
    Ok(found)
}

/// The entry number of an export's entry line: its record's `"seq":N`.
fn entry_of(line: &str) -> u64 {
    line.split_once("\"seq\":")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
