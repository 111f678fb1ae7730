//! `cargo bench --bench night`: the default crisis night (2,000 parties,
//! 1,500 offers, 180 minutes, seed 2015) through the real services, and its
//! table. Set PO_SIM_SEED, PO_SIM_GUESTS, PO_SIM_OFFERS, PO_SIM_MINUTES to
//! change the scenario, PO_SIM_HOSTS_ONE_BY_ONE (any value) for hosts who
//! answer only the ask they came for, PO_SIM_POLICY (`baseline`, `now`, `now-matched`) to
//! choose how people behave, PO_SIM_OUT to also write the table and its JSON.

use porte_ouverte::config::Config;
use porte_ouverte::sim::{self, Params, Policy};
use std::process::ExitCode;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; there is nothing to filter here
    let d = Params::default();
    let params = Params {
        seed: env("PO_SIM_SEED", d.seed),
        guests: env("PO_SIM_GUESTS", d.guests),
        offers: env("PO_SIM_OFFERS", d.offers),
        minutes: env("PO_SIM_MINUTES", d.minutes),
        hosts_one_by_one: std::env::var_os("PO_SIM_HOSTS_ONE_BY_ONE").is_some(),
        least_walk: std::env::var_os("PO_SIM_LEAST_WALK").is_some(),
    };
    let config = Config::defaults_for("sqlite://unused.db");
    let policy = std::env::var("PO_SIM_POLICY")
        .ok()
        .and_then(|p| Policy::parse(&p))
        .unwrap_or(Policy::Baseline);
    match sim::run(&config, &params, policy) {
        Ok((report, _)) => {
            println!("{}", report.markdown());
            if let Ok(out) = std::env::var("PO_SIM_OUT") {
                if let Err(e) = sim::write(&report, std::path::Path::new(&out)) {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
