//! The concurrent clients of `scripts/serve_load.py`, in Rust with the
//! standard library only (the script builds it with `rustc -O`).
//!
//! Python threads share one interpreter lock: with a hundred of them, a
//! reply can wait tens of milliseconds for its thread to run again, so the
//! Python clients measured their own queueing as much as the server. Here
//! each client is an OS thread with its own kept-alive connection that asks,
//! in turn, for a route, a card and a capped neighbourhood of random
//! entities, exactly as the Python clients did.
//!
//! Usage: load_client HOST PORT CLIENTS SECONDS ENTITIES SEED
//! Prints one line: `requests errors p50_ms p99_ms max_ms`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// xorshift64*: deterministic per client, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

struct Connection {
    reader: BufReader<TcpStream>,
    host: String,
}

impl Connection {
    fn open(host: &str, port: u16) -> std::io::Result<Connection> {
        let stream = TcpStream::connect((host, port))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Connection {
            reader: BufReader::new(stream),
            host: format!("{host}:{port}"),
        })
    }

    /// One GET; the status, after reading the whole body.
    fn get(&mut self, target: &str) -> std::io::Result<u16> {
        let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", self.host);
        self.reader.get_mut().write_all(request.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::Error::other("connection closed"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<u64>().ok();
            }
        }
        let length = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
        std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink())?;
        Ok(status)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 7 {
        eprintln!("usage: load_client HOST PORT CLIENTS SECONDS ENTITIES SEED");
        std::process::exit(2);
    }
    fn number<T: std::str::FromStr>(text: &str, what: &str) -> T {
        text.parse().unwrap_or_else(|_| {
            eprintln!("load_client: {what} must be a number, not {text:?}");
            std::process::exit(2)
        })
    }
    let host = args[1].clone();
    let port: u16 = number(&args[2], "PORT");
    let clients: u64 = number(&args[3], "CLIENTS");
    let seconds: f64 = number(&args[4], "SECONDS");
    let entities: u64 = number(&args[5], "ENTITIES");
    let seed: u64 = number(&args[6], "SEED");
    if entities < 2 || !(seconds >= 0.0) {
        eprintln!("load_client: ENTITIES must be at least 2 and SECONDS not negative");
        std::process::exit(2);
    }
    let stop = Instant::now() + Duration::from_secs_f64(seconds);
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let host = host.clone();
            std::thread::spawn(move || {
                let mut rng = Rng((seed + 1) * 0x9e37_79b9_7f4a_7c15 + i + 1);
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut connection = Connection::open(&host, port).ok();
                let mut turn = 0u64;
                while Instant::now() < stop {
                    let a = rng.below(entities);
                    let b = (a + 1 + rng.below(entities - 1)) % entities;
                    let target = match turn % 3 {
                        0 => format!("/api/path?from=e{a:06}&to=e{b:06}"),
                        1 => format!("/api/card?name=e{a:06}"),
                        _ => format!("/api/neighbours?name=e{a:06}&limit=15"),
                    };
                    turn += 1;
                    let start = Instant::now();
                    let status = match connection.as_mut() {
                        Some(c) => c.get(&target).ok(),
                        None => None,
                    };
                    latencies.push(start.elapsed().as_micros() as u64);
                    if status != Some(200) {
                        errors += 1;
                        connection = Connection::open(&host, port).ok();
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in threads {
        let (mine, bad) = t.join().expect("a client thread panicked");
        all.extend(mine);
        errors += bad;
    }
    all.sort_unstable();
    let at = |p: f64| {
        let k = ((p / 100.0) * (all.len().saturating_sub(1)) as f64).round() as usize;
        all.get(k).copied().unwrap_or(0) as f64 / 1000.0
    };
    println!(
        "{} {} {:.1} {:.1} {:.1}",
        all.len(),
        errors,
        at(50.0),
        at(99.0),
        all.last().copied().unwrap_or(0) as f64 / 1000.0
    );
}
