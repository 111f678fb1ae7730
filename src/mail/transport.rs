//! Where mails go: an SMTP server through lettre, or `.eml` files in a
//! folder when no server is configured (the embedded default).

use crate::db::models::OutboxRow;
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport as _};
use std::path::PathBuf;
use std::time::Duration;

/// The longest an SMTP exchange may take (lettre's timeout per command).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);

pub enum Transport {
    Smtp(Box<SmtpTransport>),
    Files(PathBuf),
}

/// The URL lettre reads (`SmtpTransport::from_url`: scheme, host, port,
/// percent-encoded credentials, `tls=`) from `SMTP_URL`, keeping this
/// platform's default: `smtp://` requires STARTTLS unless it says
/// `tls=none` (lettre reads a bare `smtp://` as no TLS at all), and `tls=`
/// is `required` or `none`. Errors say what to write.
fn lettre_url(smtp_url: &str) -> Result<String, String> {
    let bad = |why: &str| format!("SMTP_URL {why}");
    let mut url = url::Url::parse(smtp_url).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => bad("must start with smtp:// or smtps://"),
        url::ParseError::InvalidPort => bad("has a port that is not a number"),
        url::ParseError::EmptyHost => bad("names no host"),
        e => bad(&format!("is not a URL: {e}")),
    })?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err(bad("must start with smtp:// or smtps://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("names no host"));
    }
    if url.scheme() == "smtp" {
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let others: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "tls")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.set_query(None);
        let mut query = url.query_pairs_mut();
        query.extend_pairs(&others);
        match tls.as_deref() {
            None | Some("required") => {
                query.append_pair("tls", "required");
            }
            Some("none") => {}
            Some(other) => return Err(bad(&format!("has tls={other}: use required or none"))),
        }
        drop(query);
        if url.query() == Some("") {
            url.set_query(None);
        }
    }
    Ok(url.into())
}

impl Transport {
    /// From `SMTP_URL` (see the configuration), or files in `dir`.
    pub fn from_config(smtp_url: Option<&str>, dir: &str) -> Result<Self, String> {
        let Some(url) = smtp_url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(Transport::Files(PathBuf::from(dir)));
        };
        let builder =
            SmtpTransport::from_url(&lettre_url(url)?).map_err(|e| format!("SMTP_URL {e}"))?;
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
    fn starttls_is_required_unless_the_url_says_none() {
        let url = |u: &str| lettre_url(u).unwrap_or_else(|e| panic!("{u}: {e}"));
        assert_eq!(
            url("smtp://mail.example.org"),
            "smtp://mail.example.org?tls=required"
        );
        assert_eq!(
            url("smtp://user:p%40ss%3Aword@mail.example.org:587"),
            "smtp://user:p%40ss%3Aword@mail.example.org:587?tls=required",
            "credentials reach lettre still encoded: it decodes them"
        );
        assert_eq!(
            url("smtp://mail.example.org:587?tls=required"),
            "smtp://mail.example.org:587?tls=required"
        );
        assert_eq!(
            url("smtp://127.0.0.1:2525?tls=none"),
            "smtp://127.0.0.1:2525"
        );
        assert_eq!(
            url("smtps://user:pw@mail.example.org:465"),
            "smtps://user:pw@mail.example.org:465"
        );
    }

    #[test]
    fn one_line_headers() {
        assert_eq!(one_line("a\r\nBcc: b"), "a  Bcc: b");
    }
}
