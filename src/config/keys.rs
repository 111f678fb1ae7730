//! The keys the deployment keeps: the secret (from SECRET_KEY or, on
//! SQLite, a key file beside the database) and the VAPID key of Web Push,
//! each created once with mode 0600 when it has to be.

use super::Backend;
use super::Config;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use std::io::Write;
use std::path::Path;

impl Config {
    /// The secret, from SECRET_KEY or (SQLite only) the key file beside the
    /// database, created on first start with mode 0600.
    pub fn resolve_secret(&self) -> Result<Vec<u8>, String> {
        if let Some(k) = &self.secret_key {
            if k.len() < 32 {
                return Err("SECRET_KEY must be at least 32 characters".into());
            }
            return Ok(k.as_bytes().to_vec());
        }
        match self.backend()? {
            Backend::Postgres(_) => {
                Err("SECRET_KEY is required with PostgreSQL (all instances must share it)".into())
            }
            Backend::Sqlite(path) => {
                let dir = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                load_or_create_key(&dir.join("secret.key"))
            }
        }
    }

    /// The VAPID private key (32 bytes): from VAPID_PRIVATE_KEY, else (SQLite)
    /// `vapid.key` beside the database, created once with mode 0600, else
    /// (PostgreSQL) derived from the shared secret.
    pub fn resolve_vapid_key(&self) -> Result<Vec<u8>, String> {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        if let Some(k) = &self.vapid_private_key {
            return URL_SAFE_NO_PAD
                .decode(k.trim().trim_end_matches('='))
                .ok()
                .filter(|b| b.len() == 32)
                .ok_or_else(|| "VAPID_PRIVATE_KEY must be 32 bytes in base64url".to_owned());
        }
        match self.backend()? {
            Backend::Postgres(_) => {
                use hmac::Mac;
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.resolve_secret()?)
                    .map_err(|e| e.to_string())?;
                mac.update(b"porte-ouverte vapid key v1");
                Ok(mac.finalize().into_bytes().to_vec())
            }
            Backend::Sqlite(path) => {
                let dir = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let file = dir.join("vapid.key");
                let text = load_or_create_key(&file)?;
                STANDARD
                    .decode(&text)
                    .ok()
                    .filter(|b| b.len() == 32)
                    .ok_or_else(|| {
                        format!(
                            "{} is not a key; delete it to generate a new one",
                            file.display()
                        )
                    })
            }
        }
    }
}

fn load_or_create_key(path: &Path) -> Result<Vec<u8>, String> {
    if let Ok(s) = std::fs::read_to_string(path) {
        let k = s.trim();
        if k.len() >= 32 {
            return Ok(k.as_bytes().to_vec());
        }
        return Err(format!(
            "{} is too short; delete it to generate a new key",
            path.display()
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::files::create_private_dir(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let key = STANDARD.encode(raw);
    match crate::files::private_options().open(path) {
        Ok(mut f) => {
            f.write_all(key.as_bytes())
                .and_then(|_| f.sync_all())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(key.into_bytes())
        }
        // another process created it first: use theirs
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_key(path),
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn secret_generated_once_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/db.sqlite", dir.path().display());
        let c = Config::defaults_for(&url);
        let a = c.resolve_secret().unwrap();
        let b = c.resolve_secret().unwrap();
        assert_eq!(a, b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secret.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let pg = Config::defaults_for("postgres://localhost/x");
        assert!(pg.resolve_secret().is_err());
        let mut short = pg.clone();
        short.secret_key = Some("short".into());
        assert!(short.resolve_secret().is_err());
    }

    #[test]
    fn vapid_key_from_config_file_or_secret() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/db.sqlite", dir.path().display());
        let c = Config::defaults_for(&url);
        let a = c.resolve_vapid_key().unwrap();
        assert_eq!(a.len(), 32);
        assert_eq!(c.resolve_vapid_key().unwrap(), a, "generated once");
        assert!(dir.path().join("vapid.key").exists());
        let mut given = c.clone();
        given.vapid_private_key = Some(URL_SAFE_NO_PAD.encode([9u8; 32]));
        assert_eq!(given.resolve_vapid_key().unwrap(), [9u8; 32]);
        given.vapid_private_key = Some("short".into());
        assert!(given.resolve_vapid_key().is_err());
        // PostgreSQL instances share SECRET_KEY, hence one VAPID key
        let mut pg = Config::defaults_for("postgres://localhost/x");
        pg.secret_key = Some("k".repeat(40));
        let p = pg.resolve_vapid_key().unwrap();
        assert_eq!(p.len(), 32);
        assert_eq!(pg.resolve_vapid_key().unwrap(), p);
        assert_ne!(p, a);
    }
}
