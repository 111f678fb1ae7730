//! The command line: `serve` (default), `migrate`, `healthcheck`, `admin
//! create-coordinator`, `seed-demo`, `simulate`.

use crate::clock::Clock;
use crate::config::Config;
use crate::db;
use crate::domain::states::Role;
use crate::service::accounts::{self, NewAccount};
use crate::state::AppState;
use clap::{Parser, Subcommand};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "porte-ouverte",
    version,
    about = "Shelter matching for cities in crisis"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application and API (the default).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Ask the server listening on BIND whether it is ready (exit code 0)
    /// or not (1): the container image's HEALTHCHECK.
    Healthcheck,
    /// Administration.
    #[command(subcommand)]
    Admin(Admin),
    /// The audit log.
    #[command(subcommand)]
    Audit(Audit),
    /// Fill the database with believable demo hosts and offers.
    SeedDemo {
        /// Number of offers to create.
        #[arg(long, default_value_t = 300)]
        offers: usize,
        /// Spread: `paris` (Paris and the inner suburbs) or `france`
        /// (dense Paris, sparser suburbs and the rest of France).
        #[arg(long, default_value = "paris")]
        spread: String,
        /// Random seed, for a reproducible data set.
        #[arg(long, default_value_t = 2015)]
        seed: u64,
    },
    /// Play a crisis night through the real services (a temporary SQLite
    /// file, a manual clock) and print its figures (docs/BENCHMARKS.md).
    Simulate {
        /// Random seed of the scenario.
        #[arg(long, default_value_t = 2015)]
        seed: u64,
        /// Stranded parties arriving during the night.
        #[arg(long, default_value_t = 2000)]
        guests: usize,
        /// Offers appearing during the night.
        #[arg(long, default_value_t = 1500)]
        offers: usize,
        /// Length of the night, in minutes.
        #[arg(long, default_value_t = 180)]
        minutes: u32,
        /// Behaviour policy: `baseline` (guests ask by hand, pages reload), `now` (the
        /// platform asks for guests, live pages), `now-matched` (plus AUTO_MATCH) or
        /// `now-eager` (guests say yes ahead to each ask made for them).
        #[arg(long, default_value = "baseline")]
        policy: String,
        /// Write the markdown table here, and the JSON beside it.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Hosts answer only the ask they came for, not every live ask their
        /// page lists (the simulator's model before 2026-12-01).
        #[arg(long)]
        hosts_one_by_one: bool,
        /// Also compute the walk's bounds with competition for places (two
        /// min-cost flows: about two more minutes on the default night).
        #[arg(long)]
        least_walk: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum Audit {
    /// Recompute the hash chain; name the first broken entry (exit code 1).
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum Admin {
    /// Create a coordinator account; the password is read from stdin.
    CreateCoordinator {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Coordinator")]
        name: String,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::server::init_tracing(cli.config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => crate::server::serve(cli.config),
        Command::Migrate => migrate(&cli.config),
        Command::Healthcheck => crate::deploy::healthcheck(&cli.config),
        Command::Admin(Admin::CreateCoordinator { email, name }) => {
            create_coordinator(cli.config, &email, &name)
        }
        Command::Audit(Audit::Verify) => audit_verify(cli.config),
        Command::SeedDemo {
            offers,
            spread,
            seed,
        } => crate::seed::run(cli.config, offers, &spread, seed),
        Command::Simulate {
            seed,
            guests,
            offers,
            minutes,
            policy,
            out,
            hosts_one_by_one,
            least_walk,
        } => crate::sim::cli(
            cli.config,
            crate::sim::Params {
                seed,
                guests,
                offers,
                minutes,
                hosts_one_by_one,
                least_walk,
            },
            &policy,
            out,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn migrate(config: &Config) -> Result<(), String> {
    let backend = config.backend()?;
    db::connect(&backend, 1)?;
    println!("database is up to date ({})", backend.name());
    Ok(())
}

fn create_coordinator(config: Config, email: &str, name: &str) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let body = serde_json::json!({"email": email, "password": password, "display_name": name});
    let new: NewAccount = accounts::parse_new_account(body).map_err(|e| describe(&e))?;
    let state = AppState::open(config, Clock::system())?;
    let mut conn = state.conn().map_err(|e| describe(&e))?;
    let view =
        accounts::create(&state, &mut conn, new, Role::Coordinator).map_err(|e| describe(&e))?;
    println!("coordinator {} created ({})", view.email, view.id);
    Ok(())
}

fn audit_verify(config: Config) -> Result<(), String> {
    let state = AppState::open(config, Clock::system())?;
    let mut conn = state.conn().map_err(|e| describe(&e))?;
    // what is still queued joins the chain first, so that all is checked
    crate::service::audit::chain_pending(&state, &mut conn).map_err(|e| describe(&e))?;
    match crate::service::audit::verify(&mut conn).map_err(|e| describe(&e))? {
        Ok(n) => {
            println!("audit log intact: {n} entries");
            Ok(())
        }
        Err(b) => Err(format!("audit log broken at entry {}: {}", b.seq, b.reason)),
    }
}

fn describe(e: &crate::error::AppError) -> String {
    match e {
        crate::error::AppError::Validation(v) => {
            v.0.iter()
                .map(|f| format!("{} {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ")
        }
        other => other.to_string(),
    }
}
