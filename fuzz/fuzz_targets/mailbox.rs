//! Any bytes as an mbox: the reader must end without panicking, and every message it
//! finds must go through the message reader without panicking. (libfuzzer's panic hook
//! aborts, so the reader's own guard against a panic does not hide one from the fuzzer.)
#![no_main]

use casebook_mail::{Fallbacks, MESSAGE_LIMIT, Mbox, read_email};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut mbox = Mbox::new(data, "fuzz.mbox".into(), MESSAGE_LIMIT);
    while let Ok(Some(message)) = mbox.next_message() {
        let _ = read_email(&message.bytes, &message.fallbacks);
    }
    let _ = read_email(data, &Fallbacks::default());
});
