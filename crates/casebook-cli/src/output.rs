//! Printing: JSON for scripts, short plain lines for people.

use anyhow::Result;
use serde::Serialize;

pub fn json(value: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
