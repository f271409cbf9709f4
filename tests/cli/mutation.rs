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
