//! An open-loop HTTP load generator for the spike (benches/spike.sh):
//! requests leave on a fixed schedule whatever the server answers, as a
//! crowd does, so an overloaded server cannot slow the offered load down
//! (wrk, closed-loop, waits for each answer before sending the next; Debian
//! has no wrk2). Each connection sends its share of the rate on its own
//! schedule, pipelined (HTTP/1.1), and a request's latency is measured from
//! the moment it was due, not the moment it left: time spent queued behind
//! a slow answer counts (no coordinated omission).
//!
//! Usage: cargo bench --bench openloop -- ADDR KIND RATE SECONDS CONNECTIONS [IDS_OUT]
//!   KIND: `create` (POST /api/v1/requests around Paris) or `search`
//!   (GET /api/v1/requests/{id}/candidates, over the "id token" lines of
//!   the file named by PO_REQUESTS).
//! Prints one RESULT line; with IDS_OUT, writes the IDs acknowledged (201).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Outcome {
    status: u16,
    latency_us: u64,
    id: Option<String>,
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
fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<(u16, String)> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status = line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        r.read_line(&mut line)?;
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
    r.read_exact(&mut body)?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn created_id(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v["id"].as_str().map(str::to_owned)
}

#[allow(clippy::too_many_arguments)]
fn connection(
    addr: String,
    kind: String,
    pairs: std::sync::Arc<Vec<(String, String)>>,
    start: Instant,
    interval: Duration,
    phase: Duration,
    until: Instant,
    seed: u64,
    out: mpsc::Sender<Outcome>,
) {
    let Ok(stream) = TcpStream::connect(&addr) else {
        return;
    };
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut writer = stream.try_clone().expect("clone the socket");
    let (due_tx, due_rx) = mpsc::channel::<Instant>();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stream);
        for due in due_rx {
            match read_response(&mut r) {
                Ok((status, body)) => {
                    let id = (status == 201).then(|| created_id(&body)).flatten();
                    let latency_us = due.elapsed().as_micros() as u64;
                    if out
                        .send(Outcome {
                            status,
                            latency_us,
                            id,
                        })
                        .is_err()
                    {
                        return;
                    }
                }
                Err(_) => {
                    // the connection broke or timed out: the rest are lost
                    let _ = out.send(Outcome {
                        status: 0,
                        latency_us: 0,
                        id: None,
                    });
                    return;
                }
            }
        }
    });
    let mut rng = Rng(seed | 1);
    let mut i = seed as usize;
    let mut due = start + phase;
    while due < until {
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        let req = match kind.as_str() {
            "create" => create_request(&addr, &mut rng),
            _ => {
                i = (i + 1) % pairs.len();
                search_request(&addr, &pairs[i])
            }
        };
        if writer.write_all(&req).is_err() || due_tx.send(due).is_err() {
            break;
        }
        due += interval;
    }
    drop(due_tx);
    let _ = reader.join();
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
    let addr = args[0].clone();
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
    let pairs = std::sync::Arc::new(pairs);
    let per_conn = rate / conns as f64;
    let interval = Duration::from_secs_f64(1.0 / per_conn);
    let start = Instant::now() + Duration::from_millis(200);
    let until = start + Duration::from_secs_f64(secs);
    let (tx, rx) = mpsc::channel();
    let threads: Vec<_> = (0..conns)
        .map(|c| {
            let (addr, kind, pairs, tx) = (addr.clone(), kind.clone(), pairs.clone(), tx.clone());
            let phase = interval.mul_f64(c as f64 / conns as f64);
            let seed = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(c as u64 + 1);
            std::thread::spawn(move || {
                connection(addr, kind, pairs, start, interval, phase, until, seed, tx)
            })
        })
        .collect();
    drop(tx);
    let mut ok = Vec::new();
    let (mut shed, mut other, mut broken, mut total) = (0u64, 0u64, 0u64, 0u64);
    let mut ids = Vec::new();
    for o in rx {
        total += 1;
        match o.status {
            200..=299 => {
                ok.push(o.latency_us);
                ids.extend(o.id);
            }
            503 => shed += 1,
            0 => broken += 1,
            _ => other += 1,
        }
    }
    for t in threads {
        let _ = t.join();
    }
    ok.sort_unstable();
    let elapsed = secs;
    println!(
        "RESULT kind={kind} offered_rps={rate:.0} answered={total} ok_rps={:.0} shed_share={:.3} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} other={other} broken={broken}",
        ok.len() as f64 / elapsed,
        if total > 0 {
            shed as f64 / total as f64
        } else {
            0.0
        },
        percentile(&ok, 0.50),
        percentile(&ok, 0.99),
        ok.last().copied().unwrap_or(0) as f64 / 1000.0,
    );
    if let Some(path) = args.get(5) {
        let mut f = std::fs::File::create(path).expect("IDS_OUT");
        for id in &ids {
            let _ = writeln!(f, "{id}");
        }
    }
}
