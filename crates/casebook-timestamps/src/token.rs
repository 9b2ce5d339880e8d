//! Checking a token: what it says (the hash, the time, the nonce), that the authority
//! signed exactly that, and that the authority is one the user trusts.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::{Decode, Encode};
use jiff::Timestamp;
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_tsp::TstInfo;

use crate::error::{Refused, unreadable};
use crate::oids;
use crate::signature::{Algorithm, Digest, verifies};
use crate::trust::{Trust, for_time_stamping, name, seconds};

/// What a checked token proves: that `hash` existed by `time`, on the word of
/// `authority`, whose certificate leads to `trusted`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The SHA-256 hash the token covers.
    pub hash: [u8; 32],
    pub time: Timestamp,
    /// The authority that signed the token, as its certificate names it.
    pub authority: String,
    /// The trusted certificate its certificate leads to.
    pub trusted: String,
    /// The authority's serial number for this token, in hexadecimal.
    pub serial: String,
    pub nonce: Option<Vec<u8>>,
}

impl Stamp {
    /// "3 March 2026 at 14:02:07 UTC".
    pub fn when(&self) -> String {
        when(self.time)
    }
}

/// A token's time as a person reads it: "3 March 2026 at 14:02:07 UTC".
pub fn when(at: Timestamp) -> String {
    at.strftime("%-d %B %Y at %H:%M:%S UTC").to_string()
}

/// Checks a token (DER, as `openssl ts -reply` writes it inside its answer and as
/// `casebook` stores it) and says what it proves.
pub fn check(token: &[u8], trust: &Trust) -> Result<Stamp, Refused> {
    let info = ContentInfo::from_der(token).map_err(|e| unreadable("timestamp", e))?;
    if info.content_type != oids::SIGNED_DATA {
        return Err(Refused::new("The timestamp is not a signed document."));
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(|e| unreadable("timestamp", e))?;
    let encapsulated = &signed.encap_content_info;
    let content = match &encapsulated.econtent {
        Some(content) if encapsulated.econtent_type == oids::TST_INFO => content.value(),
        _ => return Err(Refused::new("The signed document is not a timestamp.")),
    };
    let tst = TstInfo::from_der(content).map_err(|e| unreadable("timestamp", e))?;
    if tst.message_imprint.hash_algorithm.oid != oids::SHA_256 {
        return Err(Refused::new(
            "The timestamp covers a hash other than SHA-256, which casebook does not ask for.",
        ));
    }
    let hash: [u8; 32] = tst
        .message_imprint
        .hashed_message
        .as_bytes()
        .try_into()
        .map_err(|_| Refused::new("The timestamp's hash is not 32 bytes long."))?;
    let time = seconds(tst.gen_time.to_unix_duration());

    let [signer_info] = signed.signer_infos.0.as_slice() else {
        return Err(Refused::new(
            "The timestamp must carry exactly one signature, from the authority.",
        ));
    };
    let carried: Vec<Certificate> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(cert) => Some(cert.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect();
    let signer = carried
        .iter()
        .find(|cert| identifies(&signer_info.sid, cert))
        .ok_or_else(|| {
            Refused::new(
                "The timestamp does not carry the certificate it was signed with, so it cannot be checked.",
            )
        })?;
    signed_by(signer_info, signer, content)?;
    for_time_stamping(signer)?;
    let trusted = trust.chain(signer, &carried, time)?;
    Ok(Stamp {
        hash,
        time,
        authority: name(&signer.tbs_certificate.subject),
        trusted,
        serial: tst
            .serial_number
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        nonce: tst.nonce.map(|n| n.as_bytes().to_vec()),
    })
}

/// RFC 5652 s.5.4: the signature covers the signed attributes, which name the content
/// type and carry the digest of the content.
fn signed_by(
    signer_info: &SignerInfo,
    signer: &Certificate,
    content: &[u8],
) -> Result<(), Refused> {
    let altered = || {
        Refused::new(format!(
            "The timestamp's signature does not match what it says: it was altered after {} signed it, or {} did not sign it.",
            name(&signer.tbs_certificate.subject),
            name(&signer.tbs_certificate.subject),
        ))
    };
    let attributes = signer_info.signed_attrs.as_ref().ok_or_else(altered)?;
    let value = |oid| {
        attributes
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next())
    };
    let digest = Digest::named(&signer_info.digest_alg.oid).ok_or_else(|| {
        Refused::new("The timestamp was signed with a digest casebook does not check.")
    })?;
    let content_type = value(oids::CONTENT_TYPE).and_then(|v| v.decode_as().ok());
    let message_digest =
        value(oids::MESSAGE_DIGEST).and_then(|v| v.decode_as::<der::asn1::OctetString>().ok());
    if content_type != Some(oids::TST_INFO)
        || message_digest.is_none_or(|d| d.as_bytes() != digest.of(content))
    {
        return Err(altered());
    }
    let algorithm = Algorithm::named(
        &signer_info.signature_algorithm.oid,
        Some(&signer_info.digest_alg.oid),
    )
    .ok_or_else(|| {
        Refused::new(format!(
            "The timestamp was signed with an algorithm casebook does not check ({}).",
            signer_info.signature_algorithm.oid
        ))
    })?;
    let signed = attributes
        .to_der()
        .map_err(|e| unreadable("timestamp", e))?;
    if verifies(
        &signer.tbs_certificate.subject_public_key_info,
        algorithm,
        &signed,
        signer_info.signature.as_bytes(),
    ) {
        Ok(())
    } else {
        Err(altered())
    }
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            id.issuer == cert.tbs_certificate.issuer
                && id.serial_number == cert.tbs_certificate.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(id) => cert
            .tbs_certificate
            .get::<SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, key)| key == *id),
    }
}
