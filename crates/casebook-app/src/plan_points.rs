//! What a letter about an EHC plan says of it: when a letter is about an entry whose
//! attached file reads as a plan, the plan check's questions, each with the plan's
//! wording and the wording the family asks for (the working document's, in plain text).

use casebook_domain::EntryId;
use casebook_plans::{Piece, PlanChecks, Stage, check_plan, working_rows};
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
        let files = items
            .iter()
            .filter(|i| about.contains(&i.id))
            .flat_map(|i| &i.attachments);
        for file in files {
            let Ok(Some(bytes)) = self.blobs.get(&file.sha256) else {
                continue;
            };
            let Ok(report) = check_plan(&file.name, &bytes, Stage::AsItSays, &checks) else {
                continue;
            };
            return working_rows(&report, &checks)
                .into_iter()
                .map(|row| PlanPoint {
                    place: row.place,
                    says: row.council,
                    ask: asked(&row.family),
                    why: row.reason,
                })
                .collect();
        }
        Vec::new()
    }
}

/// The family's wording as plain text: deletions left out, spaces made one, a capital
/// to start.
fn asked(pieces: &[Piece]) -> String {
    let text: String = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Kept(text) | Piece::Added(text) => text.as_str(),
            Piece::Deleted(_) => "",
        })
        .collect();
    let text = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",");
    // Striking the first words may leave the sentence starting in lower case.
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
