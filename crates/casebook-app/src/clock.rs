//! The one place casebook reads the time. Everything else asks a `Clock`, so tests and
//! demonstrations can pin "today" with `CASEBOOK_TODAY=YYYY-MM-DD`.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::AppError;

pub trait Clock: Send + Sync {
    /// The instant an entry is recorded.
    fn now(&self) -> Timestamp;
    /// The family's today, for deadlines and what is due.
    fn today(&self) -> Date;
}

/// The system clock, with today optionally pinned.
#[derive(Debug, Clone, Default)]
pub struct SystemClock {
    pinned_today: Option<Date>,
}

impl SystemClock {
    /// Reads `CASEBOOK_TODAY` when it is set; a malformed value is refused, not ignored.
    pub fn from_env() -> Result<Self, AppError> {
        match std::env::var("CASEBOOK_TODAY") {
            Ok(text) if !text.trim().is_empty() => {
                let date = casebook_domain::parse_date(&text)
                    .map_err(|e| AppError::Invalid(format!("CASEBOOK_TODAY: {e}")))?;
                Ok(SystemClock {
                    pinned_today: Some(date),
                })
            }
            _ => Ok(SystemClock::default()),
        }
    }
}

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one sanctioned read of the wall clock
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn today(&self) -> Date {
        self.pinned_today
            .unwrap_or_else(|| self.now().to_zoned(casebook_domain::uk_time_zone()).date())
    }
}

/// A clock that stands still, for tests.
#[derive(Debug, Clone)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }

    fn today(&self) -> Date {
        self.0.to_zoned(casebook_domain::uk_time_zone()).date()
    }
}
