//! Records an import has prepared, waiting for the short transaction that appends them.
//! They wait in a file with no name, so a killed import leaves nothing behind, and are
//! encrypted under a key that lives only in this process's memory, so the words of an
//! encrypted case never reach the disk in clear. Memory stays flat however much is
//! imported.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use casebook_store::StoreError;

use crate::error::{AppError, AppResult};

pub(crate) struct Spool {
    file: BufWriter<File>,
    cipher: ChaCha20Poly1305,
    written: u64,
}

/// Each record is sealed under its own place in the file as the nonce, so records can
/// be neither swapped nor repeated without the reader noticing.
fn nonce(place: u64) -> Nonce {
    let mut nonce = [0u8; 12];
    nonce[..8].copy_from_slice(&place.to_le_bytes());
    Nonce::from(nonce)
}

fn backend(why: impl Into<String>) -> AppError {
    StoreError::Backend(why.into()).into()
}

fn trouble(e: io::Error) -> AppError {
    backend(format!(
        "the import's working file in the temporary folder cannot be used: {e}"
    ))
}

impl Spool {
    pub(crate) fn new() -> AppResult<Self> {
        let mut key = Key::default();
        getrandom::fill(&mut key)
            .map_err(|e| backend(format!("no random numbers for the import: {e}")))?;
        // On Linux the file is opened with O_TMPFILE: it never has a name.
        let file = tempfile::tempfile().map_err(trouble)?;
        Ok(Spool {
            file: BufWriter::new(file),
            cipher: ChaCha20Poly1305::new(&key),
            written: 0,
        })
    }

    pub(crate) fn len(&self) -> u64 {
        self.written
    }

    pub(crate) fn push(&mut self, record: &[u8]) -> AppResult<()> {
        let sealed = self
            .cipher
            .encrypt(&nonce(self.written), record)
            .map_err(|_| backend("a record of the import cannot be sealed"))?;
        let length = u32::try_from(sealed.len())
            .map_err(|_| backend("a record of the import is too long"))?;
        self.file
            .write_all(&length.to_le_bytes())
            .and_then(|()| self.file.write_all(&sealed))
            .map_err(trouble)?;
        self.written += 1;
        Ok(())
    }

    /// Every record, in the order pushed; as often as needed.
    pub(crate) fn records(&mut self) -> AppResult<Records<'_>> {
        self.file.flush().map_err(trouble)?;
        let mut file = self.file.get_ref();
        file.seek(SeekFrom::Start(0)).map_err(trouble)?;
        Ok(Records {
            file: BufReader::new(file),
            cipher: &self.cipher,
            read: 0,
            count: self.written,
        })
    }
}

pub(crate) struct Records<'a> {
    file: BufReader<&'a File>,
    cipher: &'a ChaCha20Poly1305,
    read: u64,
    count: u64,
}

impl Iterator for Records<'_> {
    type Item = AppResult<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.read == self.count {
            return None;
        }
        let mut length = [0u8; 4];
        let mut read = || -> AppResult<Vec<u8>> {
            self.file.read_exact(&mut length).map_err(trouble)?;
            let mut sealed = vec![0u8; u32::from_le_bytes(length) as usize];
            self.file.read_exact(&mut sealed).map_err(trouble)?;
            self.cipher
                .decrypt(&nonce(self.read), sealed.as_slice())
                .map_err(|_| {
                    backend("the import's working file was changed while it was being read")
                })
        };
        let record = read();
        self.read += 1;
        Some(record)
    }
}

#[cfg(test)]
mod tests {
    use super::Spool;
    use std::io::{Read, Seek, SeekFrom, Write};

    #[test]
    fn records_come_back_in_order_and_are_not_on_disk_in_clear() {
        let mut spool = Spool::new().expect("spool");
        let words = b"Sam was pushed against the lockers";
        for n in 0..1000u32 {
            let mut record = words.to_vec();
            record.extend_from_slice(&n.to_le_bytes());
            spool.push(&record).expect("push");
        }
        spool.file.flush().expect("flush");
        let mut on_disk = Vec::new();
        let mut disk = spool.file.get_ref().try_clone().expect("the same file");
        disk.seek(SeekFrom::Start(0)).expect("seek");
        disk.read_to_end(&mut on_disk).expect("read");
        assert!(on_disk.len() > 1000 * words.len());
        assert!(!on_disk.windows(words.len()).any(|w| w == words));
        let back: Vec<Vec<u8>> = spool
            .records()
            .expect("records")
            .collect::<Result<_, _>>()
            .expect("every record reads");
        assert_eq!(back.len(), 1000);
        for (n, record) in back.iter().enumerate() {
            assert_eq!(&record[..words.len()], words);
            assert_eq!(record[words.len()..], (n as u32).to_le_bytes());
        }
    }
}
