//! Configuration: every value from a flag or the environment, with the
//! defaults documented in README.md. Built once and passed into the app
//! state; nothing reads the environment after start-up.
//!
//! This file holds the flags and what is read from them; the secret and
//! the VAPID key, kept in files when not given, are in `config/keys.rs`.

mod keys;

use clap::{Args, ValueEnum};
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// sqlite://PATH (default, created and migrated on start) or postgres://…
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/porte-ouverte.db",
        global = true
    )]
    pub database_url: String,
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,
    /// The URL people reach the service at: every link in mails (and in pages
    /// when set). Required when BIND is not a loopback address.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// The domain of PFIF record IDs (`domain/person.…`); defaults to
    /// PUBLIC_URL's host name. See `deploy::pfif_domain`.
    #[arg(long, env = "PFIF_DOMAIN", global = true)]
    pub pfif_domain: Option<String>,
    /// Secret for per-host location offsets (≥ 32 characters). Required with
    /// PostgreSQL; with SQLite it is generated once beside the database file.
    #[arg(long, env = "SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,
    /// Size of the privacy grid cell, in metres (100–5000).
    #[arg(long, env = "PRIVACY_CELL_M", default_value_t = 500, value_parser = clap::value_parser!(u32).range(100..=5000), global = true)]
    pub privacy_cell_m: u32,
    /// How long a proposal holds places, in minutes (1–240).
    #[arg(long, env = "HOLD_MINUTES", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=240), global = true)]
    pub hold_minutes: u32,
    /// A proposal to a host not seen for 15 minutes holds this long (1–240).
    #[arg(long, env = "HOLD_UNSEEN_MINUTES", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=240), global = true)]
    pub hold_unseen_minutes: u32,
    /// Once the host is active after a proposal, it holds at least this
    /// long from then (0–240)…
    #[arg(long, env = "HOLD_EXTEND_MINUTES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=240), global = true)]
    pub hold_extend_minutes: u32,
    /// …but never longer than this from its creation (1–480).
    #[arg(long, env = "HOLD_CAP_MINUTES", default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=480), global = true)]
    pub hold_cap_minutes: u32,
    /// Declines in a row, without an acceptance, that pause an offer until
    /// its host says they are still hosting; a host who never accepted
    /// anyone is paused at their first decline (0: never pause).
    #[arg(long, env = "PAUSE_AFTER_DECLINES", default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=50), global = true)]
    pub pause_after_declines: u32,
    /// Asks the platform keeps open for a guest who let it ask for them (1–3).
    #[arg(long, env = "AUTO_ASKS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=3), global = true)]
    pub auto_asks: u32,
    /// Fair to larger parties: for this many minutes after a door opens, the
    /// platform's own asks keep it for parties of 3 or more while it has room
    /// for one and such a party waits nearby; a guest asking by hand still
    /// may ask it (0: off, up to 120).
    #[arg(long, env = "RESERVE_LARGE_MINUTES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=120), global = true)]
    pub reserve_large_minutes: u32,
    /// A door to the nearer party: for this many minutes of a party's wait,
    /// the platform's asks for it pass by a door that a younger waiting
    /// party, at least as large, is more than a kilometre nearer to and
    /// could have now (0: off, up to 120).
    #[arg(long, env = "NEARER_PARTY_MINUTES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=120), global = true)]
    pub nearer_party_minutes: u32,
    /// Run coordinators' global matching by itself everywhere (incidents
    /// can also switch it on for their area).
    #[arg(long, env = "AUTO_MATCH", default_value_t = false, global = true)]
    pub auto_match: bool,
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Database connections per instance.
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 8, global = true)]
    pub db_pool_size: u32,
    /// Lifetime of an account's API token, in hours.
    #[arg(long, env = "TOKEN_TTL_HOURS", default_value_t = 720, global = true)]
    pub token_ttl_hours: u32,
    /// Lifetime of a request's private link (access token), in days.
    #[arg(long, env = "REQUEST_TTL_DAYS", default_value_t = 14, global = true)]
    pub request_ttl_days: u32,
    /// Log-ins (POST /tokens) per client (IPv4 address, IPv6 /64) per minute.
    #[arg(long, env = "RATE_LOGIN_PER_MIN", default_value_t = 10, global = true)]
    pub rate_login_per_min: u32,
    /// Sign-ups (POST /accounts) per client (IPv4 address, IPv6 /64) per hour.
    #[arg(
        long,
        env = "RATE_SIGNUP_PER_HOUR",
        default_value_t = 20,
        global = true
    )]
    pub rate_signup_per_hour: u32,
    /// Shelter requests (POST /requests) per client (IPv4 address, IPv6 /64) per minute. Generous:
    /// many stranded people share one address behind public Wi-Fi or a carrier NAT.
    #[arg(
        long,
        env = "RATE_REQUESTS_PER_MIN",
        default_value_t = 600,
        global = true
    )]
    pub rate_requests_per_min: u32,
    /// The bearer token `GET /metrics` requires; unset, `/metrics` answers 404.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,
    /// Comma-separated proxy IPs whose X-Forwarded-For (and X-Forwarded-Host,
    /// X-Forwarded-Proto) is believed.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<IpAddr>,
    /// How often (ms) an instance reads other instances' offer changes.
    #[arg(long, env = "INDEX_SYNC_MS", default_value_t = 1000, global = true)]
    pub index_sync_ms: u64,
    /// Time zone for dates and times shown to people (IANA name).
    #[arg(long, env = "TIME_ZONE", default_value = "Europe/Paris", global = true)]
    pub time_zone: String,
    /// Map tiles for the optional map, with {z}, {x} and {y}; "off" hides
    /// the map. Pages are complete without it.
    #[arg(
        long,
        env = "MAP_TILE_URL",
        default_value = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        global = true
    )]
    pub map_tile_url: String,
    /// The credit the tile provider requires, shown on the map.
    #[arg(
        long,
        env = "MAP_ATTRIBUTION",
        default_value = "© OpenStreetMap contributors",
        global = true
    )]
    pub map_attribution: String,
    /// SMTP server for mail: smtp://user:pass@host:587 (STARTTLS required;
    /// `?tls=none` for a local relay without TLS) or smtps://host:465. Unset:
    /// mails are written as .eml files into MAIL_DIR and summarised in the log.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// The sender of every mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Porte Ouverte <no-reply@porte-ouverte.invalid>",
        global = true
    )]
    pub mail_from: String,
    /// Folder for .eml files when SMTP_URL is unset.
    #[arg(long, env = "MAIL_DIR", default_value = "data/outbox", global = true)]
    pub mail_dir: String,
    /// Delivery attempts before a mail becomes a dead letter.
    #[arg(long, env = "MAIL_MAX_ATTEMPTS", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=50), global = true)]
    pub mail_max_attempts: u32,
    /// First retry delay in seconds; doubled at each attempt, at most an hour.
    #[arg(long, env = "MAIL_RETRY_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3600), global = true)]
    pub mail_retry_seconds: u32,
    /// How often (ms) the worker looks for mail to send.
    #[arg(long, env = "MAIL_POLL_MS", default_value_t = 1000, global = true)]
    pub mail_poll_ms: u64,
    /// Minutes after acceptance before an unconfirmed arrival is escalated.
    #[arg(long, env = "ARRIVAL_WINDOW_MINUTES", default_value_t = 90, value_parser = clap::value_parser!(u32).range(5..=1440), global = true)]
    pub arrival_window_minutes: u32,
    /// Emergency numbers shown to a guest who feels unsafe, comma-separated.
    #[arg(
        long,
        env = "EMERGENCY_NUMBERS",
        default_value = "112,17",
        global = true
    )]
    pub emergency_numbers: String,
    /// Safeguarding: `women_only` offers only from coordinator-verified hosts.
    #[arg(long, env = "WOMEN_ONLY_NEEDS_VERIFIED_HOST", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub women_only_needs_verified_host: bool,
    /// Safeguarding: parties with children only with coordinator-verified hosts.
    #[arg(long, env = "CHILDREN_NEED_VERIFIED_HOST", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub children_need_verified_host: bool,
    /// Safeguarding: a host's first acceptance waits for a coordinator's
    /// approval before contacts are revealed.
    #[arg(long, env = "FIRST_ACCEPTANCE_REVIEW", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub first_acceptance_review: bool,
    /// Days after an incident closes before its personal data are deleted.
    #[arg(long, env = "RETENTION_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=3650), global = true)]
    pub retention_days: u32,
    /// Outside any open incident: `open` (offers and requests accepted
    /// everywhere) or `closed` (only inside an open incident).
    #[arg(long, env = "STANDING_MODE", default_value = "open", value_parser = ["open", "closed"], global = true)]
    pub standing_mode: String,
    /// The VAPID private key of Web Push alerts: the 32-byte P-256 scalar,
    /// base64url. Unset: with SQLite it is generated once beside the
    /// database (`vapid.key`); with PostgreSQL it is derived from SECRET_KEY,
    /// so that every instance signs with the same key.
    #[arg(long, env = "VAPID_PRIVATE_KEY", hide_env_values = true, global = true)]
    pub vapid_private_key: Option<String>,
    /// Who push services may contact about our alerts (mailto: or https:);
    /// defaults to mailto: the address of MAIL_FROM.
    #[arg(long, env = "VAPID_SUBJECT", global = true)]
    pub vapid_subject: Option<String>,
    /// Accept push endpoints at http://127.0.0.1 (tests only; real push
    /// services are HTTPS).
    #[arg(long, env = "PUSH_ALLOW_LOOPBACK", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub push_allow_loopback: bool,
    /// Live page streams open at once on this instance (beyond: 503, and
    /// the page keeps its refresh link).
    #[arg(long, env = "LIVE_MAX_STREAMS", default_value_t = 2000, global = true)]
    pub live_max_streams: usize,
    /// On PostgreSQL, how often (ms) each live stream reads the database's
    /// fingerprint of its page, to hear of other instances' changes.
    #[arg(long, env = "LIVE_CHECK_MS", default_value_t = 10_000, global = true)]
    pub live_check_ms: u64,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Admission control for guests' requests for shelter: `IN_FLIGHT/QUEUE`
    /// (default: half of DB_POOL_SIZE in flight, twice it waiting).
    #[arg(long, env = "ADMIT_CREATE", global = true)]
    pub admit_create: Option<GateSize>,
    /// Admission control for searches (default: DB_POOL_SIZE in flight,
    /// four times it waiting).
    #[arg(long, env = "ADMIT_SEARCH", global = true)]
    pub admit_search: Option<GateSize>,
    /// Admission control for every other write (default as ADMIT_CREATE).
    #[arg(long, env = "ADMIT_WRITE", global = true)]
    pub admit_write: Option<GateSize>,
    /// Admission control for pages and reads that use the database
    /// (default as ADMIT_SEARCH).
    #[arg(long, env = "ADMIT_READ", global = true)]
    pub admit_read: Option<GateSize>,
    /// Longest wait (ms) in an admission queue before a request is shed.
    #[arg(long, env = "ADMIT_MAX_WAIT_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60_000), global = true)]
    pub admit_max_wait_ms: u64,
    /// Searches are shed at once while this worker's event loop runs more
    /// than this many ms late (a flood it cannot read in time); 0 turns it
    /// off.
    #[arg(long, env = "ADMIT_MAX_LAG_MS", default_value_t = 4, value_parser = clap::value_parser!(u64).range(0..=10_000), global = true)]
    pub admit_max_lag_ms: u64,
    /// The `Retry-After` (s) of a shed request, and the wait its page names.
    #[arg(long, env = "ADMIT_RETRY_AFTER", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=3600), global = true)]
    pub admit_retry_after: u32,
}

impl Config {
    /// Defaults, as if no flag or variable were set (used by tests).
    pub fn defaults_for(database_url: &str) -> Self {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            c: Config,
        }
        let mut c = <Only as clap::Parser>::parse_from(["porte-ouverte"]).c;
        c.database_url = database_url.to_owned();
        c
    }

    /// The tile server's URL template and origin, or None when the map is
    /// off. An error names what is wrong with MAP_TILE_URL.
    pub fn map_tiles(&self) -> Result<Option<(String, String)>, String> {
        let url = self.map_tile_url.trim();
        if url.is_empty() || url.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let bad = |why: &str| Err(format!("MAP_TILE_URL '{url}' {why}"));
        let Some((scheme, rest)) = url.split_once("://") else {
            return bad("must start with https:// or http://");
        };
        if scheme != "https" && scheme != "http" {
            return bad("must start with https:// or http://");
        }
        if !["{z}", "{x}", "{y}"].iter().all(|p| rest.contains(p)) {
            return bad("must contain {z}, {x} and {y}");
        }
        let host = rest.split('/').next().unwrap_or_default();
        let valid_host = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]{}".contains(&b));
        if !valid_host
            || url
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b == b'"' || b == b';')
        {
            return bad("is not a valid URL");
        }
        Ok(Some((url.to_owned(), format!("{scheme}://{host}"))))
    }

    /// The safeguarding rules (the deployment's; incidents may refine them).
    pub fn rules(&self) -> crate::domain::safeguarding::Rules {
        crate::domain::safeguarding::Rules {
            women_only_needs_verified_host: self.women_only_needs_verified_host,
            children_need_verified_host: self.children_need_verified_host,
            first_acceptance_review: self.first_acceptance_review,
        }
    }

    /// The deployment's holds (incidents may override each duration).
    pub fn holds(&self) -> crate::domain::responsiveness::HoldPolicy {
        let m = |x: u32| i64::from(x) * 60_000;
        crate::domain::responsiveness::HoldPolicy {
            base: m(self.hold_minutes),
            unseen: m(self.hold_unseen_minutes.min(self.hold_minutes)),
            extend: m(self.hold_extend_minutes),
            cap: m(self.hold_cap_minutes.max(self.hold_minutes)),
            pause_after_declines: i32::try_from(self.pause_after_declines).unwrap_or(i32::MAX),
        }
    }

    pub fn backend(&self) -> Result<Backend, String> {
        Backend::from_url(&self.database_url)
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_owned()
    }
}

/// One admission gate's size (`web::admission`): requests of a kind of
/// work let through at once, and how many may wait beyond them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateSize {
    pub in_flight: usize,
    pub queue: usize,
}

impl std::str::FromStr for GateSize {
    type Err = String;
    /// `IN_FLIGHT/QUEUE`, e.g. `4/32`; in flight at least 1.
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, b) = s
            .split_once('/')
            .ok_or_else(|| format!("'{s}' is not IN_FLIGHT/QUEUE, e.g. 4/32"))?;
        let n = |x: &str| {
            x.trim()
                .parse::<usize>()
                .map_err(|_| format!("'{s}': '{x}' is not a count"))
        };
        let size = GateSize {
            in_flight: n(a)?,
            queue: n(b)?,
        };
        if size.in_flight == 0 || size.in_flight > 10_000 || size.queue > 100_000 {
            return Err(format!("'{s}': in flight 1 to 10000, queue 0 to 100000"));
        }
        Ok(size)
    }
}

/// Which database, parsed from `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains(":memory:") {
            return Err("DATABASE_URL must name a SQLite file (an in-memory database would lose every write) or a postgres:// URL".into());
        }
        if path.contains("://") {
            return Err(format!(
                "unsupported DATABASE_URL scheme in '{}': use sqlite://PATH or postgres://",
                url.split("://").next().unwrap_or("")
            ));
        }
        Ok(Backend::Sqlite(PathBuf::from(path)))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let c = Config::defaults_for("sqlite://x.db");
        assert_eq!(c.privacy_cell_m, 500);
        assert_eq!(c.hold_minutes, 20);
        assert_eq!(c.nearer_party_minutes, 10);
        assert_eq!(c.public_url(), "http://127.0.0.1:8080");
    }

    #[test]
    fn map_tiles_are_checked() {
        let mut c = Config::defaults_for("sqlite://x.db");
        assert_eq!(
            c.map_tiles().unwrap(),
            Some((
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_owned(),
                "https://tile.openstreetmap.org".to_owned()
            ))
        );
        c.map_tile_url = "http://127.0.0.1:9/t/{z}/{x}/{y}.png".into();
        assert_eq!(c.map_tiles().unwrap().unwrap().1, "http://127.0.0.1:9");
        for off in ["off", "OFF", "", "  "] {
            c.map_tile_url = off.into();
            assert_eq!(c.map_tiles().unwrap(), None, "{off:?}");
        }
        for bad in [
            "tile.openstreetmap.org/{z}/{x}/{y}.png",
            "ftp://tiles.example/{z}/{x}/{y}.png",
            "https://tiles.example/{z}/{x}.png",
            "https:///{z}/{x}/{y}.png",
            "https://tiles.example; script-src *;/{z}/{x}/{y}",
            "https://tiles.example/{z}/{x}/{y}.png\" onload=\"x",
            "https://evil host/{z}/{x}/{y}",
        ] {
            c.map_tile_url = bad.into();
            let e = c.map_tiles().unwrap_err();
            assert!(e.starts_with("MAP_TILE_URL"), "{bad}: {e}");
        }
    }
}
