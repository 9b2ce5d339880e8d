//! Letters drafted from the case. Templates are text files with a short header
//! (`letters/england/*.txt`), built in and overridable: a file of the same name in the
//! family's own templates folder wins, so wording can change without recompiling. The
//! tone check reads every draft and any text the user asks about.

mod docx;
mod email;
mod error;
mod minutes;
mod templates;
mod tone;

pub use docx::{Run, table_docx, to_docx};
pub use email::{Envelope, to_eml};
pub use error::LetterError;
pub use minutes::{Match, PointCheck, check_minutes, minutes_text};
pub use templates::{Letter, Template, Templates};
pub use tone::{Finding, tone_check};
