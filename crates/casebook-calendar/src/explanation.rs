//! How a date was counted, in words a parent can check with a paper calendar and quote
//! in a letter.

use jiff::civil::Date;
use serde::Serialize;

/// A run of consecutive days left out of a count, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub from: Date,
    pub to: Date,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// What was done, in order, one sentence each.
    pub steps: Vec<String>,
    /// Every day the count passed over, grouped into runs.
    pub skipped: Vec<Skipped>,
}

impl Explanation {
    pub fn step(&mut self, sentence: impl Into<String>) {
        self.steps.push(sentence.into());
    }

    /// Records a skipped day, joining it to the run before when it continues it.
    pub fn skip(&mut self, day: Date, reason: &str) {
        if let Some(last) = self.skipped.last_mut() {
            let next = last.to.tomorrow().ok();
            let same = last.reason == reason || (is_weekend(&last.reason) && is_weekend(reason));
            if next == Some(day) && same {
                last.to = day;
                if last.reason != reason {
                    last.reason = "weekend".into();
                }
                return;
            }
        }
        self.skipped.push(Skipped {
            from: day,
            to: day,
            reason: reason.to_owned(),
        });
    }

    pub fn extend(&mut self, other: Explanation) {
        self.steps.extend(other.steps);
        for s in other.skipped {
            self.skipped.push(s);
        }
    }

    /// The whole explanation as lines of text.
    pub fn lines(&self) -> Vec<String> {
        let mut out = self.steps.clone();
        if !self.skipped.is_empty() {
            let runs: Vec<String> = self.skipped.iter().map(Skipped::describe).collect();
            out.push(format!("Days not counted: {}.", runs.join("; ")));
        }
        out
    }
}

impl Skipped {
    fn describe(&self) -> String {
        if self.from == self.to {
            format!("{} ({})", long_date(self.from), self.reason)
        } else {
            format!(
                "{} to {} ({})",
                long_date(self.from),
                long_date(self.to),
                self.reason
            )
        }
    }
}

fn is_weekend(reason: &str) -> bool {
    matches!(reason, "Saturday" | "Sunday" | "weekend")
}

/// "Monday 13 April 2026".
pub fn long_date(d: Date) -> String {
    let day = match d.weekday() {
        jiff::civil::Weekday::Monday => "Monday",
        jiff::civil::Weekday::Tuesday => "Tuesday",
        jiff::civil::Weekday::Wednesday => "Wednesday",
        jiff::civil::Weekday::Thursday => "Thursday",
        jiff::civil::Weekday::Friday => "Friday",
        jiff::civil::Weekday::Saturday => "Saturday",
        jiff::civil::Weekday::Sunday => "Sunday",
    };
    format!("{day} {}", casebook_domain::uk_date(d))
}
