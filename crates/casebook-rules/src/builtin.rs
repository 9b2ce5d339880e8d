//! The rule packs compiled into casebook, so it needs no files at run time.

use crate::error::{RuleError, invalid};
use crate::pack::Pack;

/// The packs built into casebook.
pub fn builtin_pack(id: &str) -> Result<Pack, RuleError> {
    macro_rules! files {
        ($($path:literal),* $(,)?) => { &[$(($path, include_str!(concat!("../../../rules/", $path)))),*] };
    }
    let files: &[(&str, &str)] = match id {
        "england" => files!(
            "england/pack.toml",
            "england/complaints.toml",
            "england/records.toml",
            "england/send.toml",
            "england/exclusions.toml",
            "england/attendance.toml",
            "england/tribunal-bundle.toml",
        ),
        "us-idea" => files!("us-idea/pack.toml"),
        other => {
            return invalid(format!(
                "There is no rule pack for \"{other}\": casebook has england and us-idea."
            ));
        }
    };
    Pack::from_files(files)
}
