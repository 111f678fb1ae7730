//! Per-client-IP token buckets for the endpoints that attract abuse. The
//! client IP is the socket peer, or the right-most untrusted address of
//! X-Forwarded-For when the peer is a configured trusted proxy.

use crate::config::Config;
use actix_web::HttpRequest;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    Login,
    Signup,
    Request,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct RateLimiter {
    rules: HashMap<Limit, (f64, Duration)>,
    buckets: Mutex<HashMap<(Limit, IpAddr), Bucket>>,
    trusted: Vec<IpAddr>,
}

impl RateLimiter {
    pub fn new(c: &Config) -> Self {
        let rules = HashMap::from([
            (
                Limit::Login,
                (f64::from(c.rate_login_per_min), Duration::from_secs(60)),
            ),
            (
                Limit::Signup,
                (f64::from(c.rate_signup_per_hour), Duration::from_secs(3600)),
            ),
            (
                Limit::Request,
                (f64::from(c.rate_requests_per_min), Duration::from_secs(60)),
            ),
        ]);
        Self {
            rules,
            buckets: Mutex::new(HashMap::new()),
            trusted: c.trusted_proxies.clone(),
        }
    }

    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        if !self.trusted.contains(&peer) {
            return Some(peer);
        }
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        forwarded
            .split(',')
            .rev()
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .find(|ip| !self.trusted.contains(ip))
            .or(Some(peer))
    }

    /// Takes one token; on refusal, the seconds until one is available.
    pub fn check(&self, limit: Limit, ip: IpAddr) -> Result<(), u64> {
        self.check_at(limit, ip, Instant::now())
    }

    fn check_at(&self, limit: Limit, ip: IpAddr, now: Instant) -> Result<(), u64> {
        let Some(&(burst, window)) = self.rules.get(&limit) else {
            return Ok(());
        };
        if burst <= 0.0 {
            return Ok(()); // 0 disables the limit
        }
        let rate = burst / window.as_secs_f64();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            // forget clients that have refilled completely
            buckets.retain(|(l, _), b| {
                let (cap, w) = self.rules.get(l).copied().unwrap_or((0.0, window));
                now.duration_since(b.at).as_secs_f64() * cap / w.as_secs_f64() + b.tokens < cap
            });
        }
        let b = buckets.entry((limit, ip)).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refuses_then_refills() {
        let mut c = Config::defaults_for("sqlite://x");
        c.rate_login_per_min = 2;
        let rl = RateLimiter::new(&c);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!(rl.check_at(Limit::Login, ip, t0).is_ok());
        assert!(rl.check_at(Limit::Login, ip, t0).is_ok());
        let retry = rl.check_at(Limit::Login, ip, t0).unwrap_err();
        assert!((1..=30).contains(&retry), "{retry}");
        assert!(rl.check_at(Limit::Login, other, t0).is_ok(), "per IP");
        assert!(rl.check_at(Limit::Signup, ip, t0).is_ok(), "per endpoint");
        assert!(
            rl.check_at(Limit::Login, ip, t0 + Duration::from_secs(31))
                .is_ok()
        );
    }
}

#[cfg(test)]
mod client_ip_tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let mut c = Config::defaults_for("sqlite://x");
        c.trusted_proxies = vec!["10.0.0.9".parse().unwrap()];
        let rl = RateLimiter::new(&c);
        let direct = TestRequest::default()
            .peer_addr("198.51.100.4:1000".parse().unwrap())
            .insert_header(("X-Forwarded-For", "1.2.3.4"))
            .to_http_request();
        assert_eq!(
            rl.client_ip(&direct),
            Some("198.51.100.4".parse().unwrap()),
            "untrusted peers cannot spoof"
        );
        let proxied = TestRequest::default()
            .peer_addr("10.0.0.9:1000".parse().unwrap())
            .insert_header(("X-Forwarded-For", "6.6.6.6, 203.0.113.5, 10.0.0.9"))
            .to_http_request();
        assert_eq!(
            rl.client_ip(&proxied),
            Some("203.0.113.5".parse().unwrap()),
            "right-most untrusted hop"
        );
    }
}
