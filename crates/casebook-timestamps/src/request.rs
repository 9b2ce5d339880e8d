//! The question put to an authority, and the token taken out of its answer.

use cmpv2::status::PkiStatus;
use der::asn1::{Int, OctetString};
use der::{Decode, Encode};
use x509_cert::spki::AlgorithmIdentifier;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion};

use crate::error::{Refused, unreadable};
use crate::oids;
use crate::token::{Stamp, check};
use crate::trust::Trust;

/// A request for a timestamp over one SHA-256 hash. Only the hash leaves the machine.
#[derive(Debug, Clone)]
pub struct Request {
    /// The DER bytes to send (a `.tsq` file).
    pub der: Vec<u8>,
    /// The hash the answer must cover.
    pub hash: [u8; 32],
    /// The nonce the answer must repeat, so an old answer cannot be replayed.
    pub nonce: Vec<u8>,
}

impl Request {
    /// Asks for a token over `hash` that carries the authority's certificate, so the
    /// token can be checked later without asking the authority again.
    pub fn new(hash: &[u8; 32], random: [u8; 16]) -> Result<Self, Refused> {
        let mut nonce = random.to_vec();
        // A positive INTEGER with no leading zero byte: DER's one way to write it.
        nonce[0] = (nonce[0] & 0x7f) | 0x01;
        let request = TimeStampReq {
            version: TspVersion::V1,
            message_imprint: imprint(hash)?,
            req_policy: None,
            nonce: Some(Int::new(&nonce).map_err(|e| unreadable("request", e))?),
            cert_req: true,
            extensions: None,
        };
        let der = request.to_der().map_err(|e| unreadable("request", e))?;
        Ok(Request {
            der,
            hash: *hash,
            nonce,
        })
    }

    /// Checks the token an authority gave for this request: it must be a good token
    /// (see [`check`]), over this hash, repeating this nonce.
    pub fn check(&self, token: &[u8], trust: &Trust) -> Result<Stamp, Refused> {
        let stamp = check(token, trust)?;
        if stamp.hash != self.hash {
            return Err(Refused::new(
                "The time-stamping authority's answer covers another hash than the one asked about: it is not an answer to this request.",
            ));
        }
        if stamp.nonce.as_deref() != Some(&self.nonce[..]) {
            return Err(Refused::new(
                "The time-stamping authority's answer does not repeat this request's nonce: it is an old answer sent again, not an answer to this request.",
            ));
        }
        Ok(stamp)
    }
}

fn imprint(hash: &[u8; 32]) -> Result<MessageImprint, Refused> {
    Ok(MessageImprint {
        hash_algorithm: AlgorithmIdentifier {
            oid: oids::SHA_256,
            parameters: None,
        },
        hashed_message: OctetString::new(hash.to_vec()).map_err(|e| unreadable("request", e))?,
    })
}

/// The token inside an authority's answer (a `.tsr` file), or the authority's reason
/// for giving none. The token is not yet checked: see [`crate::check`].
pub fn token_from_response(answer: &[u8]) -> Result<Vec<u8>, Refused> {
    let response = TimeStampResp::from_der(answer).map_err(|e| unreadable("answer", e))?;
    match response.status.status {
        PkiStatus::Accepted | PkiStatus::GrantedWithMods => {}
        refused => {
            let said: Vec<String> = response
                .status
                .status_string
                .iter()
                .flatten()
                .map(|s| s.as_str().to_owned())
                .collect();
            let said = if said.is_empty() {
                String::new()
            } else {
                format!(" It said: \"{}\".", said.join(" "))
            };
            return Err(Refused::new(format!(
                "The time-stamping authority refused the request ({refused:?}).{said}"
            )));
        }
    }
    let token = response.time_stamp_token.ok_or_else(|| {
        Refused::new("The time-stamping authority accepted the request but sent no timestamp.")
    })?;
    token.to_der().map_err(|e| unreadable("answer", e))
}
