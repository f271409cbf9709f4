//! Seeded mutations of the shipped graph's files (truncations, deletions,
//! duplicated or swapped characters, broken quotes, dropped brackets): the
//! loader must never panic, and every diagnostic must name a file and a
//! position inside it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use linkchart::load::{self, Input};

/// A small deterministic generator (xorshift64*), enough for test input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn char_starts(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let starts = char_starts(text);
    let pick = |rng: &mut Rng| starts[rng.below(starts.len())];
    let mut out = text.to_string();
    match rng.below(7) {
        0 => out.truncate(pick(rng)),
        1 => {
            let at = pick(rng);
            let end = starts.iter().copied().find(|&s| s > at).unwrap_or(at);
            out.replace_range(at..end, "");
        }
        2 => {
            let at = pick(rng);
            let end = starts.iter().copied().find(|&s| s > at).unwrap_or(at);
            let c = out[at..end].to_string();
            out.insert_str(at, &c);
        }
        3 => {
            let i = rng.below(starts.len().saturating_sub(2));
            let (a, b, c) = (
                starts[i],
                starts[i + 1],
                starts[(i + 2).min(starts.len() - 1)],
            );
            let swapped = format!("{}{}", &text[b..c], &text[a..b]);
            out.replace_range(a..c, &swapped);
        }
        4 => {
            let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
            if let Some(&q) = quotes.get(rng.below(quotes.len())) {
                out.replace_range(q..q + 1, "");
            }
        }
        5 => {
            let brackets: Vec<usize> = text
                .match_indices(['(', ')', '[', ']', '{', '}'])
                .map(|(i, _)| i)
                .collect();
            if let Some(&b) = brackets.get(rng.below(brackets.len())) {
                out.replace_range(b..b + 1, "");
            }
        }
        _ => {
            let junk = ["\"", ":", ",", "é", "Some(", "..", "~", "\n", "ü\u{301}"];
            out.insert_str(pick(rng), junk[rng.below(junk.len())]);
        }
    }
    out
}

fn check_case(inputs: &[Input], case: u64) {
    let mut rng = Rng(0x5EED_1234_ABCD_0001 ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let target = rng.below(inputs.len());
    let mut set = inputs.to_vec();
    for _ in 0..=rng.below(3) {
        set[target].text = mutate(&set[target].text, &mut rng);
    }
    let name = set[target].name.clone();
    let mutated = set[target].text.clone();
    let Ok(result) = catch_unwind(AssertUnwindSafe(|| load::load(set))) else {
        panic!("case {case}: loading panicked on a mutation of {name}:\n{mutated}");
    };
    let (files, diagnostics) = match &result {
        Ok(loaded) => (&loaded.files, &loaded.warnings),
        Err(failed) => (&failed.files, &failed.diagnostics),
    };
    for d in diagnostics {
        let text = files.text(d.file);
        assert!(
            d.span.start <= text.len(),
            "case {case}: span {:?} outside {}",
            d.span,
            files.name(d.file)
        );
        let (line, col) = files.line_col(d.file, d.span.start);
        let lines = text.split('\n').count();
        assert!(
            line >= 1 && line <= lines && col >= 1,
            "case {case}: {line}:{col} outside {}",
            files.name(d.file)
        );
    }
    let Ok(rendered) = catch_unwind(AssertUnwindSafe(|| files.render(diagnostics, false))) else {
        panic!("case {case}: rendering panicked");
    };
    for d in diagnostics {
        let (line, col) = files.line_col(d.file, d.span.start);
        let at = format!("{}:{line}:{col}", files.name(d.file));
        assert!(
            rendered.contains(&at),
            "case {case}: {at} not in\n{rendered}"
        );
    }
}

#[test]
fn mutated_graph_files_never_panic_and_errors_point_inside_files() {
    let graph = Path::new(env!("CARGO_MANIFEST_DIR")).join("graph");
    let inputs = load::read_dir(&graph).expect("the shipped graph reads");
    assert!(
        load::load(inputs.clone()).is_ok(),
        "the unmutated graph loads"
    );
    // Each case mutates one file of the whole graph (1 to 3 edits), on two threads.
    const CASES: u64 = 2000;
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let inputs = &inputs;
            scope.spawn(move || {
                for case in (worker..CASES).step_by(2) {
                    check_case(inputs, case);
                }
            });
        }
    });
}

/// The fuzz run: seeded mutations of a copy of the shipped graph directory —
/// of its bytes, its lines, its records and its files — each checked by
/// running the real binary (`check`, no cache). It reports:
/// - panics and crashes (exit 101, or killed by a signal);
/// - hangs: no answer within 5 seconds;
/// - data lost: exit 0 with fewer entities or relations than the graph has
///   and no word on stderr about the file that was changed;
/// - errors without a place: an `error:` that neither points at
///   `file:line:column` nor names a file of the graph.
///
/// `cargo test --release --test cli fuzz_run -- --ignored --nocapture` runs
/// 10,000 cases (`FUZZ_CASES` and `FUZZ_SEED` change that); a slice of 120
/// runs with the normal tests.
pub mod fuzz {
    use std::io::Read;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use super::Rng;

    /// What one case did wrong, if anything.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Finding {
        Panic,
        Hang,
        DataLost,
        Unplaced,
    }

    /// The mutations, each as a name and a weight.
    const KINDS: [(&str, u64); 20] = [
        ("byte flips", 10),
        ("truncation", 6),
        ("deleted line", 8),
        ("duplicated line", 6),
        ("swapped lines", 4),
        ("swapped ids", 5),
        ("bad date", 5),
        ("huge string", 2),
        ("deep nesting", 3),
        ("invalid UTF-8", 4),
        ("control character", 4),
        ("byte-order mark or CRLF", 3),
        ("renamed file", 4),
        ("file at the root", 2),
        ("symlink to a file", 2),
        ("symlink to a directory", 2),
        ("symlink to a device", 1),
        ("directory in place of a file", 2),
        ("named pipe", 1),
        ("emptied file", 2),
    ];

    /// A mutated copy: what was done and which paths it concerns.
    struct Case {
        kind: &'static str,
        detail: String,
        touched: Vec<String>,
    }

    fn graph_files(root: &Path) -> Vec<String> {
        let mut files = vec!["schema.ron".to_string(), "sources.ron".to_string()];
        for sub in ["entities", "relations"] {
            let mut names: Vec<String> = std::fs::read_dir(root.join(sub))
                .unwrap()
                .map(|e| format!("{sub}/{}", e.unwrap().file_name().to_string_lossy()))
                .collect();
            names.sort();
            files.extend(names);
        }
        files
    }

    fn copy_graph(from: &Path, to: &Path) {
        if to.exists() {
            std::fs::remove_dir_all(to).unwrap();
        }
        for sub in ["entities", "relations"] {
            std::fs::create_dir_all(to.join(sub)).unwrap();
        }
        for name in graph_files(from) {
            std::fs::copy(from.join(&name), to.join(&name)).unwrap();
        }
    }

    fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
        bytes
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    }

    /// Byte ranges of the values of `field: "…"` in a text.
    fn string_values(text: &[u8], field: &str) -> Vec<std::ops::Range<usize>> {
        let needle = format!("{field}: \"");
        let text = String::from_utf8_lossy(text);
        text.match_indices(&needle)
            .filter_map(|(i, _)| {
                let start = i + needle.len();
                text[start..].find('"').map(|len| start..start + len)
            })
            .collect()
    }

    /// Applies a seeded mutation to the graph copy in `g`.
    fn mutate(g: &Path, rng: &mut Rng) -> Case {
        let files = graph_files(g);
        let total: u64 = KINDS.iter().map(|(_, w)| w).sum();
        let mut pick = rng.next() % total;
        let kind = KINDS
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map_or("byte flips", |(k, _)| *k);
        let name = files[rng.below(files.len())].clone();
        let path = g.join(&name);
        let mut bytes = std::fs::read(&path).unwrap();
        let mut touched = vec![name.clone()];
        let mut detail = name.clone();
        let len = bytes.len();
        match kind {
            "byte flips" => {
                for _ in 0..=rng.below(8) {
                    let at = rng.below(len);
                    bytes[at] ^= 1 << rng.below(8);
                }
            }
            "truncation" => bytes.truncate(rng.below(len)),
            "deleted line" | "duplicated line" | "swapped lines" => {
                let mut ls = lines(&bytes);
                let i = rng.below(ls.len());
                let j = rng.below(ls.len());
                match kind {
                    "deleted line" => {
                        ls.remove(i);
                    }
                    "duplicated line" => {
                        let line = ls[i].clone();
                        ls.insert(i, line);
                    }
                    _ => ls.swap(i, j),
                }
                detail = format!("{name} line {}", i + 1);
                bytes = ls.concat();
            }
            "swapped ids" => {
                // Two entity ids swapped where they are defined.
                let file = files
                    .iter()
                    .filter(|f| f.starts_with("entities/"))
                    .nth(rng.below(6))
                    .unwrap_or(&files[2])
                    .clone();
                let p = g.join(&file);
                let mut text = std::fs::read(&p).unwrap();
                let ids = string_values(&text, "id");
                if ids.len() >= 2 {
                    let (a, b) = (
                        ids[rng.below(ids.len())].clone(),
                        ids[rng.below(ids.len())].clone(),
                    );
                    let (a, b) = if a.start <= b.start { (a, b) } else { (b, a) };
                    if a.end <= b.start {
                        let (x, y) = (text[a.clone()].to_vec(), text[b.clone()].to_vec());
                        text.splice(b, x);
                        text.splice(a, y);
                    }
                }
                touched = vec![file.clone()];
                detail = file;
                bytes = text;
                std::fs::write(&p, &bytes).unwrap();
                return Case {
                    kind,
                    detail,
                    touched,
                };
            }
            "bad date" => {
                let mut spots = string_values(&bytes, "date");
                spots.extend(string_values(&bytes, "period"));
                spots.extend(string_values(&bytes, "start"));
                spots.extend(string_values(&bytes, "end"));
                let junk = [
                    "2001-13",
                    "2001-02-30",
                    "99999",
                    "~",
                    "1990..1980",
                    "..",
                    "19 90",
                    "2001-1-1",
                    "-500",
                    "1990...2000",
                    "0000-00-00",
                    "2001-02-29",
                ];
                if !spots.is_empty() {
                    let spot = spots[rng.below(spots.len())].clone();
                    bytes.splice(spot, junk[rng.below(junk.len())].bytes());
                }
            }
            "huge string" => {
                let spots = string_values(
                    &bytes,
                    ["name", "description", "note", "title"][rng.below(4)],
                );
                if let Some(spot) = spots.get(rng.below(spots.len().max(1))) {
                    let huge = "ſtrange ".repeat(20_000 + rng.below(100_000));
                    bytes.splice(spot.end..spot.end, huge.into_bytes());
                }
            }
            "deep nesting" => {
                let depth = 1_000 + rng.below(100_000);
                let at = rng.below(len);
                let open = ["[", "(", "Some(", "{"][rng.below(4)];
                bytes.splice(at..at, open.repeat(depth).into_bytes());
            }
            "invalid UTF-8" => {
                let junk: [&[u8]; 5] = [
                    b"\xff",
                    b"\xc0\x80",
                    b"\x80",
                    b"\xed\xa0\x80",
                    b"\xf4\x90\x80\x80",
                ];
                let at = rng.below(len);
                bytes.splice(at..at, junk[rng.below(junk.len())].iter().copied());
            }
            "control character" => {
                let spots =
                    string_values(&bytes, ["name", "description", "note", "id"][rng.below(4)]);
                if let Some(spot) = spots.get(rng.below(spots.len().max(1))) {
                    let c = [
                        "\u{1b}]0;x\u{7}",
                        "\u{0}",
                        "\u{8}",
                        "\\u{1b}[2J",
                        "\\x07",
                        "\u{85}",
                        "\r",
                    ][rng.below(7)];
                    bytes.splice(spot.start..spot.start, c.bytes());
                }
            }
            "byte-order mark or CRLF" => {
                if rng.below(2) == 0 {
                    bytes.splice(0..0, "\u{feff}".bytes());
                } else {
                    bytes = String::from_utf8_lossy(&bytes)
                        .replace('\n', "\r\n")
                        .into_bytes();
                }
            }
            "renamed file" | "file at the root" => {
                let new = if kind == "renamed file" {
                    let suffix = [".RON", ".ron.txt", "", ".bak", ".ron~"][rng.below(5)];
                    format!("{}{suffix}", name.trim_end_matches(".ron"))
                } else {
                    format!("extra-{}", name.replace('/', "-"))
                };
                if name.contains('/') && new != name {
                    std::fs::rename(&path, g.join(&new)).unwrap();
                    touched.push(new.clone());
                    detail = format!("{name} -> {new}");
                }
                return Case {
                    kind,
                    detail,
                    touched,
                };
            }
            #[cfg(unix)]
            "symlink to a file" | "symlink to a directory" | "symlink to a device" => {
                let link = g.join(if name.contains('/') {
                    &name
                } else {
                    "relations/link.ron"
                });
                let target: PathBuf = match kind {
                    "symlink to a file" => g.join(&files[rng.below(files.len())]),
                    "symlink to a directory" => {
                        [g.to_path_buf(), g.join(".."), PathBuf::from("/")][rng.below(3)].clone()
                    }
                    _ => PathBuf::from(["/dev/zero", "/dev/urandom", "/dev/null"][rng.below(3)]),
                };
                let link = if kind == "symlink to a directory" && rng.below(2) == 0 {
                    g.join(format!("{}/loop", ["entities", "relations"][rng.below(2)]))
                } else {
                    link
                };
                let _ = std::fs::remove_file(&link);
                std::os::unix::fs::symlink(&target, &link).unwrap();
                let rel = link.strip_prefix(g).unwrap().to_string_lossy().into_owned();
                touched = vec![rel.clone()];
                detail = format!("{rel} -> {}", target.display());
                return Case {
                    kind,
                    detail,
                    touched,
                };
            }
            "directory in place of a file" => {
                std::fs::remove_file(&path).unwrap();
                std::fs::create_dir(&path).unwrap();
                std::fs::write(path.join("inside.ron"), b"[]").unwrap();
                return Case {
                    kind,
                    detail,
                    touched,
                };
            }
            #[cfg(unix)]
            "named pipe" => {
                let pipe =
                    g.join(["relations/pipe.ron", "entities/pipe.ron", "schema.ron"][rng.below(3)]);
                let _ = std::fs::remove_file(&pipe);
                let c = std::ffi::CString::new(pipe.to_string_lossy().as_bytes()).unwrap();
                // SAFETY: mkfifo with a valid C string.
                unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
                let rel = pipe.strip_prefix(g).unwrap().to_string_lossy().into_owned();
                touched = vec![rel.clone()];
                detail = rel;
                return Case {
                    kind,
                    detail,
                    touched,
                };
            }
            _ => bytes.clear(),
        }
        std::fs::write(&path, &bytes).unwrap();
        Case {
            kind,
            detail,
            touched,
        }
    }

    /// Runs `linkchart --graph DIR --no-cache check`, at most `limit` long.
    fn check(dir: &Path, limit: Duration) -> Option<(Option<i32>, String, String)> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_linkchart"))
            .args(["--graph", "graph", "--no-cache", "check"])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env_remove("LINKCHART_GRAPH")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the linkchart binary runs");
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        // One reader per pipe: a child that fills the stderr pipe while the
        // harness waits on stdout would look like a hang.
        let stderr_reader = std::thread::spawn(move || {
            let mut e = Vec::new();
            let _ = err.read_to_end(&mut e);
            e
        });
        let reader = std::thread::spawn(move || {
            let mut o = Vec::new();
            let _ = out.read_to_end(&mut o);
            (o, stderr_reader.join().unwrap_or_default())
        });
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                let (o, e) = reader.join().unwrap_or_default();
                return Some((
                    status.code(),
                    String::from_utf8_lossy(&o).into_owned(),
                    String::from_utf8_lossy(&e).into_owned(),
                ));
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// `ok: N entities, M relations` from check's first line.
    fn counts(stdout: &str) -> Option<(usize, usize)> {
        let rest = stdout.strip_prefix("ok: ")?;
        let mut words = rest.split_whitespace();
        let e = words.next()?.parse().ok()?;
        words.next();
        let r = words.next()?.parse().ok()?;
        Some((e, r))
    }

    /// Whether every `error:` line points at a file and position, or names
    /// a file of the graph.
    fn errors_placed(stderr: &str) -> bool {
        let lines: Vec<&str> = stderr.lines().collect();
        lines.iter().enumerate().all(|(i, line)| {
            let Some(message) = line.strip_prefix("error: ") else {
                return true;
            };
            if message.starts_with("the graph did not load") || message.starts_with("graph") {
                return true;
            }
            lines.get(i + 1).is_some_and(|next| {
                next.trim_start()
                    .strip_prefix("┌─ graph/")
                    .is_some_and(|at| {
                        let mut parts = at.rsplitn(3, ':');
                        let col = parts.next().and_then(|c| c.parse::<usize>().ok());
                        let line = parts.next().and_then(|l| l.parse::<usize>().ok());
                        col.is_some() && line.is_some()
                    })
            })
        })
    }

    /// Runs `cases` cases from `first` on two threads; returns every finding
    /// with its case.
    pub fn run(first: u64, cases: u64, seed: u64) -> Vec<(u64, Finding, String)> {
        let graph = crate::repo().join("graph");
        let baseline = {
            let work = tempfile::tempdir().unwrap();
            copy_graph(&graph, &work.path().join("graph"));
            let (code, stdout, stderr) = check(work.path(), Duration::from_secs(60)).unwrap();
            assert_eq!(code, Some(0), "the shipped graph checks: {stderr}");
            counts(&stdout).unwrap()
        };
        let findings = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for worker in 0..2 {
                let (graph, findings) = (&graph, &findings);
                scope.spawn(move || {
                    let work = tempfile::tempdir().unwrap();
                    let g = work.path().join("graph");
                    for case in (first + worker..first + cases).step_by(2) {
                        copy_graph(graph, &g);
                        let mut rng = Rng(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xF022);
                        let mutation = mutate(&g, &mut rng);
                        let what = format!("{}: {}", mutation.kind, mutation.detail);
                        let finding = match check(work.path(), Duration::from_secs(5)) {
                            None => Some(Finding::Hang),
                            Some((code, _, _)) if code.is_none() || code == Some(101) => {
                                Some(Finding::Panic)
                            }
                            Some((Some(0), stdout, stderr)) => {
                                let (e, r) = counts(&stdout).unwrap_or((0, 0));
                                let said =
                                    mutation.touched.iter().any(|t| stderr.contains(t.as_str()));
                                ((e < baseline.0 || r < baseline.1) && !said)
                                    .then_some(Finding::DataLost)
                            }
                            Some((_, stdout, stderr)) => (!stdout.is_empty()
                                || !errors_placed(&stderr))
                            .then_some(Finding::Unplaced),
                        };
                        if let Some(f) = finding {
                            findings.lock().unwrap().push((case, f, what));
                        }
                        // Symlinks and pipes must go before the next copy.
                        let _ = std::fs::remove_dir_all(&g);
                    }
                });
            }
        });
        let mut found = findings.into_inner().unwrap();
        found.sort_by_key(|(case, _, _)| *case);
        found
    }

    /// Counts of each finding, for the report.
    pub fn summary(cases: u64, found: &[(u64, Finding, String)]) -> String {
        let n = |f: Finding| found.iter().filter(|(_, g, _)| *g == f).count();
        format!(
            "{cases} mutations: {} panics, {} hangs over 5 s, {} exits 0 with data lost, {} errors without file:line:col",
            n(Finding::Panic),
            n(Finding::Hang),
            n(Finding::DataLost),
            n(Finding::Unplaced)
        )
    }
}

#[test]
fn fuzz_slice() {
    let found = fuzz::run(0, 120, 1);
    assert!(
        found.is_empty(),
        "{}\n{found:#?}",
        fuzz::summary(120, &found)
    );
}

#[test]
#[ignore = "10,000 process runs (a few minutes): cargo test --test cli fuzz_run -- --ignored --nocapture"]
fn fuzz_run() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let started = std::time::Instant::now();
    let found = fuzz::run(0, cases, seed);
    println!(
        "{} (seed {seed}, {:.0} s)",
        fuzz::summary(cases, &found),
        started.elapsed().as_secs_f64()
    );
    for (case, finding, what) in &found {
        println!("  case {case}: {finding:?}: {what}");
    }
    assert!(found.is_empty());
}
