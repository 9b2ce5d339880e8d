//! Steps the record itself opens, without a request to wait on: incidents with no
//! policy in the case, nothing yet written to the school, minutes that leave out what
//! the family said, an agreed action past its date, a meeting asked for and not held, a
//! warning about attendance, absence that engages the council's section 19 duty, needs
//! with no SEN support in place. Each names the rule or guidance behind it in the pack.

use casebook_domain::{
    AbsenceReason, CaseDate, Direction, DocumentType, EntryId, Facts, Relation, facts, uk_date,
};
use casebook_letters::{Match, check_minutes, minutes_text};
use casebook_rules::{Inputs, compute};
use jiff::civil::Date;

use crate::next::{Adviser, Opened, Record, first_name, rule_of};
use crate::timeline::TimelineItem;

/// The school days of illness absence after which the council's duty to arrange
/// education is engaged (DfE statutory guidance, December 2023).
const HEALTH_NEEDS_SCHOOL_DAYS: i64 = 15;

/// The minutes check, run on minutes in the case against the points the family raised.
#[derive(Debug, Clone)]
pub struct MinutesCheck {
    pub meeting: EntryId,
    pub minutes: EntryId,
    /// The points raised.
    pub points: usize,
    /// Of those, the points the minutes leave out or record in other words.
    pub missing: usize,
}

impl<S: casebook_store::CaseStore, B: casebook_store::BlobStore> crate::CaseFile<'_, S, B> {
    /// Runs the minutes check on every minutes document linked to a meeting whose points
    /// are recorded. Minutes whose text is not in the case are passed over: the family
    /// can still run the check by hand and is told why there.
    pub fn minutes_checks(&self, items: &[TimelineItem]) -> crate::AppResult<Vec<MinutesCheck>> {
        let mut checks = vec![];
        for minutes in items {
            let Some(Facts::Document(d)) = &minutes.facts else {
                continue;
            };
            if d.document_type != DocumentType::Minutes || minutes.redacted_by.is_some() {
                continue;
            }
            for link in minutes
                .links
                .iter()
                .filter(|l| l.rel == Relation::MinutesOf)
            {
                let Some(Facts::Meeting(meeting)) = items
                    .iter()
                    .find(|i| i.id == link.target)
                    .and_then(|i| i.facts.as_ref())
                else {
                    continue;
                };
                if meeting.points_raised.is_empty() {
                    continue;
                }
                let Some(text) = self.minutes_text(minutes)? else {
                    continue;
                };
                let missing = self
                    .check_minutes(&meeting.points_raised, &text)?
                    .iter()
                    .filter(|c| c.result != Match::Found)
                    .count();
                checks.push(MinutesCheck {
                    meeting: link.target,
                    minutes: minutes.id,
                    points: meeting.points_raised.len(),
                    missing,
                });
            }
        }
        Ok(checks)
    }

    /// The minutes check, with the names of the child and of everyone in the case left
    /// out of the matching: a sentence that shares only a name with a point does not
    /// record it.
    pub fn check_minutes(
        &self,
        points: &[String],
        minutes: &str,
    ) -> crate::AppResult<Vec<casebook_letters::PointCheck>> {
        let mut names: Vec<String> = self
            .store
            .people(self.case.id)?
            .into_iter()
            .map(|p| p.name)
            .collect();
        names.push(self.case.child.name.clone());
        Ok(check_minutes(points, minutes, &names))
    }

    /// The minutes' words: the first readable attachment, or the text pasted in.
    /// A file that is missing, cannot be fetched or cannot be read is passed over: what
    /// to do now must never fail for a whole case because of one attachment.
    fn minutes_text(&self, minutes: &TimelineItem) -> crate::AppResult<Option<String>> {
        for attachment in &minutes.attachments {
            if let Ok(Some(bytes)) = self.blobs.get(&attachment.sha256)
                && let Ok(text) = minutes_text(&attachment.name, &bytes)
            {
                return Ok(Some(text));
            }
        }
        Ok(minutes.details.clone().filter(|d| !d.trim().is_empty()))
    }
}

pub(crate) fn from_the_record(adviser: &mut Adviser<'_>, record: &Record<'_>, today: Date) {
    first_report(adviser, record.items);
    ask_for_policies(adviser, record);
    amend_minutes(adviser, record);
    chase_actions(adviser, record.items, today);
    attendance_warnings(adviser, record.items);
    informal_exclusions(adviser, record);
    reduced_timetables(adviser, record, today);
    medical_conditions(adviser, record, today);
    let missed = health_needs(adviser, record.items, today);
    ehc_assessment(adviser, record, missed);
    ehc_plan(adviser, record, today);
    draft_plan_clocks(adviser, record.items);
    amendment_clocks(adviser, record.items);
    final_plan_appeal(adviser, record.items, today);
    exclusions(adviser, record.items, today);
    sen_support(adviser, record);
}

/// Whether the time `rule` gives, counted from `from`, still runs today.
fn still_running(adviser: &Adviser<'_>, rule: &str, from: Date, today: Date) -> bool {
    let inputs = Inputs {
        from: Some(from),
        ..Inputs::default()
    };
    compute(adviser.pack, adviser.calendar, rule, &inputs).is_ok_and(|d| today <= d.due)
}

/// The council's proposed amendments after an annual review: the family's comments are
/// due 15 days from the day they were served (taken as the day they arrived), until
/// something the family sent is about them; the final amended plan is due 8 weeks from
/// them, until a final plan is logged after them.
fn amendment_clocks(adviser: &mut Adviser<'_>, items: &[TimelineItem]) {
    let Some(notice) = items.iter().rfind(|i| {
        matches!(&i.facts, Some(Facts::Document(d)) if d.document_type == DocumentType::AmendmentNotice)
    }) else {
        return;
    };
    let received = notice.occurred.earliest();
    let opened = Opened {
        why: format!(
            "The council's proposed amendments to the EHC plan arrived on {}.",
            uk_date(received)
        ),
        entry: Some(notice.id),
        on: Some(received),
    };
    if !written_about(items, &[notice.id], received) {
        adviser.open("annual-review-amendment-comments", &opened);
    }
    let final_after = items.iter().any(|i| {
        i.id > notice.id
            && matches!(&i.facts, Some(Facts::Document(d)) if d.document_type == DocumentType::EhcPlanFinal)
    });
    if !final_after {
        adviser.open("annual-review-final-amended-plan", &opened);
    }
}

/// A final EHC plan issued: the family may appeal against the needs it describes, the
/// provision or the school it names, contacting the mediation adviser first; shown while
/// the 2 months for the appeal run.
fn final_plan_appeal(adviser: &mut Adviser<'_>, items: &[TimelineItem], today: Date) {
    let Some(plan) = items.iter().rfind(|i| {
        matches!(&i.facts, Some(Facts::Document(d)) if d.document_type == DocumentType::EhcPlanFinal)
    }) else {
        return;
    };
    let issued = plan.occurred.earliest();
    if !still_running(adviser, "tribunal-appeal", issued, today) {
        return;
    }
    let opened = Opened {
        why: format!(
            "The final EHC plan was issued on {}: if you disagree with the needs it describes, the provision in it or the school it names, you can appeal.",
            uk_date(issued)
        ),
        entry: Some(plan.id),
        on: Some(issued),
    };
    adviser.open("mediation-contact", &opened);
    adviser.open("tribunal-appeal", &opened);
}

/// A suspension of more than 5 school days, or a permanent exclusion: education from
/// the sixth day, and the governing board's meeting (or its consideration of the
/// family's representations), while their time runs. The school days come from the
/// sessions logged (two a day).
fn exclusions(adviser: &mut Adviser<'_>, items: &[TimelineItem], today: Date) {
    for item in items.iter().rev() {
        let Some(Facts::Absence(a)) = &item.facts else {
            continue;
        };
        let first = item.occurred.earliest();
        // Once the governors have decided, their review is done: what follows their
        // decision is opened by it.
        let reviewed = items.iter().any(|later| {
            later.id > item.id
                && matches!(&later.facts, Some(Facts::Decision(d)) if crate::next::reviews_an_exclusion(items, later, d.by))
        });
        if reviewed {
            return;
        }
        let opened = |why: String| Opened {
            why,
            entry: Some(item.id),
            on: Some(first),
        };
        match a.reason {
            AbsenceReason::Exclusion => {
                if still_running(adviser, "exclusion-governors-review", first, today) {
                    let why = format!("Permanently excluded from {}.", uk_date(first));
                    adviser.open("exclusion-sixth-day-permanent", &opened(why.clone()));
                    adviser.open("exclusion-governors-review", &opened(why));
                }
                return;
            }
            AbsenceReason::Suspension => {
                let days = a.sessions.unwrap_or(0) / 2;
                let board = match days {
                    0..=5 => return,
                    6..=15 => "exclusion-governors-review-shorter",
                    _ => "exclusion-governors-review",
                };
                if still_running(adviser, board, first, today) {
                    let why = format!("Suspended for {days} school days from {}.", uk_date(first));
                    adviser.open("exclusion-sixth-day-suspension", &opened(why.clone()));
                    adviser.open(board, &opened(why));
                }
                return;
            }
            _ => {}
        }
    }
}

/// A draft EHC plan received: the family's comments are due 15 days from the day it was
/// served (taken as the day it arrived), until something they sent is about it; and,
/// until a final plan is logged, the council's last day for the final plan, 20 weeks
/// from the request for the assessment when the case holds it.
fn draft_plan_clocks(adviser: &mut Adviser<'_>, items: &[TimelineItem]) {
    let is_plan = |i: &TimelineItem, kind: DocumentType| matches!(&i.facts, Some(Facts::Document(d)) if d.document_type == kind);
    let Some(draft) = items
        .iter()
        .rfind(|i| is_plan(i, DocumentType::EhcPlanDraft))
    else {
        return;
    };
    let received = draft.occurred.earliest();
    if !written_about(items, &[draft.id], received) {
        let opened = Opened {
            why: format!(
                "The draft EHC plan arrived on {}: the council must let you comment on it and ask for a school to be named.",
                uk_date(received)
            ),
            entry: Some(draft.id),
            on: Some(received),
        };
        adviser.open("ehc-draft-comments", &opened);
    }
    let asked = items.iter().rfind(|i| {
        matches!(&i.facts, Some(Facts::Request(r)) if r.rule.as_deref() == Some("ehc-assessment-decision"))
    });
    if let Some(asked) = asked
        && !items.iter().any(|i| is_plan(i, DocumentType::EhcPlanFinal))
    {
        let opened = Opened {
            why: format!(
                "A draft plan has arrived; the final plan is due 20 weeks from the request for the assessment ({}).",
                uk_date(asked.occurred.earliest())
            ),
            entry: Some(draft.id),
            on: Some(asked.occurred.earliest()),
        };
        adviser.open("ehc-final-plan", &opened);
    }
}

/// A school's no to a child with a recorded diagnosis: if it treated the child
/// unfavourably because of disability, or failed to make a reasonable adjustment, the
/// family can claim to the tribunal within 6 months starting with the decision (Equality
/// Act 2010 Sch 17 para 4(1)), or with the last day of a continuing course, such as
/// keeping the child at home. A diagnosis still awaited is not counted.
pub(crate) fn discrimination(
    adviser: &mut Adviser<'_>,
    record: &Record<'_>,
    decision: &TimelineItem,
    on: Date,
    summary: &str,
) {
    let diagnosed: Vec<&str> = record
        .case
        .child
        .diagnoses
        .iter()
        .map(String::as_str)
        .filter(|d| !d.to_lowercase().contains("awaiting"))
        .collect();
    if diagnosed.is_empty() {
        return;
    }
    let opened = Opened {
        why: format!(
            "{summary}. {} has a recorded diagnosis ({}): if the decision treated {} unfavourably because of disability, or the school did not make a reasonable adjustment, a claim can be made to the tribunal.",
            first_name(&record.case.child.name),
            diagnosed.join(", "),
            first_name(&record.case.child.name)
        ),
        entry: Some(decision.id),
        on: Some(on),
    };
    adviser.open("disability-discrimination-claim", &opened);
}

/// Needs recorded, or 15 school days missed, and no request for an EHC needs assessment
/// logged: a parent can ask at any time, and no diagnosis is needed.
fn ehc_assessment(adviser: &mut Adviser<'_>, record: &Record<'_>, missed: i64) {
    // A child with a plan, or a draft one, has been assessed: what follows is a review.
    let asked = record
        .items
        .iter()
        .any(|i| rule_of(i).is_some_and(|r| r.starts_with("ehc-")))
        || holds(
            record.items,
            &[DocumentType::EhcPlanFinal, DocumentType::EhcPlanDraft],
        );
    let child = &record.case.child;
    let name = first_name(&child.name);
    let why = if !child.needs.is_empty() {
        format!(
            "{name}'s needs are recorded ({}) and no request for an EHC needs assessment is logged: a parent can ask at any time, and no diagnosis is needed.",
            child.needs.join(", ")
        )
    } else if missed >= HEALTH_NEEDS_SCHOOL_DAYS {
        format!(
            "{name} has missed {missed} school days this school year and no request for an EHC needs assessment is logged: a child who cannot attend may have special educational needs, a parent can ask at any time, and no diagnosis is needed."
        )
    } else {
        return;
    };
    if !asked {
        let opened = Opened {
            why,
            entry: None,
            on: None,
        };
        adviser.open("ehc-assessment-request", &opened);
    }
}

fn incidents(items: &[TimelineItem]) -> usize {
    items
        .iter()
        .filter(|i| matches!(i.facts, Some(Facts::Incident(_))) && i.redacted_by.is_none())
        .count()
}

/// Incidents logged and nothing yet written to the school: the first report goes to the
/// class teacher or pastoral lead, and the head only if nothing changes.
fn first_report(adviser: &mut Adviser<'_>, items: &[TimelineItem]) {
    let written = items.iter().any(|i| match &i.facts {
        Some(Facts::Communication(c)) => c.direction == Direction::Sent,
        Some(Facts::Request(_)) => true,
        _ => false,
    });
    let count = incidents(items);
    if count > 0 && !written {
        let opened = Opened {
            why: format!(
                "{} logged and nothing written to the school yet: a written report starts the school's duty to act under its own policy.",
                incidents_are(count)
            ),
            entry: None,
            on: None,
        };
        adviser.open("report-to-pastoral-lead", &opened);
    }
}

fn incidents_are(count: usize) -> String {
    match count {
        1 => "1 incident is".into(),
        n => format!("{n} incidents are"),
    }
}

/// A request for policies is known by its words ("policy", "policies"), as the family or
/// the letter that asks for them wrote it.
fn asked_for_policies(items: &[TimelineItem]) -> bool {
    items.iter().any(|i| {
        matches!(i.facts, Some(Facts::Request(_)))
            && i.summary
                .as_deref()
                .is_some_and(|s| s.to_lowercase().contains("polic"))
    })
}

fn holds(items: &[TimelineItem], kinds: &[DocumentType]) -> bool {
    items
        .iter()
        .any(|i| matches!(&i.facts, Some(Facts::Document(d)) if kinds.contains(&d.document_type)))
}

/// Incidents logged and no behaviour or anti-bullying policy in the case, nor a request
/// for one: the school's actions can only be tested against its policy once the family
/// holds it. Needs recorded and no SEN policy: the same for the support.
fn ask_for_policies(adviser: &mut Adviser<'_>, record: &Record<'_>) {
    let items = record.items;
    if !record.case.child.needs.is_empty()
        && !holds(
            items,
            &[DocumentType::SenPolicy, DocumentType::SenInformationReport],
        )
        && !asked_for_policies(items)
    {
        let opened = Opened {
            why: format!(
                "{}'s needs are recorded and no SEN policy or SEN information report is in the case.",
                first_name(&record.case.child.name)
            ),
            entry: None,
            on: None,
        };
        adviser.open("ask-for-sen-policy", &opened);
    }
    let holds_policy = holds(
        items,
        &[
            DocumentType::AntiBullyingPolicy,
            DocumentType::BehaviourPolicy,
        ],
    );
    let count = incidents(items);
    if count > 0 && !holds_policy && !asked_for_policies(items) {
        let opened = Opened {
            why: format!(
                "{} logged and no behaviour or anti-bullying policy in the case.",
                incidents_are(count)
            ),
            entry: None,
            on: None,
        };
        adviser.open("ask-for-policies", &opened);
    }
}

/// Something the family sent about `targets` on or after `since`: a letter asking for
/// the correction, a chase, a note of the meeting.
fn written_about(items: &[TimelineItem], targets: &[EntryId], since: Date) -> bool {
    items.iter().any(|i| {
        matches!(&i.facts, Some(Facts::Communication(c)) if c.direction == Direction::Sent)
            && i.occurred.latest() >= since
            && i.links.iter().any(|l| targets.contains(&l.target))
    })
}

/// Minutes that leave out or change the family's points, with no letter about the
/// meeting sent since they arrived.
fn amend_minutes(adviser: &mut Adviser<'_>, record: &Record<'_>) {
    for gap in record.minutes_checks.iter().filter(|c| c.missing > 0) {
        let (Some(meeting), Some(minutes)) = (
            record.items.iter().find(|i| i.id == gap.meeting),
            record.items.iter().find(|i| i.id == gap.minutes),
        ) else {
            continue;
        };
        if written_about(
            record.items,
            &[gap.meeting, gap.minutes],
            minutes.occurred.earliest(),
        ) {
            continue;
        }
        let opened = Opened {
            why: format!(
                "The minutes of the meeting on {} leave out or change {} of the points you raised.",
                uk_date(meeting.occurred.earliest()),
                gap.missing
            ),
            entry: Some(gap.meeting),
            on: None,
        };
        adviser.open("amend-minutes", &opened);
    }
}

/// An action agreed at a meeting whose date has passed, with nothing sent about the
/// meeting since that date.
fn chase_actions(adviser: &mut Adviser<'_>, items: &[TimelineItem], today: Date) {
    for meeting in items {
        let Some(Facts::Meeting(m)) = &meeting.facts else {
            continue;
        };
        let overdue = m.actions.iter().find(|a| {
            a.by.is_some_and(|by| {
                by.get() < today && !written_about(items, &[meeting.id], by.get())
            })
        });
        if let Some(action) = overdue {
            let by = action.by.map(CaseDate::get).unwrap_or(today);
            let opened = Opened {
                why: format!(
                    "At the meeting on {} it was agreed: {}, by {}. That date has passed.",
                    uk_date(meeting.occurred.earliest()),
                    action.what.trim_end_matches('.'),
                    uk_date(by)
                ),
                entry: Some(meeting.id),
                on: None,
            };
            adviser.open("chase-agreed-action", &opened);
        }
    }
}

/// A meeting asked for and not held once the reply date the request set has passed:
/// write again, firmly, proposing dates.
pub(crate) fn meeting_not_held(
    adviser: &mut Adviser<'_>,
    item: &TimelineItem,
    days: i32,
    today: Date,
) {
    let asked = item.occurred.earliest();
    let inputs = Inputs {
        from: Some(asked),
        ..Inputs::default()
    };
    let Ok(reply) = compute(
        adviser.pack,
        adviser.calendar,
        "meeting-request-reply",
        &inputs,
    ) else {
        return;
    };
    if reply.due < today {
        let opened = Opened {
            why: format!(
                "You asked for a meeting on {} ({days} days ago); a reply was due by {} and the meeting has not happened.",
                uk_date(asked),
                uk_date(reply.due)
            ),
            entry: Some(item.id),
            on: None,
        };
        adviser.open("meeting-request-reply", &opened);
    }
}

/// A warning of a fine or prosecution for absence, or a penalty notice: answer it with
/// the evidence and tell the MP; a penalty notice's own dates run from the day it was
/// received.
fn attendance_warnings(adviser: &mut Adviser<'_>, items: &[TimelineItem]) {
    for item in items {
        let Some(Facts::Document(d)) = &item.facts else {
            continue;
        };
        let notice = match d.document_type {
            DocumentType::PenaltyNotice => true,
            DocumentType::AttendanceWarning => false,
            _ => continue,
        };
        let received = item.occurred.earliest();
        let opened = Opened {
            why: format!(
                "{} on {}.",
                if notice {
                    "A penalty notice was received"
                } else {
                    "A warning about attendance was received"
                },
                uk_date(received)
            ),
            entry: Some(item.id),
            on: Some(received),
        };
        adviser.open("answer-attendance-warning", &opened);
        if notice {
            adviser.open("penalty-notice-reduced", &opened);
            adviser.open("penalty-notice-full", &opened);
        }
        adviser.open("write-to-mp", &opened);
    }
}

/// The absences the record holds, with their facts, oldest first.
fn absences(items: &[TimelineItem]) -> impl Iterator<Item = (&TimelineItem, &facts::Absence)> {
    items.iter().filter_map(|i| match &i.facts {
        Some(Facts::Absence(a)) if i.redacted_by.is_none() => Some((i, a)),
        _ => None,
    })
}

/// "once", "twice", "22 times".
fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// Kept out of education by the school: sent home, kept at home until something is in
/// place, or on a part-time timetable.
fn kept_out(a: &facts::Absence) -> bool {
    a.informal_exclusion() || a.reason == AbsenceReason::PartTimeTimetable
}

/// A child sent home, or kept at home at the school's request, without a letter of
/// suspension: an informal exclusion, which the DfE's exclusions guidance calls unlawful.
fn informal_exclusions(adviser: &mut Adviser<'_>, record: &Record<'_>) {
    let sent_home: Vec<&TimelineItem> = absences(record.items)
        .filter(|(_, a)| a.informal_exclusion())
        .map(|(i, _)| i)
        .collect();
    let Some(last) = sent_home.last() else {
        return;
    };
    let days: Vec<String> = sent_home
        .iter()
        .map(|i| uk_date(i.occurred.earliest()))
        .collect();
    let opened = Opened {
        why: format!(
            "{} was sent home, or kept at home, by the school {} ({}) with no formal suspension recorded.",
            first_name(&record.case.child.name),
            times(days.len()),
            days.join(", ")
        ),
        entry: Some(last.id),
        on: Some(last.occurred.latest()),
    };
    adviser.open("informal-exclusion", &opened);
}

/// A part-time timetable past the review date agreed for it, or kept up from one term
/// into the next: ask for the review and a return to full days.
fn reduced_timetables(adviser: &mut Adviser<'_>, record: &Record<'_>, today: Date) {
    let name = first_name(&record.case.child.name);
    for (item, a) in
        absences(record.items).filter(|(_, a)| a.reason == AbsenceReason::PartTimeTimetable)
    {
        let (first, last) = away(item, a, today);
        let review_passed = a
            .review
            .map(CaseDate::get)
            .filter(|r| *r < today && *r <= last);
        let why = match review_passed {
            Some(review) => format!(
                "{name} has been on a part-time timetable since {}; it was to be reviewed by {}, and that date has passed.",
                uk_date(first),
                uk_date(review)
            ),
            None if crosses_a_term(adviser.calendar, first, last.min(today)) => format!(
                "{name} has been on a part-time timetable since {}, from one term into the next: it is meant to be temporary.",
                uk_date(first)
            ),
            None => continue,
        };
        let opened = Opened {
            why,
            entry: Some(item.id),
            on: None,
        };
        adviser.open("reduced-timetable-review", &opened);
    }
}

/// A holiday between terms lies in the period: two weeks or more with no school day
/// (a half-term is nine days).
fn crosses_a_term(calendar: &casebook_calendar::Calendar, first: Date, last: Date) -> bool {
    const BETWEEN_TERMS: i32 = 14;
    let mut run = 0;
    let mut day = first;
    while day <= last {
        if calendar.is_school_day(day) {
            run = 0;
        } else {
            run += 1;
            if run >= BETWEEN_TERMS {
                return true;
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    false
}

/// Kept at home until a healthcare plan or a risk assessment is in place: the school's
/// duty to support pupils with medical conditions, and, for a child with a diagnosis,
/// the disability discrimination claim counted from the latest day kept at home.
fn medical_conditions(adviser: &mut Adviser<'_>, record: &Record<'_>, today: Date) {
    let kept: Vec<(&TimelineItem, &facts::Absence)> = absences(record.items)
        .filter(|(_, a)| {
            matches!(
                a.reason,
                AbsenceReason::AwaitingHealthcarePlan | AbsenceReason::AwaitingRiskAssessment
            )
        })
        .collect();
    let Some(&(last, absence)) = kept.last() else {
        return;
    };
    let summary = format!(
        "{} was kept at home until a plan was in place, from {}",
        first_name(&record.case.child.name),
        uk_date(last.occurred.earliest())
    );
    let opened = Opened {
        why: format!(
            "{summary}: a school must make arrangements to support pupils with medical conditions in school."
        ),
        entry: Some(last.id),
        on: None,
    };
    adviser.open("medical-conditions-support", &opened);
    let last_day = away(last, absence, today).1;
    discrimination(adviser, record, last, last_day, &summary);
}

/// A child with an EHC plan kept out of education asks for an early review; a plan
/// whose annual review is overdue is late by the council, which the Ombudsman hears.
fn ehc_plan(adviser: &mut Adviser<'_>, record: &Record<'_>, today: Date) {
    let Some(plan) = record
        .items
        .iter()
        .rfind(|i| matches!(&i.facts, Some(Facts::Document(d)) if d.document_type == DocumentType::EhcPlanFinal))
    else {
        return;
    };
    let name = first_name(&record.case.child.name);
    let out: Vec<&TimelineItem> = absences(record.items)
        .filter(|(i, a)| kept_out(a) && away(i, a, today).1 >= plan.occurred.earliest())
        .map(|(i, _)| i)
        .collect();
    if let Some(last) = out.last() {
        let opened = Opened {
            why: format!(
                "{name} has an EHC plan and has been sent home, kept at home or put on a part-time timetable {} since the plan was made ({}).",
                times(out.len()),
                uk_date(plan.occurred.earliest())
            ),
            entry: Some(last.id),
            on: None,
        };
        adviser.open("early-annual-review", &opened);
    }
    let reviewed = last_review(plan, record.items);
    let inputs = Inputs {
        from: Some(reviewed),
        ..Inputs::default()
    };
    let Ok(review) = compute(adviser.pack, adviser.calendar, "annual-review", &inputs) else {
        return;
    };
    if review.due < today {
        let why = format!(
            "The annual review of {name}'s EHC plan was due by {} and is {} late.",
            uk_date(review.due),
            crate::timeline::lateness((today - review.due).get_days())
        );
        // The review's own last day, counted from the last review; the Ombudsman's 12
        // months from the day the family knew it was late.
        for (rule, on) in [("annual-review", reviewed), ("lgsco-complaint", review.due)] {
            let opened = Opened {
                why: why.clone(),
                entry: Some(plan.id),
                on: Some(on),
            };
            adviser.open(rule, &opened);
        }
    }
}

/// The last review of the plan: the plan itself, or the latest meeting since whose
/// summary says it was the annual review.
fn last_review(plan: &TimelineItem, items: &[TimelineItem]) -> Date {
    items
        .iter()
        .filter(|i| matches!(&i.facts, Some(Facts::Meeting(m)) if !m.requested_only))
        .filter(|i| {
            i.summary
                .as_deref()
                .is_some_and(|s| s.to_lowercase().contains("annual review"))
        })
        .map(|i| i.occurred.earliest())
        .chain([plan.occurred.earliest()])
        .max()
        .unwrap_or(plan.occurred.earliest())
}

/// Absence this school year through illness, anxiety or bullying, in school days; at 15
/// the council should be arranging education (Education Act 1996 s.19: "by reason of
/// illness, exclusion or otherwise"). Returns the school days missed.
fn health_needs(adviser: &mut Adviser<'_>, items: &[TimelineItem], today: Date) -> i64 {
    let year_start = crate::attendance::first_of_september(today);
    let mut days = 0;
    let mut carried = false;
    for item in items {
        let Some(Facts::Absence(a)) = &item.facts else {
            continue;
        };
        if !matches!(
            a.reason,
            AbsenceReason::Illness | AbsenceReason::MentalHealth | AbsenceReason::BullyingRelated
        ) || item.redacted_by.is_some()
        {
            continue;
        }
        let (first, last) = away(item, a, today);
        // The council's duty is "for any period" (s.19(1)): an absence running on over
        // the summer counts from its first day, not afresh in September.
        let from = if first < year_start && last >= year_start {
            carried = true;
            first
        } else {
            first.max(year_start)
        };
        days += adviser.calendar.school_days_between(from, last.min(today));
    }
    if days >= HEALTH_NEEDS_SCHOOL_DAYS {
        let opened = Opened {
            why: format!(
                "Your child has missed {days} school days {} through illness, anxiety or bullying: from 15, consecutive or in total, the council should be arranging suitable education.",
                if carried {
                    "this school year and in an absence running on from last school year"
                } else {
                    "this school year"
                }
            ),
            entry: None,
            on: None,
        };
        adviser.open("health-needs-education", &opened);
    }
    days
}

/// The first and last day of an absence: one still going on runs to today.
pub(crate) fn away(item: &TimelineItem, a: &facts::Absence, today: Date) -> (Date, Date) {
    let first = item.occurred.earliest();
    let last = match a.ongoing {
        true => today,
        false => a.until.map_or(first, CaseDate::get),
    };
    (first, last)
}

/// Needs recorded and no SEN support plan or EHC plan in the case, nor a letter asking
/// about SEN support: ask for the SEN register position and a review meeting.
fn sen_support(adviser: &mut Adviser<'_>, record: &Record<'_>) {
    let child = &record.case.child;
    if child.needs.is_empty() {
        return;
    }
    let planned = holds(
        record.items,
        &[DocumentType::SenSupportPlan, DocumentType::EhcPlanFinal],
    );
    let asked = record.items.iter().any(|i| {
        matches!(
            i.facts,
            Some(Facts::Request(_)) | Some(Facts::Communication(_))
        ) && i
            .summary
            .as_deref()
            .is_some_and(|s| s.to_lowercase().contains("sen support"))
    });
    if !planned && !asked {
        let opened = Opened {
            why: format!(
                "{}'s needs are recorded and no SEN support plan is in the case: ask whether {} is on the SEN register and for a meeting to assess, plan, do and review.",
                first_name(&child.name),
                first_name(&child.name)
            ),
            entry: None,
            on: None,
        };
        adviser.open("sen-support-review", &opened);
    }
}
