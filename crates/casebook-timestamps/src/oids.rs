//! The object identifiers this crate compares against, from the RFCs that define them.

use der::oid::ObjectIdentifier as Oid;

/// RFC 5652 s.5.1.
pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// RFC 3161 s.2.4.2: the content type of a TSTInfo.
pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// RFC 5652 s.11.1 and s.11.2: the signed attributes every token carries.
pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");

pub const SHA_256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const SHA_384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
pub const SHA_512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

/// RFC 8017: an RSA key, and RSA signatures with each digest.
pub const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
pub const RSA_SHA_256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
pub const RSA_SHA_384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
pub const RSA_SHA_512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");

/// RFC 5480 and RFC 5758: an elliptic-curve key, its curves and ECDSA with each digest.
pub const EC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
pub const P_256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
pub const P_384: Oid = Oid::new_unwrap("1.3.132.0.34");
pub const ECDSA_SHA_256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
pub const ECDSA_SHA_384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
pub const ECDSA_SHA_512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");

/// RFC 5280 s.4.2.1.12: the one purpose a time-stamping certificate is for.
pub const EXTENDED_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
pub const TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");

/// X.520 names, for naming an authority as a person reads it.
pub const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
pub const ORGANISATION: Oid = Oid::new_unwrap("2.5.4.10");
