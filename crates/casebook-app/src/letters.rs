//! Drafting a letter: the template's context built from the case (other children only
//! by pseudonym), the reply-by date from the rules, and what is missing said plainly.

use casebook_calendar::{Calendar, DayOne, Unit, long_date};
use casebook_domain::{
    Case, CaseDate, DocumentType, EntryId, EntryKind, Facts, Person, Role, uk_date,
};
use casebook_letters::{Letter, Template};
use casebook_rules::{Inputs, Pack, compute};
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult, invalid};
use crate::privacy::pseudonymise;
use crate::timeline::{RequestState, TimelineItem, person_name};

/// What the family asks for.
#[derive(Default, Clone)]
pub struct LetterRequest<'a> {
    /// The person the letter is addressed to ("Dear ...").
    pub to: Option<&'a Person>,
    /// Others it is sent to as well, and those copied in.
    pub also_to: Vec<&'a Person>,
    pub cc: Vec<&'a Person>,
    pub about: &'a [EntryId],
    pub family: &'a str,
    /// From the minutes check: points left out, and points recorded in other words.
    pub missing: &'a [String],
    pub weak: &'a [String],
    pub wants_mediation: bool,
    /// Dates the family proposes (for a meeting).
    pub propose: Vec<Date>,
    /// Entries whose documents go with the letter.
    pub enclose: Vec<EntryId>,
    /// Something the reply must come before: the reply date is moved earlier for it.
    pub before: Option<Before>,
}

/// An event the reply is needed before: "the exam" on 5 June.
#[derive(Debug, Clone)]
pub struct Before {
    pub date: Date,
    pub what: String,
}

/// The reply-by date a template asks for: a rule's deadline from today, or a plain
/// limit such as "5 school-days".
pub fn reply_by(
    template: &Template,
    wants_mediation: bool,
    pack: &Pack,
    calendar: &Calendar,
    limits: &crate::SchoolLimits,
    today: Date,
) -> AppResult<Option<(Date, Option<Value>)>> {
    let Some(reply) = template.reply_for(wants_mediation) else {
        return Ok(None);
    };
    if let Some((count, unit)) = reply.split_once(' ') {
        let count: i64 = count.parse().map_err(|_| {
            AppError::Invalid(format!(
                "The {} template's reply \"{reply}\" is not a number and a unit.",
                template.id
            ))
        })?;
        let unit = Unit::parse(unit).map_err(|e| AppError::Invalid(e.to_string()))?;
        let due = calendar
            .add(count, unit, today, DayOne::After)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        return Ok(Some((due.due, None)));
    }
    let inputs = limits.apply(
        reply,
        Inputs {
            from: Some(today),
            ..Inputs::default()
        },
    );
    let d =
        compute(pack, calendar, reply, &inputs).map_err(|e| AppError::Invalid(e.to_string()))?;
    Ok(Some((
        d.due,
        Some(json!({ "id": d.rule, "source": d.source, "limit": d.limit })),
    )))
}

/// What a letter is drafted from: the case, its people and timeline, its calendar.
pub(crate) struct Sources<'a> {
    pub case: &'a Case,
    pub people: &'a [Person],
    pub items: &'a [TimelineItem],
    pub calendar: &'a Calendar,
    pub today: Date,
    /// This school year's attendance and time lost, when the case holds an absence.
    pub attendance: Option<crate::attendance::Attendance>,
    /// What the plan check questions in a plan the letter is about.
    pub plan_points: Vec<crate::plan_points::PlanPoint>,
}

/// The template's reply date, as the letter words it.
pub(crate) struct ReplyBy {
    pub due: Date,
    pub rule: Option<Value>,
    /// Why it is that date: "before the exam on 5 June 2026".
    pub because: Option<String>,
}

pub(crate) fn draft_letter(
    from: &Sources<'_>,
    template: &Template,
    request: &LetterRequest<'_>,
    reply: Option<ReplyBy>,
    address: Option<&str>,
) -> AppResult<Letter> {
    let (case, people, items, today) = (from.case, from.people, from.items, from.today);
    let about: Vec<&TimelineItem> = request
        .about
        .iter()
        .map(|id| entry_in(items, *id, "write about"))
        .collect::<AppResult<_>>()?;
    let incidents: Vec<&TimelineItem> = items
        .iter()
        .filter(|i| i.kind == EntryKind::Incident && i.summary.is_some())
        .collect();
    for need in &template.needs {
        match need.as_str() {
            "to" if request.to.is_none() => {
                return invalid(format!(
                    "The {} letter is addressed to someone: say who it goes to.",
                    template.id
                ));
            }
            "about" if about.is_empty() => {
                return invalid(format!(
                    "The {} letter is about something in the log: choose what it is about.",
                    template.id
                ));
            }
            "incidents" if incidents.is_empty() => {
                return invalid("There are no incidents logged yet: write them down first.");
            }
            "sent_home" if sent_home(items).next().is_none() => {
                return invalid(
                    "No time the school sent the child home is written down yet: log it as an absence, sent home by the school, first.",
                );
            }
            "part_time" if part_time(items).next().is_none() => {
                return invalid(
                    "No part-time timetable is written down yet: log it as an absence, on a part-time timetable, first.",
                );
            }
            "to" | "about" | "incidents" | "sent_home" | "part_time" => {}
            role => {
                let role = Role::parse(role).map_err(|_| {
                    AppError::Invalid(format!(
                        "The {} template needs \"{role}\", which casebook does not know.",
                        template.id
                    ))
                })?;
                if !people.iter().any(|p| p.role == role) {
                    return invalid(format!(
                        "The {} letter needs the {}'s name: add them to the people in the case.",
                        template.id,
                        role.phrase(),
                    ));
                }
            }
        }
    }
    let text = |s: &str| pseudonymise(s, people);
    let name = |id| person_name(people, id, false);
    let entry = |i: &TimelineItem| entry_json(i, &text, &name);
    let by_role = |role: Role| {
        people
            .iter()
            .find(|p| p.role == role)
            .map(|p| json!({ "name": p.name, "email": p.email }))
    };
    let first_name = case
        .child
        .name
        .split_whitespace()
        .next()
        .unwrap_or(&case.child.name);
    let requests: Vec<Value> = items
        .iter()
        .filter(|i| {
            matches!(
                i.request,
                Some(RequestState::Open { .. } | RequestState::Late { .. })
            )
        })
        .map(&entry)
        .collect();
    let absences: Vec<Value> = items
        .iter()
        .filter(|i| i.kind == EntryKind::Absence && i.summary.is_some())
        .map(|i| {
            let mut v = entry(i);
            if let Some(Facts::Absence(a)) = &i.facts {
                v["span"] = json!(absence_span(i, a, from.calendar, today));
            }
            v
        })
        .collect();
    let (reply_date, reply_rule) = match reply {
        Some(r) => (
            Value::from(match r.because {
                Some(because) => format!("{}, {because}", uk_date(r.due)),
                None => uk_date(r.due),
            }),
            r.rule.unwrap_or(Value::Null),
        ),
        None => (Value::Null, Value::Null),
    };
    let addressed = |p: &Person| json!({ "name": p.public_name(), "role": p.role.phrase() });
    let enclosed = request
        .enclose
        .iter()
        .map(|id| entry_in(items, *id, "enclose"))
        .collect::<AppResult<Vec<_>>>()?;
    // Medical and clinical evidence in the case, for a letter to cite.
    let medical: Vec<Value> = items
        .iter()
        .filter(|i| {
            matches!(&i.facts, Some(Facts::Document(d)) if matches!(
                d.document_type,
                DocumentType::MedicalReport | DocumentType::CamhsReport
            ))
        })
        .map(&entry)
        .collect();
    // The same thing asked for before what the letter is about, and how long the family
    // has waited since it first asked.
    let earlier: Vec<&TimelineItem> = about
        .first()
        .map(|first| {
            items
                .iter()
                .filter(|i| i.id < first.id && i.summary.is_some() && same_thing(i, first))
                .collect()
        })
        .unwrap_or_default();
    let waited = earlier.first().or(about.first()).map(|first| {
        let days = (today - first.occurred.earliest()).get_days();
        match days {
            d if d >= 14 => format!("{} weeks", d / 7),
            1 => "1 day".into(),
            d => format!("{d} days"),
        }
    });
    let earlier: Vec<Value> = earlier.into_iter().map(&entry).collect();
    // Every request the family has made, with its date: what a reply to a warning
    // about attendance lists as the help asked for.
    let asked: Vec<Value> = items
        .iter()
        .filter(|i| matches!(i.facts, Some(Facts::Request(_))) && i.summary.is_some())
        .map(&entry)
        .collect();
    let context = json!({
        "today": uk_date(today),
        "family": { "name": request.family, "address": address },
        "child": {
            "name": case.child.name,
            "first_name": first_name,
            "year_group": case.child.year_group,
            "needs": case.child.needs,
            "diagnoses": case.child.diagnoses,
        },
        "setting": { "name": case.setting.name, "kind": case.setting.kind.phrase() },
        "authority": case.authority,
        "to": request.to.map(|p| json!({
            "name": p.public_name(),
            "salutation": salutation(p.public_name()),
            "role": p.role.phrase(),
            "email": p.email,
        })),
        "head_teacher": by_role(Role::HeadTeacher),
        "senco": by_role(Role::Senco),
        "chair_of_governors": by_role(Role::ChairOfGovernors),
        "about": about.iter().map(|i| entry(i)).collect::<Vec<_>>(),
        "incidents": incidents.iter().map(|i| entry(i)).collect::<Vec<_>>(),
        "requests": requests,
        "absences": absences,
        "sent_home": sent_home(items).map(&entry).collect::<Vec<_>>(),
        "part_time": part_time(items).map(&entry).collect::<Vec<_>>(),
        "asked": asked,
        "out_of_school": from.attendance.as_ref().map(out_of_school),
        "reply_by": reply_date,
        "reply_rule": reply_rule,
        "missing": request.missing.iter().map(|m| text(m)).collect::<Vec<_>>(),
        "weak": request.weak.iter().map(|w| text(w)).collect::<Vec<_>>(),
        "wants_mediation": request.wants_mediation,
        "also_to": request.also_to.iter().map(|p| addressed(p)).collect::<Vec<_>>(),
        "copied": request.cc.iter().map(|p| addressed(p)).collect::<Vec<_>>(),
        "proposed": request.propose.iter().map(|d| long_date(*d)).collect::<Vec<_>>(),
        "waited": waited,
        "earlier": earlier,
        "enclosed": enclosed.iter().map(|i| entry(i)).collect::<Vec<_>>(),
        "medical": medical,
        "plan_points": from.plan_points.iter().map(|p| json!({
            "place": p.place,
            "says": text(&p.says),
            "ask": text(&p.ask),
            "why": p.why,
        })).collect::<Vec<_>>(),
    });
    let mut letter = template
        .render(&context)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    // Enclosures and copies go under the signature, as in any letter, so every format
    // carries them.
    let mut tail = String::new();
    for i in &enclosed {
        tail.push_str(&format!(
            "Enclosed: {} ({})\n",
            i.summary.as_deref().map(text).unwrap_or_default(),
            i.occurred_text
        ));
    }
    for (label, list) in [
        ("Also sent to", &request.also_to),
        ("Copied to", &request.cc),
    ] {
        if !list.is_empty() {
            let names: Vec<String> = list
                .iter()
                .map(|p| format!("{} ({})", p.public_name(), p.role.phrase()))
                .collect();
            tail.push_str(&format!("{label}: {}\n", names.join("; ")));
        }
    }
    if !tail.is_empty() {
        letter.body = format!("{}\n\n{tail}", letter.body.trim_end());
    }
    Ok(letter)
}

/// Each time the school sent the child home, or kept the child at home, without a
/// letter of suspension, oldest first.
fn sent_home(items: &[TimelineItem]) -> impl Iterator<Item = &TimelineItem> {
    items.iter().filter(|i| {
        i.summary.is_some() && matches!(&i.facts, Some(Facts::Absence(a)) if a.informal_exclusion())
    })
}

/// Each part-time timetable, oldest first.
fn part_time(items: &[TimelineItem]) -> impl Iterator<Item = &TimelineItem> {
    items.iter().filter(|i| {
        i.summary.is_some()
            && matches!(&i.facts, Some(Facts::Absence(a)) if a.reason == casebook_domain::AbsenceReason::PartTimeTimetable)
    })
}

/// This school year's attendance as a letter gives it: the figure, its working, and
/// the hours lost each week that lost any.
fn out_of_school(a: &crate::attendance::Attendance) -> Value {
    let weeks: Vec<Value> = a
        .weeks
        .iter()
        .filter(|w| w.missed > 0 || w.minutes_lost.is_some_and(|m| m > 0))
        .map(|w| {
            json!({
                "monday": uk_date(w.monday),
                "sessions": w.missed,
                "hours": w.minutes_lost.map(crate::attendance::hours),
            })
        })
        .collect();
    json!({
        "from": uk_date(a.from),
        "to": uk_date(a.to),
        "percentage": format!("{:.2}%", a.percentage),
        "missed": a.missed,
        "possible": a.possible,
        "hours_lost": a.minutes_lost.map(crate::attendance::hours),
        "working": a.working(),
        "weeks": weeks,
    })
}

/// The entry a letter names, for `what` it does with it ("write about", "enclose"),
/// when it is in the case and can be read.
fn entry_in<'a>(items: &'a [TimelineItem], id: EntryId, what: &str) -> AppResult<&'a TimelineItem> {
    items
        .iter()
        .find(|i| i.id == id && i.summary.is_some())
        .ok_or_else(|| AppError::Invalid(format!("There is no entry {id} to {what} in this case.")))
}

/// The same thing asked for before: a meeting asked for, a request under the same rule
/// or to the same person.
fn same_thing(earlier: &TimelineItem, later: &TimelineItem) -> bool {
    match (&earlier.facts, &later.facts) {
        (Some(Facts::Meeting(a)), Some(Facts::Meeting(b))) => a.requested_only && b.requested_only,
        (Some(Facts::Request(a)), Some(Facts::Request(b))) => {
            (a.rule.is_some() && a.rule == b.rule) || (a.rule.is_none() && a.to == b.to)
        }
        _ => false,
    }
}

/// An absence as a span: "5 October 2026 to 9 October 2026, 5 school days".
fn absence_span(
    item: &TimelineItem,
    a: &casebook_domain::facts::Absence,
    calendar: &Calendar,
    today: Date,
) -> String {
    let (first, last) = crate::triggers::away(item, a, today);
    let days = calendar.school_days_between(first, last);
    let plural = if days == 1 { "" } else { "s" };
    match (first == last, a.ongoing) {
        (_, true) => format!(
            "from {} and still away, {days} school day{plural} so far",
            uk_date(first)
        ),
        (true, false) => format!("{}, {days} school day{plural}", uk_date(first)),
        (false, false) => format!(
            "{} to {}, {days} school day{plural}",
            uk_date(first),
            uk_date(last)
        ),
    }
}

/// An entry as a template sees it: dates in UK form, names as they may be sent.
fn entry_json(
    item: &TimelineItem,
    text: &dyn Fn(&str) -> String,
    name: &dyn Fn(casebook_domain::PersonId) -> String,
) -> Value {
    let mut v = json!({
        "id": item.id,
        "date": item.occurred_text,
        "kind": item.kind.phrase(),
        "summary": item.summary.as_deref().map(text),
        "details": item.details.as_deref().map(text),
        "people": item.people.iter().map(|p| name(*p)).collect::<Vec<_>>(),
        "place": Value::Null,
        "child_words": Value::Null,
        "reported_to": Value::Null,
        "reported_on": Value::Null,
        "school_response": Value::Null,
        "points": Vec::<String>::new(),
        "actions": Vec::<String>::new(),
        "due": Value::Null,
        "until": Value::Null,
        "evidence": Value::Null,
        "reason": Value::Null,
        "collected": Value::Null,
        "asked_by": Value::Null,
        "reason_given": Value::Null,
        "review": Value::Null,
        "late_by": Value::Null,
    });
    match &item.facts {
        Some(Facts::Incident(i)) => {
            v["place"] = json!(i.place.as_deref().map(text));
            v["child_words"] = json!(i.child_words.as_deref().map(text));
            v["reported_to"] = json!(i.reported_to.map(name));
            v["reported_on"] = json!(i.reported_on.as_ref().map(ToString::to_string));
            v["school_response"] = json!(i.school_response.as_deref().map(text));
        }
        Some(Facts::Meeting(m)) => {
            v["points"] = json!(m.points_raised.iter().map(|p| text(p)).collect::<Vec<_>>());
            v["actions"] = json!(
                m.actions
                    .iter()
                    .map(|a| {
                        let who = a.who.map(|p| format!(" ({})", name(p))).unwrap_or_default();
                        let by = a.by.map(|d| format!(", by {d}")).unwrap_or_default();
                        format!("{}{who}{by}", text(&a.what))
                    })
                    .collect::<Vec<_>>()
            );
        }
        Some(Facts::Request(r)) => {
            v["due"] = json!(r.due.map(|d| d.to_string()));
            if let Some(RequestState::Late { days_late, .. }) = item.request {
                v["late_by"] = json!(crate::timeline::lateness(days_late));
            }
        }
        Some(Facts::Absence(a)) => {
            v["until"] = json!(a.until.map(|d| d.to_string()));
            v["ongoing"] = json!(a.ongoing);
            v["evidence"] = json!(a.evidence.as_deref().map(text));
            v["reason"] = json!(a.reason.phrase());
            v["collected"] = json!(a.collected.map(|t| t.strftime("%H:%M").to_string()));
            v["asked_by"] = json!(a.asked_by.map(name));
            v["reason_given"] = json!(a.reason_given.as_deref().map(text));
            v["review"] = json!(a.review.map(|d| uk_date(d.get())));
        }
        _ => {}
    }
    v
}

/// "Mrs Helen Carter" is written to as "Mrs Carter"; a name without a title in full.
fn salutation(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let titled = words.first().is_some_and(|w| {
        [
            "mr",
            "mrs",
            "ms",
            "miss",
            "mx",
            "dr",
            "prof",
            "professor",
            "sir",
            "dame",
            "cllr",
        ]
        .contains(&w.trim_end_matches('.').to_ascii_lowercase().as_str())
    });
    match (titled, words.as_slice()) {
        (true, [title, .., surname]) if words.len() > 2 => format!("{title} {surname}"),
        _ => name.to_owned(),
    }
}

/// Who a request to correct a meeting's minutes goes to: someone who was there and
/// wrote or chaired them, never someone absent. The person the minutes say issued them,
/// if they were there; else the first there for the school, then for the council, then
/// an independent chair. None when nobody but the family is recorded.
pub fn minutes_recipient<'p>(
    meeting: &casebook_domain::facts::Meeting,
    people: &'p [Person],
    issued_by: Option<&str>,
) -> Option<&'p Person> {
    use casebook_domain::Side;
    let there = |side: Option<Side>| {
        meeting
            .attendees
            .iter()
            .filter(move |a| side.is_none_or(|s| a.side == s))
            .filter_map(|a| people.iter().find(|p| p.id == a.person))
    };
    let writer = issued_by.and_then(|by| {
        there(None).find(|p| {
            by.to_lowercase().contains(&p.name.to_lowercase())
                || p.organisation
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(by.trim()))
        })
    });
    writer.or_else(|| {
        [Side::School, Side::LocalAuthority, Side::Independent]
            .into_iter()
            .find_map(|side| there(Some(side)).next())
    })
}

/// A letter drafted from the case, with its tone check and the reply date it asks for.
#[derive(Debug, Clone)]
pub struct Draft {
    pub letter: Letter,
    pub findings: Vec<casebook_letters::Finding>,
    pub reply_by: Option<Date>,
    /// The rule or limit the reply date came from ("subject-access", "5 school-days").
    pub reply: Option<String>,
    /// Whether a reply is waited for once the letter is sent: not when silence means
    /// agreement.
    pub waits_for_reply: bool,
    /// Everyone it is sent to after the addressee, and everyone copied in.
    pub also_to: Vec<Person>,
    pub cc: Vec<Person>,
    /// The entries whose files go with it.
    pub enclosed: Vec<EntryId>,
}

impl<S: casebook_store::CaseStore, B: casebook_store::BlobStore> crate::CaseFile<'_, S, B> {
    /// Drafts `template` for this case as of `today`, and checks its tone.
    pub fn draft(
        &self,
        template: &Template,
        request: &LetterRequest<'_>,
        today: Date,
    ) -> AppResult<Draft> {
        let people = self.store.people(self.case.id)?;
        let pack = crate::rule_pack(&self.case.jurisdiction)?;
        let calendar = crate::calendar_for(&pack, crate::term_dates(self.store, &self.case)?);
        let limits = crate::school_limits(self.store, &self.case)?;
        let reply = reply_by(
            template,
            request.wants_mediation,
            &pack,
            &calendar,
            &limits,
            today,
        )?;
        let reply = match (reply, &request.before) {
            (Some((due, rule)), Some(before)) => Some(ReplyBy {
                due: reply_before(due, before, &calendar, today)?,
                rule,
                because: Some(format!(
                    "before {} on {}",
                    before.what,
                    uk_date(before.date)
                )),
            }),
            (Some((due, rule)), None) => Some(ReplyBy {
                due,
                rule,
                because: None,
            }),
            (None, _) => None,
        };
        let due = reply.as_ref().map(|r| r.due);
        let items = self.timeline(&crate::Filter::default())?;
        // The hours a letter may cite; a letter is still drafted without them when the
        // school day's times cannot be read (Settings says so).
        let attendance = items
            .iter()
            .any(|i| i.kind == EntryKind::Absence)
            .then(|| {
                self.attendance(self.school_year_start(today).ok()?, today)
                    .ok()
            })
            .flatten();
        // Letters go to the school the child is at today.
        let case = self.case_on(today)?;
        let sources = Sources {
            case: &case,
            people: &people,
            items: &items,
            calendar: &calendar,
            today,
            attendance,
            plan_points: self.plan_points(request.about, &items),
        };
        // Signed with the family's own name and address when the case has them.
        let family = crate::family(self.store, &self.case)?;
        let signed = LetterRequest {
            family: family.as_ref().map_or(request.family, |f| f.name.as_str()),
            ..request.clone()
        };
        let letter = draft_letter(
            &sources,
            template,
            &signed,
            reply,
            family.as_ref().and_then(|f| f.address.as_deref()),
        )?;
        let other_children: Vec<(String, String)> = people
            .iter()
            .filter(|p| p.role == Role::OtherChild)
            .map(|p| (p.name.clone(), p.public_name().to_owned()))
            .collect();
        Ok(Draft {
            findings: casebook_letters::tone_check(&letter.body, &other_children),
            letter,
            reply_by: due,
            reply: template
                .reply_for(request.wants_mediation)
                .map(str::to_owned),
            waits_for_reply: !template.silence_agrees,
            also_to: request.also_to.iter().map(|p| (*p).clone()).collect(),
            cc: request.cc.iter().map(|p| (*p).clone()).collect(),
            enclosed: request.enclose.clone(),
        })
    }

    /// The school days of next week (Monday to Friday after `today`), for a letter that
    /// proposes dates "next week".
    pub fn school_days_next_week(&self, today: Date) -> AppResult<Vec<Date>> {
        let pack = crate::rule_pack(&self.case.jurisdiction)?;
        let calendar = crate::calendar_for(&pack, crate::term_dates(self.store, &self.case)?);
        let offset = 7 - i64::from(today.weekday().to_monday_zero_offset());
        let monday = today.saturating_add(jiff::Span::new().days(offset));
        let days: Vec<Date> = (0..5)
            .map(|n| monday.saturating_add(jiff::Span::new().days(n)))
            .filter(|d| calendar.is_school_day(*d))
            .collect();
        if days.is_empty() {
            return invalid(format!(
                "The week starting {} has no school days: give the dates you can meet.",
                uk_date(monday)
            ));
        }
        Ok(days)
    }

    /// The files of the entries a letter encloses, to attach to its email: (name, media
    /// type, bytes).
    pub fn enclosure_files(&self, draft: &Draft) -> AppResult<Vec<(String, String, Vec<u8>)>> {
        let items = self.timeline(&crate::Filter::default())?;
        let mut files = vec![];
        for item in items.iter().filter(|i| draft.enclosed.contains(&i.id)) {
            for attachment in &item.attachments {
                let bytes = self.blobs.get(&attachment.sha256)?.ok_or_else(|| {
                    AppError::Invalid(format!(
                        "The file \"{}\" of {} is missing from the attachments folder: run `casebook verify`.",
                        attachment.name, item.id
                    ))
                })?;
                files.push((
                    attachment.name.clone(),
                    attachment.media_type.clone(),
                    bytes,
                ));
            }
        }
        Ok(files)
    }
}

/// A reply date that falls on or after the event it is needed for moves to the last
/// working day before it; none left before the event is refused.
fn reply_before(due: Date, before: &Before, calendar: &Calendar, today: Date) -> AppResult<Date> {
    if due < before.date {
        return Ok(due);
    }
    let mut day = before.date;
    loop {
        day = day
            .yesterday()
            .map_err(|_| AppError::Invalid("That date is out of range.".into()))?;
        if day <= today {
            return invalid(format!(
                "There is no working day left before {} on {} for a reply.",
                before.what,
                uk_date(before.date)
            ));
        }
        if calendar.is_working_day(day) {
            return Ok(day);
        }
    }
}

/// A letter the family has sent, as the log records it.
#[derive(Debug, Clone)]
pub struct SentLetter<'a> {
    pub draft: &'a Draft,
    pub to: Option<&'a Person>,
    pub about: &'a [EntryId],
    pub date: Date,
    pub channel: casebook_domain::Channel,
    pub author: &'a str,
}

impl<S: casebook_store::CaseStore, B: casebook_store::BlobStore> crate::CaseFile<'_, S, B> {
    /// The letter joins the log as sent; as a written confirmation it confirms the call
    /// or meeting it is about, and a reply date becomes a request that goes late if
    /// nobody answers. Returns the entries added.
    pub fn record_letter_sent(&self, sent: &SentLetter<'_>) -> AppResult<Vec<EntryId>> {
        use casebook_domain::{Direction, Link, Occurred, Relation, facts};
        let items = self.timeline(&crate::Filter::default())?;
        let links: Vec<Link> = sent
            .about
            .iter()
            .map(|id| Link {
                rel: if items.iter().any(|i| i.id == *id && i.unconfirmed) {
                    Relation::Confirms
                } else {
                    Relation::About
                },
                target: *id,
            })
            .collect();
        let letter = &sent.draft.letter;
        let logged = self.log(crate::NewEntry {
            occurred: Occurred::on(sent.date)?,
            author: sent.author.to_owned(),
            summary: letter.subject.clone(),
            details: Some(letter.body.clone()),
            sources: vec![],
            facts: Facts::Communication(facts::Communication {
                channel: sent.channel,
                direction: Direction::Sent,
                from: None,
                to: sent
                    .to
                    .map(|p| p.id)
                    .into_iter()
                    .chain(sent.draft.also_to.iter().map(|p| p.id))
                    .collect(),
                cc: sent.draft.cc.iter().map(|p| p.id).collect(),
                subject: Some(letter.subject.clone()),
                message_id: None,
                sent: None,
                dated_by: None,
                content_digest: None,
            }),
            links,
            attachments: vec![],
        })?;
        let mut ids = vec![logged.id()];
        if let Some(due) = sent.draft.reply_by.filter(|_| sent.draft.waits_for_reply) {
            let rule = sent.draft.reply.clone().filter(|r| !r.contains(' '));
            let request = self.log(crate::NewEntry {
                occurred: Occurred::on(sent.date)?,
                author: sent.author.to_owned(),
                summary: format!("Reply asked for: {}", letter.subject),
                details: None,
                sources: vec![],
                facts: Facts::Request(facts::Request {
                    to: sent.to.map(|p| p.id),
                    rule,
                    due: Some(CaseDate::new(due)?),
                }),
                links: vec![Link {
                    rel: Relation::About,
                    target: logged.id(),
                }],
                attachments: vec![],
            })?;
            ids.push(request.id());
        }
        Ok(ids)
    }
}
