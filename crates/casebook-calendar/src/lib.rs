//! Calendar days, working days and school days, and how every date was counted.
//!
//! Working days skip weekends and the bank holidays of a nation (or of any part of the
//! UK, as the Freedom of Information Act counts them). School days also skip the
//! setting's holidays, half-terms and closures. When a setting's term dates are not
//! known, a typical English school year stands in and the answer says it is an estimate.

mod bank_holidays;
mod counting;
mod error;
mod explanation;
mod ics;
mod terms;
mod typical_year;

pub use bank_holidays::{BankHolidays, Holidays, Nation};
pub use counting::{Calendar, Computed, DayOne, Unit};
pub use error::CalendarError;
pub use explanation::{Explanation, Skipped, long_date};
pub use ics::unfold;
pub use terms::{Closure, Term, TermCalendar};
