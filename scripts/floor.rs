//! The parse floor of `scripts/compare.py`: what serde and ron alone take
//! to read a graph directory's files into the loader's raw records
//! (`RawEntity`, `RawRelation`, the schema and the sources), with no
//! locating, validation, resolving or index, on as many threads as the
//! loader uses. `linkchart --no-cache stats` on the same directory is the
//! cold load measured against it.
//!
//! Usage: cargo run --release --example floor -- GRAPH_DIR
//! Prints `entities relations threads` once everything is parsed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use linkchart::load::raw::{RawEntity, RawRelation};
use linkchart::model::{Schema, Source};
use ron::extensions::Extensions;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "ron"));
    out.sort();
    out
}

fn main() {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: floor GRAPH_DIR");
        std::process::exit(2);
    };
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    let read = |path: &Path| {
        std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("{}: {e}", path.display());
            std::process::exit(1)
        })
    };
    let fail = |path: &Path, e: ron::error::SpannedError| -> ! {
        eprintln!("{}: {e}", path.display());
        std::process::exit(1)
    };
    let schema = dir.join("schema.ron");
    if let Err(e) = options.from_str::<Schema>(&read(&schema)) {
        fail(&schema, e);
    }
    let sources = dir.join("sources.ron");
    if let Err(e) = options.from_str::<Vec<Source>>(&read(&sources)) {
        fail(&sources, e);
    }
    let mut work: Vec<(PathBuf, bool)> = files(&dir.join("entities"))
        .into_iter()
        .map(|p| (p, true))
        .collect();
    work.extend(
        files(&dir.join("relations"))
            .into_iter()
            .map(|p| (p, false)),
    );
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let (entities, relations) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let (mut entities, mut relations) = (0, 0);
                    while let Some((path, is_entities)) =
                        work.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let text = read(path);
                        if *is_entities {
                            match options.from_str::<Vec<RawEntity>>(&text) {
                                Ok(list) => entities += list.len(),
                                Err(e) => fail(path, e),
                            }
                        } else {
                            match options.from_str::<Vec<RawRelation>>(&text) {
                                Ok(list) => relations += list.len(),
                                Err(e) => fail(path, e),
                            }
                        }
                    }
                    (entities, relations)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a parsing thread panicked"))
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    });
    println!("{entities} {relations} {threads}");
}
