//! The case as a reader sees it: entries in the order things happened, each with its
//! corrections applied and marked, redactions shown as such, and calls and meetings
//! still waiting for written confirmation flagged.

use casebook_domain::facts::Amendment;
use casebook_domain::{
    Attachment, CaseDate, Category, Channel, Content, Digest, EntryId, EntryKind, Facts, Link,
    Occurred, Person, PersonId, Relation, StoredEntry,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// One line of the timeline. `--json` prints these.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem {
    pub id: EntryId,
    pub kind: EntryKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    pub occurred: Occurred,
    /// The date as a UK reader writes it: "3 March 2026 at 08:45".
    pub occurred_text: String,
    pub approximate: bool,
    pub recorded: Timestamp,
    pub author: String,
    /// `None` once redacted.
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<Facts>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Amendments that changed this entry, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub amended_by: Vec<EntryId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redacted_by: Option<EntryId>,
    /// A call, conversation or meeting that nobody has confirmed in writing yet.
    pub unconfirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestState>,
    /// Why this version cannot read the entry (a date outside the case's years, content
    /// it cannot decode), until a correction or redaction mends it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    pub hash: Digest,
}

/// Where a request stands, worked out from the entries that answer or withdraw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum RequestState {
    Open { due: Option<Date> },
    Late { due: Date, days_late: i32 },
    Answered { by: EntryId },
    Withdrawn { by: EntryId },
}

/// How late something is, in words: days for a fortnight, then weeks ("3 weeks and 2
/// days"), as a council's time limits in weeks are read.
pub fn lateness(days: i32) -> String {
    let day_s = |n: i32| {
        if n == 1 {
            "1 day".to_owned()
        } else {
            format!("{n} days")
        }
    };
    match (days / 7, days % 7) {
        _ if days < 14 => day_s(days),
        (weeks, 0) => format!("{weeks} weeks"),
        (weeks, rest) => format!("{weeks} weeks and {}", day_s(rest)),
    }
}

/// Which entries to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kinds: Vec<EntryKind>,
    pub channels: Vec<Channel>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub person: Option<PersonId>,
    pub category: Option<Category>,
    /// Also list the entries that keep the record: amendments, redactions, timestamps.
    pub corrections: bool,
    /// Also list entries that cannot be read. Off by default, so that counts, charts,
    /// deadlines and letters are made only from what could be read.
    pub unreadable: bool,
}

impl Filter {
    fn admits(&self, item: &TimelineItem) -> bool {
        let (start, end) = item.occurred.span();
        let kind_ok = (self.kinds.is_empty() && self.channels.is_empty())
            || self.kinds.contains(&item.kind)
            || item.channel.is_some_and(|c| self.channels.contains(&c));
        // Corrections and timestamps keep the record; they are not what happened.
        let keeps_record = matches!(
            item.kind,
            EntryKind::Amendment | EntryKind::Redaction | EntryKind::Timestamp
        );
        kind_ok
            && (self.corrections || !keeps_record)
            && (self.unreadable || item.unreadable.is_none())
            && self.from.is_none_or(|from| end >= from)
            && self.to.is_none_or(|to| start <= to)
            && self.person.is_none_or(|p| item.people.contains(&p))
            && self.category.is_none_or(
                |c| matches!(&item.facts, Some(Facts::Incident(i)) if i.categories.contains(&c)),
            )
    }
}

/// Builds the timeline from the chain, its entries in chain order as the store gives
/// them. `today` decides which requests are late. An entry that cannot be read is
/// reported by its id and the rest read on.
pub fn timeline(entries: &[StoredEntry], filter: &Filter, today: Date) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> = Vec::with_capacity(entries.len());
    for entry in entries {
        let (content, unreadable) = entry.read();
        let r = &entry.record;
        let item = TimelineItem {
            id: r.id(),
            kind: r.kind,
            channel: match content.as_ref().map(|c| &c.facts) {
                Some(Facts::Communication(c)) => Some(c.channel),
                _ => None,
            },
            occurred: r.occurred.clone(),
            occurred_text: r.occurred.to_string(),
            approximate: r.occurred.is_approximate(),
            recorded: r.recorded,
            author: r.author.clone(),
            people: content
                .as_ref()
                .map(|c| c.facts.people())
                .unwrap_or_default(),
            unconfirmed: content.as_ref().is_some_and(needs_confirmation),
            request: None,
            unreadable,
            links: r.links.clone(),
            amended_by: vec![],
            redacted_by: None,
            hash: r.hash,
            summary: None,
            details: None,
            sources: vec![],
            facts: None,
            attachments: vec![],
        };
        let item = match content {
            Some(Content {
                summary,
                details,
                sources,
                attachments,
                facts,
            }) => TimelineItem {
                summary: Some(summary),
                details,
                sources,
                attachments,
                request: match &facts {
                    Facts::Request(req) => Some(RequestState::Open {
                        due: req.due.map(CaseDate::get),
                    }),
                    _ => None,
                },
                facts: Some(facts),
                ..item
            },
            None => item,
        };
        apply_links(&mut items, &item);
        items.push(item);
    }
    let mut shown: Vec<TimelineItem> = items
        .into_iter()
        .map(|mut item| {
            if let Some(RequestState::Open { due: Some(due) }) = item.request
                && due < today
            {
                let days_late = (today - due).get_days();
                item.request = Some(RequestState::Late { due, days_late });
            }
            item
        })
        .filter(|item| filter.admits(item))
        .collect();
    // Each key worked out once and each item moved once: a case's items are large.
    shown.sort_by_cached_key(|item| (item.occurred.sort_key(), item.id));
    shown
}

fn needs_confirmation(content: &Content) -> bool {
    match &content.facts {
        Facts::Communication(c) => c.channel.needs_written_confirmation(),
        Facts::Meeting(m) => !m.requested_only && !m.invited,
        _ => false,
    }
}

/// A later entry changes how an earlier one reads. `items` are the earlier entries, in
/// chain order, so in the order of their ids.
fn apply_links(items: &mut [TimelineItem], later: &TimelineItem) {
    for link in &later.links {
        let Ok(at) = items.binary_search_by_key(&link.target, |i| i.id) else {
            continue;
        };
        let target = &mut items[at];
        match link.rel {
            Relation::Amends => {
                target.amended_by.push(later.id);
                if let Some(Facts::Amendment(a)) = &later.facts {
                    correct(target, later.summary.as_deref(), a);
                }
            }
            Relation::Redacts => {
                // Content that could not be read is gone; a date that could not stays.
                if target.occurred.unreadable().is_none() {
                    target.unreadable = None;
                }
                target.redacted_by = Some(later.id);
                target.summary = None;
                target.details = None;
                target.sources.clear();
                target.facts = None;
                target.attachments.clear();
            }
            Relation::Confirms => target.unconfirmed = false,
            Relation::Answers => target.request = Some(RequestState::Answered { by: later.id }),
            Relation::Withdraws => target.request = Some(RequestState::Withdrawn { by: later.id }),
            Relation::RepliesTo | Relation::MinutesOf | Relation::About | Relation::Covers => {}
        }
    }
}

/// An entry as a correction makes it read: its summary, and whichever of its date,
/// details and facts the correction gives.
pub(crate) fn correct(target: &mut TimelineItem, summary: Option<&str>, a: &Amendment) {
    if target.redacted_by.is_none() {
        if let Some(summary) = summary {
            target.summary = Some(summary.to_owned());
        }
        if let Some(details) = &a.details {
            target.details = Some(details.clone());
        }
        if let Some(facts) = &a.facts {
            target.people = facts.people();
            target.facts = Some((**facts).clone());
        }
    }
    if let Some(occurred) = &a.occurred {
        // A corrected date mends an entry whose only fault was its date.
        if target.occurred.unreadable().is_some() && target.facts.is_some() {
            target.unreadable = None;
        }
        target.occurred_text = occurred.to_string();
        target.approximate = occurred.is_approximate();
        target.occurred = occurred.clone();
    }
}

/// The name to print for a person: a pseudonym for other children unless real names
/// were asked for.
pub fn person_name(people: &[Person], id: PersonId, real_names: bool) -> String {
    people.iter().find(|p| p.id == id).map_or_else(
        || id.to_string(),
        |p| {
            if real_names {
                p.name.clone()
            } else {
                p.public_name().to_owned()
            }
        },
    )
}
