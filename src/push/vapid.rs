//! VAPID (RFC 8292): each push request carries a JWT signed with our P-256
//! key, whose public half the browser was given when it subscribed, so a
//! push service accepts messages to that browser from us only.
//!
//! The JWT is made here rather than by the encryption crate because the
//! audience must be the endpoint's full origin, port included (RFC 8292
//! §2: "the origin of the push resource").

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

/// How long a signature is valid (RFC 8292 allows at most 24 hours).
pub const JWT_VALID_S: i64 = 12 * 3600;

pub struct Vapid {
    key: SigningKey,
    public: String,
    subject: String,
}

impl Vapid {
    /// `secret` is the 32-byte private scalar; `subject` a mailto: or https: URL.
    pub fn new(secret: &[u8], subject: String) -> Result<Self, String> {
        let key = SigningKey::from_slice(secret)
            .map_err(|_| "the VAPID private key is not a valid P-256 key".to_owned())?;
        let point = key.verifying_key().to_encoded_point(false);
        Ok(Self {
            public: URL_SAFE_NO_PAD.encode(point.as_bytes()),
            key,
            subject,
        })
    }

    /// The public key, base64url (the browser's `applicationServerKey`).
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// The `Authorization` header for a request to `endpoint` at `now_ms`.
    pub fn authorization(&self, endpoint: &http::Uri, now_ms: i64) -> Result<String, String> {
        let claims = serde_json::json!({
            "aud": origin(endpoint).ok_or("the endpoint has no origin")?,
            "exp": now_ms / 1000 + JWT_VALID_S,
            "sub": self.subject,
        });
        let b64 = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let input = format!(
            "{}.{}",
            b64(&serde_json::json!({"typ": "JWT", "alg": "ES256"})),
            b64(&claims)
        );
        let sig: Signature = self.key.sign(input.as_bytes());
        let jwt = format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()));
        Ok(format!("vapid t={jwt}, k={}", self.public))
    }
}

/// The origin of a URL: scheme, host and any non-default port.
pub fn origin(uri: &http::Uri) -> Option<String> {
    let scheme = uri.scheme_str()?;
    let host = uri.host()?.to_ascii_lowercase();
    let default = match scheme {
        "https" => 443,
        "http" => 80,
        _ => 0,
    };
    Some(match uri.port_u16() {
        Some(p) if p != default => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;

    #[test]
    fn origin_keeps_only_a_non_default_port() {
        let o = |s: &str| origin(&s.parse().unwrap()).unwrap();
        assert_eq!(
            o("https://Push.Example.org/a/b"),
            "https://push.example.org"
        );
        assert_eq!(
            o("https://push.example.org:443/a"),
            "https://push.example.org"
        );
        assert_eq!(o("http://127.0.0.1:8123/p"), "http://127.0.0.1:8123");
    }

    #[test]
    fn the_jwt_verifies_with_the_public_key() {
        let v = Vapid::new(&[7u8; 32], "mailto:ops@example.org".into()).unwrap();
        let h = v
            .authorization(&"https://push.example.org/x".parse().unwrap(), 1_000_000)
            .unwrap();
        let (t, k) = h
            .strip_prefix("vapid t=")
            .and_then(|r| r.split_once(", k="))
            .unwrap();
        assert_eq!(k, v.public_key());
        let (input, sig) = t.rsplit_once('.').unwrap();
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(k).unwrap())
            .unwrap();
        let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).unwrap()).unwrap();
        key.verify(input.as_bytes(), &sig).unwrap();
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(input.split_once('.').unwrap().1)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["aud"], "https://push.example.org");
        assert_eq!(claims["exp"], 1_000 + JWT_VALID_S);
        assert_eq!(claims["sub"], "mailto:ops@example.org");
    }
}
