//! Pictures where a reader would rather look than read: plain SVG, written here, so the
//! same vector drawing goes into the PDF (through typst) and the HTML bundle.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use casebook_domain::{CaseDate, EntryKind, Facts, Person, facts::Absence};

use crate::attendance::{SchoolDay, Week};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use crate::privacy::pseudonymise;
use crate::timeline::{RequestState, TimelineItem};

/// One chart: a title, a sentence on how to read it, and the drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub title: String,
    pub caption: String,
    pub svg: String,
}

const WIDTH: f64 = 640.0;
const INK: &str = "#222";
const INCIDENT: &str = "#b3472d";
const ABSENCE: &str = "#3b6ea5";
const ANSWERED: &str = "#5b8c5a";
const LATE: &str = "#b3472d";
const OPEN: &str = "#c9a227";
/// Beyond this many weeks the weekly charts would be too thin to read: they count
/// by month instead.
const MOST_WEEKS: i32 = 60;

/// Every chart the selection has data for, in the order a reader wants them.
pub fn charts(
    items: &[TimelineItem],
    people: &[Person],
    real_names: bool,
    today: Date,
) -> Vec<Chart> {
    let private = |t: &str| {
        if real_names {
            t.to_owned()
        } else {
            pseudonymise(t, people)
        }
    };
    let incidents: Vec<&TimelineItem> = items
        .iter()
        .filter(|i| i.kind == EntryKind::Incident)
        .collect();
    let mut out = Vec::new();
    if !incidents.is_empty() {
        out.extend(over_time(items, &incidents));
        let places = count(incidents.iter().map(|i| match &i.facts {
            Some(Facts::Incident(f)) => f.place.as_deref().map_or("not recorded".into(), private),
            _ => "not recorded".into(),
        }));
        out.push(bars(
            "Incidents by place",
            "How many recorded incidents happened in each place.",
            places,
        ));
        let mut days = [0u32; 7];
        for i in &incidents {
            days[usize::from(i.occurred.span().0.weekday().to_monday_zero_offset() as u8)] += 1;
        }
        let weekdays = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        let by_day = weekdays
            .iter()
            .zip(days)
            .filter(|(name, n)| *n > 0 || !name.starts_with('S'))
            .map(|(name, n)| (name.to_string(), f64::from(n), INCIDENT))
            .collect();
        out.push(bars(
            "Incidents by day of the week",
            "How many recorded incidents fell on each day.",
            by_day,
        ));
        let categories = count(incidents.iter().flat_map(|i| match &i.facts {
            Some(Facts::Incident(f)) if !f.categories.is_empty() => {
                f.categories.iter().map(|c| c.phrase().to_owned()).collect()
            }
            _ => vec!["not recorded".to_owned()],
        }));
        out.push(bars(
            "Incidents by kind",
            "How many recorded incidents were of each kind; one incident can be of several kinds.",
            categories,
        ));
    }
    if let Some(chart) = waiting(items, today, &private) {
        out.push(chart);
    }
    out
}

fn count(labels: impl Iterator<Item = String>) -> Vec<(String, f64, &'static str)> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for label in labels {
        *counts.entry(label).or_default() += 1;
    }
    let mut rows: Vec<(String, u32)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.into_iter()
        .map(|(label, n)| (label, f64::from(n), INCIDENT))
        .collect()
}

/// Incidents per week with the weeks the family wrote to or told the school marked,
/// and the same weeks with days absent beside the incidents.
fn over_time(items: &[TimelineItem], incidents: &[&TimelineItem]) -> Vec<Chart> {
    let first = incidents.iter().map(|i| i.occurred.span().0).min();
    let last = incidents.iter().map(|i| i.occurred.span().0).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let monthly = (last - first).get_days() / 7 > MOST_WEEKS;
    let period = |d: Date| {
        if monthly {
            d.first_of_month()
        } else {
            crate::attendance::monday_of(d)
        }
    };
    let mut periods = Vec::new();
    let mut at = period(first);
    while at <= last {
        periods.push(at);
        at = if monthly {
            at.saturating_add(1.month())
        } else {
            at.saturating_add(1.week())
        };
    }
    let slot = |d: Date| periods.binary_search(&period(d)).ok();
    let mut incident_counts = vec![0.0; periods.len()];
    let mut absent_days = vec![0.0; periods.len()];
    let mut reported = vec![false; periods.len()];
    for item in items {
        let day = item.occurred.span().0;
        match &item.facts {
            Some(Facts::Incident(f)) => {
                if let Some(s) = slot(day) {
                    incident_counts[s] += 1.0;
                }
                let told = f
                    .reported_on
                    .as_ref()
                    .map(|o| o.span().0)
                    .or(f.reported_to.map(|_| day));
                if let Some(s) = told.and_then(slot) {
                    reported[s] = true;
                }
            }
            Some(Facts::Communication(c)) if c.direction == casebook_domain::Direction::Sent => {
                if let Some(s) = slot(day) {
                    reported[s] = true;
                }
            }
            Some(Facts::Request(_)) => {
                if let Some(s) = slot(day) {
                    reported[s] = true;
                }
            }
            Some(Facts::Absence(Absence { until, .. })) => {
                let end = until.map_or(day, CaseDate::get);
                let mut d = day;
                while d <= end {
                    if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
                        && let Some(s) = slot(d)
                    {
                        absent_days[s] += 1.0;
                    }
                    d = d.saturating_add(1.day());
                }
            }
            _ => {}
        }
    }
    let unit = if monthly { "month" } else { "week" };
    let labels: Vec<String> = periods
        .iter()
        .map(|d| {
            if monthly {
                format!("{} {}", MONTHS[month(*d)], d.year())
            } else {
                format!("{} {}", d.day(), MONTHS[month(*d)])
            }
        })
        .collect();
    let mut out = vec![Chart {
        title: format!("Incidents each {unit}"),
        caption: format!(
            "Recorded incidents in each {unit} starting on the date shown. A triangle marks a {unit} in which the family reported an incident or wrote to the school."
        ),
        svg: columns(
            &labels,
            &[("incidents", INCIDENT, &incident_counts)],
            Some(&reported),
        ),
    }];
    if absent_days.iter().any(|d| *d > 0.0) {
        out.push(Chart {
            title: format!("Absences and incidents each {unit}"),
            caption: format!(
                "School days absent (weekdays of recorded absences) beside recorded incidents, in each {unit}."
            ),
            svg: columns(
                &labels,
                &[
                    ("incidents", INCIDENT, &incident_counts),
                    ("days absent", ABSENCE, &absent_days),
                ],
                None,
            ),
        });
    }
    out
}

/// Hours of teaching lost each week (or month, over a long period), from the first
/// week with time lost to the last: what a register's sessions hide.
pub(crate) fn hours_lost(weeks: &[Week], school_day: &SchoolDay) -> Option<Chart> {
    let lost = |w: &&Week| w.minutes_lost.is_some_and(|m| m > 0);
    let first = weeks.iter().position(|w| lost(&w))?;
    let last = weeks.iter().rposition(|w| lost(&w))?;
    let shown = &weeks[first..=last];
    let monthly = shown.len() > MOST_WEEKS as usize;
    let mut periods: Vec<(Date, f64)> = Vec::new();
    for week in shown {
        let start = if monthly {
            week.monday.first_of_month()
        } else {
            week.monday
        };
        let hours = week.minutes_lost.unwrap_or(0) as f64 / 60.0;
        match periods.last_mut() {
            Some((at, total)) if *at == start => *total += hours,
            _ => periods.push((start, hours)),
        }
    }
    let labels: Vec<String> = periods
        .iter()
        .map(|(d, _)| {
            if monthly {
                format!("{} {}", MONTHS[month(*d)], d.year())
            } else {
                format!("{} {}", d.day(), MONTHS[month(*d)])
            }
        })
        .collect();
    let values: Vec<f64> = periods
        .iter()
        .map(|(_, h)| (h * 10.0).round() / 10.0)
        .collect();
    let unit = if monthly { "month" } else { "week" };
    let time = |t: jiff::civil::Time| t.strftime("%H:%M").to_string();
    Some(Chart {
        title: format!("Hours of school lost each {unit}"),
        caption: format!(
            "Hours of teaching lost in each {unit} starting on the date shown, counted from the school day's times (morning {} to {}, afternoon {} to {}). A child sent home after registration is marked present for that session; the hours after they left are counted here.",
            time(school_day.morning.0),
            time(school_day.morning.1),
            time(school_day.afternoon.0),
            time(school_day.afternoon.1),
        ),
        svg: columns(&labels, &[("hours lost", ABSENCE, &values)], None),
    })
}

/// Each request the family made, and how many days it waited for an answer.
fn waiting(items: &[TimelineItem], today: Date, private: &dyn Fn(&str) -> String) -> Option<Chart> {
    let answered_on = |id| {
        items
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.occurred.span().0)
    };
    let rows: Vec<(String, f64, &'static str)> = items
        .iter()
        .filter_map(|item| {
            let sent = item.occurred.span().0;
            let (end, colour, state) = match item.request? {
                RequestState::Answered { by } => (answered_on(by)?, ANSWERED, "answered"),
                RequestState::Late { .. } => (today, LATE, "late"),
                RequestState::Open { .. } => (today, OPEN, "waiting"),
                RequestState::Withdrawn { .. } => return None,
            };
            let summary = item.summary.as_deref().map_or("[redacted]".into(), private);
            let label = format!("{} ({state})", shorten(&summary, 44));
            Some((label, (end - sent).get_days().max(0) as f64, colour))
        })
        .collect();
    (!rows.is_empty()).then(|| {
        bars(
            "Requests and how long each waited",
            "Days from each request to its answer, or to today for those not answered: green answered, amber waiting, red past its due date.",
            rows,
        )
    })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(d: Date) -> usize {
    usize::try_from(d.month() - 1).unwrap_or_default()
}

fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(most - 1).collect::<String>())
    }
}

/// Horizontal bars, one row per label, the count written at the end of each bar.
fn bars(title: &str, caption: &str, rows: Vec<(String, f64, &'static str)>) -> Chart {
    const ROW: f64 = 22.0;
    const LABEL: f64 = 300.0;
    let most = rows.iter().map(|r| r.1).fold(1.0, f64::max);
    let height = ROW * rows.len() as f64 + 10.0;
    let mut svg = open_svg(height);
    for (i, (label, value, colour)) in rows.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let length = (WIDTH - LABEL - 50.0) * value / most;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty}" text-anchor="end" font-size="11">{label}</text><rect x="{bx}" y="{y}" width="{length:.1}" height="{h}" fill="{colour}"/><text x="{vx:.1}" y="{ty}" font-size="11">{value}</text>"#,
            x = LABEL - 6.0,
            ty = y + 14.0,
            label = escape(label),
            bx = LABEL,
            h = ROW - 6.0,
            vx = LABEL + length + 4.0,
        );
    }
    svg.push_str("</svg>");
    Chart {
        title: title.into(),
        caption: caption.into(),
        svg,
    }
}

/// Columns per period, one colour per series, side by side, with optional marks.
fn columns(labels: &[String], series: &[(&str, &str, &[f64])], marks: Option<&[bool]>) -> String {
    const PLOT: f64 = 180.0;
    const LEFT: f64 = 34.0;
    const TOP: f64 = 24.0;
    let most = series
        .iter()
        .flat_map(|s| s.2.iter().copied())
        .fold(1.0, f64::max)
        .ceil();
    let slot = (WIDTH - LEFT - 10.0) / labels.len().max(1) as f64;
    let bar = (slot * 0.8) / series.len() as f64;
    let base = TOP + PLOT;
    let mut svg = open_svg(base + 70.0);
    // The scale: zero, half and the most, as whole numbers.
    for value in [0.0, (most / 2.0).round(), most] {
        let y = base - PLOT * value / most;
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#ccc" stroke-width="0.5"/><text x="{tx}" y="{ty:.1}" text-anchor="end" font-size="10">{value}</text>"##,
            x2 = WIDTH - 10.0,
            tx = LEFT - 4.0,
            ty = y + 3.5,
        );
    }
    // Label every column when they fit, otherwise every few.
    let every = (labels.len() as f64 * 40.0 / (WIDTH - LEFT))
        .ceil()
        .max(1.0) as usize;
    for (i, label) in labels.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.1;
        for (k, (_, colour, values)) in series.iter().enumerate() {
            let h = PLOT * values[i] / most;
            let _ = write!(
                svg,
                r#"<rect x="{bx:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" fill="{colour}"/>"#,
                bx = x + bar * k as f64,
                y = base - h,
            );
        }
        if marks.is_some_and(|m| m[i]) {
            let cx = x + slot * 0.4;
            let _ = write!(
                svg,
                r#"<path d="M{a:.1} {t:.1} L{b:.1} {t:.1} L{cx:.1} {p:.1} Z" fill="{INK}"/>"#,
                a = cx - 4.0,
                b = cx + 4.0,
                t = TOP - 14.0,
                p = TOP - 6.0,
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{y}" font-size="9" transform="rotate(45 {x:.1} {y})">{label}</text>"#,
                y = base + 12.0,
                label = escape(label),
            );
        }
    }
    for (k, (name, colour, _)) in series.iter().enumerate() {
        let x = LEFT + 130.0 * k as f64;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/><text x="{tx}" y="{ty}" font-size="11">{name}</text>"#,
            y = base + 52.0,
            tx = x + 14.0,
            ty = base + 61.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn open_svg(height: f64) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="Libertinus Serif, serif" fill="{INK}">"#
    )
}

/// Text that came from the user, made safe inside SVG (and so inside HTML).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
