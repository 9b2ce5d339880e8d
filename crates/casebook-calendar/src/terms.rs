//! A setting's term dates: terms, and closures inside them (half-terms, INSET days).

use jiff::civil::Date;
use serde::Deserialize;

use crate::error::{CalendarError, invalid};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub name: String,
    pub start: Date,
    pub end: Date,
}

/// Days inside a term when the school is closed to pupils.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub name: String,
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermCalendar {
    terms: Vec<Term>,
    closures: Vec<Closure>,
}

/// What a school's calendar says about one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TermDay<'a> {
    InTerm,
    Closed(&'a str),
    Holiday,
}

impl TermCalendar {
    /// Terms must run forwards and must not overlap; closures must run forwards.
    pub fn new(mut terms: Vec<Term>, mut closures: Vec<Closure>) -> Result<Self, CalendarError> {
        if terms.is_empty() {
            return invalid("The term calendar has no terms.");
        }
        for t in &terms {
            if t.end < t.start {
                return invalid(format!(
                    "The term \"{}\" ends ({}) before it starts ({}).",
                    t.name,
                    casebook_domain::uk_date(t.end),
                    casebook_domain::uk_date(t.start)
                ));
            }
        }
        for c in &closures {
            if c.end < c.start {
                return invalid(format!(
                    "The closure \"{}\" ends ({}) before it starts ({}).",
                    c.name,
                    casebook_domain::uk_date(c.end),
                    casebook_domain::uk_date(c.start)
                ));
            }
        }
        terms.sort_by_key(|t| t.start);
        for pair in terms.windows(2) {
            if pair[1].start <= pair[0].end {
                return invalid(format!(
                    "The terms \"{}\" and \"{}\" overlap: check their dates.",
                    pair[0].name, pair[1].name
                ));
            }
        }
        closures.sort_by_key(|c| c.start);
        Ok(TermCalendar { terms, closures })
    }

    /// Reads the TOML form (see `rules/example-terms.toml`):
    ///
    /// ```toml
    /// [[term]]
    /// name = "Autumn term 2026"
    /// start = 2026-09-02
    /// end = 2026-12-18
    ///
    /// [[closure]]
    /// name = "INSET day"
    /// start = 2026-09-02     # end = ... for more than one day
    /// ```
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            term: Vec<Entry>,
            #[serde(default)]
            closure: Vec<Entry>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Entry {
            name: String,
            start: toml::value::Datetime,
            end: Option<toml::value::Datetime>,
        }
        let file: File = toml::from_str(text).map_err(|e| {
            CalendarError::Invalid(format!("The term dates cannot be read: {}", e.message()))
        })?;
        let date = |d: &toml::value::Datetime, name: &str| -> Result<Date, CalendarError> {
            d.date
                .filter(|_| d.time.is_none())
                .and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok())
                .ok_or_else(|| {
                    CalendarError::Invalid(format!("\"{name}\" needs a date such as 2026-09-02."))
                })
        };
        let mut terms = Vec::new();
        for e in &file.term {
            let start = date(&e.start, &e.name)?;
            let Some(end) = &e.end else {
                return invalid(format!("The term \"{}\" needs an end date.", e.name));
            };
            terms.push(Term {
                name: e.name.clone(),
                start,
                end: date(end, &e.name)?,
            });
        }
        let mut closures = Vec::new();
        for e in &file.closure {
            let start = date(&e.start, &e.name)?;
            let end = e
                .end
                .as_ref()
                .map(|d| date(d, &e.name))
                .transpose()?
                .unwrap_or(start);
            closures.push(Closure {
                name: e.name.clone(),
                start,
                end,
            });
        }
        TermCalendar::new(terms, closures)
    }

    /// For calendars built in code, already in order.
    pub(crate) fn from_parts(terms: Vec<Term>, closures: Vec<Closure>) -> Self {
        TermCalendar { terms, closures }
    }

    /// The TOML form, which [`from_toml`](Self::from_toml) reads back.
    pub fn to_toml(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out = String::new();
        for t in &self.terms {
            out.push_str(&format!(
                "[[term]]\nname = {}\nstart = {}\nend = {}\n\n",
                quote(&t.name),
                t.start,
                t.end
            ));
        }
        for c in &self.closures {
            out.push_str(&format!(
                "[[closure]]\nname = {}\nstart = {}\nend = {}\n\n",
                quote(&c.name),
                c.start,
                c.end
            ));
        }
        out
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    /// Whether the calendar speaks for `date`: between its first term's start and its
    /// last term's end.
    pub fn covers(&self, date: Date) -> bool {
        match (self.terms.first(), self.terms.last()) {
            (Some(first), Some(last)) => first.start <= date && date <= last.end,
            _ => false,
        }
    }

    pub(crate) fn day(&self, date: Date) -> TermDay<'_> {
        if !self.terms.iter().any(|t| t.start <= date && date <= t.end) {
            return TermDay::Holiday;
        }
        match self
            .closures
            .iter()
            .find(|c| c.start <= date && date <= c.end)
        {
            Some(c) => TermDay::Closed(&c.name),
            None => TermDay::InTerm,
        }
    }
}
