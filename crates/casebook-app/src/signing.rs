//! Every export ends with one line that signs every byte before it with the case's own
//! ed25519 key. One rule for PDF, HTML and JSON Lines, so anyone can check a file with
//! `openssl` (docs/VERIFY.md): cut the last line off, verify the rest.

use casebook_domain::Digest;
use casebook_store::CaseStore;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::error::{AppError, AppResult};
use crate::record::CaseFile;

const MARK: &str = "casebook-signature ed25519";
const KEY_SETTING: &str = "signing-key";

/// How the signature line is written so the file stays valid in its own format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedFormat {
    /// A PDF comment after `%%EOF`, which readers ignore.
    Pdf,
    /// An HTML comment after `</html>`.
    Html,
    /// A last JSON line, `{"type": "signature", "signature": "..."}`.
    Jsonl,
}

impl<S: CaseStore, B> CaseFile<'_, S, B> {
    /// The case's signing key, made on first use and kept in the store (encrypted with
    /// it when the store has a passphrase).
    pub fn signing_key(&self) -> AppResult<SigningKey> {
        if let Some(hex) = self.store.case_setting(self.case.id, KEY_SETTING)? {
            let seed = Digest::from_hex(&hex)
                .ok_or_else(|| AppError::Invalid("The case's signing key is damaged.".into()))?;
            return Ok(SigningKey::from_bytes(&seed.0));
        }
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| AppError::Invalid(format!("No randomness for a signing key: {e}.")))?;
        self.store
            .set_case_setting(self.case.id, KEY_SETTING, &Digest(seed).to_hex())?;
        Ok(SigningKey::from_bytes(&seed))
    }
}

/// Appends the signature line for `bytes`.
pub fn sign(bytes: &mut Vec<u8>, key: &SigningKey, format: SignedFormat) {
    if bytes.last() != Some(&b'\n') {
        bytes.push(b'\n');
    }
    let signature = key.sign(bytes);
    let body = format!(
        "{MARK} {} {}",
        hex(key.verifying_key().as_bytes()),
        hex(&signature.to_bytes())
    );
    let line = match format {
        SignedFormat::Pdf => format!("%{body}\n"),
        SignedFormat::Html => format!("<!-- {body} -->\n"),
        SignedFormat::Jsonl => format!("{{\"type\":\"signature\",\"signature\":\"{body}\"}}\n"),
    };
    bytes.extend_from_slice(line.as_bytes());
}

/// A signature that checks: the public key that made it, and how many bytes it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed {
    pub key: [u8; 32],
    pub signed_len: usize,
}

impl Signed {
    /// The key as people compare it: its SHA-256, in four groups.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.key)
    }
}

pub fn fingerprint(key: &[u8; 32]) -> String {
    let hex = Digest::of(key).to_hex();
    [&hex[0..4], &hex[4..8], &hex[8..12], &hex[12..16]].join(" ")
}

/// Where the signature line of `bytes` starts, if its last line is one.
pub fn signature_start(bytes: &[u8]) -> Option<usize> {
    let trimmed = bytes.strip_suffix(b"\n")?;
    let start = trimmed
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = std::str::from_utf8(&trimmed[start..]).ok()?;
    line.contains(MARK).then_some(start)
}

/// Checks the last line's signature against every byte before it. `name` is what the
/// user called the file, for the sentence that explains a failure.
pub fn check_signature(bytes: &[u8], name: &str) -> AppResult<Signed> {
    let start = signature_start(bytes).ok_or_else(|| {
        AppError::Invalid(format!(
            "{name} carries no casebook signature: it was not produced by casebook, or its last line was removed."
        ))
    })?;
    let line = String::from_utf8_lossy(&bytes[start..]);
    let fields: Vec<&str> = line
        .split(MARK)
        .nth(1)
        .unwrap_or_default()
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|t| !t.is_empty())
        .collect();
    let damaged = || AppError::Invalid(format!("{name} has a damaged signature line."));
    let (key, signature) = match fields.as_slice() {
        [key, signature] => (
            unhex::<32>(key).ok_or_else(damaged)?,
            unhex::<64>(signature).ok_or_else(damaged)?,
        ),
        _ => return Err(damaged()),
    };
    let verifying = VerifyingKey::from_bytes(&key).map_err(|_| damaged())?;
    verifying
        .verify_strict(&bytes[..start], &Signature::from_bytes(&signature))
        .map_err(|_| {
            AppError::Invalid(format!(
                "{name} has been altered since casebook produced it: its signature does not match its contents."
            ))
        })?;
    Ok(Signed {
        key,
        signed_len: start,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_file_checks_and_any_changed_byte_fails() {
        let key = SigningKey::from_bytes(&[7; 32]);
        for format in [SignedFormat::Pdf, SignedFormat::Html, SignedFormat::Jsonl] {
            let mut bytes = b"%PDF-1.7\nbody\n%%EOF".to_vec();
            sign(&mut bytes, &key, format);
            let signed = check_signature(&bytes, "f").unwrap();
            assert_eq!(signed.key, *key.verifying_key().as_bytes());
            assert_eq!(signed.signed_len, b"%PDF-1.7\nbody\n%%EOF\n".len());
            let mut altered = bytes.clone();
            altered[10] = b'B';
            let error = check_signature(&altered, "f").unwrap_err().to_string();
            assert!(error.contains("has been altered"), "{error}");
        }
        let error = check_signature(b"plain\n", "f").unwrap_err().to_string();
        assert!(error.contains("no casebook signature"), "{error}");
    }
}
