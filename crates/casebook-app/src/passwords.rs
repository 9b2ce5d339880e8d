//! Passwords, kept only as Argon2id hashes. Each hash takes 19 MiB while it is worked
//! out, so a burst of sign-ins from strangers must not take a gigabyte: every hash is
//! worked out on one of a few threads kept for it, and the rest wait their turn. Kept
//! threads also keep the memory they free to themselves, where threads picked at random
//! from a pool would each hold on to 19 MiB after the burst.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::{AppError, AppResult};

/// How many passwords are hashed at once on a server.
pub const HASHED_AT_ONCE: usize = 2;

/// A piece of hashing work, handed the thread's own Argon2 memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// OWASP's figures for a server: 19 MiB, two passes. About 30 ms here per sign-in.
fn params() -> AppResult<Params> {
    Params::new(19 * 1024, 2, 1, Some(32))
        .map_err(|e| AppError::Invalid(format!("Password hashing settings: {e}.")))
}

/// Runs `work` on a hashing thread and waits for its answer.
fn in_turn<T: Send + 'static>(
    work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
) -> AppResult<T> {
    static JOBS: OnceLock<Option<SyncSender<Job>>> = OnceLock::new();
    let unavailable = || AppError::Invalid("Passwords cannot be checked just now.".into());
    let jobs = JOBS
        .get_or_init(|| {
            let (send, receive) = sync_channel::<Job>(0);
            let receive = Arc::new(Mutex::new(receive));
            for n in 0..HASHED_AT_ONCE {
                let receive = Arc::clone(&receive);
                std::thread::Builder::new()
                    .name(format!("casebook-passwords-{n}"))
                    .spawn(move || take_turns(&receive))
                    .ok()?;
            }
            Some(send)
        })
        .as_ref()
        .ok_or_else(unavailable)?;
    let (answer, answered) = sync_channel(1);
    let job: Job = Box::new(move |memory| {
        let _ = answer.send(work(memory));
    });
    jobs.send(job).map_err(|_| unavailable())?;
    answered.recv().map_err(|_| unavailable())
}

/// A hashing thread: its Argon2 memory is allocated once and used for every hash, so a
/// burst of sign-ins neither grows nor fragments the server's memory.
fn take_turns(jobs: &Mutex<Receiver<Job>>) {
    let blocks = params().map_or(0, |p| p.block_count());
    let mut memory = vec![Block::new(); blocks];
    loop {
        let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match job {
            Ok(job) => job(&mut memory),
            Err(_) => return,
        }
    }
}

/// The Argon2id output for `password` under `params`, in `memory` (grown only for a
/// stored hash made with more memory than casebook uses today).
fn argon2id(
    password: &[u8],
    salt: &[u8],
    params: Params,
    version: Version,
    memory: &mut Vec<Block>,
) -> AppResult<Vec<u8>> {
    let mut out = vec![0u8; params.output_len().unwrap_or(32)];
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::new());
    }
    let blocks = params.block_count();
    Argon2::new(Algorithm::Argon2id, version, params)
        .hash_password_into_with_memory(password, salt, &mut out, &mut memory[..blocks])
        .map_err(|e| AppError::Invalid(format!("The password could not be hashed: {e}.")))?;
    Ok(out)
}

pub(crate) fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| AppError::Invalid(format!("No randomness is available: {e}.")))?;
    let password = password.to_owned();
    in_turn(move |memory| {
        let params = params()?;
        let out = argon2id(
            password.as_bytes(),
            &salt,
            params.clone(),
            Version::V0x13,
            memory,
        )?;
        let salt = SaltString::encode_b64(&salt)
            .map_err(|e| AppError::Invalid(format!("Password salt: {e}.")))?;
        let failed = |e: argon2::password_hash::Error| {
            AppError::Invalid(format!("The password could not be hashed: {e}."))
        };
        Ok(PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: (&params).try_into().map_err(failed)?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(failed)?),
        }
        .to_string())
    })?
}

pub(crate) fn password_matches(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    in_turn(move |memory| {
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        let (Ok(params), Some(salt), Some(expected)) =
            (Params::try_from(&parsed), parsed.salt, parsed.hash)
        else {
            return false;
        };
        // A hash asking for more than a few times today's memory was not made here.
        if params.m_cost() > 8 * 19 * 1024 {
            return false;
        }
        let version = parsed
            .version
            .and_then(|v| Version::try_from(v).ok())
            .unwrap_or_default();
        let mut salt_bytes = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        parsed.algorithm == Algorithm::Argon2id.ident()
            && argon2id(password.as_bytes(), salt, params, version, memory)
                .ok()
                .and_then(|out| Output::new(&out).ok())
                // Output compares in constant time.
                .is_some_and(|out| out == expected)
    })
    .unwrap_or(false)
}

/// A hash of nothing in particular, checked when the address is unknown so that a
/// wrong address takes as long to refuse as a wrong password.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("not anybody's password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    /// The argon2 crate's own PHC hashing, a separate path from the one above, is the
    /// reference: each reads what the other wrote.
    #[test]
    fn hashes_agree_with_the_argon2_crates_own_reading_and_writing() {
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, params().unwrap());
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let theirs = reference
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(password_matches("correct horse battery", &theirs));
        assert!(!password_matches("correct horse batterY", &theirs));
        let ours = hash_password("correct horse battery").unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            reference
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(reference.verify_password(b"wrong", &parsed).is_err());
        assert!(!password_matches("x", "not a hash"));
    }
}
