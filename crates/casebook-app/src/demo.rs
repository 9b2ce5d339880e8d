//! The demonstration case: an invented family, an invented school, a story of the kind
//! advisers hear every week. No real child's data is ever in the repository.

use casebook_domain::{
    AbsenceReason, Attendee, Case, CaseDate, Category, Channel, Child, DecisionMaker, Direction,
    DocumentType, EntryId, Facts, Link, Occurred, Outcome, PersonId, Relation, Role, SettingKind,
    Side, Sign, facts,
};
use casebook_store::{BlobStore, CaseStore};

use crate::{
    AppResult, CaseFile, Clock, NewAttachment, NewCase, NewEntry, NewPerson, add_person,
    create_case,
};

/// Writes the demonstration case into the store under `slug` and returns it.
pub fn demonstration_case<S: CaseStore, B: BlobStore>(
    store: &S,
    blobs: &B,
    clock: &dyn Clock,
    slug: &str,
) -> AppResult<Case> {
    let case = create_case(
        store,
        NewCase {
            slug: slug.to_owned(),
            child: Child {
                name: "Alex Morgan".into(),
                date_of_birth: None,
                year_group: Some("Year 6".into()),
                needs: vec!["social communication".into(), "anxiety".into()],
                diagnoses: vec!["awaiting autism assessment".into()],
            },
            setting_name: "Millbrook Primary School".into(),
            setting_kind: SettingKind::Maintained,
            governance: None,
            authority: Some("Westshire County Council".into()),
            jurisdiction: "england".into(),
        },
    )?;
    let people = [
        (
            "Mrs Helen Carter",
            Role::HeadTeacher,
            Some("head@millbrook.example"),
        ),
        (
            "Mr David Osei",
            Role::ClassTeacher,
            Some("d.osei@millbrook.example"),
        ),
        (
            "Ms Priya Shah",
            Role::Senco,
            Some("senco@millbrook.example"),
        ),
        ("Tyler Brooks", Role::OtherChild, None),
        ("Dr Ruth Evans", Role::Gp, None),
        (
            "Mr Ian Fletcher",
            Role::ChairOfGovernors,
            Some("governors@millbrook.example"),
        ),
    ];
    for (name, role, email) in people {
        add_person(
            store,
            &case,
            NewPerson {
                name: name.into(),
                role,
                organisation: None,
                email: email.map(Into::into),
                phone: None,
            },
        )?;
    }
    let terms = casebook_calendar::TermCalendar::from_toml(include_str!(
        "../../../rules/example-terms.toml"
    ))
    .map_err(|e| crate::AppError::Invalid(e.to_string()))?;
    crate::set_term_dates(store, &case, &terms)?;
    let pack = crate::rule_pack(&case.jurisdiction)?;
    let calendar = crate::calendar_for(&pack, Some(terms));
    let due = |rule: &str, from: &str| -> AppResult<Option<CaseDate>> {
        let inputs = casebook_rules::Inputs {
            from: Occurred::parse(from).ok().map(|o| o.earliest()),
            ..Default::default()
        };
        casebook_rules::compute(&pack, &calendar, rule, &inputs)
            .map_err(|e| crate::AppError::Invalid(e.to_string()))
            .and_then(|d| Ok(Some(CaseDate::new(d.due)?)))
    };
    let file = CaseFile {
        store,
        blobs,
        clock,
        case: case.clone(),
    };
    for entry in story(&due)? {
        file.log(entry)?;
    }
    Ok(case)
}

fn entry(occurred: &str, summary: &str, facts: Facts) -> NewEntry {
    NewEntry {
        // The story's dates are fixed and valid; a typo here would show as an unreadable
        // date and fail the demo tests.
        occurred: Occurred::from_stored(occurred),
        author: "parent or carer".into(),
        summary: summary.into(),
        details: None,
        sources: vec![],
        facts,
        links: vec![],
        attachments: vec![],
    }
}

fn message(channel: Channel, direction: Direction, to: &[u32], from: Option<u32>) -> Facts {
    Facts::Communication(facts::Communication {
        channel,
        direction,
        from: from.map(PersonId),
        to: to.iter().copied().map(PersonId).collect(),
        cc: vec![],
        subject: None,
        message_id: None,
        sent: None,
        dated_by: None,
        content_digest: None,
    })
}

fn link(rel: Relation, target: u64) -> Vec<Link> {
    vec![Link {
        rel,
        target: EntryId(target),
    }]
}

type DueDate<'a> = &'a dyn Fn(&str, &str) -> AppResult<Option<CaseDate>>;

fn story(due: DueDate<'_>) -> AppResult<Vec<NewEntry>> {
    let (head, teacher, senco, other) = (1, 2, 3, 4);
    Ok(vec![
        // e1
        NewEntry {
            details: Some("Alex came out of school with a torn sleeve and would not talk in the car. At home he said Tyler pushed him against the coat pegs and called him a freak in front of the others.".into()),
            sources: vec!["what Alex told me at 15:40".into()],
            attachments: vec![NewAttachment { name: "torn-sleeve.jpg".into(), bytes: include_bytes!("../demo/torn-sleeve.jpg").to_vec() }],
            ..entry("2026-09-15T12:20", "Pushed against the coat pegs and called names in the cloakroom", Facts::Incident(facts::Incident {
                place: Some("Year 6 cloakroom".into()),
                categories: vec![Category::Physical, Category::Verbal],
                involved: vec![PersonId(other)],
                child_words: Some("He said I'm a freak and everyone laughed.".into()),
                reported_to: Some(PersonId(teacher)),
                reported_on: Occurred::parse("2026-09-16").ok(),
                school_response: Some("Mr Osei said he would speak to both boys.".into()),
                school_word: Some("a falling-out".into()),
                ..Default::default()
            }))
        },
        // e2
        entry("2026-09-16T08:45", "Told Mr Osei at the classroom door about the cloakroom incident", message(Channel::InPerson, Direction::Sent, &[teacher], None)),
        // e3
        entry("2026-09-22", "Alex refused to get dressed for school and cried for an hour", Facts::Observation(facts::Observation {
            signs: vec![Sign::Refusal, Sign::Distress],
            child_words: Some("Please don't make me go, it will happen again.".into()),
        })),
        // e4
        entry("2026-09-24T12:30", "Lunch taken and thrown in the bin on the playground", Facts::Incident(facts::Incident {
            place: Some("playground".into()),
            categories: vec![Category::Property, Category::Relational],
            involved: vec![PersonId(other)],
            school_word: Some("a niggle".into()),
            ..Default::default()
        })),
        // e5
        NewEntry {
            details: Some("Mrs Carter said the school is monitoring the situation and that the boys have been spoken to. I asked for a copy of the anti-bullying policy and a meeting with the SENCO.".into()),
            ..entry("2026-09-25T16:10", "Phone call with Mrs Carter about the lunchtime incident", message(Channel::Phone, Direction::Sent, &[head], None))
        },
        // e6
        NewEntry {
            links: link(Relation::Confirms, 5),
            ..entry("2026-09-25T19:30", "Email to Mrs Carter confirming what was said on the phone", message(Channel::Email, Direction::Sent, &[head], None))
        },
        // e7
        entry("2026-09-26", "Asked for the anti-bullying, behaviour and SEN policies and the SEN information report", Facts::Request(facts::Request {
            to: Some(PersonId(head)),
            rule: None,
            due: "2026-10-10".parse().ok(),
        })),
        // e8
        entry("2026-09-29", "Asked for a meeting with the SENCO about support", Facts::Meeting(facts::Meeting {
            purpose: Some("SEN support and a plan for unstructured times".into()),
            requested_only: true,
            ..Default::default()
        })),
        // e9
        entry("2026-10-01", "Subject access request to the school for all of Alex's records", Facts::Request(facts::Request {
            to: Some(PersonId(head)),
            rule: Some("subject-access".into()),
            due: due("subject-access", "2026-10-01")?,
        })),
        // e10
        NewEntry {
            attachments: vec![NewAttachment { name: "gp-letter.pdf".into(), bytes: include_bytes!("../demo/gp-letter.pdf").to_vec() }],
            ..entry("2026-10-05", "Off school with stomach aches and panic before school", Facts::Absence(facts::Absence {
                until: "2026-10-09".parse().ok(),
                sessions: Some(10),
                authorised: Some(true),
                evidence: Some("Letter from Dr Evans, 6 October 2026".into()),
                ..facts::Absence::new(AbsenceReason::MentalHealth)
            }))
        },
        // e11
        NewEntry {
            sources: vec!["Dr Evans at the appointment".into()],
            ..entry("2026-10-06T10:00", "GP appointment: Dr Evans linked the symptoms to anxiety about school", Facts::Note)
        },
        // e12
        entry("2026-10-13T15:30", "Meeting with Ms Shah and Mr Osei", Facts::Meeting(facts::Meeting {
            attendees: vec![
                Attendee { person: PersonId(senco), side: Side::School },
                Attendee { person: PersonId(teacher), side: Side::School },
            ],
            purpose: Some("Bullying and SEN support".into()),
            points_raised: vec![
                "Alex has been pushed and called names by the same pupil since September".into(),
                "Alex is too anxious to attend on some days and the GP has written about it".into(),
                "We asked the school to put Alex on the SEN register and write a support plan".into(),
                "We asked for a safe space at lunchtime".into(),
            ],
            actions: vec![facts::Action {
                who: Some(PersonId(senco)),
                what: "Draft an SEN support plan and share it with the family".into(),
                by: "2026-10-23".parse().ok(),
            }],
            requested_only: false,
            invited: false,
        })),
        // e13
        entry("2026-10-20T12:15", "Called names and excluded from the football game", Facts::Incident(facts::Incident {
            place: Some("field".into()),
            categories: vec![Category::Verbal, Category::Relational],
            involved: vec![PersonId(other)],
            witnesses: vec![PersonId(teacher)],
            child_words: Some("They said I can't play because I'm weird.".into()),
            ..Default::default()
        })),
        // e14
        NewEntry {
            links: link(Relation::MinutesOf, 12),
            ..entry("2026-11-02", "Minutes of the 13 October meeting received from the school", Facts::Document(facts::Document {
                document_type: DocumentType::Minutes,
                title: Some("Notes of meeting 13 October 2026".into()),
                issued_by: Some("Millbrook Primary School".into()),
            }))
        },
        // e15
        entry("2026-11-03", "Formal complaint to the head teacher (stage 1)", Facts::Request(facts::Request {
            to: Some(PersonId(head)),
            rule: Some("complaint-stage-1-response".into()),
            due: due("complaint-stage-1-response", "2026-11-03")?,
        })),
        // e16
        entry("2026-11-04", "Meltdown after school; could not settle until late", Facts::Observation(facts::Observation {
            signs: vec![Sign::Meltdown, Sign::Sleep],
            child_words: None,
        })),
        // e17
        entry("2026-11-10T09:00", "Head teacher said on the phone the complaint would be answered after half-term", message(Channel::Phone, Direction::Received, &[], Some(head))),
        // e18
        NewEntry {
            links: link(Relation::Answers, 15),
            ..entry("2026-11-12", "School's reply to the complaint: the incidents are \"friendship issues\"", Facts::Decision(facts::Decision {
                by: DecisionMaker::School,
                outcome: Outcome::NotUpheld,
            }))
        },
        // e19
        entry("2026-11-13", "Asked Mrs Carter for a meeting about the reply to the complaint", Facts::Meeting(facts::Meeting {
            purpose: Some("The complaint and a plan to keep Alex safe".into()),
            requested_only: true,
            ..Default::default()
        })),
    ])
}
