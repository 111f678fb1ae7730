//! A tiny map tile server on 127.0.0.1 for the browser tests: any
//! `GET /{z}/{x}/{y}.svg` gets a 256×256 SVG tile (a light grid and its
//! coordinates), so Leaflet's tile layer really loads images without the
//! internet. It counts the tiles served and stops when dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

pub struct Tiles {
    pub addr: String,
    served: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Tiles {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let served = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (n, halt) = (served.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(s) = conn {
                    if answer(s) {
                        n.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        });
        Self {
            addr,
            served,
            stop,
            thread: Some(thread),
        }
    }

    /// The `MAP_TILE_URL` template for this server.
    pub fn template(&self) -> String {
        format!("http://{}/{{z}}/{{x}}/{{y}}.svg", self.addr)
    }

    /// How many tiles it served.
    pub fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for Tiles {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // wake the accept loop
        let _ = TcpStream::connect(&self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request and answers it; true when a tile was served.
fn answer(mut s: TcpStream) -> bool {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).unwrap_or(0);
    let head = String::from_utf8_lossy(&buf[..n]);
    let path = head.split_whitespace().nth(1).unwrap_or("");
    let parts: Vec<&str> = path
        .trim_start_matches('/')
        .trim_end_matches(".svg")
        .split('/')
        .collect();
    let tile = match parts.as_slice() {
        [z, x, y] if [z, x, y].iter().all(|p| p.parse::<u32>().is_ok()) => Some(format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" viewBox=\"0 0 256 256\">\
             <rect width=\"256\" height=\"256\" fill=\"#eef0f2\"/>\
             <path d=\"M0 64H256M0 128H256M0 192H256M64 0V256M128 0V256M192 0V256\" stroke=\"#d3d8de\" stroke-width=\"2\"/>\
             <path d=\"M0 0H256V256\" fill=\"none\" stroke=\"#c2c8cf\" stroke-width=\"3\"/>\
             <text x=\"8\" y=\"20\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#9aa3ad\">{z}/{x}/{y}</text></svg>"
        )),
        _ => None,
    };
    let (status, body) = match &tile {
        Some(t) => ("200 OK", t.as_str()),
        None => ("404 Not Found", ""),
    };
    let _ = write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: image/svg+xml\r\nContent-Length: {}\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tile.is_some()
}
