//! An open-loop HTTP load generator for the spike (benches/spike.sh):
//! requests leave on a fixed schedule whatever the server answers, as a
//! crowd does, so an overloaded server cannot slow the offered load down
//! (wrk, closed-loop, waits for each answer before sending the next; Debian
//! has no wrk2). Each connection sends its share of the rate on its own
//! schedule, pipelined (HTTP/1.1), and a request's latency is measured from
//! the moment it was due, not the moment it left: time spent queued behind
//! a slow answer counts (no coordinated omission).
//!
//! It runs on one thread (a tokio event loop), so that on a two-core
//! machine the server keeps a core: the first version spent two threads per
//! connection, and at ten times the sustained rate its own scheduling showed
//! up in the latencies it reported. `LATE` in the result is how late the
//! generator itself sent requests (p99 of send time − due time): when it is
//! not small beside the latencies, the figures measure the generator.
//!
//! Usage: cargo bench --bench openloop -- ADDR KIND RATE SECONDS CONNECTIONS [IDS_OUT]
//!   KIND: `create` (POST /api/v1/requests around Paris) or `search`
//!   (GET /api/v1/requests/{id}/candidates, over the "id token" lines of
//!   the file named by PO_REQUESTS).
//! Prints one RESULT line; with IDS_OUT, writes the IDs acknowledged (201).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Write;
use std::rc::Rc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;
use tokio::sync::Notify;
use tokio::time::Instant;

/// What the run saw, shared by every connection's tasks (one thread).
#[derive(Default)]
struct Tally {
    ok_us: Vec<u64>,
    late_us: Vec<u64>,
    shed: u64,
    other: u64,
    broken: u64,
    total: u64,
    ids: Vec<String>,
}

/// xorshift: no dependency, a different stream per connection.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn create_request(addr: &str, rng: &mut Rng) -> Vec<u8> {
    let body = format!(
        r#"{{"lat":{:.6},"lon":{:.6},"party_size":{},"name":"Bench","contact_phone":"+33600000000"}}"#,
        48.80 + rng.next() * 0.12,
        2.25 + rng.next() * 0.20,
        1 + (rng.next() * 4.0) as u32
    );
    format!(
        "POST /api/v1/requests HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn search_request(addr: &str, pair: &(String, String)) -> Vec<u8> {
    format!(
        "GET /api/v1/requests/{}/candidates?limit=10&radius_km=5 HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\r\n",
        pair.0, pair.1
    )
    .into_bytes()
}

/// Reads one response: its status and body.
async fn read_response(r: &mut BufReader<OwnedReadHalf>) -> std::io::Result<(u16, Vec<u8>)> {
    let mut line = String::new();
    if r.read_line(&mut line).await? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status = line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        r.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    r.read_exact(&mut body).await?;
    Ok((status, body))
}

fn created_id(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v["id"].as_str().map(str::to_owned)
}

/// The requests one connection has sent and not yet had answered, by due
/// time, and whether the sender has finished.
#[derive(Default)]
struct InFlight {
    due: VecDeque<Instant>,
    done: bool,
}

/// Reads answers in order, each against the instant its request was due.
async fn read_answers(
    read: OwnedReadHalf,
    pending: Rc<RefCell<InFlight>>,
    wake: Rc<Notify>,
    tally: Rc<RefCell<Tally>>,
) {
    let mut r = BufReader::new(read);
    loop {
        let next = {
            let mut p = pending.borrow_mut();
            match p.due.pop_front() {
                Some(d) => Some(d),
                None if p.done => return,
                None => None,
            }
        };
        let Some(due) = next else {
            wake.notified().await;
            continue;
        };
        let answer = tokio::time::timeout(Duration::from_secs(10), read_response(&mut r)).await;
        let mut t = tally.borrow_mut();
        t.total += 1;
        match answer {
            Ok(Ok((status, body))) => match status {
                200..=299 => {
                    t.ok_us.push(due.elapsed().as_micros() as u64);
                    if status == 201 {
                        t.ids.extend(created_id(&body));
                    }
                }
                503 => t.shed += 1,
                _ => t.other += 1,
            },
            _ => {
                // the connection broke or timed out: what it still owed is lost
                let owed = pending.borrow().due.len() as u64;
                t.broken += 1 + owed;
                t.total += owed;
                return;
            }
        }
    }
}

struct Plan {
    addr: String,
    kind: String,
    pairs: Vec<(String, String)>,
    interval: Duration,
    until: Instant,
}

async fn connection(plan: Rc<Plan>, c: usize, conns: usize, tally: Rc<RefCell<Tally>>) {
    let Ok(stream) = TcpStream::connect(&plan.addr).await else {
        tally.borrow_mut().broken += 1;
        return;
    };
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let pending = Rc::new(RefCell::new(InFlight::default()));
    let wake = Rc::new(Notify::new());
    let reader = tokio::task::spawn_local(read_answers(
        read,
        pending.clone(),
        wake.clone(),
        tally.clone(),
    ));
    let seed = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(c as u64 + 1);
    let mut rng = Rng(seed | 1);
    let mut i = seed as usize;
    let phase = plan.interval.mul_f64(c as f64 / conns as f64);
    let mut due = Instant::now() + phase;
    while due < plan.until {
        tokio::time::sleep_until(due).await;
        let req = match plan.kind.as_str() {
            "create" => create_request(&plan.addr, &mut rng),
            _ => {
                i = (i + 1) % plan.pairs.len();
                search_request(&plan.addr, &plan.pairs[i])
            }
        };
        tally
            .borrow_mut()
            .late_us
            .push(due.elapsed().as_micros() as u64);
        pending.borrow_mut().due.push_back(due);
        wake.notify_one();
        if write.write_all(&req).await.is_err() {
            break;
        }
        due += plan.interval;
    }
    pending.borrow_mut().done = true;
    wake.notify_one();
    let _ = reader.await;
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.len() < 5 {
        eprintln!("usage: openloop ADDR create|search RATE SECONDS CONNECTIONS [IDS_OUT]");
        std::process::exit(2);
    }
    let kind = args[1].clone();
    let rate: f64 = args[2].parse().expect("RATE");
    let secs: f64 = args[3].parse().expect("SECONDS");
    let conns: usize = args[4].parse().expect("CONNECTIONS");
    let pairs: Vec<(String, String)> = if kind == "search" {
        let path = std::env::var("PO_REQUESTS").expect("PO_REQUESTS");
        std::fs::read_to_string(path)
            .expect("the requests file")
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect()
    } else {
        vec![]
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let tally = Rc::new(RefCell::new(Tally::default()));
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        let start = Instant::now() + Duration::from_millis(200);
        let plan = Rc::new(Plan {
            addr: args[0].clone(),
            kind: kind.clone(),
            pairs,
            interval: Duration::from_secs_f64(conns as f64 / rate),
            until: start + Duration::from_secs_f64(secs),
        });
        tokio::time::sleep_until(start).await;
        let tasks: Vec<_> = (0..conns)
            .map(|c| tokio::task::spawn_local(connection(plan.clone(), c, conns, tally.clone())))
            .collect();
        for t in tasks {
            let _ = t.await;
        }
    });
    let mut t = tally.take();
    t.ok_us.sort_unstable();
    t.late_us.sort_unstable();
    println!(
        "RESULT kind={kind} offered_rps={rate:.0} answered={} ok_rps={:.0} shed_share={:.3} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} late_p99_ms={:.2} other={} broken={}",
        t.total,
        t.ok_us.len() as f64 / secs,
        if t.total > 0 {
            t.shed as f64 / t.total as f64
        } else {
            0.0
        },
        percentile(&t.ok_us, 0.50),
        percentile(&t.ok_us, 0.99),
        t.ok_us.last().copied().unwrap_or(0) as f64 / 1000.0,
        percentile(&t.late_us, 0.99),
        t.other,
        t.broken,
    );
    if let Some(path) = args.get(5) {
        let mut f = std::fs::File::create(path).expect("IDS_OUT");
        for id in &t.ids {
            let _ = writeln!(f, "{id}");
        }
    }
}
