//! Rule packs: the procedures of a jurisdiction as data (`rules/<pack>/*.toml`), each
//! step with who acts, its limit and unit, what starts the clock, its source, and what
//! opens when it is late or refused; and the engine that computes a step's date with
//! an explanation a parent can quote.

mod builtin;
mod compute;
mod error;
mod pack;

pub use builtin::builtin_pack;
pub use compute::{Deadline, Inputs, compute};
pub use error::{Input, RuleError};
pub use pack::{Adjust, Advice, Choose, Limit, Pack, PageLimit, Rule, RuleKind, Status};
