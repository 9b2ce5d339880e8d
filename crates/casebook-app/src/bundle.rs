//! The evidence bundle a panel, an ombudsman or a tribunal reads: the chosen entries
//! in the sections advisers use, charts, the attached files as numbered exhibits, and
//! a manifest of every hash so the bundle can be checked later. This module decides
//! what goes in; `casebook-bundle` lays it out as PDF and `bundle_html` as HTML.

use std::collections::BTreeMap;

use casebook_calendar::Calendar;
use casebook_domain::{
    CaseId, Content, Digest, DocumentType, EntryId, EntryKind, Facts, Person, StoredEntry, uk_date,
};
use casebook_store::{BlobStore, CaseStore};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::bundle_facts::{Fact, Reader};
use crate::charts::{Chart, charts};
use crate::error::{AppError, AppResult};
use crate::exhibits::{Exhibit, Shown};
use crate::privacy::pseudonymise;
use crate::record::CaseFile;
use crate::signing::fingerprint;
use crate::timeline::{Filter, TimelineItem, person_name, timeline};
use crate::timestamps::{TimestampSettings, check_token};
use crate::triggers::MinutesCheck;

/// One correction of an entry, as its page shows it.
#[derive(Debug, Clone)]
pub struct Changes {
    pub id: EntryId,
    pub day: Date,
    pub reason: String,
    pub changed: Vec<Changed>,
}

/// One field a correction changed: what it said before, and after ("" for nothing).
#[derive(Debug, Clone)]
pub struct Changed {
    pub label: String,
    pub was: String,
    pub now: String,
}

/// The parts of a bundle, in the order advisers put them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Chronology,
    Disputed,
    Charts,
    Correspondence,
    Incidents,
    Meetings,
    Absences,
    Reports,
    Policies,
    Notes,
    Exhibits,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Chronology,
        Section::Disputed,
        Section::Charts,
        Section::Correspondence,
        Section::Incidents,
        Section::Meetings,
        Section::Absences,
        Section::Reports,
        Section::Policies,
        Section::Notes,
        Section::Exhibits,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Section::Chronology => "chronology",
            Section::Disputed => "disputed",
            Section::Charts => "charts",
            Section::Correspondence => "correspondence",
            Section::Incidents => "incidents",
            Section::Meetings => "meetings",
            Section::Absences => "absences",
            Section::Reports => "reports",
            Section::Policies => "policies",
            Section::Notes => "notes",
            Section::Exhibits => "exhibits",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Chronology => "Chronology",
            Section::Disputed => "Facts in dispute",
            Section::Charts => "The case in pictures",
            Section::Correspondence => "Correspondence",
            Section::Incidents => "Incidents and what the family saw at home",
            Section::Meetings => "Meetings and minutes",
            Section::Absences => "Absences",
            Section::Reports => "Reports, plans and decisions",
            Section::Policies => "Policies",
            Section::Notes => "Other documents and notes",
            Section::Exhibits => "Exhibits",
        }
    }

    pub fn parse(text: &str) -> AppResult<Section> {
        let wanted = text.trim().to_ascii_lowercase();
        Section::ALL
            .into_iter()
            .find(|s| s.slug() == wanted)
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "\"{text}\" is not a section of the bundle: use one of {}.",
                    Section::ALL.map(Section::slug).join(", ")
                ))
            })
    }

    /// Which section an entry belongs in.
    fn of(item: &TimelineItem) -> Section {
        match &item.facts {
            Some(Facts::Communication(_) | Facts::Request(_)) => Section::Correspondence,
            Some(Facts::Incident(_) | Facts::Observation(_)) => Section::Incidents,
            Some(Facts::Meeting(_)) => Section::Meetings,
            Some(Facts::Absence(_)) => Section::Absences,
            Some(Facts::Decision(_)) => Section::Reports,
            Some(Facts::Document(d)) => match d.document_type {
                DocumentType::Minutes => Section::Meetings,
                t if t.slug().starts_with("policy:") => Section::Policies,
                DocumentType::Other => Section::Notes,
                _ => Section::Reports,
            },
            _ => Section::Notes,
        }
    }
}

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct BundleRequest {
    pub filter: Filter,
    /// Only these entries (a saved selection); empty for every entry the filter admits.
    pub entries: Vec<EntryId>,
    /// Only these sections; empty for all of them.
    pub sections: Vec<Section>,
    /// What the bundle is for: "Complaint to the governing board", "SEND Tribunal".
    pub purpose: Option<String>,
    pub real_names: bool,
    /// List unreadable attachments instead of refusing to make the bundle.
    pub skip_unreadable: bool,
}

/// The bundle, ready to lay out: the text of every page, the charts, the exhibits and
/// the manifest.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The entries in it, in date order.
    pub entries: Vec<EntryId>,
    pub layout: Layout,
    pub charts: Vec<Chart>,
    pub exhibits: Vec<Exhibit>,
    pub manifest: Manifest,
    /// Attachments listed without their content because they could not be read.
    pub skipped: Vec<String>,
}

/// What the PDF layout reads as `/data.json` and the HTML page is written from.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub title: String,
    pub purpose: String,
    pub child: String,
    pub setting: String,
    pub produced: String,
    pub head: String,
    pub head_entry: String,
    pub key: String,
    /// The newest trusted timestamp, in words, or that there is none.
    pub timestamp: String,
    pub notice: String,
    pub entries: usize,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Part {
    Chronology {
        title: String,
        rows: Vec<Row>,
    },
    Entries {
        title: String,
        rows: Vec<Row>,
    },
    Charts {
        title: String,
        charts: Vec<ChartRef>,
    },
    Exhibits {
        title: String,
        exhibits: Vec<ExhibitRef>,
    },
}

impl Part {
    pub fn title(&self) -> &str {
        match self {
            Part::Chronology { title, .. }
            | Part::Entries { title, .. }
            | Part::Charts { title, .. }
            | Part::Exhibits { title, .. } => title,
        }
    }
}

/// One entry as the bundle prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub date: String,
    pub kind: String,
    pub summary: String,
    pub details: String,
    pub who: String,
    pub source: String,
    pub exhibits: String,
    /// Every fact the entry holds, in the order an adviser reads them.
    pub facts: Vec<Fact>,
    /// Each correction of the entry, with its date and reason.
    pub corrections: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartRef {
    pub title: String,
    pub caption: String,
    /// Where the layout finds the SVG.
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExhibitRef {
    pub reference: String,
    pub name: String,
    pub entry: String,
    pub date: String,
    pub sha256: String,
    pub size: String,
    /// "pdf", "picture", "text" or "listed".
    pub shown: &'static str,
    pub path: String,
    pub pages: usize,
    pub text: String,
}

const MANIFEST_FORMAT: &str = "casebook/bundle-manifest/v1";

/// Every hash the bundle stands on. Attached to the PDF, embedded in the HTML, and
/// covered by the signature with everything else.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub case: CaseId,
    pub produced: String,
    pub head: ManifestEntry,
    pub entries: Vec<ManifestEntry>,
    pub exhibits: Vec<ManifestExhibit>,
    /// The ed25519 public key that signs the file, in hex.
    pub key: String,
    pub names: String,
    /// Every trusted timestamp of the log that checks, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<ManifestTimestamp>,
}

/// A token as the bundle carries it: enough to check it with `openssl ts -verify` alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestTimestamp {
    /// The entry holding the token.
    pub entry: String,
    /// The entry whose hash the token covers, and that hash.
    pub covers: String,
    pub sha256: String,
    /// The time the token gives, UTC.
    pub time: String,
    pub authority: String,
    /// The token (DER) in base64.
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub id: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestExhibit {
    pub reference: String,
    pub entry: String,
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

/// A token going into a bundle, with what the cover says of it.
struct Bundled {
    covers: EntryId,
    when: String,
    authority: String,
    manifest: ManifestTimestamp,
}

/// Each entry as first written (summary and date), and each correction's day and
/// reason, from the log itself: the timeline shows entries as corrected and leaves
/// corrections out.
type Originals = BTreeMap<EntryId, (String, String)>;

fn as_first_written(entries: &[StoredEntry]) -> (Originals, Originals) {
    let mut originals = BTreeMap::new();
    let mut amendments = BTreeMap::new();
    for e in entries {
        let Some(Ok(content)) = e.content() else {
            continue;
        };
        if let Facts::Amendment(a) = &content.facts {
            amendments.insert(
                e.record.id(),
                (uk_date(e.record.occurred.earliest()), a.reason.clone()),
            );
        }
        originals.insert(
            e.record.id(),
            (content.summary, e.record.occurred.to_string()),
        );
    }
    (originals, amendments)
}

/// What an entry's facts are read against, besides its people and the timeline.
struct FactSources {
    calendar: Calendar,
    checks: Vec<MinutesCheck>,
    originals: Originals,
    amendments: Originals,
}

impl FactSources {
    fn reader<'a>(
        &'a self,
        people: &'a [Person],
        real_names: bool,
        private: &'a dyn Fn(&str) -> String,
        all: &'a [TimelineItem],
        today: Date,
        by_date: bool,
    ) -> Reader<'a> {
        Reader {
            people,
            real_names,
            private,
            all,
            checks: &self.checks,
            calendar: &self.calendar,
            today,
            originals: &self.originals,
            amendments: &self.amendments,
            by_date,
        }
    }
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    fn fact_sources(
        &self,
        entries: &[StoredEntry],
        all: &[TimelineItem],
    ) -> AppResult<FactSources> {
        let pack = crate::rule_pack(&self.case.jurisdiction)?;
        let (originals, amendments) = as_first_written(entries);
        Ok(FactSources {
            calendar: crate::calendar_for(&pack, crate::term_dates(self.store, &self.case)?),
            checks: self.minutes_checks(all)?,
            originals,
            amendments,
        })
    }

    /// Every fact an entry records, for its page: as the bundle gives them, with real
    /// names and other entries named by their date.
    pub fn entry_facts(&self, id: EntryId) -> AppResult<Vec<Fact>> {
        let entries: Vec<StoredEntry> = self.entries()?;
        let today = self.clock.today();
        // Every entry has a page, those that keep the record (a timestamp) included.
        let every = Filter {
            corrections: true,
            ..Filter::default()
        };
        let all = timeline(&entries, &every, today);
        let Some(item) = all.iter().find(|i| i.id == id) else {
            return Ok(Vec::new());
        };
        let people = self.store.people(self.case.id)?;
        let sources = self.fact_sources(&entries, &all)?;
        let same = |t: &str| t.to_owned();
        let reader = sources.reader(&people, true, &same, &all, today, true);
        Ok(reader.facts(item))
    }

    /// What each correction of an entry changed, oldest first: its date, its reason
    /// and each field it changed, with what it said before and after, for the entry's
    /// page to show beside what was first written.
    pub fn entry_changes(&self, id: EntryId) -> AppResult<Vec<Changes>> {
        let entries: Vec<StoredEntry> = self.entries()?;
        let today = self.clock.today();
        let all = timeline(&entries, &Filter::default(), today);
        let content = |id: EntryId| {
            entries
                .iter()
                .find(|e| e.record.id() == id)
                .and_then(|e| e.content().and_then(Result::ok).map(|c| (e, c)))
        };
        let (Some(item), Some((first, written))) = (all.iter().find(|i| i.id == id), content(id))
        else {
            return Ok(Vec::new());
        };
        let people = self.store.people(self.case.id)?;
        let sources = self.fact_sources(&entries, &all)?;
        let same = |t: &str| t.to_owned();
        let reader = sources.reader(&people, true, &same, &all, today, true);
        let mut before = item.clone();
        before.summary = Some(written.summary);
        before.details = written.details;
        before.people = written.facts.people();
        before.facts = Some(written.facts);
        before.occurred = first.record.occurred.clone();
        let mut shown = Vec::new();
        for fix in &item.amended_by {
            let Some((entry, content)) = content(*fix) else {
                continue;
            };
            let Facts::Amendment(amendment) = &content.facts else {
                continue;
            };
            let mut after = before.clone();
            crate::timeline::correct(&mut after, Some(&content.summary), amendment);
            let mut changed = Vec::new();
            let mut differ = |label: &str, was: String, now: String| {
                if was != now {
                    changed.push(Changed {
                        label: label.to_owned(),
                        was,
                        now,
                    });
                }
            };
            differ(
                "What happened",
                before.summary.clone().unwrap_or_default(),
                after.summary.clone().unwrap_or_default(),
            );
            differ(
                "When",
                before.occurred.to_string(),
                after.occurred.to_string(),
            );
            differ(
                "More detail",
                before.details.clone().unwrap_or_default(),
                after.details.clone().unwrap_or_default(),
            );
            let (was, now) = (reader.facts(&before), reader.facts(&after));
            let said = |facts: &[Fact], label: &str| {
                facts
                    .iter()
                    .find(|f| f.label == label)
                    .map(|f| f.lines.join("; "))
                    .unwrap_or_default()
            };
            let mut labels: Vec<&str> = was.iter().map(|f| f.label.as_str()).collect();
            labels.extend(
                now.iter()
                    .map(|f| f.label.as_str())
                    .filter(|l| !was.iter().any(|f| f.label == *l)),
            );
            for label in labels {
                differ(label, said(&was, label), said(&now, label));
            }
            shown.push(Changes {
                id: *fix,
                day: entry.record.occurred.earliest(),
                reason: amendment.reason.clone(),
                changed,
            });
            before = after;
        }
        Ok(shown)
    }

    /// Gathers the bundle. Refuses an empty selection, and an attachment that cannot
    /// be read unless `skip_unreadable` is set. Writes nothing but the case's signing
    /// key, made the first time anything is signed.
    pub fn bundle(&self, request: &BundleRequest) -> AppResult<Bundle> {
        let entries: Vec<StoredEntry> = self.entries()?;
        let head = entries.last().ok_or_else(|| {
            AppError::Invalid("The case has no entries yet, so there is nothing to bundle.".into())
        })?;
        let head = ManifestEntry {
            id: head.record.id().to_string(),
            sha256: head.record.hash.to_hex(),
        };
        let today = self.clock.today();
        let all = timeline(&entries, &Filter::default(), today);
        let chosen: Vec<TimelineItem> = timeline(&entries, &request.filter, today)
            .into_iter()
            .filter(|i| request.entries.is_empty() || request.entries.contains(&i.id))
            .filter(in_bundle)
            .collect();
        if chosen.is_empty() {
            return Err(AppError::Invalid(
                "No entries match the selection, so there is nothing to bundle: widen the dates, kinds or entries chosen.".into(),
            ));
        }
        let people = self.store.people(self.case.id)?;
        let private = |t: &str| {
            if request.real_names {
                t.to_owned()
            } else {
                pseudonymise(t, &people)
            }
        };
        let wanted = |s: Section| request.sections.is_empty() || request.sections.contains(&s);

        let (exhibits, skipped) = if wanted(Section::Exhibits) {
            self.exhibits(&chosen, request.skip_unreadable)?
        } else {
            (Vec::new(), Vec::new())
        };
        let sources = self.fact_sources(&entries, &all)?;
        let reader = sources.reader(&people, request.real_names, &private, &all, today, false);
        let rows: Vec<(Section, Row)> = chosen
            .iter()
            .map(|item| (Section::of(item), row(item, &reader, &exhibits)))
            .collect();
        let disputed: Vec<Row> = chosen
            .iter()
            .zip(&rows)
            .filter_map(|(item, (_, row))| {
                reader.disputed(item).map(|facts| Row {
                    facts,
                    details: String::new(),
                    corrections: vec![],
                    ..row.clone()
                })
            })
            .collect();
        let charts = if wanted(Section::Charts) {
            // Waiting times need the answers even when they fall outside the selection.
            let mut pictured: Vec<TimelineItem> = chosen.clone();
            pictured.extend(
                all.iter()
                    .filter(|i| !chosen.iter().any(|c| c.id == i.id))
                    .filter(|i| all.iter().any(|r| matches!(r.request, Some(crate::RequestState::Answered { by }) if by == i.id)))
                    .cloned(),
            );
            let mut drawn = charts(&pictured, &people, request.real_names, today);
            drawn.extend(self.hours_lost_chart(&chosen, today)?);
            drawn
        } else {
            Vec::new()
        };

        let mut parts = Vec::new();
        for section in Section::ALL.into_iter().filter(|s| wanted(*s)) {
            let title = section.title().to_owned();
            match section {
                Section::Chronology => parts.push(Part::Chronology {
                    title,
                    rows: rows.iter().map(|(_, r)| r.clone()).collect(),
                }),
                Section::Disputed if !disputed.is_empty() => parts.push(Part::Entries {
                    title,
                    rows: disputed.clone(),
                }),
                Section::Disputed => {}
                Section::Charts if !charts.is_empty() => parts.push(Part::Charts {
                    title,
                    charts: charts
                        .iter()
                        .enumerate()
                        .map(|(n, c)| ChartRef {
                            title: c.title.clone(),
                            caption: c.caption.clone(),
                            path: format!("/charts/{}.svg", n + 1),
                        })
                        .collect(),
                }),
                Section::Exhibits if !exhibits.is_empty() => parts.push(Part::Exhibits {
                    title,
                    exhibits: exhibits
                        .iter()
                        .map(|e| exhibit_ref(e, &chosen, &private))
                        .collect(),
                }),
                Section::Charts | Section::Exhibits => {}
                _ => {
                    let in_section: Vec<Row> = rows
                        .iter()
                        .filter(|(s, _)| *s == section)
                        .map(|(_, r)| r.clone())
                        .collect();
                    if !in_section.is_empty() {
                        parts.push(Part::Entries {
                            title,
                            rows: in_section,
                        });
                    }
                }
            }
        }

        let key = self.signing_key()?.verifying_key();
        let timestamps = self.bundled_timestamps(&entries);
        let names = if request.real_names {
            "Other children are named, at the family's choice."
        } else {
            "Other children are referred to by pseudonym (Child A, Child B...)."
        };
        let layout = Layout {
            title: format!("Evidence bundle: {}", self.case.child.name),
            purpose: request
                .purpose
                .clone()
                .unwrap_or_else(|| "Chronology and evidence".into()),
            child: self.case.child.name.clone(),
            // Each school with its dates, when the child has moved.
            setting: self
                .schools()?
                .iter()
                .map(crate::school_moves::School::when)
                .collect::<Vec<_>>()
                .join("; "),
            produced: uk_date(today),
            head: head.sha256.clone(),
            head_entry: head.id.clone(),
            key: fingerprint(key.as_bytes()),
            timestamp: match timestamps.last() {
                Some(newest) => format!(
                    "The log up to {} existed by {}, on the word of an independent time-stamping authority ({}), whose signed token is in this document.",
                    newest.covers, newest.when, newest.authority
                ),
                None => "None: the log has no trusted timestamp.".into(),
            },
            notice: format!(
                "{names} casebook keeps every entry in a log in which each entry's fingerprint (a SHA-256 hash) covers the one before it, so no entry can be changed, removed or put in another order without the record's fingerprint changing. The record fingerprint above is the log as it stood when this document was made. The document lists the fingerprint of every entry and attached file and is signed with the case's key, whose fingerprint is above. Anyone can check that it is exactly as made, with the free casebook program (its verify command) or with standard tools, as casebook's VERIFY.md describes. Attached documents are reproduced as they were received."
            ),
            entries: chosen.len(),
            parts,
        };
        let manifest = Manifest {
            format: MANIFEST_FORMAT.into(),
            case: self.case.id,
            produced: today.to_string(),
            head,
            entries: chosen
                .iter()
                .map(|i| ManifestEntry {
                    id: i.id.to_string(),
                    sha256: i.hash.to_hex(),
                })
                .collect(),
            exhibits: exhibits
                .iter()
                .map(|e| ManifestExhibit {
                    reference: e.reference.clone(),
                    entry: e.entry.to_string(),
                    name: private(&e.attachment.name),
                    sha256: e.sha256().to_hex(),
                    size: e.attachment.size,
                })
                .collect(),
            key: key.as_bytes().iter().map(|b| format!("{b:02x}")).collect(),
            names: if request.real_names {
                "real"
            } else {
                "pseudonyms"
            }
            .into(),
            timestamps: timestamps.into_iter().map(|t| t.manifest).collect(),
        };
        Ok(Bundle {
            entries: chosen.iter().map(|i| i.id).collect(),
            layout,
            charts,
            exhibits,
            manifest,
            skipped,
        })
    }

    /// The log's timestamps that check with the authorities the case trusts: only those
    /// are carried and stated, so a bundle never vouches for a token that does not hold.
    fn bundled_timestamps(&self, entries: &[StoredEntry]) -> Vec<Bundled> {
        if entries
            .iter()
            .all(|e| e.record.kind != EntryKind::Timestamp)
        {
            return Vec::new();
        }
        let Ok(trust) =
            TimestampSettings::read(self.store, &self.case).and_then(|s| s.trusted(None))
        else {
            return Vec::new();
        };
        let hash_of = |id: EntryId| {
            Ok(entries
                .iter()
                .find(|e| e.record.id() == id)
                .map(|e| e.record.hash))
        };
        entries
            .iter()
            .filter(|e| e.record.kind == EntryKind::Timestamp)
            .filter_map(|held| {
                let stamped = check_token(held, hash_of, &trust).ok()??;
                let Some(Ok(Content {
                    facts: Facts::Timestamp(facts),
                    ..
                })) = held.content()
                else {
                    return None;
                };
                Some(Bundled {
                    when: stamped.stamp.when(),
                    authority: stamped.stamp.authority.clone(),
                    covers: stamped.covers,
                    manifest: ManifestTimestamp {
                        entry: stamped.entry.to_string(),
                        covers: stamped.covers.to_string(),
                        sha256: Digest(stamped.stamp.hash).to_hex(),
                        time: stamped.stamp.time.to_string(),
                        authority: stamped.stamp.authority,
                        token: facts.token,
                    },
                })
            })
            .collect()
    }

    /// Hours of school lost over the chosen absences, once the school day's times are
    /// known.
    fn hours_lost_chart(&self, chosen: &[TimelineItem], today: Date) -> AppResult<Option<Chart>> {
        if crate::SchoolDay::read(self.store, &self.case)?.is_none() {
            return Ok(None);
        }
        // From the first chosen absence to the end of the last (today while it goes
        // on), and never past today: hours not yet lost are not counted.
        let spans: Vec<(Date, Date)> = chosen
            .iter()
            .filter_map(|i| match &i.facts {
                Some(Facts::Absence(a)) => {
                    let (start, end) = i.occurred.span();
                    let mut end = a.until.map_or(end, |u| u.get());
                    if a.ongoing {
                        end = end.max(today);
                    }
                    Some((start, end.min(today)))
                }
                _ => None,
            })
            .filter(|(start, end)| start <= end)
            .collect();
        let first = spans.iter().map(|s| s.0).min();
        let last = spans.iter().map(|s| s.1).max();
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(None);
        };
        // Drawn over ten years at most, the most attendance counts at once: absences
        // from a file from elsewhere may span centuries.
        let first = first.max(last.saturating_sub(jiff::Span::new().days(3_652)));
        Ok(self.attendance(first, last)?.chart())
    }

    /// Every attachment of the chosen entries, numbered in the order they appear.
    fn exhibits(
        &self,
        chosen: &[TimelineItem],
        skip_unreadable: bool,
    ) -> AppResult<(Vec<Exhibit>, Vec<String>)> {
        let mut exhibits = Vec::new();
        let mut skipped = Vec::new();
        for item in chosen {
            for attachment in &item.attachments {
                let reference = exhibit_reference(exhibits.len() + 1);
                let bytes = self.blobs.get(&attachment.sha256)?.ok_or_else(|| {
                    AppError::Invalid(format!(
                        "The file \"{}\" attached to {} is missing from the attachments folder: run `casebook verify`.",
                        attachment.name, item.id
                    ))
                })?;
                let report = matches!(&item.facts, Some(Facts::Document(d)) if d.document_type.slug().starts_with("report:"));
                let (exhibit, problem) =
                    Exhibit::new(reference, item.id, attachment.clone(), bytes, report);
                if let Some(problem) = problem {
                    if !skip_unreadable {
                        return Err(AppError::Invalid(format!(
                            "The file \"{}\" attached to {} cannot be placed in the bundle: {}. Fix or replace the file, or add --skip-unreadable to list it without its content.",
                            attachment.name, item.id, problem.0
                        )));
                    }
                    skipped.push(format!(
                        "Exhibit {} \"{}\" (from {}) is listed without its content: {}.",
                        exhibit.reference, attachment.name, item.id, problem.0
                    ));
                }
                exhibits.push(exhibit);
            }
        }
        Ok((exhibits, skipped))
    }
}

/// Whether an entry has a place of its own in a bundle: corrections, redactions and
/// timestamps are shown with the entries they are about.
pub(crate) fn in_bundle(item: &TimelineItem) -> bool {
    !matches!(
        item.kind,
        EntryKind::Amendment | EntryKind::Redaction | EntryKind::Timestamp
    )
}

/// The reference of a bundle's `n`th file (from 1): "X3".
pub(crate) fn exhibit_reference(n: usize) -> String {
    format!("X{n}")
}

fn row(item: &TimelineItem, reader: &Reader<'_>, exhibits: &[Exhibit]) -> Row {
    let private = reader.private;
    let mut kind = item.kind.phrase().to_owned();
    if let Some(channel) = item.channel {
        kind = channel.phrase().to_owned();
    }
    let mut source = item.sources.join("; ");
    if item.unconfirmed {
        if !source.is_empty() {
            source.push_str("; ");
        }
        source.push_str("not yet confirmed in writing");
    }
    Row {
        id: item.id.to_string(),
        date: item.occurred_text.clone(),
        kind: capitalise(&kind),
        summary: item
            .summary
            .as_deref()
            .map_or_else(|| "[removed at the family's request]".into(), private),
        details: item.details.as_deref().map(private).unwrap_or_default(),
        who: item
            .people
            .iter()
            .map(|p| person_name(reader.people, *p, reader.real_names))
            .collect::<Vec<_>>()
            .join(", "),
        source: private(&source),
        exhibits: exhibits
            .iter()
            .filter(|e| e.entry == item.id)
            .map(|e| e.reference.clone())
            .collect::<Vec<_>>()
            .join(", "),
        facts: reader.facts(item),
        corrections: reader.corrections(item),
    }
}

fn exhibit_ref(
    exhibit: &Exhibit,
    chosen: &[TimelineItem],
    private: &dyn Fn(&str) -> String,
) -> ExhibitRef {
    let date = chosen
        .iter()
        .find(|i| i.id == exhibit.entry)
        .map(|i| i.occurred_text.clone())
        .unwrap_or_default();
    let number = exhibit.reference.trim_start_matches('X');
    let (shown, path, pages, text) = match &exhibit.shown {
        Shown::PdfPages(pages) => (
            "pdf",
            format!("/exhibits/{number}.pdf"),
            *pages,
            String::new(),
        ),
        Shown::Picture { extension } => (
            "picture",
            format!("/exhibits/{number}.{extension}"),
            0,
            String::new(),
        ),
        Shown::Text(text) => ("text", String::new(), 0, private(text)),
        Shown::Listed(why) => ("listed", String::new(), 0, why.clone()),
    };
    ExhibitRef {
        reference: exhibit.reference.clone(),
        name: private(&exhibit.attachment.name),
        entry: exhibit.entry.to_string(),
        date,
        sha256: exhibit.sha256().to_hex(),
        size: size_text(exhibit.attachment.size),
        shown,
        path,
        pages,
        text,
    }
}

impl Bundle {
    /// The files the PDF layout reads besides `/data.json`: charts, exhibits and the
    /// manifest, each at the path the layout names.
    pub fn files(&self) -> AppResult<Vec<(String, Vec<u8>)>> {
        let mut files = vec![("/manifest.json".to_owned(), self.manifest_json()?)];
        for (n, chart) in self.charts.iter().enumerate() {
            files.push((
                format!("/charts/{}.svg", n + 1),
                chart.svg.clone().into_bytes(),
            ));
        }
        for part in &self.layout.parts {
            if let Part::Exhibits { exhibits, .. } = part {
                for (exhibit, reference) in self.exhibits.iter().zip(exhibits) {
                    if !reference.path.is_empty() {
                        files.push((reference.path.clone(), exhibit.bytes.clone()));
                    }
                }
            }
        }
        Ok(files)
    }

    pub fn layout_json(&self) -> AppResult<Vec<u8>> {
        serde_json::to_vec(&self.layout)
            .map_err(|e| AppError::Invalid(format!("The bundle cannot be encoded: {e}.")))
    }

    pub fn manifest_json(&self) -> AppResult<Vec<u8>> {
        serde_json::to_vec_pretty(&self.manifest)
            .map_err(|e| AppError::Invalid(format!("The manifest cannot be encoded: {e}.")))
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn size_text(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

impl<S: CaseStore, B> CaseFile<'_, S, B> {
    /// Keeps a bundle's entries under a name, to bundle the same evidence again later.
    pub fn save_selection(&self, name: &str, entries: &[EntryId]) -> AppResult<()> {
        casebook_domain::check_short_text("selection name", name)?;
        let ids: Vec<String> = entries.iter().map(ToString::to_string).collect();
        self.store
            .set_case_setting(self.case.id, &format!("selection:{name}"), &ids.join(","))?;
        Ok(())
    }

    pub fn selection(&self, name: &str) -> AppResult<Vec<EntryId>> {
        let ids = self
            .store
            .case_setting(self.case.id, &format!("selection:{name}"))?
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "There is no saved selection \"{name}\": save one with `casebook bundle --save-selection {name}`."
                ))
            })?;
        ids.split(',')
            .filter(|id| !id.is_empty())
            .map(|id| id.parse().map_err(AppError::from))
            .collect()
    }
}

impl Manifest {
    /// Checks each token the bundle carries: signed by an authority in `trust`, over
    /// the hash the manifest gives for the entry it covers. Says what each proves.
    pub fn check_timestamps(&self, trust: &casebook_timestamps::Trust) -> AppResult<Vec<String>> {
        use base64::Engine as _;
        self.timestamps
            .iter()
            .map(|t| {
                let failed = |why: String| {
                    AppError::Invalid(format!(
                        "The trusted timestamp in {} does not check: {why}",
                        t.entry
                    ))
                };
                let token = base64::engine::general_purpose::STANDARD
                    .decode(&t.token)
                    .map_err(|_| failed("It is not valid base64.".into()))?;
                let stamp = casebook_timestamps::check(&token, trust).map_err(|e| failed(e.0))?;
                let listed = std::iter::once(&self.head)
                    .chain(&self.entries)
                    .find(|e| e.id == t.covers)
                    .map(|e| &e.sha256);
                if Digest(stamp.hash).to_hex() != t.sha256 || listed.is_some_and(|h| *h != t.sha256)
                {
                    return Err(failed(format!(
                        "It covers another hash than the one this bundle gives for {}.",
                        t.covers
                    )));
                }
                Ok(format!(
                    "Token {}: entries up to {} existed by {} (authority: {}, trusted through {}).",
                    t.entry,
                    t.covers,
                    stamp.when(),
                    stamp.authority,
                    stamp.trusted
                ))
            })
            .collect()
    }

    /// The manifest inside a bundle: the file attached to a PDF, or the script block of
    /// an HTML bundle. `None` when the file carries none.
    pub fn read(bytes: &[u8]) -> Option<Manifest> {
        let parse = |json: &[u8]| {
            serde_json::from_slice::<Manifest>(json)
                .ok()
                .filter(|m| m.format == MANIFEST_FORMAT)
        };
        if bytes.starts_with(b"%PDF") {
            let pdf = hayro_syntax::Pdf::new(bytes.to_vec()).ok()?;
            return pdf.objects().into_iter().find_map(|object| {
                let stream = object.into_stream()?;
                let kind = stream
                    .dict()
                    .get::<hayro_syntax::object::Name<'_>>(b"Type")?;
                if kind.as_ref() != b"EmbeddedFile" {
                    return None;
                }
                parse(&stream.decoded().ok()?)
            });
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let start = text.find(r#"<script type="application/json" id="casebook-manifest">"#)?;
        let body = &text[start..];
        let body = &body[body.find('>')? + 1..body.find("</script>")?];
        parse(body.replace("<\\/", "</").as_bytes())
    }
}
