//! Running the server: logging, background tasks (index sync, sweeper),
//! the HTTP listener and a clean shutdown.

use crate::clock::Clock;
use crate::config::{Config, LogFormat};
use crate::state::AppState;
use crate::web::state::WebState;
use actix_web::HttpServer;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// actix-web's extractor modules, which log the request path on refusal.
const QUIET_EXTRACTORS: [&str; 2] = ["actix_web::types=warn", "actix_web::request_data=warn"];

/// Logging to stderr. Requests are logged by route pattern only
/// (`web::logging`); actix-web's own extractors quote the request path when
/// they refuse one (a private link carries its token in the path), so they
/// say nothing below `warn` whatever `RUST_LOG` asks. Colours only on a
/// terminal: a log file gets plain text.
pub fn init_tracing(format: LogFormat) {
    use std::io::IsTerminal;
    let mut filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    for quiet in QUIET_EXTRACTORS {
        if let Ok(d) = quiet.parse() {
            filter = filter.add_directive(d);
        }
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The background thread, one tick every `INDEX_SYNC_MS` (100 ms at least):
/// keeps this instance's candidate index in step with other instances,
/// chains the audit, sends requested resets and writes the hosts seen; every
/// tenth tick the sweeper marks expired proposals (and pauses their offers,
/// asks for waiting guests). Runs until the process ends.
pub fn spawn_background(state: Arc<AppState>, web_state: Arc<WebState>) {
    let every = Duration::from_millis(state.config.index_sync_ms.max(100));
    let result = std::thread::Builder::new()
        .name("po-background".into())
        .spawn(move || {
            let mut ticks: u64 = 0;
            loop {
                std::thread::sleep(every);
                if let Err(e) = state.sync_index() {
                    tracing::warn!(error = %e, "index sync failed");
                }
                if let Err(e) = state
                    .conn()
                    .and_then(|mut c| crate::service::audit::chain_pending(&state, &mut c))
                {
                    tracing::warn!(error = %e, "audit chaining failed");
                }
                // password resets asked for (off the request path: timing
                // must not tell which addresses have an account)
                if let Err(e) = state
                    .conn()
                    .and_then(|mut c| crate::service::resets::send_requested(&state, &mut c))
                {
                    tracing::warn!(error = %e, "sending requested resets failed");
                }
                ticks += 1;
                if let Err(e) = state
                    .conn()
                    .and_then(|mut c| crate::service::holds::flush_seen(&state, &mut c))
                {
                    tracing::warn!(error = %e, "writing hosts seen failed");
                }
                // every tenth tick (10 s by default): expiry pauses offers and the matcher asks the
                // next doors, so a stranded guest never waits long on either
                if ticks % 10 == 0 {
                    if let Err(e) = crate::service::sweeper::sweep(&state) {
                        tracing::warn!(error = %e, "sweep failed");
                    }
                    // the rate limits forget clients whose budget refilled
                    web_state.limiter.forget_idle();
                }
            }
        });
    if let Err(e) = result {
        tracing::error!(error = %e, "cannot start the background thread");
    }
}

pub fn serve(config: Config) -> Result<(), String> {
    let workers = config.workers.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let bind = config.bind.clone();
    crate::deploy::check_public_url(&config)?;
    let web_state = WebState::new(&config)?;
    let state = AppState::open(config, Clock::system())?;
    // findable names stored under an earlier folding are found again
    state
        .conn()
        .and_then(|mut c| crate::service::findable::refold(&state, &mut c))
        .map_err(|e| format!("cannot fold findable names: {e}"))?;
    crate::service::accounts::warm_up();
    spawn_background(state.clone(), web_state.clone());
    crate::mail::sender(&state)?;
    let transport = crate::mail::transport::Transport::from_config(
        state.config.smtp_url.as_deref(),
        &state.config.mail_dir,
    )?;
    if let crate::mail::transport::Transport::Files(dir) = &transport {
        tracing::info!(dir = %dir.display(), "SMTP_URL is unset: mails are written as .eml files");
    }
    crate::mail::spawn_worker(state.clone(), transport);
    crate::push::spawn_worker(state.clone());
    let rt = actix_web::rt::System::new();
    rt.block_on(async move {
        let app_state = state.clone();
        let server = HttpServer::new(move || {
            crate::web::loop_lag::start_probe();
            crate::web::app(app_state.clone(), web_state.clone())
        })
        .workers(workers)
        .bind(&bind)
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        for addr in server.addrs() {
            // tests and scripts read this line to find the port
            println!("listening on http://{addr}");
            tracing::info!(%addr, backend = state.backend.name(), "listening");
        }
        server.run().await.map_err(|e| format!("server error: {e}"))
    })
}
