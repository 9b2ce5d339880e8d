//! One signature checked with one public key, whichever of the algorithms authorities
//! use it is: RSA (PKCS #1 v1.5) or ECDSA on P-256 or P-384, with SHA-256, -384 or -512.

use der::Encode;
use der::oid::ObjectIdentifier as Oid;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::pkcs8::DecodePublicKey;
use sha2::Digest as _;
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use crate::oids;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Digest {
    Sha256,
    Sha384,
    Sha512,
}

impl Digest {
    pub(crate) fn named(oid: &Oid) -> Option<Self> {
        match *oid {
            oids::SHA_256 => Some(Digest::Sha256),
            oids::SHA_384 => Some(Digest::Sha384),
            oids::SHA_512 => Some(Digest::Sha512),
            _ => None,
        }
    }

    pub(crate) fn of(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Digest::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
            Digest::Sha384 => sha2::Sha384::digest(bytes).to_vec(),
            Digest::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Rsa,
    Ecdsa,
}

/// How something was signed: named by the signature algorithm alone (as certificates
/// do) or by a bare key algorithm with a separate digest (as CMS signers may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Algorithm {
    scheme: Scheme,
    digest: Digest,
}

impl Algorithm {
    pub(crate) fn named(signature: &Oid, digest: Option<&Oid>) -> Option<Self> {
        let (scheme, digest) = match *signature {
            oids::RSA => (Scheme::Rsa, Digest::named(digest?)?),
            oids::RSA_SHA_256 => (Scheme::Rsa, Digest::Sha256),
            oids::RSA_SHA_384 => (Scheme::Rsa, Digest::Sha384),
            oids::RSA_SHA_512 => (Scheme::Rsa, Digest::Sha512),
            oids::ECDSA_SHA_256 => (Scheme::Ecdsa, Digest::Sha256),
            oids::ECDSA_SHA_384 => (Scheme::Ecdsa, Digest::Sha384),
            oids::ECDSA_SHA_512 => (Scheme::Ecdsa, Digest::Sha512),
            _ => return None,
        };
        Some(Algorithm { scheme, digest })
    }
}

/// Whether `signature` over `message` was made with the private half of `key`.
pub(crate) fn verifies(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: Algorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Ok(key_der) = key.to_der() else {
        return false;
    };
    let hashed = algorithm.digest.of(message);
    match (algorithm.scheme, key.algorithm.oid) {
        (Scheme::Rsa, oids::RSA) => {
            let Ok(public) = rsa::RsaPublicKey::from_public_key_der(&key_der) else {
                return false;
            };
            let padding = match algorithm.digest {
                Digest::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                Digest::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                Digest::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            public.verify(padding, &hashed, signature).is_ok()
        }
        (Scheme::Ecdsa, oids::EC_KEY) => {
            let curve = key
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<Oid>().ok());
            match curve {
                Some(oids::P_256) => {
                    let (Ok(public), Ok(signature)) = (
                        p256::ecdsa::VerifyingKey::from_public_key_der(&key_der),
                        p256::ecdsa::Signature::from_der(signature),
                    ) else {
                        return false;
                    };
                    public.verify_prehash(&hashed, &signature).is_ok()
                }
                Some(oids::P_384) => {
                    let (Ok(public), Ok(signature)) = (
                        p384::ecdsa::VerifyingKey::from_public_key_der(&key_der),
                        p384::ecdsa::Signature::from_der(signature),
                    ) else {
                        return false;
                    };
                    public.verify_prehash(&hashed, &signature).is_ok()
                }
                _ => false,
            }
        }
        _ => false,
    }
}
