//! Who may open which case, in one place. Every page and command opens a case through
//! [`open_case`], which checks the asker's role for what they need; nothing else reads
//! or writes a case for someone signed in. What they did is then written to the
//! case's access log with [`record_access`].

use casebook_domain::{AccessEvent, Account, Case, CaseRole, Need};
use casebook_store::{AccountStore, BlobStore, CaseStore};

use crate::cases::choose_case;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::record::CaseFile;

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Actor {
    /// The family on their own machine: the command line and the local web app. They
    /// own every case in their own store.
    Family,
    /// Someone signed in to an organisation's server.
    Account(Account),
}

impl Actor {
    pub fn name(&self) -> Option<&str> {
        match self {
            Actor::Family => None,
            Actor::Account(a) => Some(&a.name),
        }
    }
}

/// Said the same way whether the case does not exist or is someone else's, so nobody
/// can learn which cases a server holds by guessing their names.
pub(crate) fn no_such_case() -> AppError {
    AppError::NotFound("There is no case here that you can open.".into())
}

/// The case `slug` opened for `actor` if their role allows `need`, with the role.
pub fn open_case<'a, S: CaseStore + AccountStore, B: BlobStore>(
    store: &'a S,
    blobs: &'a B,
    clock: &'a dyn Clock,
    actor: &Actor,
    slug: Option<&str>,
    need: Need,
) -> AppResult<(CaseFile<'a, S, B>, CaseRole)> {
    let (case, role) = match actor {
        Actor::Family => (choose_case(store, slug)?, CaseRole::Owner),
        Actor::Account(account) => {
            let case = store
                .case_by_slug(slug.ok_or_else(no_such_case)?)?
                .ok_or_else(no_such_case)?;
            let role = store.role(case.id, account.id)?.ok_or_else(no_such_case)?;
            if !role.allows(need) {
                return Err(AppError::NotAllowed(format!(
                    "You are a {} on this case, which {}: ask its owner if you need more.",
                    role.slug(),
                    role.phrase()
                )));
            }
            (case, role)
        }
    };
    Ok((
        CaseFile {
            store,
            blobs,
            clock,
            case,
        },
        role,
    ))
}

/// Writes down in the case's access log what someone signed in did with it ("viewed
/// the timeline", "exported the evidence bundle as PDF"): ids, never content. Called
/// once the work is done, so a refused form is not written down as done.
pub fn record_access<S: AccountStore>(
    store: &S,
    clock: &dyn Clock,
    actor: &Actor,
    case: &Case,
    what: &str,
) -> AppResult<()> {
    if let Actor::Account(account) = actor {
        store.record_access(&AccessEvent {
            case: case.id,
            account: account.id,
            at: clock.now(),
            what: what.to_owned(),
        })?;
    }
    Ok(())
}

/// The cases someone may open, with their role on each.
pub fn cases_for<S: CaseStore + AccountStore>(
    store: &S,
    actor: &Actor,
) -> AppResult<Vec<(Case, CaseRole)>> {
    Ok(match actor {
        Actor::Family => store
            .cases()?
            .into_iter()
            .map(|c| (c, CaseRole::Owner))
            .collect(),
        Actor::Account(account) => store.cases_of(account.id)?,
    })
}
