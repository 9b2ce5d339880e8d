//! The store's encryption key. SQLCipher keeps a random 16-byte salt in the clear at
//! the start of the file; we derive the key from the passphrase and that salt with
//! Argon2id and hand SQLCipher the raw key, so no second file has to travel with the
//! store and SQLCipher's own (weaker) PBKDF2 is skipped.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use casebook_store::StoreError;

pub const SALT_LEN: usize = 16;

/// 64 MiB, 3 passes: about a quarter of a second on a phone-class CPU, once per unlock.
/// Changing these makes existing stores unreadable, so they are fixed for schema 1.
fn argon2() -> Result<Argon2<'static>, StoreError> {
    let params = Params::new(64 * 1024, 3, 1, Some(32))
        .map_err(|e| StoreError::Backend(format!("key derivation settings: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The `PRAGMA key` value: `x'<key hex><salt hex>'`.
pub fn pragma_key(
    passphrase: &str,
    salt: &[u8; SALT_LEN],
) -> Result<Zeroizing<String>, StoreError> {
    let mut key = Zeroizing::new([0u8; 32]);
    argon2()?
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| StoreError::Backend(format!("key derivation: {e}")))?;
    let mut text = Zeroizing::new(String::with_capacity(2 * (32 + SALT_LEN) + 3));
    text.push_str("x'");
    for b in key.iter().chain(salt.iter()) {
        text.push_str(&format!("{b:02x}"));
    }
    text.push('\'');
    Ok(text)
}

pub fn random_salt() -> Result<[u8; SALT_LEN], StoreError> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Backend(format!("no randomness: {e}")))?;
    Ok(salt)
}
