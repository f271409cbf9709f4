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
//! Criterion needs a warm-up and 10 samples. A benchmark whose single query
//! (or load) is too slow for that within the budget runs on fewer pairs, or
//! is skipped with its one timed run printed to stderr.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
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

/// The benchmark filters given on the command line (`cargo bench -- 100k`),
/// without criterion's options and their values.
fn filters() -> Vec<String> {
    const WITH_VALUE: &[&str] = &[
        "--color",
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--format",
        "--profile-time",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--plotting-backend",
        "--output-format",
        "-c",
        "-s",
        "-b",
    ];
    let mut out = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if WITH_VALUE.contains(&arg.as_str()) {
            args.next();
        } else if !arg.starts_with('-') {
            out.push(arg);
        }
    }
    out
}

/// Whether the command line may select benchmark `group/label`; what it
/// cannot select is neither generated nor timed. Regular expressions are
/// taken to match anything.
fn selected(group: &str, label: &str) -> bool {
    let filters = filters();
    let id = format!("{group}/{label}");
    filters.is_empty()
        || filters
            .iter()
            .any(|f| f.contains(|c: char| "\\.^$*+?()[]{}|".contains(c)) || id.contains(f.as_str()))
}

/// Runs one slow benchmark: `run(items)` does one iteration over the first
/// `items` items (pairs, or 1 for a load); what it returns is dropped
/// outside the timing. `one` is the time one item took, measured
/// beforehand; it says how many items fit in the budget. The throughput
/// line counts `elements` per item (relations for a load).
fn slow_bench<O>(
    c: &mut Criterion,
    group: &str,
    size: &Size,
    items: usize,
    elements: u64,
    one: Duration,
    mut run: impl FnMut(usize) -> O,
) {
    // A warm-up of at least one iteration, then 10 samples of at least one.
    let runs = 11.0;
    let fit = (budget().as_secs_f64() / (runs * one.as_secs_f64().max(1e-9))) as usize;
    let items = items.min(fit);
    if items == 0 {
        eprintln!(
            "{group}/{}: skipped: one run took {:.1} s, so 11 runs exceed the {:.0} s budget \
             (LINKCHART_BENCH_BUDGET=SECS raises it)",
            size.label,
            one.as_secs_f64(),
            budget().as_secs_f64()
        );
        return;
    }
    let per_iteration = one.mul_f64(items as f64);
    let mut g = c.benchmark_group(group);
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1).min(per_iteration));
    // Room for the 10 samples (with a margin, as criterion estimates from
    // the warm-up); it adds iterations per sample when there is more.
    g.measurement_time(per_iteration.mul_f64(14.0).max(Duration::from_secs(3)));
    g.throughput(Throughput::Elements(items as u64 * elements));
    g.bench_function(size.label, |b| b.iter_with_large_drop(|| run(items)));
    g.finish();
}

fn bench_size(c: &mut Criterion, size: &Size) {
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
        slow_bench(c, "load", size, 1, size.relations as u64, one_load, |_| {
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
                Some(alias) if i % 3 == 0 => alias,
                _ => &e.name,
            };
            name.to_lowercase()
        })
        .collect();
    if selected("resolve", size.label) {
        let mut group = c.benchmark_group("resolve");
        group.sample_size(20);
        group.throughput(Throughput::Elements(names.len() as u64));
        group.bench_function(size.label, |b| {
            b.iter(|| {
                for name in &names {
                    black_box(index.resolve(black_box(name)).is_ok());
                }
            })
        });
        group.finish();
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
        slow_bench(c, group, size, chosen.len(), 1, one, |items| {
            chosen[..items].iter().map(find).collect::<Vec<_>>()
        });
    }
}

fn benches(c: &mut Criterion) {
    // `--list` only lists; there is nothing to generate for it.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    for size in SIZES
        .iter()
        .filter(|s| GROUPS.iter().any(|g| selected(g, s.label)))
    {
        bench_size(c, size);
    }
}

criterion::criterion_group!(scale, benches);
criterion::criterion_main!(scale);
