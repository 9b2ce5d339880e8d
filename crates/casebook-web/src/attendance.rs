//! Time out of school: the attendance a register would show, with its working, and
//! the hours lost each week, drawn.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{Attendance, hours};
use casebook_domain::{Need, parse_date, uk_date};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::visit::{Chrome, Visit, page};

#[derive(Deserialize, Default, Clone)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct WeekRow {
    week: String,
    missed: String,
    lost: String,
}

#[derive(Template)]
#[template(path = "attendance.html")]
struct AttendancePage {
    chrome: Chrome,
    period: Period,
    problem: String,
    problem_at: &'static str,
    working: Vec<String>,
    weeks: Vec<WeekRow>,
    hours_known: bool,
    chart: Option<(String, String, String)>,
}

pub async fn attendance<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(period): Query<Period>,
) -> Response {
    visit
        .run(Need::Read, "looked at attendance", move |p| {
            let today = p.file.clock.today();
            let mut shown = AttendancePage {
                chrome: p.chrome.clone(),
                period: period.clone(),
                problem: String::new(),
                problem_at: "from",
                working: vec![],
                weeks: vec![],
                hours_known: false,
                chart: None,
            };
            let day = |text: &str, at: &'static str, shown: &mut AttendancePage| match text.trim() {
                "" => Ok(None),
                text => parse_date(text).map(Some).map_err(|e| {
                    shown.problem = e.to_string();
                    shown.problem_at = at;
                }),
            };
            let (Ok(from), Ok(to)) = (
                day(&period.from, "from", &mut shown),
                day(&period.to, "to", &mut shown),
            ) else {
                return page(&shown);
            };
            let to = to.unwrap_or(today);
            let from = match from {
                Some(from) => from,
                None => p.file.school_year_start(to)?,
            };
            if shown.period.from.is_empty() {
                shown.period.from = from.to_string();
            }
            if shown.period.to.is_empty() {
                shown.period.to = to.to_string();
            }
            let counted: Attendance = match p.file.attendance(from, to) {
                Ok(counted) => counted,
                Err(e) => {
                    shown.problem = e.to_string();
                    shown.problem_at = "to";
                    return page(&shown);
                }
            };
            shown.working = counted.working();
            shown.hours_known = counted.school_day.is_some();
            shown.weeks = counted
                .weeks
                .iter()
                .filter(|w| w.missed > 0 || w.minutes_lost.is_some_and(|m| m > 0))
                .map(|w| WeekRow {
                    week: uk_date(w.monday),
                    missed: format!("{} of {}", w.missed, w.possible),
                    lost: w.minutes_lost.map(hours).unwrap_or_default(),
                })
                .collect();
            shown.chart = counted.chart().map(|c| (c.title, c.caption, c.svg));
            page(&shown)
        })
        .await
}
