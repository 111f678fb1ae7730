//! Where a redirect may send a browser back to: a path on this site, never
//! another site. Browsers are lenient with `Location`: they drop tabs and
//! newlines, read `\` as `/`, and take `//host` as another site, so a value
//! is accepted only when none of that can happen.

/// A path on this site (with its query and fragment), safe to put in a
/// `Location` header: printable ASCII only, one leading `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    /// The value if it can only mean a path on this site; `None` otherwise
    /// (the caller falls back to its own default). Control characters and
    /// backslashes refuse the whole value rather than being cleaned, since
    /// what a browser makes of a cleaned value is what an attacker chose;
    /// spaces and non-ASCII letters are percent-encoded.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.chars().any(|c| c.is_control() || c == '\\') {
            return None;
        }
        let rest = raw.strip_prefix('/')?;
        if rest.starts_with('/') {
            return None; // `//host`: another site
        }
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            if c.is_ascii_graphic() {
                out.push(c);
            } else {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
        Some(Self(out))
    }

    /// `raw` if it is a local path, else `/`.
    pub fn or_root(raw: Option<&str>) -> Self {
        raw.and_then(Self::parse)
            .unwrap_or_else(|| Self("/".into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_pass() {
        for bad in [
            "",
            "host",
            "//evil.example",
            "//evil.example/path",
            "/\\evil.example",
            "\\\\evil.example",
            "/a\\b",
            "/\t/evil.example/",
            "/\r/x",
            "/\n/x",
            "/x\r\nSet-Cookie: a=b",
            "/\u{0}/x",
            "/\u{7f}x",
            "http://evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "data:text/html,x",
            " /x",
        ] {
            assert_eq!(LocalPath::parse(bad), None, "{bad:?}");
            assert_eq!(LocalPath::or_root(Some(bad)).as_str(), "/", "{bad:?}");
        }
        for good in ["/", "/host?x=1#a", "/r/req_1/por_x", "/%2F%2Fx", "/a/b/"] {
            assert_eq!(LocalPath::parse(good).map(|p| p.0), Some(good.into()));
        }
        assert_eq!(LocalPath::or_root(None).as_str(), "/");
    }

    #[test]
    fn spaces_and_letters_are_encoded_not_passed() {
        assert_eq!(
            LocalPath::parse("/safe?name=Hélène Dupont").map(|p| p.0),
            Some("/safe?name=H%C3%A9l%C3%A8ne%20Dupont".into())
        );
        let p = LocalPath::parse("/é ?x").unwrap();
        assert!(p.as_str().bytes().all(|b| b.is_ascii_graphic()));
    }
}
