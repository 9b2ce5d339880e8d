//! For tests and fuzzing only (the `checks` feature): entries drawn from arbitrary bytes,
//! valid by their types and nothing more, and one check that every reader casebook has
//! reads a case. Together they test the promise that whatever the store accepts, every
//! command reads: the fuzz target and the property tests append drawn entries through
//! each way in (the use cases, JSON Lines, mail, the web forms) and then call
//! [`every_reader_reads`].

use casebook_domain::{
    AbsenceReason, Attendee, CaseDate, Category, Channel, DecisionMaker, Direction, DocumentType,
    EntryId, Facts, Occurred, Outcome, PersonId, Side, Sign, facts,
};
use casebook_store::{BlobStore, CaseStore};
use jiff::civil::{Date, Time};

use crate::record::{CaseFile, NewAttachment, NewEntry};
use crate::{
    BundleRequest, Filter, LetterRequest, bundle_html, read_jsonl, write_csv, write_ics,
    write_jsonl,
};

/// Values drawn from bytes, as a fuzzer gives them or a seeded generator makes them.
/// When the bytes run out every draw is the smallest value, so any input is usable.
pub struct Draw<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Pieces of text chosen to be awkward: markup, quotes, template and typesetting
/// syntax, direction marks, other scripts, a byte-order mark, spreadsheet formulas.
const AWKWARD: &[&str] = &[
    "<script>alert(1)</script>",
    "\"'`",
    "{{ x }}",
    "#set page(width: 1pt)",
    "\n",
    "\u{2028}",
    "\u{202e}evil",
    "\u{feff}",
    "Zoë Ólafsdóttir",
    "Ахмед",
    "محمد",
    "名前",
    "👩🏽‍🦱",
    "e\u{301}",
    "=HYPERLINK(\"x\")",
    "-- ;DROP TABLE entries",
    "\\u0000",
    "   ",
    "%s%n",
    "2999-12-31",
];

/// Characters no entry may hold, now and then put in to see them refused.
const CONTROL: &[&str] = &["\u{0}", "\u{7}\u{1b}[31m", "\r\n", "\r", "\t"];

/// `len` bytes from a seed (SplitMix64), so a failure names a seed that repeats it.
pub fn seeded(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

impl<'a> Draw<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Draw { bytes, at: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (usize::from(self.byte()) << 8 | usize::from(self.byte())) % n
    }

    pub fn chance(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }

    pub fn maybe<T>(&mut self, make: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.chance() {
            Some(make(self))
        } else {
            None
        }
    }

    pub fn some<T>(&mut self, make: impl Fn(&mut Self) -> T) -> Vec<T> {
        let n = self.below(4);
        (0..n).map(|_| make(self)).collect()
    }

    /// Any text: plain words, awkward pieces and any character at all; now and then
    /// very long, past the limits.
    pub fn text(&mut self) -> String {
        let mut text = String::new();
        for _ in 0..self.below(12) {
            match self.below(4) {
                0 => text.push_str(self.pick(&["Sam", "was pushed", "at lunch", "Mrs Carter"])),
                1 => text.push_str(self.pick(AWKWARD)),
                2 => text.push(char::from_u32(self.below(0x11_0000) as u32).unwrap_or('?')),
                _ => text.push(' '),
            }
        }
        if self.below(16) == 0 {
            text.push_str(self.pick(CONTROL));
        }
        if self.below(64) == 0 {
            text = text.repeat(1 + self.below(300_000));
        }
        text
    }

    /// One line of ordinary words, which every form accepts.
    pub fn line(&mut self) -> String {
        let mut words: Vec<&str> = (0..1 + self.below(6))
            .map(|_| self.pick(&["Sam", "pushed", "lunch", "Zoë", "office", "letter"]))
            .collect();
        words.dedup();
        words.join(" ")
    }

    /// Any date a case can hold.
    pub fn date(&mut self) -> CaseDate {
        let first = Date::constant(1900, 1, 1);
        let days = self.below(301 * 366) as i64;
        let day = first
            .checked_add(jiff::Span::new().days(days))
            .ok()
            .and_then(|d| CaseDate::new(d).ok());
        day.unwrap_or_else(|| CaseDate::new(first).unwrap_or_else(|_| unreachable!()))
    }

    /// Any date an entry can have, in each of its forms, or what a family might type.
    pub fn occurred(&mut self) -> Occurred {
        let day = self.date();
        let typed = match self.below(6) {
            0 => return Occurred::day(day),
            1 => {
                let time = Time::new(self.below(24) as i8, self.below(60) as i8, 0, 0)
                    .unwrap_or(Time::midnight());
                return Occurred::at(day, time);
            }
            2 => format!("week of {}", day.get()),
            3 => day.get().to_string()[..7].to_owned(),
            4 => format!(
                "{} term {}",
                self.pick(&["autumn", "spring", "summer"]),
                day.get().year()
            ),
            _ => self.text(),
        };
        Occurred::parse(&typed).unwrap_or_else(|_| Occurred::day(day))
    }

    pub fn person(&mut self, people: &[PersonId]) -> PersonId {
        match people.is_empty() || self.below(8) == 0 {
            true => PersonId(self.below(1000) as u32),
            false => self.pick(people),
        }
    }

    /// Any facts of the kinds a family logs (corrections are made otherwise), and now
    /// and then a timestamp whose token may be anything, as a file from elsewhere may
    /// bring (the use cases refuse it; an imported file may hold it).
    pub fn facts(&mut self, people: &[PersonId]) -> Facts {
        match self.below(10) {
            0 => Facts::Incident(facts::Incident {
                place: self.maybe(Self::text),
                categories: self.some(|d| d.pick(Category::ALL)),
                prejudice: self.maybe(Self::text),
                involved: self.some(|d| d.person(people)),
                witnesses: self.some(|d| d.person(people)),
                harm: self.maybe(Self::text),
                child_words: self.maybe(Self::text),
                reported_to: self.maybe(|d| d.person(people)),
                reported_on: self.maybe(Self::occurred),
                school_response: self.maybe(Self::text),
                school_word: self.maybe(Self::text),
            }),
            1 => Facts::Communication(facts::Communication {
                channel: self.pick(Channel::ALL),
                direction: self.pick(Direction::ALL),
                from: self.maybe(|d| d.person(people)),
                to: self.some(|d| d.person(people)),
                cc: self.some(|d| d.person(people)),
                subject: self.maybe(Self::text),
                message_id: self.maybe(Self::text),
                sent: self.maybe(Self::text),
                dated_by: self.maybe(Self::text),
                content_digest: self.maybe(Self::text),
            }),
            2 => Facts::Meeting(facts::Meeting {
                attendees: self.some(|d| Attendee {
                    person: d.person(people),
                    side: d.pick(Side::ALL),
                }),
                purpose: self.maybe(Self::text),
                points_raised: self.some(Self::text),
                actions: self.some(|d| facts::Action {
                    who: d.maybe(|d| d.person(people)),
                    what: d.text(),
                    by: d.maybe(Self::date),
                }),
                requested_only: self.chance(),
                invited: false,
            }),
            3 => Facts::Absence(facts::Absence {
                reason: self.pick(AbsenceReason::ALL),
                until: self.maybe(Self::date),
                ongoing: self.chance(),
                sessions: self.maybe(|d| d.below(1000) as u32),
                authorised: self.maybe(Self::chance),
                evidence: self.maybe(Self::text),
                collected: self
                    .maybe(|d| Time::constant(d.below(24) as i8, d.below(60) as i8, 0, 0)),
                asked_by: self.maybe(|d| d.person(people)),
                reason_given: self.maybe(Self::text),
                formal_letter: self.maybe(Self::chance),
                review: self.maybe(Self::date),
            }),
            4 => Facts::Observation(facts::Observation {
                signs: self.some(|d| d.pick(Sign::ALL)),
                child_words: self.maybe(Self::text),
            }),
            5 => Facts::Document(facts::Document {
                document_type: self.pick(DocumentType::ALL),
                title: self.maybe(Self::text),
                issued_by: self.maybe(Self::text),
            }),
            6 => Facts::Request(facts::Request {
                to: self.maybe(|d| d.person(people)),
                rule: self.maybe(Self::text),
                due: self.maybe(Self::date),
            }),
            7 => Facts::Decision(facts::Decision {
                by: self.pick(DecisionMaker::ALL),
                outcome: self.pick(Outcome::ALL),
            }),
            8 => Facts::Timestamp(facts::Timestamp {
                token: self.text(),
                authority: self.text(),
                time: self.text(),
                asked: self.maybe(Self::text),
            }),
            _ => Facts::Note,
        }
    }

    /// A whole new entry: any facts, any words, perhaps a file, perhaps linked to
    /// entries already in the log.
    pub fn entry(&mut self, people: &[PersonId], in_log: u64) -> NewEntry {
        NewEntry {
            occurred: self.occurred(),
            author: self
                .pick(&["Jo Morgan", "Jo Morgan", "Jo Morgan", "", "\u{0}"])
                .to_owned(),
            // Half the time words every form takes, so that most entries get in and
            // the rest of the draw is tested past the summary's own checks.
            summary: match self.chance() {
                true => self.line(),
                false => self.text(),
            },
            details: self.maybe(Self::text),
            sources: self.some(Self::text),
            facts: self.facts(people),
            // Now and then a link, of any kind, to any entry or none.
            links: match self.below(4) {
                0 => vec![casebook_domain::Link {
                    rel: self.pick(casebook_domain::Relation::ALL),
                    target: EntryId(self.below(in_log as usize + 3) as u64),
                }],
                _ => vec![],
            },
            attachments: self.some(|d| NewAttachment {
                name: d.text(),
                bytes: d.text().into_bytes(),
            }),
        }
    }
}

/// Reads the case with every reader a command or page uses: verify, the timeline and
/// its filters, what to do now, the JSON Lines export read back and verified, the CSV
/// chronology, the deadline calendar, the bundle and its web page, and every letter
/// drafted, as Word and as email. The first that fails is named.
pub fn every_reader_reads<S: CaseStore, B: BlobStore>(
    file: &CaseFile<'_, S, B>,
    today: Date,
) -> Result<(), String> {
    fn said(reader: &'static str) -> impl Fn(crate::AppError) -> String {
        move |e| format!("{reader}: {e}")
    }
    let report = file.verify().map_err(said("verify"))?;
    if let Some(failure) = report.failure {
        return Err(format!("verify: {}", failure.explain()));
    }
    if let Some(first) = report.unreadable.first() {
        return Err(format!(
            "verify: the store accepted what it cannot read: {first:?}"
        ));
    }
    let everything = Filter {
        corrections: true,
        unreadable: true,
        ..Filter::default()
    };
    let items = file.timeline(&everything).map_err(said("timeline"))?;
    if let Some(item) = items.iter().find(|i| i.unreadable.is_some()) {
        return Err(format!("timeline: {} cannot be read", item.id));
    }
    let people = file.store.people(file.case.id).map_err(|e| e.to_string())?;
    for person in &people {
        let theirs = Filter {
            person: Some(person.id),
            ..Filter::default()
        };
        file.timeline(&theirs)
            .map_err(said("timeline of one person"))?;
    }
    file.what_to_do_now().map_err(said("what to do now"))?;
    let mut export = Vec::new();
    for pseudonymise in [false, true] {
        export.clear();
        write_jsonl(
            &mut export,
            &file.case,
            &people,
            &file.entries().map_err(said("entries"))?,
            file.blobs,
            pseudonymise,
            &file.signing_key().map_err(said("signing key"))?,
        )
        .map_err(said("export"))?;
        let read = read_jsonl(&export[..], "export").map_err(said("reading the export"))?;
        if let Some(failure) = read.verify().failure {
            return Err(format!("the export does not verify: {}", failure.explain()));
        }
    }
    let mut out = Vec::new();
    for real_names in [false, true] {
        write_csv(&mut out, &items, &people, real_names).map_err(said("CSV"))?;
    }
    write_ics(&mut out, &file.case, &items, file.clock.now()).map_err(said("calendar"))?;
    // An empty case has nothing to bundle, and says so.
    if !items.is_empty() {
        let bundle = file
            .bundle(&BundleRequest {
                skip_unreadable: true,
                ..BundleRequest::default()
            })
            .map_err(said("bundle"))?;
        bundle_html(&bundle).map_err(said("bundle as a web page"))?;
    }
    let templates = casebook_letters::Templates::load(None).map_err(|e| e.to_string())?;
    let about: Vec<EntryId> = items.iter().rev().take(2).map(|i| i.id).collect();
    for template in templates.list() {
        let request = LetterRequest {
            to: people.first(),
            about: &about,
            family: "Jo Morgan",
            missing: &[],
            weak: &[],
            wants_mediation: false,
            ..Default::default()
        };
        let draft = match file.draft(template, &request, today) {
            Ok(draft) => draft,
            // A letter that needs something the case lacks says so; that is reading.
            Err(crate::AppError::Invalid(_)) => continue,
            Err(e) => return Err(format!("letter {}: {e}", template.id)),
        };
        casebook_letters::to_docx(&draft.letter, "3 December 2026")
            .map_err(|e| format!("letter {} as Word: {e}", template.id))?;
    }
    Ok(())
}
