//! Maildir and Maildir++: one file per message in `cur` and `new` (never `tmp`, which
//! holds messages still being written), and Maildir++ subfolders named `.Folder`, each
//! a Maildir of its own. Files are read in name order, so an import is repeatable.

use std::path::{Path, PathBuf};

use crate::{MailError, RawMessage};

pub struct MessageFile {
    pub path: PathBuf,
    pub size: u64,
    pub folder: Option<String>,
}

pub fn files(root: &Path) -> Result<Vec<MessageFile>, MailError> {
    let mut folders = vec![(root.to_path_buf(), None)];
    for entry in read_dir(root)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if let Some(folder) = name.strip_prefix('.')
            && !folder.is_empty()
            && path.is_dir()
            && (path.join("cur").is_dir() || path.join("new").is_dir())
        {
            folders.push((path, Some(folder.replace('.', "/"))));
        }
    }
    let mut out = Vec::new();
    for (folder, label) in folders {
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
    Ok(out)
}

pub fn each_message(
    root: &Path,
    visit: &mut dyn FnMut(RawMessage) -> bool,
) -> Result<(), MailError> {
    for file in files(root)? {
        let bytes = crate::read_message_file(&file.path)?;
        let message = RawMessage {
            place: file.path.display().to_string(),
            size: file.size,
            bytes,
            folder: file.folder,
            envelope_date: None,
        };
        if !visit(message) {
            break;
        }
    }
    Ok(())
}

fn read_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>, MailError> {
    std::fs::read_dir(dir)
        .and_then(|entries| entries.collect())
        .map_err(|e| unreadable(dir, e))
}

fn unreadable(path: &Path, e: std::io::Error) -> MailError {
    MailError::Unreadable(format!("{} cannot be read: {e}.", path.display()))
}
