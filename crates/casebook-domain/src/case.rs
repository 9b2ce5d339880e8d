use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::vocab::vocabulary;

/// A case's permanent identity. The slug is for people; the id goes into every
/// entry's hash so an entry cannot be moved to another case unnoticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub uuid::Uuid);

impl CaseId {
    pub fn random() -> Self {
        CaseId(uuid::Uuid::new_v4())
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One child and one setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub slug: String,
    pub child: Child,
    pub setting: Setting,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    pub jurisdiction: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_group: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// A diagnosis, or "awaiting assessment": no diagnosis is needed for support.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub name: String,
    pub kind: SettingKind,
    pub governance: Governance,
}

vocabulary! {
    /// The kind of school decides who hears a complaint and who the next step is.
    SettingKind, "kind of setting" {
        Maintained => "maintained", "LA-maintained school";
        Academy => "academy", "academy or free school";
        Independent => "independent", "independent school";
        Special => "special", "special school";
        AlternativeProvision => "alternative-provision", "alternative provision";
    }
}

impl SettingKind {
    /// Most settings of a kind are governed the same way; the user can say otherwise.
    pub fn usual_governance(self) -> Governance {
        match self {
            SettingKind::Maintained | SettingKind::Special => Governance::GoverningBoard,
            SettingKind::Academy => Governance::Trust,
            SettingKind::Independent => Governance::Proprietor,
            SettingKind::AlternativeProvision => Governance::Neither,
        }
    }
}

vocabulary! {
    /// Who sits above the head teacher: it decides where stage 2 of a complaint goes.
    Governance, "kind of governance" {
        GoverningBoard => "governing-board", "its own governing board";
        Trust => "trust", "an academy trust";
        Proprietor => "proprietor", "a proprietor (an independent school)";
        InterimExecutiveBoard => "interim-executive-board", "an interim executive board";
        Neither => "neither", "none of these: the council answers for the school";
    }
}

/// Slugs name cases on the command line and in URLs: lower-case letters, digits and
/// hyphens only, so they never need quoting.
pub fn validate_slug(slug: &str) -> Result<(), DomainError> {
    let ok = !slug.is_empty()
        && slug.len() <= 40
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(DomainError::invalid(format!(
            "\"{slug}\" cannot be a case name: use up to 40 lower-case letters, digits and hyphens, such as sam-2026."
        )))
    }
}
