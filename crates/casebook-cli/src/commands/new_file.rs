//! Files casebook writes for the family (an export, a bundle, a letter): they appear
//! whole or not at all. Until it is complete a new file has no name: on Linux it is
//! opened with O_TMPFILE in the folder it will live in, so a crash or a kill at any
//! moment leaves nothing behind, not even part of an encrypted case's words in clear.
//! When complete it is given a name and renamed over its place in one step.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

pub(super) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    NewFile::create(path)?.write(write)
}

/// A file being written for `path`. Creating it first tells at once whether the place
/// can be written, before any work is done.
pub(super) struct NewFile<'a> {
    path: &'a Path,
    folder: PathBuf,
    file: File,
}

/// The name a finished file has for the moment between being named and being renamed
/// into place, and the name earlier versions wrote under: it says which process wrote
/// it, so one left by a process that has ended is removed.
const UNFINISHED: &str = ".casebook-unfinished-";

fn cannot_write(path: &Path, e: &io::Error) -> anyhow::Error {
    // The OS's reason, without a temporary file's name.
    let reason = e.raw_os_error().map_or(e.to_string(), |code| {
        io::Error::from_raw_os_error(code).to_string()
    });
    anyhow::anyhow!("{} cannot be written: {reason}.", path.display())
}

impl<'a> NewFile<'a> {
    pub(super) fn create(path: &'a Path) -> Result<Self> {
        // A pipe, a device or a folder is never replaced by a file (as root, writing to
        // /dev/full would otherwise replace the device).
        if let Ok(found) = std::fs::metadata(path)
            && !found.is_file()
        {
            bail!(
                "{} is not an ordinary file, so casebook will not write over it: give the name of a file.",
                path.display()
            );
        }
        let folder = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        remove_abandoned(&folder);
        let file = tempfile::tempfile_in(&folder).map_err(|e| cannot_write(path, &e))?;
        Ok(NewFile { path, folder, file })
    }

    pub(super) fn write(mut self, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        write(&mut self.file)?;
        self.file.sync_all()?;
        self.name_it().map_err(|e| cannot_write(self.path, &e))
    }

    /// Gives the finished file its name: a name of its own first (its bytes are already
    /// there), then renamed over the place, then the folder synced.
    fn name_it(&self) -> io::Result<()> {
        let named = tempfile::Builder::new()
            .prefix(&format!("{UNFINISHED}{}-", std::process::id()))
            .make_in(&self.folder, |name| {
                link(&self.file, name).or_else(|_| self.copy_to(name))
            })?;
        named.persist(self.path).map_err(|e| e.error)?;
        File::open(&self.folder)?.sync_all()
    }

    /// Where the file cannot be linked by its descriptor (no /proc), its bytes are copied
    /// to the name instead.
    fn copy_to(&self, name: &Path) -> io::Result<()> {
        let mut from = self.file.try_clone()?;
        from.seek(SeekFrom::Start(0))?;
        let mut to = File::create_new(name)?;
        io::copy(&mut from, &mut to)?;
        to.sync_all()
    }
}

/// Names a file that has none, through its descriptor in /proc.
#[cfg(target_os = "linux")]
fn link(file: &File, name: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let descriptor = format!("/proc/self/fd/{}", file.as_raw_fd());
    rustix::fs::linkat(
        rustix::fs::CWD,
        descriptor.as_str(),
        rustix::fs::CWD,
        name,
        rustix::fs::AtFlags::SYMLINK_FOLLOW,
    )
    .map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn link(_file: &File, _name: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Removes unfinished files whose process has ended: left by an earlier version, or
/// killed in the moment between naming and renaming.
fn remove_abandoned(folder: &Path) {
    let Ok(found) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in found.flatten() {
        let name = entry.file_name();
        if name
            .to_str()
            .is_some_and(|n| casebook_blobs::left_by_an_ended_process(n, UNFINISHED))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write_atomically;

    fn names(folder: &std::path::Path) -> Vec<String> {
        let mut found: Vec<String> = std::fs::read_dir(folder)
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        found.sort();
        found
    }

    /// While the file is written the folder holds nothing new, so a kill at any moment
    /// of the writing leaves nothing; afterwards it holds the file, whole.
    #[test]
    fn a_file_being_written_has_no_name_until_it_is_whole() {
        let folder = tempfile::tempdir().expect("folder");
        std::fs::write(folder.path().join("bundle.pdf"), b"the old bundle").expect("write");
        let path = folder.path().join("bundle.pdf");
        write_atomically(&path, |out| {
            out.write_all(b"Alex's words, in part")?;
            out.flush()?;
            assert_eq!(names(folder.path()), ["bundle.pdf"]);
            assert_eq!(
                std::fs::read(folder.path().join("bundle.pdf")).expect("read"),
                b"the old bundle"
            );
            out.write_all(b" and in full")?;
            Ok(())
        })
        .expect("written");
        assert_eq!(names(folder.path()), ["bundle.pdf"]);
        assert_eq!(
            std::fs::read(&path).expect("read"),
            b"Alex's words, in part and in full"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_folder_as_it_was() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("export.jsonl");
        let failed = write_atomically(&path, |out| {
            out.write_all(b"half")?;
            anyhow::bail!("the store went away")
        });
        assert!(failed.is_err());
        assert!(names(folder.path()).is_empty());
    }
}
