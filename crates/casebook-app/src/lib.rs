//! The use cases, over the store traits only: open a case, log, correct, read the
//! timeline, verify, export and import. The command line and the web app are thin
//! edges over this crate.

mod cases;
mod chronology_csv;
mod clock;
mod demo;
mod error;
mod portable;
mod privacy;
mod record;
mod timeline;

pub use cases::{
    JURISDICTIONS, NewCase, NewPerson, add_person, choose_case, create_case, find_person,
};
pub use chronology_csv::write_csv;
pub use clock::{Clock, FixedClock, SystemClock};
pub use demo::demonstration_case;
pub use error::{AppError, AppResult};
pub use portable::{Export, import, read_jsonl, write_jsonl};
pub use privacy::pseudonymise;
pub use record::{ATTACHMENT_LIMIT, CaseFile, NewAttachment, NewEntry, media_type};
pub use timeline::{Filter, RequestState, TimelineItem, person_name, timeline};

use casebook_domain::{VerifyReport, verify_chain};
use casebook_store::{BlobStore, CaseStore};

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// Checks the whole chain, the content of every entry and every attached file.
    pub fn verify(&self) -> AppResult<VerifyReport> {
        let entries = self.entries()?;
        let head = self.store.head(self.case.id)?;
        Ok(verify_chain(self.case.id, &entries, head, |d| {
            self.blobs.check(d)
        }))
    }

    pub fn timeline(&self, filter: &Filter) -> AppResult<Vec<TimelineItem>> {
        Ok(timeline(&self.entries()?, filter, self.clock.today()))
    }
}
