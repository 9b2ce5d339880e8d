//! The authorities whose certificates the user trusts, and the walk from a token's
//! signing certificate up to one of them.

use der::{Decode, DecodePem, Encode};
use jiff::Timestamp;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage};
use x509_cert::name::Name;

use crate::error::Refused;
use crate::oids;
use crate::signature::{Algorithm, verifies};

/// The longest chain from a signing certificate to a trusted one: real authorities use
/// two or three.
const LONGEST_CHAIN: usize = 6;

/// Certificates of the authorities the user trusts (root or intermediate), read from
/// a PEM file such as `/etc/ssl/certs/ca-certificates.crt` or one an authority publishes.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    anchors: Vec<Certificate>,
}

impl Trust {
    /// Reads every certificate in a PEM file; text around them (comments, other kinds
    /// of block) is passed over. (x509-cert's own `load_pem_chain` panics on a file
    /// with no certificate in it, so the blocks are found here.)
    pub fn from_pem(pem: &[u8]) -> Result<Self, Refused> {
        const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
        const END: &str = "-----END CERTIFICATE-----";
        let text = String::from_utf8_lossy(pem);
        let mut anchors = Vec::new();
        let mut rest = &text[..];
        while let Some(start) = rest.find(BEGIN) {
            let Some(length) = rest[start..].find(END) else {
                break;
            };
            let block = &rest[start..start + length + END.len()];
            anchors.push(Certificate::from_pem(block).map_err(|e| {
                Refused::new(format!(
                    "Certificate {} in the list of trusted authorities cannot be read ({e}).",
                    anchors.len() + 1
                ))
            })?);
            rest = &rest[start + length + END.len()..];
        }
        if anchors.is_empty() {
            return Err(Refused::new(
                "The list of trusted authorities holds no certificate: it should be a PEM file of certificates.",
            ));
        }
        Ok(Trust { anchors })
    }

    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Walks from `signer` through the certificates the token carries to a trusted
    /// certificate, checking each signature and that each certificate was valid at
    /// `at`, the time the token gives. Returns the name of the trusted certificate.
    pub(crate) fn chain(
        &self,
        signer: &Certificate,
        carried: &[Certificate],
        at: Timestamp,
    ) -> Result<String, Refused> {
        let mut current = signer;
        for _ in 0..LONGEST_CHAIN {
            valid_at(current, at)?;
            if self.anchors.iter().any(|a| a == current) {
                return Ok(name(&current.tbs_certificate.subject));
            }
            if let Some(anchor) = self.anchors.iter().find(|a| issued(a, current)) {
                valid_at(anchor, at)?;
                return Ok(name(&anchor.tbs_certificate.subject));
            }
            match carried
                .iter()
                .find(|c| *c != current && is_authority(c) && issued(c, current))
            {
                Some(issuer) => current = issuer,
                None => break,
            }
        }
        Err(Refused::new(format!(
            "The timestamp was signed by {}, whose certificate was issued by {}: neither is an authority trusted here.",
            name(&signer.tbs_certificate.subject),
            name(&current.tbs_certificate.issuer),
        )))
    }
}

/// Whether `issuer` signed `cert`.
fn issued(issuer: &Certificate, cert: &Certificate) -> bool {
    if issuer.tbs_certificate.subject != cert.tbs_certificate.issuer {
        return false;
    }
    let Some(algorithm) = Algorithm::named(&cert.signature_algorithm.oid, None) else {
        return false;
    };
    let (Ok(signed), Some(signature)) = (cert.tbs_certificate.to_der(), cert.signature.as_bytes())
    else {
        return false;
    };
    verifies(
        &issuer.tbs_certificate.subject_public_key_info,
        algorithm,
        &signed,
        signature,
    )
}

fn is_authority(cert: &Certificate) -> bool {
    extension(cert, &oids::BASIC_CONSTRAINTS)
        .and_then(|(_, value)| BasicConstraints::from_der(value).ok())
        .is_some_and(|b| b.ca)
}

fn valid_at(cert: &Certificate, at: Timestamp) -> Result<(), Refused> {
    let validity = &cert.tbs_certificate.validity;
    let from = seconds(validity.not_before.to_unix_duration());
    let until = seconds(validity.not_after.to_unix_duration());
    if from <= at && at <= until {
        return Ok(());
    }
    Err(Refused::new(format!(
        "The certificate of {} was not valid at {}, the time the timestamp gives: it was valid from {} to {}.",
        name(&cert.tbs_certificate.subject),
        crate::token::when(at),
        crate::token::when(from),
        crate::token::when(until),
    )))
}

pub(crate) fn seconds(since_epoch: std::time::Duration) -> Timestamp {
    i64::try_from(since_epoch.as_secs())
        .ok()
        .and_then(|s| Timestamp::from_second(s).ok())
        .unwrap_or(Timestamp::MAX)
}

/// RFC 3161 s.2.3: the signing certificate has the one extended key usage
/// id-kp-timeStamping, marked critical.
pub(crate) fn for_time_stamping(cert: &Certificate) -> Result<(), Refused> {
    let usage = extension(cert, &oids::EXTENDED_KEY_USAGE)
        .filter(|(critical, _)| *critical)
        .and_then(|(_, value)| ExtendedKeyUsage::from_der(value).ok());
    if usage.is_some_and(|u| u.0.contains(&oids::TIME_STAMPING)) {
        return Ok(());
    }
    Err(Refused::new(format!(
        "The certificate of {} is not one for signing timestamps.",
        name(&cert.tbs_certificate.subject)
    )))
}

fn extension<'c>(
    cert: &'c Certificate,
    oid: &der::oid::ObjectIdentifier,
) -> Option<(bool, &'c [u8])> {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == *oid)
        .map(|e| (e.critical, e.extn_value.as_bytes()))
}

/// An authority as a person names it: its common name, else its organisation, else the
/// whole distinguished name.
pub(crate) fn name(name: &Name) -> String {
    let part = |oid| {
        name.0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == oid)
            .map(|atv| String::from_utf8_lossy(atv.value.value()).into_owned())
    };
    part(oids::COMMON_NAME)
        .or_else(|| part(oids::ORGANISATION))
        .unwrap_or_else(|| name.to_string())
}
