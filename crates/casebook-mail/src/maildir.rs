//! Maildir and Maildir++: one file per message in `cur` and `new` (never `tmp`, which
//! holds messages still being written). Folders inside are read too, whether named in
//! Maildir++ style (`.School.Replies`) or nested (`School/cur`, as notmuch and mbsync
//! keep them); a folder inside that holds no mail is named in the summary. Files are
//! read in name order, so an import is repeatable.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use jiff::Timestamp;

use crate::{Fallbacks, MailError, RawMessage, message_file};

pub struct MessageFile {
    pub path: PathBuf,
    pub size: u64,
    pub folder: Option<String>,
}

/// Every message file under `root`, and the folders inside it that are not mail.
pub fn files(root: &Path) -> Result<(Vec<MessageFile>, Vec<String>), MailError> {
    let mut out = Vec::new();
    let mut not_mail = Vec::new();
    let mut folders = vec![(root.to_path_buf(), None::<String>)];
    while let Some((folder, label)) = folders.pop() {
        for entry in read_dir(&folder)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if !path.is_dir() || matches!(name.as_str(), "cur" | "new" | "tmp") {
                continue;
            }
            let inner = name.strip_prefix('.').unwrap_or(&name).replace('.', "/");
            if inner.is_empty() {
                continue;
            }
            let inner = match &label {
                Some(outer) => format!("{outer}/{inner}"),
                None => inner,
            };
            if is_maildir(&path) || has_folders(&path)? {
                folders.push((path, Some(inner)));
            } else {
                not_mail.push(format!(
                    "{}: the folder has no cur or new folder inside, so it holds no Maildir mail and was not read",
                    path.display()
                ));
            }
        }
        for sub in ["cur", "new"] {
            let dir = folder.join(sub);
            if !dir.is_dir() {
                continue;
            }
            for entry in read_dir(&dir)? {
                let meta = entry.metadata().map_err(|e| unreadable(&entry.path(), e))?;
                if meta.is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
                    out.push(MessageFile {
                        path: entry.path(),
                        size: meta.len(),
                        folder: label.clone(),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    not_mail.sort();
    Ok((out, not_mail))
}

fn is_maildir(path: &Path) -> bool {
    path.join("cur").is_dir() || path.join("new").is_dir()
}

/// A folder that only holds other mail folders ("Archive/2025/cur").
fn has_folders(path: &Path) -> Result<bool, MailError> {
    Ok(read_dir(path)?
        .iter()
        .any(|e| e.path().is_dir() && is_maildir(&e.path())))
}

pub fn each_message(
    root: &Path,
    limit: usize,
    visit: &mut dyn FnMut(RawMessage) -> bool,
) -> Result<Vec<String>, MailError> {
    let (files, not_mail) = files(root)?;
    for file in files {
        let fallbacks = Fallbacks {
            envelope: None,
            delivered: delivered(&file.path),
        };
        if !visit(message_file(&file.path, limit, file.folder, fallbacks)?) {
            break;
        }
    }
    Ok(not_mail)
}

/// When the message was delivered: Maildir names a file after the time it arrived
/// ("1757923200.M1P2.host:2,S"); otherwise the file's own time.
fn delivered(path: &Path) -> Option<Timestamp> {
    let name = path.file_name()?.to_string_lossy();
    let seconds = name
        .split('.')
        .next()
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|s| *s > 0);
    match seconds {
        Some(seconds) => Timestamp::from_second(seconds).ok(),
        None => {
            let modified = std::fs::metadata(path).ok()?.modified().ok()?;
            let seconds = modified.duration_since(UNIX_EPOCH).ok()?.as_secs();
            Timestamp::from_second(i64::try_from(seconds).ok()?).ok()
        }
    }
}

fn read_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>, MailError> {
    std::fs::read_dir(dir)
        .and_then(|entries| entries.collect())
        .map_err(|e| unreadable(dir, e))
}

fn unreadable(path: &Path, e: std::io::Error) -> MailError {
    MailError::Unreadable(format!("{} cannot be read: {e}.", path.display()))
}
