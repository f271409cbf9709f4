//! The load cache can never make an answer differ from the files': damaged,
//! edited, renamed, foreign or open entries are ignored (named once in a
//! note), removed and rebuilt, and no entry can make a command panic.

use std::path::{Path, PathBuf};

use linkchart::load::{self, cache};
use linkchart::model::{EntityId, Status};

use crate::{Run, repo, run_in, run_with_env};

/// Commands whose answers must not depend on the cache: the whole graph,
/// and the route the forged entry changed.
const QUERIES: [&[&str]; 3] = [
    &["export", "--format", "json"],
    &["path", "isi", "taliban", "--types", "funded"],
    &[
        "path",
        "isi",
        "taliban",
        "--types",
        "funded",
        "--status",
        "established",
    ],
];

const NOTE: &str = "note: ignored the load cache entry";

fn graph() -> PathBuf {
    repo().join("graph")
}

/// A private cache directory for one test.
struct Cache {
    home: tempfile::TempDir,
}

impl Cache {
    fn new() -> Cache {
        Cache {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn dir(&self) -> PathBuf {
        self.home.path().join("cache")
    }

    fn run(&self, query: &[&str]) -> Run {
        let graph = graph();
        let mut args = vec!["--graph", graph.to_str().unwrap()];
        args.extend(query);
        let dir = self.dir();
        run_with_env(
            self.home.path(),
            &args,
            &[("LINKCHART_CACHE_DIR", dir.to_str().unwrap())],
        )
    }

    /// The one entry, after a run has written it.
    fn entry(&self) -> PathBuf {
        let entries: Vec<PathBuf> = std::fs::read_dir(self.dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "bin"))
            .collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries[0].clone()
    }

    /// The content half of the entry's key, from its name.
    fn key(&self) -> u128 {
        let name = self
            .entry()
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        u128::from_str_radix(name.split('-').nth(1).unwrap(), 16).unwrap()
    }
}

/// The answers with no cache at all.
fn truth() -> Vec<(i32, String)> {
    let graph = graph();
    QUERIES
        .iter()
        .map(|q| {
            let mut args = vec!["--graph", graph.to_str().unwrap()];
            args.extend(*q);
            let run = run_in(repo(), &args);
            (run.code, run.stdout)
        })
        .collect()
}

/// Runs `queries` of QUERIES with `entry` planted: each answer equals the
/// truth, the first run notes the bad entry once and rebuilds it, later runs
/// say nothing.
fn assert_ignored(
    cache: &Cache,
    entry: &[u8],
    truth: &[(i32, String)],
    queries: usize,
    what: &str,
) {
    let path = cache.entry();
    let good = std::fs::read(&path).unwrap();
    std::fs::write(&path, entry).unwrap();
    for (n, (query, expected)) in QUERIES.iter().zip(truth).take(queries).enumerate() {
        let run = cache.run(query);
        assert_ne!(run.code, 101, "{what}: {query:?} panicked: {}", run.stderr);
        assert_eq!(
            (run.code, &run.stdout),
            (expected.0, &expected.1),
            "{what}: {query:?}"
        );
        let notes = run.stderr.matches(NOTE).count();
        assert_eq!(
            notes,
            usize::from(n == 0),
            "{what}: {query:?}: {}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        good,
        "{what}: the entry was rebuilt"
    );
}

#[test]
fn entries_are_private_and_match_the_loaded_graph() {
    let cache = Cache::new();
    let run = cache.run(QUERIES[1]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache.dir()), 0o700);
        assert_eq!(mode(&cache.entry()), 0o600);
    }
    // The entry is exactly the loaded graph, framed: what the tests below
    // plant is what linkchart itself would write.
    let loaded = load::load(load::read_dir(&graph()).unwrap()).unwrap();
    let payload = cache::payload(&loaded.graph).unwrap();
    assert_eq!(
        std::fs::read(cache.entry()).unwrap(),
        cache::frame(cache.key(), &payload)
    );
}

#[test]
fn flipped_bytes_anywhere_are_caught() {
    let truth = truth();
    let cache = Cache::new();
    cache.run(QUERIES[0]);
    let good = std::fs::read(cache.entry()).unwrap();
    // The header (magic, format, key), the payload, and the trailer (the
    // payload's length and the checksum).
    let (header, trailer) = (36, good.len() - 24);
    let positions: Vec<usize> = (0..header)
        .step_by(3)
        .chain((header..trailer).step_by((trailer - header) / 40))
        .chain((trailer..good.len()).step_by(3))
        .chain([good.len() - 1])
        .collect();
    for (n, &at) in positions.iter().enumerate() {
        let mut bad = good.clone();
        bad[at] ^= 1 << (n % 8);
        // Every answer for a few positions, the whole graph for the rest.
        let queries = if n % 10 == 0 { QUERIES.len() } else { 1 };
        assert_ignored(&cache, &bad, &truth, queries, &format!("byte {at} flipped"));
    }
}

#[test]
fn edited_and_planted_entries_are_caught() {
    let truth = truth();
    let cache = Cache::new();
    cache.run(QUERIES[0]);
    let key = cache.key();
    let good = std::fs::read(cache.entry()).unwrap();
    let graph = load::load(load::read_dir(&graph()).unwrap()).unwrap().graph;
    let funded = graph
        .relations
        .iter()
        .position(|r| r.id == "isi/funded/taliban")
        .expect("the shipped graph has isi/funded/taliban");
    assert_eq!(graph.relations[funded].status, Status::Disputed);
    let framed = |g: &linkchart::model::Graph| cache::frame(key, &cache::payload(g).unwrap());

    // The forgery: disputed made established, claimants removed.
    let mut forged = graph.clone();
    forged.relations[funded].status = Status::Established;
    forged.relations[funded].claimed_by.clear();
    // a) patched in place, the old checksum left as it was;
    let mut patched = framed(&forged);
    patched[44..60].copy_from_slice(&good[44..60]);
    // b) with a checksum that matches (the contesting parties give it away).
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("status patched, old checksum", patched),
        ("status patched, new checksum", framed(&forged)),
        ("a `from` index out of range", {
            let mut g = graph.clone();
            g.relations[0].from = EntityId(1_000_000);
            framed(&g)
        }),
        ("a claimant out of range", {
            let mut g = graph.clone();
            g.relations[funded].claimed_by.push(EntityId(u32::MAX));
            framed(&g)
        }),
        ("an escape sequence in a name", {
            let mut g = graph.clone();
            g.entities[0].name = "\u{1b}]0;pwned\u{7}".into();
            framed(&g)
        }),
        ("entities out of order", {
            let mut g = graph.clone();
            g.entities.swap(0, 1);
            framed(&g)
        }),
        ("a relation stated twice under one id", {
            let mut g = graph.clone();
            let first = g.relations[0].clone();
            g.relations.insert(1, first);
            framed(&g)
        }),
        ("relations out of order", {
            let mut g = graph.clone();
            let last = g.relations.len() - 1;
            g.relations.swap(0, last);
            framed(&g)
        }),
        ("a relation numbered out of turn", {
            let mut g = graph.clone();
            let r = g.relations[0].clone();
            let mut second = r.clone();
            second.id = format!("{}/3", r.id).into();
            g.relations.insert(1, second);
            framed(&g)
        }),
        ("an impossible date", {
            let mut g = graph.clone();
            g.entities[0].start = Some(linkchart::when::Date {
                year: 2001,
                month: Some(2),
                day: Some(30),
                approx: false,
            });
            framed(&g)
        }),
        (
            "another graph's entry",
            cache::frame(key ^ 1, &cache::payload(&graph).unwrap()),
        ),
        (
            "a payload that is not a graph",
            cache::frame(key, b"not postcard at all"),
        ),
        ("cut short", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, entry) in cases {
        assert_ignored(&cache, &entry, &truth, QUERIES.len(), what);
    }
}

#[cfg(unix)]
#[test]
fn open_links_and_foreign_entries_are_not_trusted() {
    use std::os::unix::fs::PermissionsExt;
    let truth = truth();
    let cache = Cache::new();
    cache.run(QUERIES[0]);
    let entry = cache.entry();
    let good = std::fs::read(&entry).unwrap();

    // Writable by others: ignored, then rebuilt private.
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o666)).unwrap();
    let run = cache.run(QUERIES[0]);
    assert_eq!((run.code, &run.stdout), (truth[0].0, &truth[0].1));
    assert!(
        run.stderr.contains("others can write to it"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // A link, even to a good entry elsewhere.
    let elsewhere = cache.home.path().join("elsewhere.bin");
    std::fs::write(&elsewhere, &good).unwrap();
    std::fs::remove_file(&entry).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &entry).unwrap();
    let run = cache.run(QUERIES[0]);
    assert_eq!((run.code, &run.stdout), (truth[0].0, &truth[0].1));
    assert!(
        run.stderr.contains("it is a symbolic link"),
        "{}",
        run.stderr
    );
    assert!(
        !std::fs::symlink_metadata(&entry)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // Another user's entry (only root can make one).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&entry, Some(65534), Some(65534)).unwrap();
        let run = cache.run(QUERIES[0]);
        assert_eq!((run.code, &run.stdout), (truth[0].0, &truth[0].1));
        assert!(
            run.stderr.contains("it belongs to another user"),
            "{}",
            run.stderr
        );
    }

    // A directory others can write to is not used at all.
    std::fs::set_permissions(cache.dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = cache.run(QUERIES[0]);
    assert_eq!((run.code, &run.stdout), (truth[0].0, &truth[0].1));
    assert!(
        run.stderr.contains("is not used: others can write to it"),
        "{}",
        run.stderr
    );
}

/// The built-in graph is answered from its compiled form, built into the
/// binary: the same answers as from its text (the cache off), with no cache
/// entry read or written.
#[test]
fn the_built_in_graph_needs_no_cache() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cache");
    let env = [("LINKCHART_CACHE_DIR", dir.to_str().unwrap())];
    // No `graph/` here and no --graph: the graph built into the binary.
    for query in [
        &["path", "isi", "taliban", "--types", "funded"][..],
        &["show", "Hamid Gul"],
        &["stats"],
        &["check"],
    ] {
        let truth = run_in(home.path(), query);
        assert_eq!(truth.code, 0, "{}", truth.stderr);
        for _ in 0..2 {
            let run = run_with_env(home.path(), query, &env);
            assert_eq!((run.code, &run.stdout), (0, &truth.stdout), "{query:?}");
            assert!(run.stderr.is_empty(), "{}", run.stderr);
        }
    }
    assert!(!dir.exists(), "nothing is cached");
}

/// A card (`show`) or a timeline of a large graph is read from its entry
/// without decoding every relation (the entry's rows of each entity): it
/// is what the files give, text and JSON, for the entity with the most
/// relations, one with none, one that is only a party to some claims, a
/// name rather than an id, and a name that names nothing; and a damaged
/// entry is still noted, removed and rebuilt, the card unchanged.
#[test]
fn a_card_read_from_a_large_graphs_rows_is_the_files_card() {
    let home = tempfile::tempdir().unwrap();
    let big = home.path().join("big");
    let made = run_in(
        home.path(),
        &[
            "generate",
            "--entities",
            "3000",
            "--relations",
            "24000",
            "--seed",
            "5",
            "-o",
            big.to_str().unwrap(),
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let graph = load::load(load::read_dir(&big).unwrap()).unwrap().graph;
    let touching = |e: EntityId| {
        graph
            .relations
            .iter()
            .filter(|r| r.from == e || r.to == e || r.parties().any(|p| p == e))
            .count()
    };
    let ids: Vec<EntityId> = (0..graph.entities.len() as u32).map(EntityId).collect();
    let busiest = *ids.iter().max_by_key(|&&e| touching(e)).unwrap();
    let alone = ids.iter().find(|&&e| touching(e) == 0).copied();
    let party = graph
        .relations
        .iter()
        .flat_map(|r| r.parties().filter(move |&p| p != r.from && p != r.to))
        .next()
        .expect("the generated graph has claims");
    let mut questions: Vec<Vec<String>> = [Some(busiest), alone, Some(party), Some(EntityId(7))]
        .into_iter()
        .flatten()
        .map(|e| vec![graph.entities[e.index()].id.to_string()])
        .collect();
    questions.push(vec![graph.entities[42].name.to_string()]);
    questions.push(vec!["no such entity anywhere".to_string()]);
    let cache_dir = home.path().join("cache");
    let with_cache = |args: &[&str]| {
        let mut all = vec!["--graph", big.to_str().unwrap()];
        all.extend(args);
        run_with_env(
            home.path(),
            &all,
            &[("LINKCHART_CACHE_DIR", cache_dir.to_str().unwrap())],
        )
    };
    let files = |args: &[&str]| {
        let mut all = vec!["--graph", big.to_str().unwrap()];
        all.extend(args);
        run_in(home.path(), &all)
    };
    // The first run writes the entry.
    assert_eq!(with_cache(&["stats"]).code, 0);
    let entry = std::fs::read_dir(&cache_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "bin"))
        .unwrap();
    let good = std::fs::read(&entry).unwrap();
    // Relations in parts (the number of them ends the payload, before the
    // trailer): a large graph's entry, with rows.
    let parts = &good[good.len() - 32..good.len() - 24];
    assert!(u64::from_le_bytes(parts.try_into().unwrap()) > 0);
    let same = |question: &[String], what: &str| {
        for (command, format) in [
            ("show", "text"),
            ("show", "json"),
            ("timeline", "text"),
            ("timeline", "json"),
        ] {
            let mut args = vec![command, "--format", format];
            args.extend(question.iter().map(String::as_str));
            let (cached, truth) = (with_cache(&args), files(&args));
            assert_ne!(cached.code, 101, "{what}: {args:?}: {}", cached.stderr);
            // Every question but the unknown name has an answer to compare.
            let unknown = question[0].starts_with("no such");
            assert_eq!(truth.stdout.is_empty(), unknown, "{what}: {args:?}");
            // Not printed whole when they differ: a busy entity's card is
            // thousands of lines.
            assert!(
                (cached.code, &cached.stdout, &cached.stderr)
                    == (truth.code, &truth.stdout, &truth.stderr),
                "{what}: {args:?} answers otherwise from the entry"
            );
        }
    };
    for question in &questions {
        same(question, "a good entry");
    }
    assert_eq!(std::fs::read(&entry).unwrap(), good, "the entry is kept");
    // Damage in the head, in a relation part and in the rows (the last
    // part before the index): noted once, and the card is the files'.
    for at in [100, good.len() / 2, good.len() - 2_000] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        std::fs::write(&entry, &bad).unwrap();
        let mut args = vec!["show"];
        args.extend(questions[0].iter().map(String::as_str));
        let (cached, truth) = (with_cache(&args), files(&args));
        assert!(cached.stdout == truth.stdout, "byte {at} flipped");
        assert_eq!(cached.stderr.matches(NOTE).count(), 1, "byte {at} flipped");
        assert_eq!(std::fs::read(&entry).unwrap(), good, "byte {at}: rebuilt");
    }
}
