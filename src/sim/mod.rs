//! The crisis-night simulator: a seeded scenario of stranded parties and
//! opening doors, played through the real services on a real SQLite file
//! with the manual clock, measured against an offline upper bound. Used by
//! `porte-ouverte simulate` and `cargo bench --bench night`; the method and
//! the figures are in docs/BENCHMARKS.md.
//!
//! - `scenario.rs`: the seeded script (who, where, when, which host answers how)
//! - `behaviour.rs`: the policies and the guests' and hosts' models, as data
//! - `night.rs`: the event loop on the manual clock, through the services
//! - `bound.rs`: the offline bounds: persons placed (max-flow relaxation),
//!   and time to a bed (each party alone; with competition for places)
//! - `measure.rs`: the figures after the night
//! - `report.rs`: percentiles, the markdown table and the JSON

pub mod behaviour;
pub mod bound;
pub mod measure;
pub mod night;
pub mod report;
pub mod scenario;

pub use behaviour::Policy;
pub use measure::Ledger;
pub use report::Report;
pub use scenario::Params;

use crate::clock::Clock;
use crate::config::Config;
use crate::service::accounts;
use crate::service::{Account, Role};
use crate::state::AppState;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// 2026-11-13 20:00 UTC: a Friday evening.
pub const NIGHT_STARTS_MS: i64 = 1_794_600_000_000;

const SECRET: &str = "crisis-night-simulator-secret-key-0123456789";
const HOST_PASSWORD: &str = "sim-host-password";

/// A directory removed when dropped (on tmpfs when there is one: SQLite's
/// fsyncs are then free, and a night takes a minute instead of ten).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, String> {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = base.join(format!("po-sim-{}-{nanos:x}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Plays one night and measures it. `template` gives the deployment's
/// settings (hold length, rules); its database is not used.
pub fn run(template: &Config, params: &Params, policy: Policy) -> Result<(Report, Ledger), String> {
    let began = Instant::now();
    let scenario = scenario::generate(params);
    let scratch = Scratch::new()?;
    let mut config = template.clone();
    config.database_url = format!("sqlite://{}/night.db", scratch.0.display());
    config.secret_key = Some(SECRET.into());
    config.db_pool_size = 4;
    policy.configure(&mut config);
    let clock = Clock::manual(NIGHT_STARTS_MS);
    let state = AppState::open(config, clock.clone())?;
    let hosts = create_hosts(&state, scenario.doors.len())?;
    let setup = began.elapsed().as_secs_f64();
    let began = Instant::now();
    let mut n = night::Night::new(state, clock, &scenario, policy, hosts);
    n.run()?;
    let night_s = began.elapsed().as_secs_f64();
    let (mut report, ledger) = measure::measure(&n).map_err(|e| format!("measure: {e}"))?;
    report.policy = policy.name().into();
    report.wall_seconds_setup = setup;
    report.wall_seconds_night = night_s;
    Ok((report, ledger))
}

/// One real host account per door, through the sign-up service. Password
/// hashing (argon2) dominates, so the sign-ups run on every core.
fn create_hosts(state: &Arc<AppState>, n: usize) -> Result<Vec<Account>, String> {
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 8);
    let mut out: Vec<Option<Account>> = vec![None; n];
    std::thread::scope(|scope| {
        let chunks: Vec<_> = out
            .chunks_mut(n.div_ceil(threads).max(1))
            .enumerate()
            .map(|(k, chunk)| {
                let state = state.clone();
                let first = k * n.div_ceil(threads).max(1);
                scope.spawn(move || -> Result<(), String> {
                    let mut conn = state.conn().map_err(|e| e.to_string())?;
                    for (j, slot) in chunk.iter_mut().enumerate() {
                        let i = first + j;
                        let body = serde_json::json!({
                            "email": format!("host-{i}@night.example.org"),
                            "password": HOST_PASSWORD,
                            "display_name": format!("Host {}", i + 1),
                            "phone": format!("+337{i:08}"),
                        });
                        let new = accounts::parse_new_account(body).map_err(|e| e.to_string())?;
                        let v = accounts::create(&state, &mut conn, new, Role::Host)
                            .map_err(|e| format!("host {i}: {e}"))?;
                        *slot = Some(Account {
                            id: v.id,
                            role: Role::Host,
                            email: v.email,
                            display_name: v.display_name,
                        });
                    }
                    Ok(())
                })
            })
            .collect();
        chunks.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| "a sign-up thread panicked".to_string())?
        })
    })?;
    out.into_iter()
        .map(|a| a.ok_or_else(|| "a host was not created".to_string()))
        .collect()
}

/// Writes the table to `out` and the figures as JSON beside it (same name,
/// `.json`).
pub fn write(report: &Report, out: &Path) -> Result<PathBuf, String> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(out, report.markdown()).map_err(|e| format!("{}: {e}", out.display()))?;
    let json = out.with_extension("json");
    let body = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
    std::fs::write(&json, body).map_err(|e| format!("{}: {e}", json.display()))?;
    Ok(json)
}

/// `porte-ouverte simulate`.
pub fn cli(
    config: Config,
    params: Params,
    policy: &str,
    out: Option<PathBuf>,
) -> Result<(), String> {
    let policy =
        Policy::parse(policy).ok_or("--policy must be: baseline, now, now-matched or now-eager")?;
    let (report, _) = run(&config, &params, policy)?;
    println!("{}", report.markdown());
    if let Some(out) = out {
        let json = write(&report, &out)?;
        println!("written: {} and {}", out.display(), json.display());
    }
    Ok(())
}
