//! How late this worker's event loop is: a probe sleeps a few
//! milliseconds again and again and records how much later than asked it
//! woke up. A loop that falls behind (more requests arriving than its core
//! can read and answer) wakes the probe late; admission control then turns
//! searches away at once (`ADMIT_MAX_LAG_MS`), which costs the
//! loop far less than serving them, until it has caught up. Without it, a
//! search answered from the memo never waits for a gate, so under a flood
//! every request is admitted and the ones not yet read wait unseen in the
//! kernel's socket buffers (docs/BENCHMARKS.md, "The cores split").

use std::cell::Cell;
use std::time::{Duration, Instant};

/// How often the probe wakes.
const PERIOD: Duration = Duration::from_millis(5);

thread_local! {
    /// µs late at the probe's last wake-up on this thread (0: no probe)
    static LATE_US: Cell<u64> = const { Cell::new(0) };
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Starts the probe on this worker's event loop, once per thread. Called
/// from the server's per-worker factory, never from in-process tests'
/// apps (a test thread blocks on purpose between requests).
pub fn start_probe() {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    actix_web::rt::spawn(async {
        loop {
            let asked = Instant::now();
            actix_web::rt::time::sleep(PERIOD).await;
            record(asked.elapsed().saturating_sub(PERIOD));
        }
    });
}

/// Records how late this thread's loop is (the probe, or a test).
pub fn record(late: Duration) {
    LATE_US.with(|l| l.set(u64::try_from(late.as_micros()).unwrap_or(u64::MAX)));
}

/// How late this thread's loop was at the probe's last wake-up.
pub fn late() -> Duration {
    Duration::from_micros(LATE_US.with(Cell::get))
}
