//! Moving a case to another store (a family's file to an organisation's database, or
//! back): its people, its whole log exactly as it was sealed, its settings, its files,
//! and on an organisation's server who may open it and its access log. The log lands
//! all at once or not at all, and the moved case is verified where it landed and its
//! timeline compared with the original's before the move is reported done.

use casebook_domain::{AccessEvent, Case, Digest, Head, StoredEntry, verify_chain};
use casebook_store::{AccountStore, BlobStore, CaseStore, StoreError};

use crate::clock::Clock;
use crate::error::{AppError, AppResult, invalid};
use crate::timeline::{Filter, timeline};

/// What a move brought across.
#[derive(Debug, Clone)]
pub struct Moved {
    pub slug: String,
    pub entries: usize,
    pub files: usize,
    pub members: usize,
    pub head: Option<Head>,
}

/// Moves `case` from one store to another and checks it there.
pub fn migrate_case<S1, B1, S2, B2>(
    from: (&S1, &B1),
    to: (&S2, &B2),
    clock: &dyn Clock,
    case: &Case,
) -> AppResult<Moved>
where
    S1: CaseStore + AccountStore,
    B1: BlobStore,
    S2: CaseStore + AccountStore,
    B2: BlobStore,
{
    let (source, source_files) = from;
    let (target, target_files) = to;
    if target
        .cases()?
        .iter()
        .any(|c| c.id == case.id || c.slug == case.slug)
    {
        return invalid(format!(
            "The store moved to already holds a case called \"{}\", so nothing was moved.",
            case.slug
        ));
    }
    let people = source.people(case.id)?;
    let entries = source.entries(case.id)?;
    let settings = source.case_settings(case.id)?;
    // Files first: the log names them, so they must be there when it lands.
    let mut wanted: Vec<Digest> = entries
        .iter()
        .filter(|e| e.content.is_some())
        .flat_map(|e| e.record.attachments.iter().copied())
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut added = Vec::new();
    let copied = wanted.iter().try_for_each(|digest| {
        let bytes = source_files.get(digest)?.ok_or_else(|| {
            AppError::Invalid(format!(
                "An attached file ({}) is missing from the store moved from, so nothing was moved: `casebook verify` says more.",
                digest.short()
            ))
        })?;
        if Digest::of(&bytes) != *digest {
            return invalid(format!(
                "An attached file ({}) has been altered in the store moved from, so nothing was moved.",
                digest.short()
            ));
        }
        if !target_files.contains(digest)? {
            target_files.put_unsynced(&bytes)?;
            added.push(*digest);
        }
        Ok(())
    });
    let landed = copied
        .and_then(|()| Ok(target_files.settle(&added)?))
        .and_then(|()| Ok(target_files.sync(&added)?))
        .and_then(|()| {
            // A file already in the target's folder must open with the target's key.
            match wanted
                .iter()
                .find(|d| target_files.check(d) != casebook_domain::AttachmentState::Intact)
            {
                Some(d) => invalid(format!(
                    "The attachments folder of the store moved to holds a file ({}) it cannot read: it belongs to another store, so nothing was moved.",
                    d.short()
                )),
                None => Ok(()),
            }
        })
        .and_then(|()| Ok(target.import_case(case, &people, &entries)?));
    if let Err(e) = landed {
        for digest in &added {
            let _ = target_files.remove(digest);
        }
        return Err(e);
    }
    for (key, value) in &settings {
        target.set_case_setting(case.id, key, value)?;
    }
    let members = move_members(source, target, case)?;
    // Checked where it landed, and against the original.
    let head = target.head(case.id)?;
    let report = verify_chain(case.id, &target.entries(case.id)?, head, |d| {
        target_files.check(d)
    });
    if let Some(failure) = report.failure {
        return Err(AppError::Store(StoreError::Backend(format!(
            "The moved case does not verify where it landed: {}",
            failure.explain()
        ))));
    }
    // The original as it was read, so entries written to it meanwhile (a backup taken
    // while casebook runs) are not taken for a difference.
    let original = timeline_json(&entries, clock)?;
    let moved = timeline_json(&target.entries(case.id)?, clock)?;
    if original != moved {
        return Err(AppError::Store(StoreError::Backend(
            "The moved case's timeline differs from the original's.".into(),
        )));
    }
    Ok(Moved {
        slug: case.slug.clone(),
        entries: entries.len(),
        files: wanted.len(),
        members,
        head,
    })
}

fn timeline_json(entries: &[StoredEntry], clock: &dyn Clock) -> AppResult<String> {
    let items = timeline(
        entries,
        &Filter {
            corrections: true,
            ..Filter::default()
        },
        clock.today(),
    );
    serde_json::to_string(&items).map_err(|e| AppError::Invalid(format!("{e}")))
}

/// Every account of an organisation's store not yet in `target`, with its password
/// hash, so a restored server signs everyone in as before, those with no case yet
/// included (a case's members move with the case). Returns how many were added.
pub fn copy_accounts<S1, S2>(source: &S1, target: &S2) -> AppResult<usize>
where
    S1: AccountStore,
    S2: AccountStore,
{
    let mut added = 0;
    for account in source.accounts()? {
        if target.account_by_email(&account.email)?.is_none() {
            target.create_account(&account)?;
            added += 1;
        }
    }
    Ok(added)
}

/// Who may open the case and its access log, on an organisation's server. Accounts
/// are matched by email address; one new to the target store comes with its password
/// hash, so its owner signs in as before.
fn move_members<S1, S2>(source: &S1, target: &S2, case: &Case) -> AppResult<usize>
where
    S1: AccountStore,
    S2: AccountStore,
{
    let members = source.members(case.id)?;
    for (account, role) in &members {
        let id = match target.account_by_email(&account.email)? {
            Some(existing) => existing.id,
            None => {
                target.create_account(account)?;
                account.id
            }
        };
        target.set_role(case.id, id, *role)?;
    }
    for event in source.access_log(case.id)? {
        let account = match source.account(event.account)? {
            Some(a) => target
                .account_by_email(&a.email)?
                .map_or(event.account, |t| t.id),
            None => event.account,
        };
        target.record_access(&AccessEvent { account, ..event })?;
    }
    Ok(members.len())
}
