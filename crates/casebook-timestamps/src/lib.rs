//! Trusted timestamps (RFC 3161): proof from an independent authority that a hash
//! existed by a time. This crate knows nothing of cases: it makes the request for a
//! SHA-256 hash, takes the token out of an authority's answer, and checks a token's
//! signature and certificates against the authorities the user trusts.
//!
//! Parsing is RustCrypto's (`x509-tsp`, `cms`, `x509-cert`); signatures are RustCrypto's
//! RSA and ECDSA. Nothing here writes ASN.1 by hand.

mod ask;
mod error;
mod oids;
mod request;
mod signature;
mod token;
mod trust;

#[cfg(feature = "loopback")]
pub mod loopback;

pub use ask::{ask, check_address};
pub use error::Refused;
pub use request::{Request, token_from_response};
pub use token::{Stamp, check, when};
pub use trust::Trust;

/// The content type of a request, as an authority expects it over HTTP (RFC 3161 s.3.4).
pub const REQUEST_MEDIA_TYPE: &str = "application/timestamp-query";
/// The content type of an authority's answer.
pub const RESPONSE_MEDIA_TYPE: &str = "application/timestamp-reply";
