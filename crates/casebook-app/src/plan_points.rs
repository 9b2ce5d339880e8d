//! A logged EHC plan read by the plan check: for its entry's page, and for a letter
//! about it, which quotes the check's questions, each with the plan's wording and the
//! wording the family asks for (the working document's, in plain text).

use casebook_documents::words::{content_words, coverage};
use casebook_domain::{DocumentType, EntryId, Facts, uk_date};
use casebook_plans::{PlanChecks, PlanReport, Stage, as_asked, check_plan, working_rows};
use casebook_store::{BlobStore, CaseStore};

use crate::TimelineItem;
use crate::record::CaseFile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPoint {
    /// "Section F, item 3", or "Section F (new)".
    pub place: String,
    /// The plan's words; empty for something it leaves out.
    pub says: String,
    /// The words the family asks for: what to delete left out, gaps in brackets.
    pub ask: String,
    pub why: String,
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// The questions about the first plan among the files of the entries `about`. A
    /// file that cannot be fetched or read as a plan is passed over: the letter is then
    /// drafted in general terms.
    pub(crate) fn plan_points(&self, about: &[EntryId], items: &[TimelineItem]) -> Vec<PlanPoint> {
        let Ok(checks) = PlanChecks::england() else {
            return Vec::new();
        };
        let Some(report) = items
            .iter()
            .filter(|i| about.contains(&i.id))
            .find_map(|i| self.plan_check_of(i))
        else {
            return Vec::new();
        };
        working_rows(&report, &checks)
            .into_iter()
            .map(|row| PlanPoint {
                place: row.place,
                says: row.council,
                ask: as_asked(&row.family),
                why: row.reason,
            })
            .collect()
    }

    /// The plan check of the first of a document entry's files that reads as an EHC
    /// plan; a draft or final plan as the entry's document type says, else as its front
    /// page says. None for other entries, or when no file is a plan (or cannot be
    /// fetched).
    pub fn plan_check_of(&self, item: &TimelineItem) -> Option<PlanReport> {
        let checks = PlanChecks::england().ok()?;
        let stage = match &item.facts {
            Some(Facts::Document(d)) if d.document_type == DocumentType::EhcPlanDraft => {
                Stage::Draft
            }
            Some(Facts::Document(d)) if d.document_type == DocumentType::EhcPlanFinal => {
                Stage::Final
            }
            Some(Facts::Document(_)) => Stage::AsItSays,
            // Only documents are read: a photo or an email is never a plan.
            _ => return None,
        };
        item.attachments.iter().find_map(|file| {
            let bytes = self.blobs.get(&file.sha256).ok()??;
            check_plan(&file.name, &bytes, stage, &checks).ok()
        })
    }
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// The exhibit, in a bundle of the whole case, of the report a plan's advice names
    /// ("Occupational therapy advice (Mr T Okafor, 20 March 2026)"): the one report
    /// logged in the case whose kind shares most of its words with the name, the date
    /// the name gives deciding between several. None when no report, or no one report,
    /// is it.
    pub fn exhibit_of_advice(&self, advice: &str) -> crate::AppResult<Option<String>> {
        let items = self.timeline(&crate::Filter::default())?;
        let named = content_words(advice, &[]);
        let reports: Vec<&TimelineItem> = items
            .iter()
            .filter(|i| {
                matches!(&i.facts, Some(Facts::Document(d))
                    if d.document_type.slug().starts_with("report:")
                        && coverage(&content_words(d.document_type.phrase(), &[]), &named) >= 0.5)
                    && !i.attachments.is_empty()
            })
            .collect();
        let dated: Vec<&TimelineItem> = reports
            .iter()
            .copied()
            .filter(|i| advice.contains(&uk_date(i.occurred.earliest())))
            .collect();
        let report = match (reports.as_slice(), dated.as_slice()) {
            ([one], _) | (_, [one]) => *one,
            _ => return Ok(None),
        };
        // Numbered as the bundle numbers them: every file, entry by entry.
        let mut number = 0;
        for item in items.iter().filter(|i| crate::bundle::in_bundle(i)) {
            if item.id == report.id {
                return Ok(Some(crate::bundle::exhibit_reference(number + 1)));
            }
            number += item.attachments.len();
        }
        Ok(None)
    }
}
