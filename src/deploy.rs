//! Deployment rules that depend only on the configuration: the one
//! `PUBLIC_URL` rule, the domain of PFIF record IDs, and the container's
//! health check (`porte-ouverte healthcheck`, used by the Dockerfile's
//! `HEALTHCHECK`, since the image has no curl).

use crate::config::Config;
use std::net::IpAddr;
use std::time::Duration;

/// The host part of `BIND` (`[::1]:8080`, `127.0.0.1:8080`, `localhost:80`).
fn bind_host(bind: &str) -> &str {
    let host = match bind.rfind(':') {
        Some(i) if !bind.ends_with(']') => &bind[..i],
        _ => bind,
    };
    host.trim_start_matches('[').trim_end_matches(']')
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The one `PUBLIC_URL` rule. Links in mails can only come from
/// configuration, so a server that other machines can reach (BIND not a
/// loopback address) must be told where people reach it; otherwise mails
/// would carry `http://0.0.0.0:8080/…`. Checked by `serve` before it starts.
pub fn check_public_url(c: &Config) -> Result<(), String> {
    match c.public_url.as_deref().map(str::trim) {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            let host = u.split("://").nth(1).unwrap_or("");
            if host.is_empty() || host.starts_with('/') {
                return Err(format!("PUBLIC_URL has no host: {u}"));
            }
            Ok(())
        }
        Some(u) => Err(format!(
            "PUBLIC_URL must start with https:// or http://, not {u:?}"
        )),
        None if is_loopback(bind_host(&c.bind)) => Ok(()),
        None => Err(format!(
            "PUBLIC_URL is required when BIND ({}) is not a loopback address: set it to \
             the address people reach this service at (e.g. https://abri.example.org), \
             the only source of the links in mails",
            c.bind
        )),
    }
}

/// `PUBLIC_URL`'s origin as browsers write it in `Origin`: scheme and host
/// in lower case, the port only when it is not the scheme's default, no
/// path. `None` when `PUBLIC_URL` is unset (or not an http(s) URL).
pub fn public_origin(c: &Config) -> Option<String> {
    let url = c.public_url.as_deref()?.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    let authority = authority
        .strip_suffix(default_port)
        .unwrap_or(&authority)
        .to_owned();
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// The domain of PFIF record IDs (`domain/person.…`, PFIF 1.4 §2.3):
/// `PFIF_DOMAIN`, else `PUBLIC_URL`'s host name. An IP address or a port is
/// not a domain name, and partners' validators refuse such IDs: the export
/// then fails with this message rather than publish them.
pub fn pfif_domain(c: &Config) -> Result<String, String> {
    let candidate = match (&c.pfif_domain, &c.public_url) {
        (Some(d), _) => d.trim().to_owned(),
        (None, Some(u)) => u
            .split("://")
            .nth(1)
            .unwrap_or("")
            .split(['/', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase(),
        (None, None) => String::new(),
    };
    if is_domain_name(&candidate) {
        Ok(candidate)
    } else {
        Err(format!(
            "PFIF export needs a domain name for record IDs: set PFIF_DOMAIN (or a PUBLIC_URL \
             with a host name); {candidate:?} is not one"
        ))
    }
}

fn is_domain_name(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    s.len() <= 253
        && labels.len() >= 2
        && s.parse::<IpAddr>().is_err()
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// Where this machine reaches its own server: BIND, with an unspecified
/// address (0.0.0.0, ::) replaced by loopback.
pub fn local_url(bind: &str) -> Result<String, String> {
    let host = bind_host(bind);
    let port = bind
        .rsplit(':')
        .next()
        .and_then(|p| p.parse::<u16>().ok())
        .ok_or_else(|| format!("BIND has no port: {bind}"))?;
    let addr = match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() && ip.is_ipv6() => "[::1]".to_owned(),
        Ok(ip) if ip.is_unspecified() => "127.0.0.1".to_owned(),
        Ok(ip) => ip.to_string(),
        Err(_) => host.to_owned(),
    };
    let addr = if addr.contains(':') && !addr.starts_with('[') {
        format!("[{addr}]")
    } else {
        addr
    };
    Ok(format!("http://{addr}:{port}"))
}

/// `porte-ouverte healthcheck`: asks this machine's server for `/readyz`
/// (which touches the database); success only on 200.
pub fn healthcheck(c: &Config) -> Result<(), String> {
    let url = format!("{}/readyz", local_url(&c.bind)?);
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(4)))
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let res = agent.get(&url).call().map_err(|e| format!("{url}: {e}"))?;
    if res.status() == 200 {
        println!("ready: {url}");
        Ok(())
    } else {
        Err(format!("{url} answered {}", res.status()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(bind: &str, public: Option<&str>) -> Config {
        let mut c = Config::defaults_for("sqlite://x.db");
        c.bind = bind.into();
        c.public_url = public.map(Into::into);
        c
    }

    #[test]
    fn public_url_is_required_off_loopback() {
        for ok in [
            "127.0.0.1:8080",
            "localhost:80",
            "[::1]:8080",
            "127.0.0.2:1",
        ] {
            assert!(check_public_url(&config(ok, None)).is_ok(), "{ok}");
        }
        for exposed in [
            "0.0.0.0:8080",
            "[::]:8080",
            "192.168.1.5:80",
            "abri.example:80",
        ] {
            let e = check_public_url(&config(exposed, None)).unwrap_err();
            assert!(e.starts_with("PUBLIC_URL is required"), "{exposed}: {e}");
            assert!(check_public_url(&config(exposed, Some("https://abri.example.org"))).is_ok());
        }
        for bad in ["abri.example.org", "ftp://x", "https://", "https:///x"] {
            assert!(
                check_public_url(&config("0.0.0.0:80", Some(bad))).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn pfif_domain_is_a_domain_name() {
        let mut c = config("127.0.0.1:18282", None);
        assert!(pfif_domain(&c).unwrap_err().contains("PFIF_DOMAIN"));
        c.public_url = Some("http://127.0.0.1:18282".into());
        assert!(pfif_domain(&c).is_err(), "an IP address is not a domain");
        c.public_url = Some("http://localhost:8080".into());
        assert!(pfif_domain(&c).is_err(), "a single label is not a domain");
        c.public_url = Some("https://Abri.Example.org:8443/base".into());
        assert_eq!(pfif_domain(&c).unwrap(), "abri.example.org");
        c.pfif_domain = Some("porte-ouverte.example.net".into());
        assert_eq!(pfif_domain(&c).unwrap(), "porte-ouverte.example.net");
        c.pfif_domain = Some("bad_domain.org".into());
        assert!(pfif_domain(&c).is_err());
    }

    #[test]
    fn public_origin_is_what_browsers_send() {
        let mut c = config("127.0.0.1:8080", None);
        assert_eq!(public_origin(&c), None);
        for (url, origin) in [
            ("https://Abri.Example.org/base/", "https://abri.example.org"),
            ("https://abri.example.org:443", "https://abri.example.org"),
            ("http://abri.example.org:80/", "http://abri.example.org"),
            (
                "https://abri.example.org:8443",
                "https://abri.example.org:8443",
            ),
            ("http://127.0.0.1:18282", "http://127.0.0.1:18282"),
        ] {
            c.public_url = Some(url.into());
            assert_eq!(public_origin(&c).as_deref(), Some(origin), "{url}");
        }
    }

    #[test]
    fn health_checks_reach_loopback() {
        assert_eq!(local_url("0.0.0.0:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(local_url("[::]:8080").unwrap(), "http://[::1]:8080");
        assert_eq!(local_url("10.0.0.2:80").unwrap(), "http://10.0.0.2:80");
        assert_eq!(local_url("localhost:81").unwrap(), "http://localhost:81");
        assert!(local_url("0.0.0.0").is_err());
    }
}
