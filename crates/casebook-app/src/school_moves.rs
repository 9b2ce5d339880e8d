//! A child who changes school during a dispute. The case keeps the school it was started
//! with and each move with the day the child started at the new school, so what to do
//! now and the letters follow the school the child is at today (an academy's routes, not
//! a maintained school's), and the bundle says which school when.

use casebook_domain::{Case, Setting, check_short_text, uk_date};
use casebook_store::{BlobStore, CaseStore};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, invalid};
use crate::record::CaseFile;

const SETTING: &str = "school-moves";

/// The child started at `setting` on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolMove {
    pub on: Date,
    pub setting: Setting,
}

/// One school the child has been at, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct School {
    pub setting: Setting,
    /// The first day there, when the case records a move to it.
    pub from: Option<Date>,
    /// The last day there, when the child has moved on.
    pub until: Option<Date>,
}

impl School {
    /// "Oakfield Primary (to 30 October 2026)", "Riverside Academy (from 2 November 2026)".
    pub fn when(&self) -> String {
        match (self.from, self.until) {
            (None, None) => self.setting.name.clone(),
            (Some(from), None) => format!("{} (from {})", self.setting.name, uk_date(from)),
            (None, Some(until)) => format!("{} (to {})", self.setting.name, uk_date(until)),
            (Some(from), Some(until)) => format!(
                "{} ({} to {})",
                self.setting.name,
                uk_date(from),
                uk_date(until)
            ),
        }
    }
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    fn moves(&self) -> AppResult<Vec<SchoolMove>> {
        self.store
            .case_setting(self.case.id, SETTING)?
            .map(|json| {
                serde_json::from_str(&json).map_err(|_| {
                    AppError::Invalid("The case's change of school cannot be read.".into())
                })
            })
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// Records that the child started at `setting` on `on`, after every earlier move.
    pub fn move_school(&self, on: Date, setting: Setting) -> AppResult<School> {
        check_short_text("setting's name", &setting.name)?;
        let mut moves = self.moves()?;
        if let Some(last) = moves.last()
            && on <= last.on
        {
            return invalid(format!(
                "The case already has a move on {}: a later move starts after it.",
                uk_date(last.on)
            ));
        }
        let current = moves.last().map_or(&self.case.setting, |m| &m.setting);
        if current.name == setting.name {
            return invalid(format!(
                "{} is already the child's school in this case.",
                setting.name
            ));
        }
        moves.push(SchoolMove { on, setting });
        let json = serde_json::to_string(&moves)
            .map_err(|e| AppError::Invalid(format!("The move cannot be saved: {e}.")))?;
        self.store.set_case_setting(self.case.id, SETTING, &json)?;
        Ok(self.schools()?.pop().unwrap_or_else(|| School {
            setting: self.case.setting.clone(),
            from: None,
            until: None,
        }))
    }

    /// Every school the child has been at in this case, first first.
    pub fn schools(&self) -> AppResult<Vec<School>> {
        let moves = self.moves()?;
        let mut schools = vec![School {
            setting: self.case.setting.clone(),
            from: None,
            until: None,
        }];
        for m in moves {
            if let Some(last) = schools.last_mut() {
                last.until = m.on.yesterday().ok();
            }
            schools.push(School {
                setting: m.setting,
                from: Some(m.on),
                until: None,
            });
        }
        Ok(schools)
    }

    /// The case as it stands on `day`: the school the child was at then.
    pub fn case_on(&self, day: Date) -> AppResult<Case> {
        let setting = self
            .moves()?
            .into_iter()
            .rfind(|m| m.on <= day)
            .map_or_else(|| self.case.setting.clone(), |m| m.setting);
        Ok(Case {
            setting,
            ..self.case.clone()
        })
    }
}
