//! How linkchart scales: load, name look-up and path queries on generated
//! graphs of 10k, 100k and 1M relations (entities = relations / 4, seed 1).
//!
//! ```sh
//! cargo bench --bench scale                    # everything, a few minutes on 2 cores
//! cargo bench --bench scale -- 100k            # one size (others are not generated)
//! cargo bench --bench scale -- path-k10/10k    # one benchmark
//! LINKCHART_BENCH_BUDGET=1200 cargo bench --bench scale   # let slow ones run
//! ```
//!
//! Each size's graph is generated once into a temporary directory and
//! loaded once for the queries. The query benchmarks run a fixed set of
//! pairs chosen deterministically among the entities (so mostly ordinary,
//! low-degree entities, as a user's question would be), every pair in every
//! iteration: the throughput line gives queries per second (relations per
//! second for a load).
//!
//! Each benchmark runs one warm-up iteration, then 10 timed ones, and prints
//! the minimum, median and maximum time of an iteration with the median's
//! throughput. A benchmark whose single query (or load) is too slow for
//! that within the budget runs on fewer pairs, or is skipped with its one
//! timed run printed to stderr.
//!
//! The harness is these few lines rather than criterion: its statistics
//! (outlier analysis, regressions against saved baselines) are not what we
//! read, and it made every `cargo test` build about twenty more crates.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use linkchart::generate::{self, Params, Rng};
use linkchart::index::Index;
use linkchart::load;
use linkchart::query::path::{self, Query, Rank};
use linkchart::query::{Filter, Walk};

const SEED: u64 = 1;
/// Seed of the query pairs and looked-up names.
const PAIR_SEED: u64 = 2024;
const GROUPS: [&str; 4] = ["load", "resolve", "path-all-shortest", "path-k10"];

struct Size {
    label: &'static str,
    relations: usize,
    /// Pairs per iteration of the path benchmarks (at most).
    pairs: usize,
    /// Names per iteration of the look-up benchmark.
    names: usize,
}

const SIZES: &[Size] = &[
    Size {
        label: "10k",
        relations: 10_000,
        pairs: 10,
        names: 1_000,
    },
    Size {
        label: "100k",
        relations: 100_000,
        pairs: 10,
        names: 1_000,
    },
    Size {
        label: "1M",
        relations: 1_000_000,
        pairs: 5,
        names: 1_000,
    },
];

fn load_index(dir: &Path) -> Index {
    let inputs = load::read_dir(dir).expect("the generated graph is readable");
    let loaded = load::load(inputs).unwrap_or_else(|failed| {
        panic!(
            "the generated graph did not load: {} errors",
            failed.error_count()
        )
    });
    Index::new(loaded.graph)
}

/// `count` pairs of different entities, the same on every run.
fn pairs(entities: usize, count: usize) -> Vec<(usize, usize)> {
    let mut rng = Rng::new(PAIR_SEED);
    (0..count)
        .map(|_| {
            let a = rng.index(entities);
            let mut b = rng.index(entities);
            while b == a {
                b = rng.index(entities);
            }
            (a, b)
        })
        .collect()
}

fn query(from: usize, to: usize, k: Option<usize>) -> Query {
    Query {
        from: from.into(),
        to: to.into(),
        via: Vec::new(),
        filter: Filter::default(),
        walk: Walk::Undirected,
        max_hops: path::DEFAULT_MAX_HOPS,
        k,
        rank: Rank::Cost,
        weighted: false,
    }
}

/// How long one benchmark may take, in seconds (`LINKCHART_BENCH_BUDGET`,
/// default 120).
fn budget() -> Duration {
    let secs = std::env::var("LINKCHART_BENCH_BUDGET")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(120.0);
    Duration::from_secs_f64(secs)
}

/// The benchmark filters given on the command line (`cargo bench -- 100k`);
/// options such as cargo's `--bench` are passed over.
fn filters() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect()
}

/// Whether the command line selects benchmark `group/label`; what it does
/// not select is neither generated nor timed.
fn selected(group: &str, label: &str) -> bool {
    let filters = filters();
    let id = format!("{group}/{label}");
    filters.is_empty() || filters.iter().any(|f| id.contains(f.as_str()))
}

/// Timed iterations of one benchmark, after one warm-up.
const SAMPLES: usize = 10;

/// Runs one benchmark: `run(items)` does one iteration over the first
/// `items` items (pairs, names, or 1 for a load); what it returns is
/// dropped outside the timing. `one` is the time one item took, measured
/// beforehand; it says how many items fit in the budget. The throughput
/// counts `elements` per item (relations for a load).
fn bench<O>(
    group: &str,
    size: &Size,
    items: usize,
    elements: u64,
    one: Duration,
    mut run: impl FnMut(usize) -> O,
) {
    let runs = (SAMPLES + 1) as f64;
    let fit = (budget().as_secs_f64() / (runs * one.as_secs_f64().max(1e-9))) as usize;
    let items = items.min(fit);
    if items == 0 {
        eprintln!(
            "{group}/{}: skipped: one run took {:.1} s, so {runs} runs exceed the {:.0} s budget \
             (LINKCHART_BENCH_BUDGET=SECS raises it)",
            size.label,
            one.as_secs_f64(),
            budget().as_secs_f64()
        );
        return;
    }
    drop(black_box(run(items)));
    let mut times: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            let out = black_box(run(items));
            let took = started.elapsed();
            drop(out);
            took
        })
        .collect();
    times.sort_unstable();
    let median = times[SAMPLES / 2];
    let per_second = (items as u64 * elements) as f64 / median.as_secs_f64();
    println!(
        "{:<28} min {:>10.3?}  median {:>10.3?}  max {:>10.3?}  {:>14.0} {}/s",
        format!("{group}/{}", size.label),
        times[0],
        median,
        times[SAMPLES - 1],
        per_second,
        if group == "load" {
            "relations"
        } else {
            "items"
        }
    );
}

fn bench_size(size: &Size) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let params = Params {
        entities: size.relations / 4,
        relations: size.relations,
        seed: SEED,
        files: 8,
    };
    let files = generate::generate(&params, |_, _| {});
    generate::write_dir(dir.path(), &files).expect("the graph is written");
    drop(files);

    let started = Instant::now();
    let index = load_index(dir.path());
    let one_load = started.elapsed();
    if selected("load", size.label) {
        // Read, parse, validate and index.
        bench("load", size, 1, size.relations as u64, one_load, |_| {
            load_index(dir.path())
        });
    }

    // Names as a user types them: lower case, every third one an alias.
    let n = index.graph.entities.len();
    let mut rng = Rng::new(PAIR_SEED + 1);
    let names: Vec<String> = (0..size.names)
        .map(|i| {
            let e = &index.graph.entities[rng.index(n)];
            let name = match e.aliases.first() {
                Some(alias) if i % 3 == 0 => alias.as_str(),
                _ => e.name.as_str(),
            };
            name.to_lowercase()
        })
        .collect();
    if selected("resolve", size.label) {
        let resolve = |items: usize| {
            names[..items]
                .iter()
                .filter(|name| index.resolve(black_box(name)).is_ok())
                .count()
        };
        // The first look-up builds the name index; time the ones after it.
        resolve(1);
        let started = Instant::now();
        resolve(1);
        bench("resolve", size, names.len(), 1, started.elapsed(), resolve);
    }

    let chosen = pairs(n, size.pairs);
    for (group, k) in [("path-all-shortest", None), ("path-k10", Some(10))] {
        if !selected(group, size.label) {
            continue;
        }
        let find = |&(from, to): &(usize, usize)| path::find(&index, &query(from, to, k));
        let started = Instant::now();
        find(&chosen[0]);
        let one = started.elapsed();
        bench(group, size, chosen.len(), 1, one, |items| {
            chosen[..items].iter().map(find).collect::<Vec<_>>()
        });
    }
}

fn main() {
    // `--list` only lists; there is nothing to generate for it.
    if std::env::args().any(|a| a == "--list") {
        for size in SIZES {
            for group in GROUPS {
                println!("{group}/{}: benchmark", size.label);
            }
        }
        return;
    }
    for size in SIZES
        .iter()
        .filter(|s| GROUPS.iter().any(|g| selected(g, s.label)))
    {
        bench_size(size);
    }
}
