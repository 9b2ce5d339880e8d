//! Finding, reading and rendering templates.
//!
//! A template starts with a header in a template comment, one `key: value` a line:
//!
//! ```text
//! {#
//! title: Confirm a phone call or meeting in writing
//! when: After any call or meeting, the same day if you can.
//! subject: Our conversation on {{ about[0].date }}
//! needs: about
//! reply: 5 working-days
//! #}
//! Dear {{ to.name }}, ...
//! ```
//!
//! `needs` lists what the case must supply (`about`, `to`, or a role such as
//! `head-teacher`), so a missing fact is reported before rendering, in words. `reply`
//! is a rule id or a limit that sets the reply-by date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::error::{LetterError, invalid};

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../letters/england/", $name, ".txt")))),*]
    };
}

/// The letters built into casebook.
const BUILTIN: &[(&str, &str)] = builtin!(
    "all-contact-in-writing",
    "amend-minutes",
    "chair-of-governors",
    "chase-reply",
    "comment-draft-ehc-plan",
    "complaint-stage-1",
    "complaint-stage-2",
    "confirm-in-writing",
    "council-complaint",
    "council-late",
    "decline-mediation-with-bully",
    "early-annual-review",
    "educational-record-request",
    "exam-access-arrangements",
    "foi-request",
    "informal-exclusion",
    "gp-referral-letter",
    "medical-conditions",
    "mediation-adviser",
    "notify-illness-absence",
    "penalty-notice-response",
    "refer-dfe",
    "refer-ofsted",
    "reduced-timetable",
    "refer-ombudsman",
    "report-bullying",
    "request-ehc-assessment",
    "request-meeting",
    "request-policies",
    "section-19-request",
    "sen-support-meeting",
    "subject-access-request",
    "write-to-mp",
);

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub id: String,
    pub title: String,
    pub when: String,
    pub subject: String,
    pub needs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// The reply asked for instead when the family wants mediation (`reply-with-mediation`):
    /// the council must then arrange it, rather than issue a certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_with_mediation: Option<String>,
    /// Silence means agreement (`silence: agreement`): the date in the letter is for
    /// corrections, so no reply is waited for and nothing goes late.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub silence_agrees: bool,
    /// Where it came from: "built in" or the override file's path.
    pub origin: String,
    #[serde(skip)]
    body: String,
    /// Lines before the body, so errors give the line in the file.
    #[serde(skip)]
    offset: usize,
}

impl Template {
    /// The reply the letter asks for, given whether the family wants mediation.
    pub fn reply_for(&self, wants_mediation: bool) -> Option<&str> {
        match (&self.reply_with_mediation, wants_mediation) {
            (Some(reply), true) => Some(reply),
            _ => self.reply.as_deref(),
        }
    }
}

/// A rendered letter.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    pub template: String,
    pub subject: String,
    pub body: String,
}

/// The built-in templates, with any of the family's own in `overrides` taking their
/// place or adding to them.
#[derive(Debug)]
pub struct Templates {
    all: BTreeMap<String, Template>,
}

impl Templates {
    pub fn load(overrides: Option<&Path>) -> Result<Templates, LetterError> {
        let mut all = BTreeMap::new();
        for (id, text) in BUILTIN {
            all.insert((*id).to_owned(), parse(id, text, "built in")?);
        }
        if let Some(dir) = overrides {
            let entries = std::fs::read_dir(dir).map_err(|e| {
                LetterError::Invalid(format!(
                    "The templates folder {} cannot be read: {e}.",
                    dir.display()
                ))
            })?;
            let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            {
                let Some(id) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
                    continue;
                };
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    LetterError::Invalid(format!("{} cannot be read: {e}.", path.display()))
                })?;
                all.insert(id.clone(), parse(&id, &text, &path.display().to_string())?);
            }
        }
        Ok(Templates { all })
    }

    pub fn list(&self) -> impl Iterator<Item = &Template> {
        self.all.values()
    }

    pub fn get(&self, id: &str) -> Result<&Template, LetterError> {
        self.all.get(id).map_or_else(
            || {
                let close = casebook_domain::close_matches(id, self.all.keys().map(String::as_str));
                if close.is_empty() {
                    invalid(format!("There is no letter called \"{id}\"."))
                } else {
                    invalid(format!(
                        "There is no letter called \"{id}\"; did you mean {}?",
                        close.join(", ")
                    ))
                }
            },
            Ok,
        )
    }
}

impl Template {
    /// Fills the template from `context`. Anything the template asks for that the
    /// context lacks is an error naming it, never a blank in the letter.
    pub fn render(&self, context: &serde_json::Value) -> Result<Letter, LetterError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A runaway loop in an edited template stops instead of hanging.
        env.set_fuel(Some(200_000));
        let ctx = minijinja::Value::from(minijinja::value::Serde(context));
        let render = |what: &str, source: &str| -> Result<String, LetterError> {
            env.render_str(source, ctx.clone())
                .map_err(|e| self.explain(what, &e))
        };
        let body = render("letter", &self.body)?;
        let subject = render("subject", &self.subject)?;
        Ok(Letter {
            template: self.id.clone(),
            subject: subject.trim().to_owned(),
            body: tidy(&body),
        })
    }

    fn explain(&self, what: &str, e: &minijinja::Error) -> LetterError {
        let line = e
            .line()
            .map(|l| format!(" at line {}", l + self.offset))
            .unwrap_or_default();
        let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
        let place = if self.origin == "built in" {
            format!("the {} template", self.id)
        } else {
            self.origin.clone()
        };
        match e.kind() {
            minijinja::ErrorKind::UndefinedError => LetterError::Invalid(format!(
                "The {what} in {place} uses something this case does not have{line}{detail}: add it to the case, or edit the template."
            )),
            _ => LetterError::Invalid(format!("{place} has a mistake{line}{detail}.")),
        }
    }
}

/// Reads the header and keeps the body.
fn parse(id: &str, text: &str, origin: &str) -> Result<Template, LetterError> {
    let where_ = if origin == "built in" {
        format!("the built-in {id} template")
    } else {
        origin.to_owned()
    };
    let Some(rest) = text.trim_start().strip_prefix("{#") else {
        return invalid(format!(
            "{where_} has no header: it must start with {{# title: ... #}}."
        ));
    };
    let Some((header, body)) = rest.split_once("#}") else {
        return invalid(format!(
            "{where_} has a header that is never closed with #}}."
        ));
    };
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    for line in header.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            return invalid(format!(
                "{where_} has a header line without a colon: \"{line}\"."
            ));
        };
        fields.insert(key.trim(), value.trim().to_owned());
    }
    let field = |key: &str| fields.get(key).cloned();
    let Some(title) = field("title") else {
        return invalid(format!("{where_} has no title in its header."));
    };
    // Check the template compiles now, so a mistake is found when it is listed.
    let mut env = Environment::new();
    let body = body.trim_start_matches(['\r', '\n']).to_owned();
    let header_lines = text[..text.len() - body.len()].lines().count();
    if let Err(e) = env.add_template_owned("letter", body.clone()) {
        let line = e
            .line()
            .map(|l| format!(" at line {}", l + header_lines))
            .unwrap_or_default();
        let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
        return invalid(format!("{where_} has a mistake{line}{detail}."));
    }
    Ok(Template {
        id: id.to_owned(),
        title,
        when: field("when").unwrap_or_default(),
        subject: field("subject").unwrap_or_else(|| "{{ child.name }}".into()),
        needs: field("needs")
            .map(|n| {
                n.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        reply: field("reply"),
        reply_with_mediation: field("reply-with-mediation"),
        silence_agrees: field("silence").is_some_and(|s| s == "agreement"),
        origin: origin.to_owned(),
        body,
        offset: header_lines,
    })
}

/// No runs of more than one blank line, no trailing spaces: template logic leaves both.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_owned() + "\n"
}
