//! Any bytes as an mbox: the reader must end without panicking, and every message it
//! finds must go through the message reader without panicking.
#![no_main]

use casebook_mail::{Mbox, read_email};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut mbox = Mbox::new(data, "fuzz.mbox".into());
    while let Ok(Some(message)) = mbox.next_message() {
        let _ = read_email(&message.bytes, message.envelope_date);
    }
    let _ = read_email(data, None);
});
