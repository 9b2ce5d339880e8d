//! The one kind of date a case file holds. Every date in an entry is a `CaseDate`, and
//! the only way to make one is through [`CaseDate::new`], so a date that some reader
//! could not read (the year 2999 on a spam email, the year 1 on a broken mbox line)
//! can never be written in the first place.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::DomainError;
use crate::uk_date::{parse_date, uk_date};

/// A calendar date in the years a case can span: 1900 to 2200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseDate(Date);

impl CaseDate {
    pub const FIRST_YEAR: i16 = 1900;
    pub const LAST_YEAR: i16 = 2200;
    /// The last day a case can hold.
    pub const LAST: CaseDate = CaseDate(jiff::civil::date(Self::LAST_YEAR, 12, 31));

    pub fn new(date: Date) -> Result<Self, DomainError> {
        if (Self::FIRST_YEAR..=Self::LAST_YEAR).contains(&date.year()) {
            Ok(CaseDate(date))
        } else {
            Err(DomainError::invalid(format!(
                "{} is outside the years a case file holds ({} to {}).",
                uk_date(date),
                Self::FIRST_YEAR,
                Self::LAST_YEAR
            )))
        }
    }

    /// Whether a year can appear in a case file: for months and terms, which have no day.
    pub fn holds_year(year: i16) -> bool {
        (Self::FIRST_YEAR..=Self::LAST_YEAR).contains(&year)
    }

    pub fn get(self) -> Date {
        self.0
    }
}

impl From<CaseDate> for Date {
    fn from(d: CaseDate) -> Date {
        d.0
    }
}

impl TryFrom<Date> for CaseDate {
    type Error = DomainError;
    fn try_from(date: Date) -> Result<Self, DomainError> {
        CaseDate::new(date)
    }
}

impl fmt::Display for CaseDate {
    /// "3 March 2026".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&uk_date(self.0))
    }
}

impl std::str::FromStr for CaseDate {
    type Err = DomainError;
    /// `2026-03-03`, `3 March 2026` or `3/3/2026`.
    fn from_str(s: &str) -> Result<Self, DomainError> {
        parse_date(s).map(CaseDate)
    }
}

impl Serialize for CaseDate {
    /// `2026-03-03`, as jiff writes a date: entries written before this type existed
    /// hash the same.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CaseDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn only_the_years_of_a_case_are_held() {
        assert!(CaseDate::new(date(1900, 1, 1)).is_ok());
        assert!(CaseDate::new(date(2200, 12, 31)).is_ok());
        for year in [1, 1850, 1899, 2201, 2999, 9999] {
            let err = CaseDate::new(date(year, 12, 31)).unwrap_err().to_string();
            assert!(err.contains("outside the years"), "{year}: {err}");
        }
        assert_eq!(CaseDate::LAST.get(), date(2200, 12, 31));
    }

    #[test]
    fn written_as_jiff_writes_a_date_and_read_back_only_in_range() {
        let d = CaseDate::new(date(2026, 3, 3)).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-03-03\"");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            serde_json::to_string(&date(2026, 3, 3)).unwrap()
        );
        assert_eq!(
            serde_json::from_str::<CaseDate>("\"2026-03-03\"").unwrap(),
            d
        );
        assert!(serde_json::from_str::<CaseDate>("\"2999-12-31\"").is_err());
        assert!(serde_json::from_str::<CaseDate>("\"0001-01-01\"").is_err());
    }
}
