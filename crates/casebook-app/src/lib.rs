//! The use cases, over the store traits only: open a case, log, correct, read the
//! timeline, verify, export and import. The command line and the web app are thin
//! edges over this crate.

mod access;
mod accounts;
mod attendance;
mod bundle;
mod bundle_facts;
mod bundle_html;
mod cases;
mod charts;
#[cfg(feature = "checks")]
pub mod checks;
mod chronology_csv;
mod clock;
mod deadline_calendar;
mod deadlines;
mod demo;
mod entry_form;
mod error;
mod exhibits;
mod family;
mod letter_form;
mod letters;
mod mail_import;
mod migrate;
mod minutes_form;
mod next;
mod page_limits;
mod passwords;
mod plan_html;
mod plan_points;
mod portable;
mod privacy;
mod record;
mod requests;
mod school_moves;
mod signing;
mod spool;
mod suggestions;
mod timeline;
mod timestamps;
mod triggers;
mod uploads;

pub use access::{Actor, cases_for, open_case, record_access};
pub use accounts::{
    FAILED_SIGN_INS, INVITATION_DAYS, InvitationLink, LOCKOUT_MINUTES, NewAccount, SESSION_HOURS,
    Sharing, SignedIn, UNKNOWN_BROWSER_SIGN_INS, accept_invitation, create_account, grant,
    open_invitation, random_token, session_for, sign_in, sign_out,
};
pub use attendance::{Attendance, SchoolDay, Week, hours};
pub use bundle::{Bundle, BundleRequest, Changed, Changes, Manifest, Part, Section};
pub use bundle_facts::Fact;
pub use bundle_html::bundle_html;
pub use casebook_rules::Inputs as DeadlineInputs;
pub use cases::{
    JURISDICTIONS, NewCase, NewPerson, add_person, choose_case, create_case, find_person,
};
pub use chronology_csv::write_csv;
pub use clock::{Clock, FixedClock, SystemClock};
pub use deadline_calendar::write_ics;
pub use deadlines::{
    DeadlineForm, DeadlineRefused, SchoolLimits, calendar_for, parse_limit, rule_pack,
    school_limits, set_school_limit, set_term_dates, term_dates,
};
pub use demo::demonstration_case;
pub use entry_form::{EntryForm, Field, NotWritten, Problem, Written};
pub use error::{AppError, AppResult};
pub use family::{Family, family, set_family};
pub use letter_form::{Drafted, LetterField, LetterForm, LetterNotDrafted};
pub use letters::{Before, Draft, LetterRequest, SentLetter, minutes_recipient, reply_by};
pub use mail_import::{ImportReport, Imported, MailImport, Progress};
pub use migrate::{Moved, copy_accounts, migrate_case};
pub use minutes_form::{MinutesChecked, MinutesField, MinutesForm, MinutesRefused};
pub use next::{Item, NextSteps, Record, Step, next_steps};
pub use page_limits::check_page_limits;
pub use plan_html::plan_report_html;
pub use portable::{Export, import, read_jsonl, write_jsonl};
pub use privacy::pseudonymise;
pub use record::{ATTACHMENT_LIMIT, CaseFile, Correction, NewAttachment, NewEntry, media_type};
pub use requests::NewRequest;
pub use school_moves::{School, SchoolMove};
pub use signing::{Signed, SignedFormat, check_signature, fingerprint, sign, signature_start};
pub use suggestions::{RECENT_DAYS, Starts, Suggested};
pub use timeline::{Filter, RequestState, TimelineItem, person_name, timeline};
pub use timestamps::{SYSTEM_TRUST, Stamped, TimestampSettings, daily_timestamps};
pub use triggers::MinutesCheck;
pub use uploads::check_upload;

use casebook_domain::{ChainVerifier, StoredEntry, VerifyReport};
use casebook_store::{BlobStore, CaseStore};

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// Checks the whole chain, the content of every entry and every attached file.
    /// One thread reads the log while this one checks it, in batches, so a long log
    /// is verified at the speed of the slower of the two and in constant memory.
    pub fn verify(&self) -> AppResult<VerifyReport> {
        const BATCH: usize = 1024;
        let case = self.case.id;
        // Entries appended while verifying belong to the next check, not this one.
        let head = self.store.head(case)?;
        let last = head.map_or(0, |h| h.seq);
        std::thread::scope(|scope| {
            // The chain reads only the pages entries are on; a damaged index or search
            // page would otherwise pass unseen until the next write failed. The
            // database's own check reads every page, on a connection of its own, while
            // the chain is checked.
            let storage = scope.spawn(|| self.store.check_storage());
            let (batches, received) = std::sync::mpsc::sync_channel::<Vec<StoredEntry>>(4);
            let reader = scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                self.store.each_entry(case, &mut |entry| {
                    if entry.record.seq > last {
                        return false;
                    }
                    batch.push(entry);
                    batch.len() < BATCH
                        || batches
                            .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                            .is_ok()
                })?;
                // The checker may have stopped early and hung up: nothing is lost then.
                let _ = batches.send(batch);
                Ok::<(), AppError>(())
            });
            let mut verifier = ChainVerifier::new(case, |d| self.blobs.check(d));
            'read: for batch in received {
                for entry in &batch {
                    if !verifier.check(entry) {
                        break 'read;
                    }
                }
            }
            reader
                .join()
                .map_err(|_| AppError::Invalid("Reading the log failed unexpectedly.".into()))??;
            let mut report = verifier.finish(head);
            report.damage = storage.join().map_err(|_| {
                AppError::Invalid("Checking the store failed unexpectedly.".into())
            })??;
            let abandoned = self.blobs.remove_abandoned(self.clock.now())?;
            report.removed_files = (abandoned.files, abandoned.bytes);
            Ok(report)
        })
    }

    pub fn timeline(&self, filter: &Filter) -> AppResult<Vec<TimelineItem>> {
        Ok(timeline(&self.entries()?, filter, self.clock.today()))
    }
}
