//! The pack format. Files are TOML; `pack.toml` names the pack, every other file holds
//! `[[rule]]` tables. Unknown keys are refused, so a typo never silently drops a fact.

use casebook_calendar::{Holidays, Nation, Unit};
use serde::{Deserialize, Serialize};

use crate::error::{Input, RuleError, invalid, refused};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// A step with a time limit.
    #[default]
    Deadline,
    /// A next step with no time limit of its own (refer to Ofsted, write to an MP).
    Step,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Statutory,
    StatutoryGuidance,
    GoodPractice,
    CaseLaw,
    SchoolPolicy,
}

impl Status {
    pub fn phrase(self) -> &'static str {
        match self {
            Status::Statutory => "law: an Act or regulations",
            Status::StatutoryGuidance => "statutory guidance",
            Status::GoodPractice => "good practice: not binding",
            Status::CaseLaw => "case law",
            Status::SchoolPolicy => "the school's own policy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choose {
    Later,
    Earlier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Adjust {
    #[default]
    None,
    /// HESC Rules r.20: ending in August → first working day of September; ending
    /// 25 December to 1 January → first working day after 1 January.
    SendTribunalHolidays,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub count: i64,
    pub unit: String,
    /// For the options of a two-way rule: "from" or "certificate".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

impl Limit {
    pub fn unit(&self) -> Result<Unit, RuleError> {
        Unit::parse(&self.unit).map_err(RuleError::from)
    }
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub procedure: String,
    pub step: String,
    pub actor: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: RuleKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choose: Option<Choose>,
    #[serde(default, rename = "option", skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Limit>,
    pub starts: String,
    /// "after" (the event's day is day 0) or "start" (it is day 1).
    #[serde(default = "after")]
    pub day_one: String,
    /// "nation" or "uk" (any part of the UK's bank holidays stop the clock).
    #[serde(default = "nation")]
    pub holidays: String,
    /// "none" or "next-working-day".
    #[serde(default = "none")]
    pub roll: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub adjust: Adjust,
    /// "none" or "next-school-day".
    #[serde(default = "none")]
    pub start_rule: String,
    #[serde(default)]
    pub postal: bool,
    /// "law", "school-policy" (the user enters the school's figure) or "family" (the
    /// date the family's own letter asks for).
    #[serde(default = "law")]
    pub set_by: String,
    pub status: Status,
    pub source: String,
    /// The provision's own words for its time limit, quoted: "beginning with" or
    /// "starting with" a day makes that day the first (`day_one = "start"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(default)]
    pub verify: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub if_late: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub if_refused: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub governance: Vec<String>,
    /// The place a step holds on the way up ("above-the-head"): a step this setting
    /// does not have gives way to the step at the same place that it does have, so a
    /// school with no governing board sends the family to the council, not to governors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rung: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

fn after() -> String {
    "after".into()
}
fn nation() -> String {
    "nation".into()
}
fn none() -> String {
    "none".into()
}
fn law() -> String {
    "law".into()
}

impl Rule {
    /// "6 weeks", "the later of 2 calendar months or 1 calendar month", "a step".
    pub fn limit_text(&self) -> String {
        match (&self.limit, self.choose) {
            (Some(l), _) => l.unit().map(|u| u.amount(l.count)).unwrap_or_default(),
            (None, Some(choose)) => {
                let parts: Vec<String> = self
                    .options
                    .iter()
                    .map(|o| {
                        let from = if o.from.as_deref() == Some("certificate") {
                            " from the certificate"
                        } else {
                            ""
                        };
                        format!(
                            "{}{from}",
                            o.unit().map(|u| u.amount(o.count)).unwrap_or_default()
                        )
                    })
                    .collect();
                let which = if choose == Choose::Later {
                    "later"
                } else {
                    "earlier"
                };
                format!("the {which} of {}", parts.join(" or "))
            }
            (None, None) => "no fixed limit".into(),
        }
    }

    /// The unit, named for JSON output: the first option's for a two-way rule.
    pub fn unit_slug(&self) -> &str {
        self.limit
            .as_ref()
            .or(self.options.first())
            .map_or("none", |l| l.unit.as_str())
    }

    fn check(&self) -> Result<(), RuleError> {
        let fail = |what: &str| invalid(format!("Rule {} in the rule pack {what}.", self.id));
        for l in self.limit.iter().chain(&self.options) {
            l.unit()?;
            if l.count < 0 {
                return fail("has a negative limit");
            }
        }
        match (self.kind, &self.limit, self.choose, self.options.len()) {
            (RuleKind::Deadline, Some(_), None, 0) | (RuleKind::Step, None, None, 0) => {}
            (RuleKind::Deadline, None, Some(_), n) if n >= 2 => {}
            _ => {
                return fail(
                    "needs either one limit, or `choose` with two or more options, or kind = \"step\"",
                );
            }
        }
        let known = [
            ("day_one", self.day_one.as_str(), &["after", "start"][..]),
            ("holidays", &self.holidays, &["nation", "uk"]),
            ("roll", &self.roll, &["none", "next-working-day"]),
            ("start_rule", &self.start_rule, &["none", "next-school-day"]),
            ("set_by", &self.set_by, &["law", "school-policy", "family"]),
        ];
        for (key, value, allowed) in known {
            if !allowed.contains(&value) {
                return fail(&format!(
                    "has {key} = \"{value}\", which is not one of {}",
                    allowed.join(", ")
                ));
            }
        }
        if self.source.trim().is_empty() {
            return fail("names no source: every figure needs one");
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    pub name: String,
    pub what: String,
}

/// A limit on the pages of what a family sends, such as the SEND Tribunal's limit on
/// a party's evidence for each kind of appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PageLimit {
    pub id: String,
    /// What the limit is for, as a sentence ends: "a party's evidence in an appeal
    /// against a refusal to assess".
    pub name: String,
    pub pages: usize,
    /// `bundle` for the whole bundle, `report` for each expert report in it.
    pub applies_to: String,
    pub source: String,
    #[serde(default)]
    pub verify: bool,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub id: String,
    pub name: String,
    pub holidays: Holidays,
    pub rules: Vec<Rule>,
    pub advice: Vec<Advice>,
    pub page_limits: Vec<PageLimit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: Option<PackHeader>,
    #[serde(default)]
    advice: Vec<Advice>,
    #[serde(default)]
    rule: Vec<Rule>,
    #[serde(default, rename = "page-limit")]
    page_limit: Vec<PageLimit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackHeader {
    id: String,
    name: String,
    bank_holidays: String,
}

impl Pack {
    /// Builds a pack from its files' contents (name, text), checking every rule.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Pack, RuleError> {
        let mut header = None;
        let mut rules: Vec<Rule> = Vec::new();
        let mut advice = Vec::new();
        let mut page_limits: Vec<PageLimit> = Vec::new();
        for (name, text) in files {
            let file: PackFile = toml::from_str(text).map_err(|e| {
                RuleError::Invalid(format!(
                    "The rule file {name} cannot be read: {}",
                    e.message().trim_end()
                ))
            })?;
            if file.pack.is_some() {
                header = file.pack;
            }
            advice.extend(file.advice);
            rules.extend(file.rule);
            page_limits.extend(file.page_limit);
        }
        if let Some(bad) = page_limits
            .iter()
            .find(|l| !matches!(l.applies_to.as_str(), "bundle" | "report") || l.source.is_empty())
        {
            return invalid(format!(
                "The page limit {} must apply to \"bundle\" or \"report\" and name its source.",
                bad.id
            ));
        }
        let Some(header) = header else {
            return invalid("The rule pack has no pack.toml naming it.");
        };
        for rule in &rules {
            rule.check()?;
            if rules.iter().filter(|r| r.id == rule.id).count() > 1 {
                return invalid(format!("The rule {} appears twice in the pack.", rule.id));
            }
        }
        for rule in &rules {
            if let Some(missing) = rule
                .if_late
                .iter()
                .chain(&rule.if_refused)
                .find(|id| rules.iter().all(|r| &r.id != *id))
            {
                return invalid(format!(
                    "Rule {} opens {missing}, which is not in the pack.",
                    rule.id
                ));
            }
        }
        let holidays = match header.bank_holidays.as_str() {
            "none" => Holidays::None,
            "uk" => Holidays::AnyUk,
            nation => Holidays::Nation(Nation::parse(nation)?),
        };
        Ok(Pack {
            id: header.id,
            name: header.name,
            holidays,
            rules,
            advice,
            page_limits,
        })
    }

    /// The page limits for one purpose (a kind of appeal), or a sentence listing them.
    pub fn page_limits_for(&self, purpose: &str) -> Result<Vec<&PageLimit>, RuleError> {
        let found: Vec<&PageLimit> = self
            .page_limits
            .iter()
            .filter(|l| l.id == purpose || l.applies_to == "report")
            .collect();
        if found.iter().any(|l| l.id == purpose) {
            return Ok(found);
        }
        let mut ids: Vec<&str> = self
            .page_limits
            .iter()
            .filter(|l| l.applies_to == "bundle")
            .map(|l| l.id.as_str())
            .collect();
        ids.dedup();
        invalid(if ids.is_empty() {
            format!("The {} rule pack has no page limits.", self.name)
        } else {
            format!(
                "There is no page limit \"{purpose}\" in the {} rule pack: use one of {}.",
                self.name,
                ids.join(", ")
            )
        })
    }

    /// The rule, or a sentence listing the closest ids.
    pub fn rule(&self, id: &str) -> Result<&Rule, RuleError> {
        if let Some(rule) = self.rules.iter().find(|r| r.id == id) {
            return Ok(rule);
        }
        let names = casebook_domain::close_matches(id, self.rules.iter().map(|r| r.id.as_str()));
        if names.is_empty() {
            refused(
                Input::Rule,
                format!("There is no rule \"{id}\" in the {} rule pack.", self.name),
            )
        } else {
            refused(
                Input::Rule,
                format!(
                    "There is no rule \"{id}\" in the {} rule pack; did you mean {}?",
                    self.name,
                    names.join(", ")
                ),
            )
        }
    }
}
