//! Prometheus text metrics: request counts by method and status class,
//! a latency histogram, and gauges of the crisis (offers open, places free,
//! requests waiting) read at scrape time.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

const BUCKETS_MS: [f64; 10] = [
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0,
];
const METHODS: [&str; 5] = ["GET", "POST", "PATCH", "DELETE", "OTHER"];
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

#[derive(Default)]
pub struct Metrics {
    requests: [[AtomicU64; 5]; 5],
    buckets: [AtomicU64; BUCKETS_MS.len()],
    count: AtomicU64,
    sum_us: AtomicU64,
}

pub struct Gauges {
    pub offers_open: i64,
    pub places_free: i64,
    pub requests_waiting: i64,
    pub index_size: usize,
}

impl Metrics {
    pub fn observe(&self, method: &str, status: u16, elapsed: std::time::Duration) {
        let m = METHODS.iter().position(|x| *x == method).unwrap_or(4);
        let c = (usize::from(status / 100)).clamp(1, 5) - 1;
        self.requests[m][c].fetch_add(1, Ordering::Relaxed);
        let ms = elapsed.as_secs_f64() * 1000.0;
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if ms <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn render(&self, g: &Gauges) -> String {
        let mut s = String::with_capacity(2048);
        let _ = writeln!(
            s,
            "# HELP po_http_requests_total HTTP requests served.\n# TYPE po_http_requests_total counter"
        );
        for (mi, m) in METHODS.iter().enumerate() {
            for (ci, c) in CLASSES.iter().enumerate() {
                let v = self.requests[mi][ci].load(Ordering::Relaxed);
                if v > 0 {
                    let _ = writeln!(
                        s,
                        "po_http_requests_total{{method=\"{m}\",status=\"{c}\"}} {v}"
                    );
                }
            }
        }
        let _ = writeln!(
            s,
            "# HELP po_http_request_duration_seconds Time to answer a request.\n# TYPE po_http_request_duration_seconds histogram"
        );
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            let _ = writeln!(
                s,
                "po_http_request_duration_seconds_bucket{{le=\"{}\"}} {}",
                b / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            s,
            "po_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            s,
            "po_http_request_duration_seconds_sum {}",
            self.sum_us.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(s, "po_http_request_duration_seconds_count {count}");
        for (name, help, v) in [
            (
                "po_offers_open",
                "Offers open and inside their window now.",
                g.offers_open,
            ),
            (
                "po_places_free",
                "Free places in open offers, net of holds.",
                g.places_free,
            ),
            (
                "po_requests_waiting",
                "Requests waiting for a match.",
                g.requests_waiting,
            ),
            (
                "po_index_offers",
                "Offers in this instance's candidate index.",
                g.index_size as i64,
            ),
        ] {
            let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_buckets() {
        let m = Metrics::default();
        m.observe("GET", 200, std::time::Duration::from_millis(3));
        m.observe("POST", 422, std::time::Duration::from_millis(30));
        let out = m.render(&Gauges {
            offers_open: 4,
            places_free: 9,
            requests_waiting: 2,
            index_size: 4,
        });
        assert!(out.contains("po_http_requests_total{method=\"GET\",status=\"2xx\"} 1"));
        assert!(out.contains("po_http_requests_total{method=\"POST\",status=\"4xx\"} 1"));
        assert!(out.contains("po_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(out.contains("po_http_request_duration_seconds_bucket{le=\"0.05\"} 2"));
        assert!(out.contains("po_places_free 9"));
    }
}
