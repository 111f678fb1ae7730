//! Static assets compiled into the binary and served under content-hashed
//! names (`/assets/app.3f2a9c1b.css`), so they can be cached for a year and
//! a new release is fetched at once.

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub struct Asset {
    pub name: &'static str,
    pub hashed: String,
    pub content_type: &'static str,
    pub body: &'static [u8],
    /// a strong validator of the body
    pub etag: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hashed(name: &str, body: &[u8]) -> String {
    let h = hex(&Sha256::digest(body)[..5]);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{h}.{ext}"),
        None => format!("{name}.{h}"),
    }
}

pub fn all() -> &'static [Asset] {
    static A: OnceLock<Vec<Asset>> = OnceLock::new();
    A.get_or_init(|| {
        [
            (
                "app.css",
                "text/css; charset=utf-8",
                include_bytes!("../../assets/app.css").as_slice(),
            ),
            (
                "app.js",
                "text/javascript; charset=utf-8",
                include_bytes!("../../assets/app.js").as_slice(),
            ),
            // the coordinators' console (its page alone loads it)
            (
                "console.js",
                "text/javascript; charset=utf-8",
                include_bytes!("../../assets/console.js").as_slice(),
            ),
            // the site's icon (an open door), also served as /favicon.ico
            (
                "icon.svg",
                "image/svg+xml",
                include_bytes!("../../assets/icon.svg").as_slice(),
            ),
            // Leaflet (BSD-2-Clause), loaded only when someone opens the map
            (
                "leaflet.js",
                "text/javascript; charset=utf-8",
                include_bytes!("../../assets/vendor/leaflet/leaflet.js").as_slice(),
            ),
            (
                "leaflet.css",
                "text/css; charset=utf-8",
                include_bytes!("../../assets/vendor/leaflet/leaflet.css").as_slice(),
            ),
        ]
        .into_iter()
        .map(|(name, content_type, body)| Asset {
            name,
            hashed: hashed(name, body),
            content_type,
            body,
            etag: format!("\"{}\"", hex(&Sha256::digest(body)[..16])),
        })
        .collect()
    })
}

/// The URL of an asset by its plain name.
pub fn url(name: &str) -> String {
    all()
        .iter()
        .find(|a| a.name == name)
        .map(|a| format!("/assets/{}", a.hashed))
        .unwrap_or_else(|| format!("/assets/{name}"))
}

pub fn by_hashed(hashed: &str) -> Option<&'static Asset> {
    all().iter().find(|a| a.hashed == hashed)
}
