//! The family's answer to a decision found in their mail: write it down, or say it is
//! not what it seemed. Either is recorded; the home page then shows what it started.

use axum::response::Response;
use casebook_app::AppError;
use casebook_domain::{EntryId, Need};
use casebook_store::{AccountStore, BlobStore, CaseStore};

use crate::forms::Form;
use crate::visit::{Visit, see};

pub async fn accept<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    answer(visit, form, true).await
}

pub async fn dismiss<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    answer(visit, form, false).await
}

async fn answer<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
    accept: bool,
) -> Response {
    let what = if accept {
        "wrote down a decision found in the mail"
    } else {
        "set aside a decision found in the mail"
    };
    visit
        .run(Need::Write, what, move |p| {
            let message: EntryId = form.fields.get("message").parse().map_err(|_| {
                AppError::Invalid("The form did not say which message this is about.".into())
            })?;
            let kind = form.fields.get("kind");
            if accept {
                p.file.accept_suggestion(message, kind, &p.author)?;
                see(&p.link("/?answered=written"))
            } else {
                p.file.dismiss_suggestion(message, kind, &p.author)?;
                see(&p.link("/?answered=set-aside"))
            }
        })
        .await
}
