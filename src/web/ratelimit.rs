//! Rate limits for the endpoints that attract abuse, per client: an IPv4
//! address or an IPv6 /64 (`Client`), counted by `governor`. The client IP
//! is the socket peer, or the right-most untrusted address of
//! X-Forwarded-For when the peer is a configured trusted proxy.

use crate::config::Config;
use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter as Gcra};
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    Login,
    Signup,
    Request,
}

/// Whom a limit counts: an IPv4 address, or the /64 network of an IPv6
/// one (a single host is usually given a whole /64, so counting addresses
/// would let it walk around any limit). An IPv4 address written as IPv6
/// (`::ffff:a.b.c.d`) is that IPv4 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    V4(Ipv4Addr),
    V6Net64(u64),
}

impl Client {
    pub fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(a) => Client::V4(a),
            IpAddr::V6(a) => Client::V6Net64((u128::from(a) >> 64) as u64),
        }
    }
}

/// Above this many clients remembered, `check` drops those whose budget
/// has refilled completely (they are indistinguishable from new ones).
const MAX_CLIENTS: usize = 100_000;
/// How often (in checks) `check` looks at that size.
const SIZE_CHECK_EVERY: u32 = 1024;

type Keyed<C> = Gcra<Client, DashMapStateStore<Client>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// One GCRA limiter (governor's, in a sharded map) per kind of endpoint:
/// a burst of the configured count, refilled evenly over its window — the
/// token bucket the rates have always described.
pub struct RateLimiter<C: Clock = DefaultClock> {
    login: Option<Keyed<C>>,
    signup: Option<Keyed<C>>,
    request: Option<Keyed<C>>,
    clock: C,
    checks: AtomicU32,
    trusted: Vec<IpAddr>,
}

impl RateLimiter {
    pub fn new(c: &Config) -> Self {
        Self::with_clock(c, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    pub fn with_clock(c: &Config, clock: C) -> Self {
        // `per` requests per `window`; 0 disables the limit
        let keyed = |per: u32, window: Duration| {
            let burst = NonZeroU32::new(per)?;
            let quota = Quota::with_period(window / per)?.allow_burst(burst);
            Some(Gcra::dashmap_with_clock(quota, clock.clone()))
        };
        Self {
            login: keyed(c.rate_login_per_min, Duration::from_secs(60)),
            signup: keyed(c.rate_signup_per_hour, Duration::from_secs(3600)),
            request: keyed(c.rate_requests_per_min, Duration::from_secs(60)),
            clock,
            checks: AtomicU32::new(0),
            trusted: c.trusted_proxies.clone(),
        }
    }

    fn limiters(&self) -> impl Iterator<Item = &Keyed<C>> {
        [&self.login, &self.signup, &self.request]
            .into_iter()
            .flatten()
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

    /// Takes one from the client's budget; on refusal, the seconds until
    /// one is available.
    pub fn check(&self, limit: Limit, ip: IpAddr) -> Result<(), u64> {
        let limiter = match limit {
            Limit::Login => &self.login,
            Limit::Signup => &self.signup,
            Limit::Request => &self.request,
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % SIZE_CHECK_EVERY == 0
            && limiter.len() > MAX_CLIENTS
        {
            self.forget_idle();
        }
        limiter.check_key(&Client::of(ip)).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }

    /// Forgets the clients whose budget has refilled completely, and gives
    /// the memory back. Called by the background thread about every 10 s,
    /// and by `check` when the maps grow large.
    pub fn forget_idle(&self) {
        for l in self.limiters() {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }

    /// How many clients are remembered, all limits together.
    pub fn clients(&self) -> usize {
        self.limiters().map(Gcra::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    #[test]
    fn bucket_refuses_then_refills() {
        let mut c = Config::defaults_for("sqlite://x");
        c.rate_login_per_min = 2;
        let clock = FakeRelativeClock::default();
        let rl = RateLimiter::with_clock(&c, clock.clone());
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(rl.check(Limit::Login, ip).is_ok());
        assert!(rl.check(Limit::Login, ip).is_ok());
        let retry = rl.check(Limit::Login, ip).unwrap_err();
        assert!((1..=30).contains(&retry), "{retry}");
        assert!(rl.check(Limit::Login, other).is_ok(), "per IP");
        assert!(rl.check(Limit::Signup, ip).is_ok(), "per endpoint");
        clock.advance(Duration::from_secs(31));
        assert!(rl.check(Limit::Login, ip).is_ok());
    }

    fn limiter(per_min: u32) -> (RateLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let mut c = Config::defaults_for("sqlite://x");
        c.rate_login_per_min = per_min;
        let clock = FakeRelativeClock::default();
        (RateLimiter::with_clock(&c, clock.clone()), clock)
    }

    fn spend(rl: &RateLimiter<FakeRelativeClock>, ip: &str, n: u32) -> u32 {
        let ip: IpAddr = ip.parse().unwrap();
        (0..n)
            .filter(|_| rl.check(Limit::Login, ip).is_ok())
            .count() as u32
    }

    #[test]
    fn one_ipv6_64_is_one_client() {
        let (rl, _) = limiter(3);
        assert_eq!(spend(&rl, "2001:db8:1:2::1", 2), 2);
        // the same /64, another address: the budget is shared
        assert_eq!(spend(&rl, "2001:db8:1:2:ffff:eeee:dddd:cccc", 5), 1);
        assert_eq!(spend(&rl, "2001:db8:1:2::99", 1), 0);
        // the next /64 has a budget of its own, as has another /48
        assert_eq!(spend(&rl, "2001:db8:1:3::1", 5), 3);
        assert_eq!(spend(&rl, "2001:db8:2:2::1", 5), 3);
        assert_eq!(
            Client::of("2001:db8:1:2::1".parse().unwrap()),
            Client::of("2001:db8:1:2:8000::".parse().unwrap())
        );
    }

    #[test]
    fn ipv4_is_counted_per_address() {
        let (rl, _) = limiter(2);
        assert_eq!(spend(&rl, "203.0.113.7", 5), 2);
        assert_eq!(
            spend(&rl, "203.0.113.8", 5),
            2,
            "the neighbour is another client"
        );
        // the same address written as IPv6 is the same client
        assert_eq!(spend(&rl, "::ffff:203.0.113.7", 1), 0);
        assert_eq!(spend(&rl, "::ffff:203.0.113.9", 1), 1);
    }

    #[test]
    fn idle_clients_are_forgotten() {
        let (rl, clock) = limiter(2);
        for i in 0..50u32 {
            spend(&rl, &format!("2001:db8:0:{i:x}::1"), 1);
            spend(&rl, &format!("198.51.100.{i}"), 1);
        }
        assert_eq!(rl.clients(), 100);
        rl.forget_idle();
        assert_eq!(rl.clients(), 100, "still counting");
        // governor forgets a client one interval after its budget is full
        clock.advance(Duration::from_secs(61));
        rl.forget_idle();
        assert_eq!(rl.clients(), 0, "refilled: nothing to remember");
    }

    #[test]
    fn zero_disables_a_limit() {
        let (rl, _) = limiter(0);
        assert_eq!(spend(&rl, "203.0.113.7", 100), 100);
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
