//! Finding and opening the store: an SQLite file (asking for its passphrase when it
//! has one) or an organisation's PostgreSQL database.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use casebook_backends::{AnyBlobs, AnyStore};
use casebook_blobs::{LocalBlobs, new_attachment_key};
use casebook_store::StoreError;
use casebook_store_postgres::PgStore;
use casebook_store_sqlite::SqliteStore;

pub struct Opened {
    pub store: AnyStore,
    pub blobs: AnyBlobs,
    /// The passphrase an encrypted file was opened with, so a backup of it is
    /// encrypted with the same one.
    pub secret: Option<String>,
}

/// Where the store is.
pub enum Location {
    File(PathBuf),
    /// A `postgres://` address.
    Postgres(String),
}

impl Location {
    /// Whether there is a store there already; a database always answers for itself.
    pub fn exists(&self) -> bool {
        match self {
            Location::File(path) => path.exists(),
            Location::Postgres(_) => true,
        }
    }
}

/// The place as a sentence names it; a database's address without its password.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                match rest.split_once('@') {
                    Some((user, host)) => {
                        let user = user.split(':').next().unwrap_or_default();
                        write!(f, "{scheme}://{user}@{host}")
                    }
                    None => write!(f, "{url}"),
                }
            }
        }
    }
}

pub fn location(given: Option<&Path>) -> Result<Location> {
    if let Some(path) = given {
        let text = path.to_string_lossy();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.into_owned()));
        }
        return Ok(Location::File(path.to_owned()));
    }
    Ok(Location::File(data_dir()?.join("casebook.db")))
}

fn data_dir() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "casebook").ok_or_else(|| {
        anyhow::anyhow!("No home folder was found: say where the store is with --store.")
    })?;
    Ok(dirs.data_dir().to_owned())
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

pub fn open_existing(location: &Location) -> Result<Opened> {
    let path = match location {
        Location::Postgres(url) => return open_postgres(url),
        Location::File(path) => path,
    };
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
        StoreError::WrongPassphrase => anyhow::anyhow!(
            "The passphrase is wrong for {}, or the file is damaged: nothing was changed.",
            path.display()
        ),
        other => other.into(),
    })?;
    let mut opened = with_blobs(
        AnyStore::Sqlite(Box::new(store)),
        Files::Folder(LocalBlobs::beside(path)),
    )?;
    opened.secret = secret;
    Ok(opened)
}

/// Opens the store, creating it (and asking whether to encrypt it) if it is new.
pub fn open_or_create(location: &Location) -> Result<Opened> {
    let path = match location {
        Location::File(path) if !path.exists() => path,
        _ => return open_existing(location),
    };
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
    if secret.is_none() {
        eprintln!(
            "Note: {} is not encrypted. Anyone who can read the file can read the case. \
             To encrypt a new store, set CASEBOOK_PASSPHRASE when you create it.",
            path.display()
        );
    }
    create_file(path, secret.as_deref())
}

/// A new store file at `path`, encrypted with `secret` when one is given.
pub fn create_file(path: &Path, secret: Option<&str>) -> Result<Opened> {
    let store = SqliteStore::create(path, secret)?;
    let mut opened = with_blobs(
        AnyStore::Sqlite(Box::new(store)),
        Files::Folder(LocalBlobs::beside(path)),
    )?;
    opened.secret = secret.map(str::to_owned);
    Ok(opened)
}

/// An organisation's database. Its password comes from the address or, better, from
/// the file CASEBOOK_STORE_PASSWORD_FILE names (a secret mounted by the deployment);
/// its attached files live where CASEBOOK_ATTACHMENTS says, a folder or an S3 bucket
/// (s3://BUCKET/FOLDER), always encrypted.
fn open_postgres(url: &str) -> Result<Opened> {
    let password = match std::env::var_os("CASEBOOK_STORE_PASSWORD_FILE") {
        Some(file) => Some(
            std::fs::read_to_string(&file)
                .map_err(|e| {
                    anyhow::anyhow!(
                        "The password file {} cannot be read: {e}.",
                        Path::new(&file).display()
                    )
                })?
                .trim_end_matches(['\r', '\n'])
                .to_owned(),
        ),
        None => None,
    };
    let store = PgStore::connect(url, password.as_deref())?;
    let files = match std::env::var_os("CASEBOOK_ATTACHMENTS") {
        Some(place) if place.to_string_lossy().starts_with("s3://") => {
            Files::Bucket(place.to_string_lossy().into_owned())
        }
        Some(dir) => Files::Folder(PathBuf::from(dir)),
        None => Files::Folder(data_dir()?.join("attachments")),
    };
    with_blobs(AnyStore::Postgres(store), files)
}

/// Where attached files are kept.
enum Files {
    Folder(PathBuf),
    /// An `s3://` address.
    Bucket(String),
}

fn with_blobs(store: AnyStore, files: Files) -> Result<Opened> {
    // An encrypted file's attachments are encrypted with a key kept inside it; an
    // organisation's always are, with a key kept in its database.
    let encrypt = store.is_encrypted() || matches!(store, AnyStore::Postgres(_));
    let key = if encrypt {
        Some(match store.setting("attachment-key")? {
            Some(key) => key,
            None => store.setting_or_insert("attachment-key", &new_attachment_key())?,
        })
    } else {
        None
    };
    let blobs = match files {
        Files::Folder(dir) => AnyBlobs::Local(LocalBlobs::new(dir, key.as_deref())?),
        Files::Bucket(url) => bucket(&url, key.as_deref().unwrap_or_default())?,
    };
    Ok(Opened {
        store,
        blobs,
        secret: None,
    })
}

#[cfg(feature = "s3")]
fn bucket(url: &str, key: &str) -> Result<AnyBlobs> {
    Ok(AnyBlobs::S3(casebook_blobs::S3Blobs::new(url, key)?))
}

#[cfg(not(feature = "s3"))]
fn bucket(url: &str, _key: &str) -> Result<AnyBlobs> {
    bail!(
        "This casebook was built without S3 storage, so it cannot keep files in {url}: build it with `cargo build --release --features s3`."
    )
}
