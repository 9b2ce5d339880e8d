//! Drafting a letter: the template's context built from the case (other children only
//! by pseudonym), the reply-by date from the rules, and what is missing said plainly.

use casebook_calendar::{Calendar, DayOne, Unit};
use casebook_domain::{Case, CaseDate, EntryId, EntryKind, Facts, Person, Role, uk_date};
use casebook_letters::{Letter, Template};
use casebook_rules::{Inputs, Pack, compute};
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult, invalid};
use crate::privacy::pseudonymise;
use crate::timeline::{RequestState, TimelineItem, person_name};

/// What the family asks for.
pub struct LetterRequest<'a> {
    pub to: Option<&'a Person>,
    pub about: &'a [EntryId],
    pub family: &'a str,
    /// From the minutes check: points left out, and points recorded in other words.
    pub missing: &'a [String],
    pub weak: &'a [String],
    pub wants_mediation: bool,
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

pub fn draft_letter(
    case: &Case,
    people: &[Person],
    items: &[TimelineItem],
    template: &Template,
    request: &LetterRequest<'_>,
    reply: Option<(Date, Option<Value>)>,
    today: Date,
) -> AppResult<Letter> {
    let about: Vec<&TimelineItem> = request
        .about
        .iter()
        .map(|id| {
            items.iter().find(|i| i.id == *id && i.summary.is_some()).ok_or_else(|| {
                AppError::Invalid(format!("There is no entry {id} to write about in this case: see `casebook timeline`."))
            })
        })
        .collect::<AppResult<_>>()?;
    let incidents: Vec<&TimelineItem> = items
        .iter()
        .filter(|i| i.kind == EntryKind::Incident && i.summary.is_some())
        .collect();
    for need in &template.needs {
        match need.as_str() {
            "to" if request.to.is_none() => {
                return invalid(format!(
                    "The {} letter is addressed to someone: give --to NAME (see `casebook person list`).",
                    template.id
                ));
            }
            "about" if about.is_empty() => {
                return invalid(format!(
                    "The {} letter is about an entry: give --about ID (see `casebook timeline`).",
                    template.id
                ));
            }
            "incidents" if incidents.is_empty() => {
                return invalid(
                    "There are no incidents logged yet: log them with `casebook log incident` first.",
                );
            }
            "to" | "about" | "incidents" => {}
            role => {
                let role = Role::parse(role).map_err(|_| {
                    AppError::Invalid(format!(
                        "The {} template needs \"{role}\", which casebook does not know.",
                        template.id
                    ))
                })?;
                if !people.iter().any(|p| p.role == role) {
                    return invalid(format!(
                        "The {} letter needs the {}'s name: add them with `casebook person add --role {}`.",
                        template.id,
                        role.phrase(),
                        role.slug()
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
        .map(&entry)
        .collect();
    let (reply_date, reply_rule) = match reply {
        Some((date, rule)) => (Value::from(uk_date(date)), rule.unwrap_or(Value::Null)),
        None => (Value::Null, Value::Null),
    };
    let context = json!({
        "today": uk_date(today),
        "family": { "name": request.family },
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
        "reply_by": reply_date,
        "reply_rule": reply_rule,
        "missing": request.missing.iter().map(|m| text(m)).collect::<Vec<_>>(),
        "weak": request.weak.iter().map(|w| text(w)).collect::<Vec<_>>(),
        "wants_mediation": request.wants_mediation,
    });
    template
        .render(&context)
        .map_err(|e| AppError::Invalid(e.to_string()))
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
        Some(Facts::Request(r)) => v["due"] = json!(r.due.map(|d| d.to_string())),
        Some(Facts::Absence(a)) => {
            v["until"] = json!(a.until.map(|d| d.to_string()));
            v["ongoing"] = json!(a.ongoing);
            v["evidence"] = json!(a.evidence.as_deref().map(text));
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
        let due = reply.as_ref().map(|(d, _)| *d);
        let items = self.timeline(&crate::Filter::default())?;
        let letter = draft_letter(&self.case, &people, &items, template, request, reply, today)?;
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
        })
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
                to: sent.to.map(|p| p.id).into_iter().collect(),
                cc: vec![],
                subject: Some(letter.subject.clone()),
                message_id: None,
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
