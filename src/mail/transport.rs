//! Where mails go: an SMTP server through lettre, or `.eml` files in a
//! folder when no server is configured (the embedded default).

use crate::db::models::OutboxRow;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport as _};
use std::path::PathBuf;
use std::time::Duration;

/// The longest an SMTP exchange may take (lettre's timeout per command).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);

pub enum Transport {
    Smtp(Box<SmtpTransport>),
    Files(PathBuf),
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Transport {
    /// From `SMTP_URL` (see the configuration), or files in `dir`.
    pub fn from_config(smtp_url: Option<&str>, dir: &str) -> Result<Self, String> {
        let Some(url) = smtp_url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(Transport::Files(PathBuf::from(dir)));
        };
        let bad = |why: &str| format!("SMTP_URL {why}");
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("must start with smtp:// or smtps://"))?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let rest = rest.trim_end_matches('/');
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                Some(
                    p.parse::<u16>()
                        .map_err(|_| bad("has a port that is not a number"))?,
                ),
            ),
            None => (hostport, None),
        };
        if host.is_empty() {
            return Err(bad("names no host"));
        }
        let tls = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("tls="))
            .unwrap_or("required");
        let builder = match (scheme, tls) {
            ("smtps", _) => SmtpTransport::relay(host)
                .map_err(|e| bad(&e.to_string()))?
                .port(port.unwrap_or(465)),
            ("smtp", "required") => SmtpTransport::starttls_relay(host)
                .map_err(|e| bad(&e.to_string()))?
                .port(port.unwrap_or(587)),
            ("smtp", "none") => SmtpTransport::builder_dangerous(host).port(port.unwrap_or(25)),
            ("smtp", other) => return Err(bad(&format!("has tls={other}: use required or none"))),
            _ => return Err(bad("must start with smtp:// or smtps://")),
        };
        let builder = match auth {
            Some(a) => {
                let (user, pass) = a.split_once(':').unwrap_or((a, ""));
                builder.credentials(Credentials::new(decode(user), decode(pass)))
            }
            None => builder,
        };
        Ok(Transport::Smtp(Box::new(
            builder.timeout(Some(SEND_TIMEOUT)).build(),
        )))
    }

    /// Delivers one mail. The Message-ID is the outbox row's, so a retry of
    /// a mail that did arrive is recognisable as the same mail.
    pub fn send(&self, from: &Mailbox, domain: &str, row: &OutboxRow) -> Result<(), String> {
        let to: Mailbox = row
            .recipient
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(one_line(&row.subject))
            .message_id(Some(format!("<{}@{domain}>", row.id)))
            .multipart(MultiPart::alternative_plain_html(
                row.body_text.clone(),
                row.body_html.clone(),
            ))
            .map_err(|e| format!("cannot build the mail: {e}"))?;
        match self {
            Transport::Smtp(smtp) => smtp.send(&message).map(drop).map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                // reset links and private links: the owner's eyes only
                crate::files::create_private_dir(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                let path = dir.join(format!("{}.eml", row.id));
                crate::files::write_private(&path, &message.formatted())
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                // no subject: some name a person ("{name} is safe")
                tracing::info!(kind = %row.kind, file = %path.display(), "mail written (SMTP_URL is unset)");
                Ok(())
            }
        }
    }
}

/// A header value on one line: no CR or LF can start another header.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(url: &str) -> String {
        match Transport::from_config(Some(url), "x") {
            Err(e) => e,
            Ok(_) => panic!("{url} accepted"),
        }
    }

    #[test]
    fn smtp_urls() {
        for ok in [
            "smtp://user:p%40ss@mail.example.org:587",
            "smtp://mail.example.org",
            "smtps://user:pw@mail.example.org:465",
            "smtp://127.0.0.1:2525?tls=none",
        ] {
            assert!(
                matches!(
                    Transport::from_config(Some(ok), "x"),
                    Ok(Transport::Smtp(_))
                ),
                "{ok}"
            );
        }
        assert!(matches!(
            Transport::from_config(None, "outbox"),
            Ok(Transport::Files(_))
        ));
        assert!(matches!(
            Transport::from_config(Some("  "), "outbox"),
            Ok(Transport::Files(_))
        ));
        assert!(err("mail.example.org:587").contains("smtp:// or smtps://"));
        assert!(err("http://mail.example.org").contains("smtp:// or smtps://"));
        assert!(err("smtp://mail.example.org:port").contains("port"));
        assert!(err("smtp://:587").contains("no host"));
        assert!(err("smtp://mail.example.org?tls=maybe").contains("tls=maybe"));
    }

    #[test]
    fn percent_decoding_and_one_line() {
        assert_eq!(decode("p%40ss%3Aword"), "p@ss:word");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(one_line("a\r\nBcc: b"), "a  Bcc: b");
    }
}
