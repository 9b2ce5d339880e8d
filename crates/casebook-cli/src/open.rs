//! Finding and opening the store, asking for its passphrase when it has one.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use casebook_blobs::{LocalBlobs, new_attachment_key};
use casebook_store::StoreError;
use casebook_store_sqlite::SqliteStore;

pub struct Opened {
    pub store: SqliteStore,
    pub blobs: LocalBlobs,
}

pub fn store_path(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given {
        if path.to_string_lossy().starts_with("postgres") {
            bail!(
                "This casebook opens SQLite store files only; PostgreSQL stores are not supported yet."
            );
        }
        return Ok(path.to_owned());
    }
    let dirs = directories::ProjectDirs::from("", "", "casebook").ok_or_else(|| {
        anyhow::anyhow!("No home folder was found: say where the store is with --store.")
    })?;
    Ok(dirs.data_dir().join("casebook.db"))
}

/// The passphrase from CASEBOOK_PASSPHRASE, or typed at a prompt when there is a terminal.
fn passphrase(prompt: &str) -> Result<Option<String>> {
    if let Ok(p) = std::env::var("CASEBOOK_PASSPHRASE") {
        return Ok(Some(p));
    }
    if std::io::stdin().is_terminal() {
        return Ok(Some(rpassword::prompt_password(prompt)?));
    }
    Ok(None)
}

pub fn open_existing(path: &Path) -> Result<Opened> {
    let encrypted = casebook_store_sqlite::is_encrypted(path).unwrap_or(false);
    let secret = if encrypted {
        passphrase(&format!("Passphrase for {}: ", path.display()))?
    } else {
        None
    };
    let store = SqliteStore::open(path, secret.as_deref()).map_err(|e| match e {
        StoreError::PassphraseNeeded => anyhow::anyhow!(
            "{} is encrypted: set CASEBOOK_PASSPHRASE or run casebook in a terminal to type the passphrase.",
            path.display()
        ),
        StoreError::WrongPassphrase => {
            anyhow::anyhow!("The passphrase is wrong for {}: nothing was changed.", path.display())
        }
        other => other.into(),
    })?;
    with_blobs(store, path)
}

/// Opens the store, creating it (and asking whether to encrypt it) if it is new.
pub fn open_or_create(path: &Path) -> Result<Opened> {
    if path.exists() {
        return open_existing(path);
    }
    let secret = match std::env::var("CASEBOOK_PASSPHRASE") {
        Ok(p) => Some(p),
        Err(_) if std::io::stdin().is_terminal() => {
            let first = rpassword::prompt_password(
                "Choose a passphrase to encrypt this case file (leave empty for no encryption): ",
            )?;
            if !first.is_empty() && rpassword::prompt_password("Type it again: ")? != first {
                bail!("The two passphrases differ: nothing was created.");
            }
            (!first.is_empty()).then_some(first)
        }
        Err(_) => None,
    };
    if secret.as_deref().is_some_and(|s| s.chars().count() < 8) {
        bail!(
            "The passphrase is too short: use at least 8 characters, ideally a few unrelated words."
        );
    }
    let store = SqliteStore::create(path, secret.as_deref())?;
    if secret.is_none() {
        eprintln!(
            "Note: {} is not encrypted. Anyone who can read the file can read the case. \
             To encrypt a new store, set CASEBOOK_PASSPHRASE when you create it.",
            path.display()
        );
    }
    with_blobs(store, path)
}

fn with_blobs(store: SqliteStore, path: &Path) -> Result<Opened> {
    let key = if store.is_encrypted() {
        Some(match store.setting("attachment-key")? {
            Some(key) => key,
            None => store.setting_or_insert("attachment-key", &new_attachment_key())?,
        })
    } else {
        None
    };
    let blobs = LocalBlobs::new(LocalBlobs::beside(path), key.as_deref())?;
    Ok(Opened { store, blobs })
}
