//! Deterministic synthetic graphs in linkchart's RON format, for benchmarks
//! and scale tests.
//!
//! [`generate`] returns every file of a graph directory (`schema.ron`,
//! `sources.ron`, `entities/part-NNN.ron`, `relations/part-NNN.ron`) as text.
//! The same [`Params`] always give byte-identical files: the only randomness
//! is a self-contained splitmix64 stream seeded from `Params::seed`.
//!
//! The shape imitates a real link chart:
//!
//! - Degrees are heavy-tailed: relation ends are drawn mostly from a
//!   power law (Zipf) over the entity index, so a few hubs have thousands
//!   of neighbours and most entities one or two (at 250k entities and 1M
//!   relations: median 2, a quarter with 1, maximum over 3,000). The first
//!   entities are the hubs and get hub-like kinds (countries, agencies,
//!   militant groups, parties) and the tag `hub`.
//! - Every entity takes part in at least one relation: each entity is first
//!   attached to an earlier one (or, when relations are scarce, paired with
//!   the next), which also makes the graph connected whenever there are at
//!   least `entities - 1` relations; only the rest of the relations are free.
//! - Statuses are about 70% established, 15% reported, 10% alleged and 5%
//!   disputed; claims name existing claimants (and deniers for disputed
//!   ones), never an end of the relation itself. About half of the relations
//!   carry a valid date or a never-inverted period.
//! - Names are unique after folding: each name and alias embeds a
//!   pronounceable code of consonant-vowel syllables that is a bijection of
//!   the entity's index, so no two entities share a name, an alias or even a
//!   compact (space-free) form of one.
//!
//! The result loads with no errors and no warnings.

use std::collections::HashSet;
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use crate::load::{Input, Role};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// Number of entities (at least 2).
    pub entities: usize,
    /// Number of stored relations (at least half the entities, rounded up, so
    /// that every entity can take part in one).
    pub relations: usize,
    /// The seed; the same parameters always give the same files.
    pub seed: u64,
    /// How many files to split entities into, and relations likewise (at
    /// least 1; fewer when there are fewer items than files).
    pub files: usize,
}

impl Params {
    /// Why these parameters cannot give a valid graph, if they cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.entities < 2 {
            return Err(format!(
                "a graph needs at least 2 entities (relations link two different ones), got {}",
                self.entities
            ));
        }
        if self.entities > u32::MAX as usize {
            return Err(format!("at most {} entities", u32::MAX));
        }
        let needed = self.entities.div_ceil(2);
        if self.relations < needed {
            return Err(format!(
                "{} entities need at least {needed} relations so that every entity takes part in one, got {}",
                self.entities, self.relations
            ));
        }
        if self.files == 0 {
            return Err("files must be at least 1".to_string());
        }
        Ok(())
    }
}

/// A small, fast, deterministic pseudo-random generator (splitmix64). Public
/// so that benchmarks can pick their query pairs reproducibly too.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `0..n` as an index.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

// ---------------------------------------------------------------------------
// The vocabulary.

struct Kind {
    key: &'static str,
    label: &'static str,
    shape: &'static str,
    color: &'static str,
    /// Relative frequency among ordinary (non-hub) entities.
    weight: u32,
    /// Name suffixes; empty for people, whose names are "First Last".
    suffixes: &'static [&'static str],
    /// Descriptions: "{start}{name-free middle}{end}" pieces.
    roles: &'static [&'static str],
}

const PERSON: usize = 0;

const KINDS: &[Kind] = &[
    Kind {
        key: "person",
        label: "Person",
        shape: "ellipse",
        color: "#fde9c9",
        weight: 40,
        suffixes: &[],
        roles: &[
            "intelligence officer",
            "politician",
            "militant commander",
            "financier",
            "journalist",
            "diplomat",
            "army general",
            "businessman",
        ],
    },
    Kind {
        key: "agency",
        label: "Agency",
        shape: "box",
        color: "#cfe2f3",
        weight: 6,
        suffixes: &[
            "Intelligence Bureau",
            "Security Service",
            "Directorate",
            "Agency",
            "Bureau",
        ],
        roles: &[
            "state intelligence agency",
            "internal security service",
            "military intelligence directorate",
        ],
    },
    Kind {
        key: "militant-group",
        label: "Militant group",
        shape: "octagon",
        color: "#f4cccc",
        weight: 10,
        suffixes: &["Front", "Brigade", "Movement", "Army", "Lashkar"],
        roles: &[
            "armed insurgent group",
            "militant network",
            "separatist militia",
        ],
    },
    Kind {
        key: "company",
        label: "Company or bank",
        shape: "component",
        color: "#fff2cc",
        weight: 12,
        suffixes: &["Holdings", "Trading", "Bank", "Logistics", "Exchange"],
        roles: &["trading company", "private bank", "shipping firm"],
    },
    Kind {
        key: "party",
        label: "Political party",
        shape: "house",
        color: "#ead1dc",
        weight: 4,
        suffixes: &["Party", "League", "Congress", "Alliance"],
        roles: &["political party", "electoral alliance"],
    },
    Kind {
        key: "country",
        label: "Country",
        shape: "doublecircle",
        color: "#b6d7a8",
        weight: 2,
        suffixes: &["Republic", "Federation", "Union", "Emirate"],
        roles: &["sovereign state", "federal republic"],
    },
    Kind {
        key: "place",
        label: "Place",
        shape: "circle",
        color: "#d9d2e9",
        weight: 14,
        suffixes: &["City", "Province", "Valley", "District", "Port"],
        roles: &["border town", "provincial capital", "mountain district"],
    },
    Kind {
        key: "event",
        label: "Event",
        shape: "diamond",
        color: "#f9cb9c",
        weight: 12,
        suffixes: &["Summit", "Accord", "Incident", "Bombing", "Crisis"],
        roles: &["diplomatic meeting", "armed attack", "political crisis"],
    },
];

/// Kinds the hubs are drawn from (indices into `KINDS`).
const HUB_KINDS: &[usize] = &[5, 1, 2, 4, 5, 1];

struct RelType {
    key: &'static str,
    label: &'static str,
    inverse: &'static str,
    symmetric: bool,
    /// Claims of this type accuse their `from` end (see the schema docs).
    accuses: bool,
    weight: u32,
}

const REL_TYPES: &[RelType] = &[
    RelType {
        key: "member-of",
        label: "was a member of",
        inverse: "had as member",
        symmetric: false,
        accuses: false,
        weight: 16,
    },
    RelType {
        key: "headed",
        label: "headed",
        inverse: "was headed by",
        symmetric: false,
        accuses: false,
        weight: 5,
    },
    RelType {
        key: "supported",
        label: "supported",
        inverse: "was supported by",
        symmetric: false,
        accuses: true,
        weight: 14,
    },
    RelType {
        key: "funded",
        label: "funded",
        inverse: "was funded by",
        symmetric: false,
        accuses: true,
        weight: 9,
    },
    RelType {
        key: "trained",
        label: "trained",
        inverse: "was trained by",
        symmetric: false,
        accuses: true,
        weight: 5,
    },
    RelType {
        key: "armed",
        label: "armed",
        inverse: "was armed by",
        symmetric: false,
        accuses: true,
        weight: 4,
    },
    RelType {
        key: "attacked",
        label: "attacked",
        inverse: "was attacked by",
        symmetric: false,
        accuses: true,
        weight: 6,
    },
    RelType {
        key: "opposed",
        label: "opposed",
        inverse: "was opposed by",
        symmetric: false,
        accuses: false,
        weight: 7,
    },
    RelType {
        key: "informed",
        label: "passed information to",
        inverse: "received information from",
        symmetric: false,
        accuses: false,
        weight: 8,
    },
    RelType {
        key: "employed-by",
        label: "worked for",
        inverse: "employed",
        symmetric: false,
        accuses: false,
        weight: 8,
    },
    RelType {
        key: "cooperated-with",
        label: "cooperated with",
        inverse: "cooperated with",
        symmetric: true,
        accuses: true,
        weight: 12,
    },
    RelType {
        key: "allied-with",
        label: "allied with",
        inverse: "allied with",
        symmetric: true,
        accuses: true,
        weight: 6,
    },
];

struct SourceDef {
    id: &'static str,
    title: &'static str,
    kind: &'static str,
    /// Relative frequency of citation.
    weight: u32,
    sections: &'static [(&'static str, &'static str)],
}

const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "synthetic-report",
        title: "Synthetic investigative report",
        kind: "report",
        weight: 50,
        sections: &[
            ("summary", "Summary"),
            ("history", "History"),
            ("structure", "Organisation and structure"),
            ("finance", "Money and finance"),
            ("operations", "Operations"),
            ("operations-abroad", "Operations › Abroad"),
            ("allegations", "Allegations"),
            ("reactions", "Reactions"),
        ],
    },
    SourceDef {
        id: "synthetic-encyclopedia",
        title: "Synthetic encyclopedia",
        kind: "encyclopedia article",
        weight: 30,
        sections: &[
            ("lead", "Introduction"),
            ("background", "Background"),
            ("people", "Key people"),
            ("relations", "Foreign relations"),
            ("controversies", "Controversies"),
        ],
    },
    SourceDef {
        id: "synthetic-court-record",
        title: "Synthetic court record",
        kind: "court record",
        weight: 10,
        sections: &[
            ("indictment", "Indictment"),
            ("testimony", "Testimony"),
            ("judgment", "Judgment"),
        ],
    },
    SourceDef {
        id: "synthetic-press",
        title: "Synthetic press archive",
        kind: "news archive",
        weight: 10,
        sections: &[
            ("front-page", "Front page"),
            ("investigations", "Investigations"),
            ("opinion", "Opinion"),
            ("obituaries", "Obituaries"),
        ],
    },
];

const REGIONS: &[&str] = &[
    "northern", "southern", "eastern", "western", "border", "coastal", "central", "highland",
];

/// Percentages of relation ends drawn from the Zipf law rather than
/// uniformly: when each entity first attaches to an earlier one, and for the
/// ends of the remaining relations.
const ATTACH_BY_RANK: u64 = 80;
const FREE_BY_RANK: u64 = 95;
/// The chance, in percent, of going on to the next octave: each octave of
/// `index + offset` holds this share of the one before, so the law's
/// exponent is a = 1 - log2(0.80) ≈ 1.32: the expected degree of the entity
/// of rank r falls off as r^-1.32, and the share of entities of degree k
/// roughly as k^-1.76.
const OCTAVE_CONTINUE: u64 = 80;

/// A Zipf law over entity indices, in integers only (so the output does not
/// depend on the platform's floating point): a geometric choice of octave of
/// `index + offset`, then a uniform value inside it, which is within a
/// factor of two of the continuous law everywhere.
struct Zipf {
    n: u64,
    /// P(index) ∝ (index + offset)^-a: the offset keeps the very first
    /// entities from taking an absurd share of all relations. It grows with
    /// the graph, so that a big graph has more top hubs, not bigger ones.
    offset: u64,
}

impl Zipf {
    fn new(n: usize) -> Zipf {
        Zipf {
            n: n as u64,
            offset: (n as u64 >> 12).clamp(4, 64),
        }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        self.sample_below(rng, self.n as usize)
    }

    /// An index in `0..limit`.
    fn sample_below(&self, rng: &mut Rng, limit: usize) -> usize {
        let lo = self.offset;
        let hi = limit as u64 + lo; // exclusive
        let first = 63 - lo.leading_zeros() as u64; // octave of lo
        let last = 63 - (hi - 1).leading_zeros() as u64; // octave of hi - 1
        loop {
            let mut k = first;
            while k < last && rng.chance(OCTAVE_CONTINUE) {
                k += 1;
            }
            let v = (1u64 << k) + rng.below(1u64 << k);
            if (lo..hi).contains(&v) {
                return (v - lo) as usize;
            }
        }
    }
}

const TITLES: &[&str] = &["Gen.", "Col.", "Dr.", "Maj."];

// Names are built from consonant-vowel syllables: 16 × 5 = 80 of them. Every
// syllable is two letters, so a name's letters split into syllables one way
// only, and the syllables are the digits (base 80) of a bijection of the
// entity's index. No other letters start a name, which keeps titles and
// middle initials in aliases from ever recreating another entity's name.
const CONSONANTS: &[u8; 16] = b"bdfghjklmnprstvz";
const VOWELS: &[u8; 5] = b"aeiou";
const SYLLABLES: u64 = 80;

/// An affine bijection of `0..80^syllables`, so neighbouring indices get
/// unrelated names.
struct NameCode {
    syllables: usize,
    modulus: u64,
    mul: u64,
    add: u64,
}

impl NameCode {
    fn new(entities: usize, rng: &mut Rng) -> NameCode {
        let mut syllables = 4;
        let mut modulus = SYLLABLES.pow(4);
        while modulus < entities as u64 {
            syllables += 1;
            modulus *= SYLLABLES;
        }
        // A multiplier coprime with 80 = 2^4 · 5 makes the map a bijection.
        let mut mul = rng.below(modulus) | 1;
        // Not `is_multiple_of`, which needs Rust 1.87 (the README says 1.85).
        #[allow(clippy::manual_is_multiple_of)]
        while mul % 5 == 0 {
            mul = (mul + 2) % modulus;
        }
        let add = rng.below(modulus);
        NameCode {
            syllables,
            modulus,
            mul,
            add,
        }
    }

    fn code(&self, index: usize) -> u64 {
        ((u128::from(self.mul) * index as u128 + u128::from(self.add)) % u128::from(self.modulus))
            as u64
    }

    /// Writes the syllables of `index`, with a space (and a capital) after
    /// `split` syllables when given, preceded by `middle` and a dot when
    /// given ("Bake W. Lori"); the first letter is a capital.
    fn write(&self, out: &mut String, index: usize, split: Option<usize>, middle: Option<char>) {
        let mut code = self.code(index);
        for i in 0..self.syllables {
            let digit = (code % SYLLABLES) as usize;
            code /= SYLLABLES;
            let mut c = CONSONANTS[digit / 5];
            if Some(i) == split {
                out.push(' ');
                if let Some(m) = middle {
                    out.push(m);
                    out.push_str(". ");
                }
            }
            if i == 0 || Some(i) == split {
                c = c.to_ascii_uppercase();
            }
            out.push(c as char);
            out.push(VOWELS[digit % 5] as char);
        }
    }
}

// ---------------------------------------------------------------------------
// Writing.

/// A hasher for integer keys (FxHash's multiply), for the duplicate check.
#[derive(Default)]
struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }
}

/// Writes `n` zero-padded to `width` digits.
fn push_padded(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while n > 0 {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let start = (buf.len() - width).min(i);
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

fn push_id(out: &mut String, entity: u32, width: usize) {
    out.push_str("\"e");
    push_padded(out, u64::from(entity), width);
    out.push('"');
}

fn pick_weighted(rng: &mut Rng, weights: &[u32], total: u32) -> usize {
    let mut r = rng.below(u64::from(total)) as u32;
    for (i, &w) in weights.iter().enumerate() {
        if r < w {
            return i;
        }
        r -= w;
    }
    weights.len() - 1
}

fn push_year(out: &mut String, year: u32) {
    push_padded(out, u64::from(year), 4);
}

/// A valid date of year, month or day precision, sometimes approximate.
fn push_date(out: &mut String, rng: &mut Rng, year: u32) {
    match rng.below(10) {
        0..=4 => {
            if rng.chance(15) {
                out.push('~');
            }
            push_year(out, year);
        }
        5..=7 => {
            push_year(out, year);
            out.push('-');
            push_padded(out, 1 + rng.below(12), 2);
        }
        _ => {
            push_year(out, year);
            out.push('-');
            push_padded(out, 1 + rng.below(12), 2);
            out.push('-');
            // Every month has a 28th.
            push_padded(out, 1 + rng.below(28), 2);
        }
    }
}

/// Splits `0..total` into at most `parts` contiguous, non-empty chunks.
fn chunks(total: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.min(total).max(1);
    (0..parts)
        .map(|p| total * p / parts..total * (p + 1) / parts)
        .filter(|r| !r.is_empty())
        .collect()
}

fn part_name(dir: &str, part: usize, parts: usize) -> String {
    let width = parts.saturating_sub(1).to_string().len().max(3);
    format!("{dir}/part-{part:0width$}.ron")
}

/// Reports progress in steps, not per item.
struct Progress<F> {
    done: u64,
    total: u64,
    last: u64,
    report: F,
}

impl<F: FnMut(u64, u64)> Progress<F> {
    fn add(&mut self, n: u64) {
        self.done += n;
        if self.done - self.last >= 1 << 15 || self.done == self.total {
            self.last = self.done;
            (self.report)(self.done, self.total);
        }
    }
}

/// Generates a whole graph directory: `(path relative to the directory,
/// content)` for `schema.ron`, `sources.ron`, the entity files and the
/// relation files, in that order. `progress(done, total)` is called now and
/// then with the number of entities and relations written so far.
///
/// # Panics
///
/// When [`Params::check`] refuses the parameters.
pub fn generate(params: &Params, progress: impl FnMut(u64, u64)) -> Vec<(String, String)> {
    if let Err(message) = params.check() {
        panic!("generate: {message}");
    }
    let n = params.entities;
    let m = params.relations;
    let mut rng = Rng::new(params.seed ^ 0x6C69_6E6B_6368_6172); // "linkchar"
    let mut progress = Progress {
        done: 0,
        total: (n + m) as u64,
        last: 0,
        report: progress,
    };
    let width = (n - 1).to_string().len().max(6);

    let mut out = Vec::with_capacity(2 + 2 * params.files.min(n));
    out.push(("schema.ron".to_string(), schema_text()));
    out.push(("sources.ron".to_string(), sources_text()));

    // Kinds: the first entities become the hubs of preferential attachment,
    // so they get hub-like kinds.
    let hubs = (n / 200).max(1);
    let kind_weights: Vec<u32> = KINDS.iter().map(|k| k.weight).collect();
    let kind_total: u32 = kind_weights.iter().sum();
    let kinds: Vec<u8> = (0..n)
        .map(|i| {
            if i < hubs {
                HUB_KINDS[rng.index(HUB_KINDS.len())] as u8
            } else {
                pick_weighted(&mut rng, &kind_weights, kind_total) as u8
            }
        })
        .collect();
    let names = NameCode::new(n, &mut rng);

    // Entities.
    let entity_chunks = chunks(n, params.files);
    for (part, range) in entity_chunks.iter().enumerate() {
        let mut text = String::with_capacity(range.len() * 190 + 200);
        let _ = writeln!(
            text,
            "// Synthetic entities e{:0width$}..e{:0width$} (seed {}), generated by `linkchart generate`.\n[",
            range.start,
            range.end - 1,
            params.seed
        );
        for i in range.clone() {
            write_entity(
                &mut text,
                &mut rng,
                &names,
                i,
                kinds[i] as usize,
                i < hubs,
                width,
            );
            progress.add(1);
        }
        text.push_str("]\n");
        out.push((part_name("entities", part, entity_chunks.len()), text));
    }

    // Relation ends. Each entity first attaches to an earlier one (or, when
    // relations are scarce, to the next), so every entity takes part in a
    // relation; the rest link ends drawn mostly from a Zipf law over the
    // entity index, so low indices become hubs.
    let zipf = Zipf::new(n);
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(m);
    let push = |pairs: &mut Vec<(u32, u32)>, rng: &mut Rng, a: usize, b: usize| {
        let (a, b) = (a as u32, b as u32);
        pairs.push(if rng.chance(50) { (a, b) } else { (b, a) });
    };
    push(&mut pairs, &mut rng, 1, 0);
    let mut i = 2;
    while i < n {
        let left = m - pairs.len();
        if n - i > left && i + 1 < n {
            push(&mut pairs, &mut rng, i, i + 1);
            i += 2;
        } else {
            let target = if rng.chance(ATTACH_BY_RANK) {
                zipf.sample_below(&mut rng, i)
            } else {
                rng.index(i)
            };
            push(&mut pairs, &mut rng, i, target);
            i += 1;
        }
    }
    let end = |rng: &mut Rng| {
        if rng.chance(FREE_BY_RANK) {
            zipf.sample(rng)
        } else {
            rng.index(n)
        }
    };
    while pairs.len() < m {
        let from = end(&mut rng);
        let mut to = end(&mut rng);
        while to == from {
            to = end(&mut rng);
        }
        push(&mut pairs, &mut rng, from, to);
    }
    // Curators do not list relations in attachment order.
    for k in (1..pairs.len()).rev() {
        let j = rng.index(k + 1);
        pairs.swap(k, j);
    }

    // Relations.
    let type_weights: Vec<u32> = REL_TYPES.iter().map(|t| t.weight).collect();
    let type_total: u32 = type_weights.iter().sum();
    let source_weights: Vec<u32> = SOURCES.iter().map(|s| s.weight).collect();
    let source_total: u32 = source_weights.iter().sum();
    let mut seen: HashSet<u64, BuildHasherDefault<IntHasher>> =
        HashSet::with_capacity_and_hasher(m, BuildHasherDefault::default());
    let ctx = RelationContext {
        n,
        width,
        zipf: &zipf,
        type_weights: &type_weights,
        type_total,
        source_weights: &source_weights,
        source_total,
    };
    let relation_chunks = chunks(m, params.files);
    for (part, range) in relation_chunks.iter().enumerate() {
        let mut text = String::with_capacity(range.len() * 175 + 200);
        let _ = writeln!(
            text,
            "// Synthetic relations, part {} of {} (seed {}), generated by `linkchart generate`.\n[",
            part + 1,
            relation_chunks.len(),
            params.seed
        );
        for k in range.clone() {
            let (from, to) = pairs[k];
            ctx.write(&mut text, &mut rng, &mut seen, k, from, to);
            progress.add(1);
        }
        text.push_str("]\n");
        out.push((part_name("relations", part, relation_chunks.len()), text));
    }
    out
}

fn write_entity(
    out: &mut String,
    rng: &mut Rng,
    names: &NameCode,
    i: usize,
    kind_index: usize,
    hub: bool,
    width: usize,
) {
    let kind = &KINDS[kind_index];
    out.push_str("    (id: ");
    push_id(out, i as u32, width);
    out.push_str(", name: \"");
    let suffix = if kind_index == PERSON {
        names.write(out, i, Some(2), None);
        None
    } else {
        names.write(out, i, None, None);
        let s = rng.index(kind.suffixes.len());
        out.push(' ');
        out.push_str(kind.suffixes[s]);
        Some(s)
    };
    out.push_str("\", kind: \"");
    out.push_str(kind.key);
    out.push('"');

    // Aliases: a middle initial or a title for people, another suffix for
    // the rest. Each keeps the entity's own syllable code, so it can never
    // be another entity's name or alias.
    let aliases = match rng.below(20) {
        0..=12 => 0,
        13..=17 => 1,
        _ => 2,
    };
    if aliases > 0 {
        // Two different suffixes, both other than the name's.
        let len = kind.suffixes.len().max(3);
        let first = 1 + rng.index(len - 1);
        let second = 1 + (first + rng.index(len - 2)) % (len - 1);
        out.push_str(", aliases: [");
        for a in 0..aliases {
            if a > 0 {
                out.push_str(", ");
            }
            out.push('"');
            match suffix {
                None if a == 0 => {
                    // "Bake W. Lori"
                    let initial = (b'A' + rng.below(26) as u8) as char;
                    names.write(out, i, Some(2), Some(initial));
                }
                None => {
                    // "Gen. Bake Lori"
                    out.push_str(TITLES[rng.index(TITLES.len())]);
                    out.push(' ');
                    names.write(out, i, Some(2), None);
                }
                Some(s) => {
                    let offset = if a == 0 { first } else { second };
                    names.write(out, i, None, None);
                    out.push(' ');
                    out.push_str(kind.suffixes[(s + offset) % kind.suffixes.len()]);
                }
            }
            out.push('"');
        }
        out.push(']');
    }

    out.push_str(", description: \"");
    let region = REGIONS[rng.index(REGIONS.len())];
    let role = kind.roles[rng.index(kind.roles.len())];
    if hub {
        out.push_str("Major ");
        out.push_str(role);
    } else {
        let mut first = role.chars();
        if let Some(c) = first.next() {
            out.push(c.to_ascii_uppercase());
            out.push_str(first.as_str());
        }
    }
    out.push_str(" of the ");
    out.push_str(region);
    out.push_str(" region in the synthetic benchmark graph.\"");

    // Dates: births and deaths, foundings and dissolutions, event days.
    let (start_chance, end_chance, lo, span) = match kind.key {
        "person" => (40, 15, 1920, 70),
        "event" => (70, 0, 1950, 75),
        _ => (35, 10, 1900, 120),
    };
    if rng.chance(start_chance) {
        let start = lo + rng.below(span) as u32;
        out.push_str(", start: \"");
        if kind.key == "event" {
            push_date(out, rng, start);
        } else {
            push_year(out, start);
        }
        out.push('"');
        if rng.chance(end_chance) {
            let end = (start + 1 + rng.below(60) as u32).min(2025);
            out.push_str(", end: \"");
            push_year(out, end);
            out.push('"');
        }
    }
    if hub {
        out.push_str(", tags: [\"hub\"]");
    }
    out.push_str("),\n");
}

struct RelationContext<'a> {
    n: usize,
    width: usize,
    zipf: &'a Zipf,
    type_weights: &'a [u32],
    type_total: u32,
    source_weights: &'a [u32],
    source_total: u32,
}

impl RelationContext<'_> {
    /// An entity that is none of `not`: by degree most of the time, since
    /// the parties that accuse others are usually the well-known ones.
    fn other(&self, rng: &mut Rng, not: &[u32]) -> u32 {
        loop {
            let e = if rng.chance(60) {
                self.zipf.sample(rng) as u32
            } else {
                rng.index(self.n) as u32
            };
            if !not.contains(&e) {
                return e;
            }
        }
    }

    fn write(
        &self,
        out: &mut String,
        rng: &mut Rng,
        seen: &mut HashSet<u64, BuildHasherDefault<IntHasher>>,
        ordinal: usize,
        from: u32,
        to: u32,
    ) {
        let t = pick_weighted(rng, self.type_weights, self.type_total);
        out.push_str("    (from: ");
        push_id(out, from, self.width);
        out.push_str(", to: ");
        push_id(out, to, self.width);
        out.push_str(", type: \"");
        out.push_str(REL_TYPES[t].key);
        out.push_str("\", status: ");
        // With only two entities nobody is left to make a claim.
        let available = self.n.saturating_sub(2);
        let status = if available == 0 { 0 } else { rng.below(100) };
        let (status_text, claimants, denier) = match status {
            0..=69 => ("established", 0, false),
            70..=84 => ("reported", usize::from(rng.chance(25)), false),
            85..=94 => ("alleged", 1 + usize::from(rng.chance(20)), false),
            _ => ("disputed", 1 + usize::from(rng.chance(20)), true),
        };
        out.push_str(status_text);
        // At most 2 claimants, 1 denier and the two ends; only possible when
        // the graph has enough entities besides the ends.
        let mut taken = [from, to, u32::MAX, u32::MAX];
        if claimants > 0 {
            out.push_str(", claimed_by: [");
            for c in 0..claimants.min(available) {
                let who = self.other(rng, &taken[..2 + c]);
                taken[2 + c] = who;
                if c > 0 {
                    out.push_str(", ");
                }
                push_id(out, who, self.width);
            }
            out.push(']');
        }
        if denier {
            // The accused party itself half the time, otherwise a third party.
            let claimed = 2 + claimants.min(available);
            let who = if rng.chance(50) || self.n <= claimed {
                from
            } else {
                self.other(rng, &taken[..claimed])
            };
            out.push_str(", denied_by: [");
            push_id(out, who, self.width);
            out.push(']');
        }
        match rng.below(10) {
            0..=4 => {}
            5..=7 => {
                out.push_str(", date: \"");
                let year = 1950 + rng.below(75) as u32;
                push_date(out, rng, year);
                out.push('"');
            }
            _ => {
                let start = 1950 + rng.below(70) as u32;
                let end = (start + rng.below(20) as u32).min(2025);
                out.push_str(", period: \"");
                match rng.below(20) {
                    0..=13 => {
                        push_year(out, start);
                        out.push_str("..");
                        push_year(out, end);
                    }
                    14..=16 => {
                        push_year(out, start);
                        out.push_str("..");
                    }
                    17..=18 => {
                        out.push_str("..");
                        push_year(out, end);
                    }
                    _ => {
                        out.push('~');
                        push_year(out, start);
                        out.push_str("..~");
                        push_year(out, end);
                    }
                }
                out.push('"');
            }
        }
        let s = &SOURCES[pick_weighted(rng, self.source_weights, self.source_total)];
        out.push_str(", source: (id: \"");
        out.push_str(s.id);
        out.push_str("\", section: \"");
        out.push_str(s.sections[rng.index(s.sections.len())].0);
        out.push_str("\")");
        // A repeated (from, type, to) is a further report of the same link
        // (id `from/type/to/2`); its note keeps it from being a duplicate.
        // (Wrapping: on an astronomically large graph a collision only adds a note.)
        let key = (u64::from(from).wrapping_mul(self.n as u64) + u64::from(to))
            .wrapping_mul(REL_TYPES.len() as u64)
            .wrapping_add(t as u64);
        let repeat = !seen.insert(key);
        if repeat || rng.chance(8) {
            out.push_str(", note: \"");
            out.push_str(if repeat {
                "A further report of this link, item "
            } else {
                "Stated in passing, item "
            });
            let _ = write!(out, "{ordinal}");
            out.push_str(".\"");
        }
        out.push_str("),\n");
    }
}

fn schema_text() -> String {
    let mut s = String::from(
        "// The vocabulary of a synthetic graph generated by `linkchart generate`.\nSchema(\n    kinds: {\n",
    );
    for k in KINDS {
        let _ = writeln!(
            s,
            "        \"{}\": (label: \"{}\", shape: \"{}\", color: \"{}\"),",
            k.key, k.label, k.shape, k.color
        );
    }
    s.push_str("    },\n    relation_types: {\n");
    for t in REL_TYPES {
        let _ = write!(
            s,
            "        \"{}\": (label: \"{}\", inverse: \"{}\"",
            t.key, t.label, t.inverse
        );
        if t.symmetric {
            s.push_str(", symmetric: true");
        }
        if t.accuses {
            s.push_str(", accuses: true");
        }
        s.push_str("),\n");
    }
    s.push_str("    },\n)\n");
    s
}

fn sources_text() -> String {
    let mut s =
        String::from("// The sources of a synthetic graph generated by `linkchart generate`.\n[\n");
    for src in SOURCES {
        let _ = writeln!(
            s,
            "    (\n        id: \"{}\",\n        title: \"{}\",\n        kind: \"{}\",\n        sections: [",
            src.id, src.title, src.kind
        );
        for (id, title) in src.sections {
            let _ = writeln!(s, "            (id: \"{id}\", title: \"{title}\"),");
        }
        s.push_str("        ],\n    ),\n");
    }
    s.push_str("]\n");
    s
}

/// The generated files as loader inputs, without touching the disk. `dir`
/// is only used for the names shown in diagnostics.
pub fn inputs(dir: &str, files: &[(String, String)]) -> Vec<Input> {
    files
        .iter()
        .filter_map(|(path, text)| {
            let role = if path == "schema.ron" {
                Role::Schema
            } else if path == "sources.ron" {
                Role::Sources
            } else if path.starts_with("entities/") {
                Role::Entities
            } else if path.starts_with("relations/") {
                Role::Relations
            } else {
                return None;
            };
            Some(Input {
                name: format!("{dir}/{path}"),
                role,
                text: text.clone(),
            })
        })
        .collect()
}

/// Writes the generated files under `dir`, creating the directories.
pub fn write_dir(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::{compact, normalize};

    fn small(seed: u64) -> Params {
        Params {
            entities: 200,
            relations: 800,
            seed,
            files: 3,
        }
    }

    #[test]
    fn same_seed_same_files() {
        let a = generate(&small(7), |_, _| {});
        let b = generate(&small(7), |_, _| {});
        assert_eq!(a, b);
    }

    #[test]
    fn different_seeds_differ() {
        let a = generate(&small(7), |_, _| {});
        let b = generate(&small(8), |_, _| {});
        assert_eq!(a.len(), b.len());
        let differing = a.iter().zip(&b).filter(|(x, y)| x.1 != y.1).count();
        // schema.ron and sources.ron are fixed; every entity and relation file differs.
        assert_eq!(differing, a.len() - 2);
    }

    #[test]
    fn layout_and_progress() {
        let mut calls = Vec::new();
        let files = generate(
            &Params {
                entities: 100_000,
                relations: 200_000,
                seed: 1,
                files: 4,
            },
            |done, total| calls.push((done, total)),
        );
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "schema.ron",
                "sources.ron",
                "entities/part-000.ron",
                "entities/part-001.ron",
                "entities/part-002.ron",
                "entities/part-003.ron",
                "relations/part-000.ron",
                "relations/part-001.ron",
                "relations/part-002.ron",
                "relations/part-003.ron",
            ]
        );
        assert_eq!(calls.last(), Some(&(300_000, 300_000)));
        assert!(calls.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(calls.len() > 4);
    }

    fn assert_loads_clean(params: &Params) -> crate::load::Loaded {
        let files = generate(params, |_, _| {});
        let loaded = match crate::load::load(inputs("synthetic", &files)) {
            Ok(loaded) => loaded,
            Err(failed) => panic!(
                "{}",
                failed.files.render(
                    &failed.diagnostics[..5.min(failed.diagnostics.len())],
                    false
                )
            ),
        };
        assert!(
            loaded.warnings.is_empty(),
            "{}",
            loaded.files.render(&loaded.warnings, false)
        );
        assert_eq!(loaded.graph.entities.len(), params.entities);
        assert_eq!(loaded.graph.relations.len(), params.relations);
        loaded
    }

    #[test]
    fn small_graph_loads_without_diagnostics() {
        let loaded = assert_loads_clean(&small(42));
        let g = &loaded.graph;
        use crate::model::Status;
        let count = |s: Status| g.relations.iter().filter(|r| r.status == s).count();
        assert!(count(Status::Established) > 400);
        assert!(count(Status::Disputed) > 0);
        for r in &g.relations {
            assert_ne!(r.from, r.to);
            if r.status.is_claim() {
                assert!(!r.claimed_by.is_empty());
                assert!(!r.claimed_by.contains(&r.from) && !r.claimed_by.contains(&r.to));
            }
            if r.status == Status::Disputed {
                assert!(!r.denied_by.is_empty());
            }
        }
        let dated = g.relations.iter().filter(|r| r.when.is_some()).count();
        assert!((300..500).contains(&dated), "{dated} dated");
    }

    #[test]
    fn sparse_and_tiny_graphs_load_without_diagnostics() {
        for (entities, relations, files) in
            [(2, 1, 1), (3, 2, 5), (5, 3, 2), (1001, 501, 7), (64, 63, 1)]
        {
            assert_loads_clean(&Params {
                entities,
                relations,
                seed: 3,
                files,
            });
        }
    }

    #[test]
    fn bad_params_are_refused() {
        let p = |entities, relations, files| Params {
            entities,
            relations,
            seed: 0,
            files,
        };
        assert!(p(1, 5, 1).check().is_err());
        assert!(p(10, 4, 1).check().is_err());
        assert!(p(10, 5, 1).check().is_ok());
        assert!(p(10, 5, 0).check().is_err());
    }

    #[test]
    fn names_and_aliases_are_unique_after_folding() {
        let files = generate(
            &Params {
                entities: 30_000,
                relations: 60_000,
                seed: 9,
                files: 2,
            },
            |_, _| {},
        );
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut keys: HashSet<String> = HashSet::new();
        let mut entities = 0;
        for (path, text) in &files {
            if !path.starts_with("entities/") {
                continue;
            }
            for item in crate::scan::list_items(text).unwrap() {
                let e: crate::model::RawEntity = options.from_str(&text[item.span]).unwrap();
                entities += 1;
                let mut own: HashSet<String> = HashSet::new();
                for name in std::iter::once(&e.name).chain(&e.aliases) {
                    let folded = normalize(name);
                    own.insert(compact(&folded));
                    own.insert(folded);
                }
                for key in own {
                    assert!(keys.insert(key.clone()), "{key} is used twice");
                }
            }
        }
        assert_eq!(entities, 30_000);
    }

    fn describe(d: &mut [usize]) -> String {
        d.sort_unstable();
        let at = |q: usize| d[(d.len() - 1) * q / 100];
        format!(
            "degrees: min {} p10 {} p25 {} median {} p75 {} p90 {} p99 {} max {}; <=1: {}%, <=2: {}%",
            d[0],
            at(10),
            at(25),
            at(50),
            at(75),
            at(90),
            at(99),
            d[d.len() - 1],
            d.iter().filter(|&&x| x <= 1).count() * 100 / d.len(),
            d.iter().filter(|&&x| x <= 2).count() * 100 / d.len(),
        )
    }

    /// The issue's size: `cargo test --release --lib generate -- --ignored --nocapture`.
    #[test]
    #[ignore = "takes a minute in release mode"]
    fn issue_size_graph_loads_without_diagnostics() {
        let params = Params {
            entities: 250_000,
            relations: 1_000_000,
            seed: 1,
            files: 16,
        };
        let t = std::time::Instant::now();
        let files = generate(&params, |_, _| {});
        let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
        eprintln!("generated {} MB in {:?}", bytes >> 20, t.elapsed());
        let t = std::time::Instant::now();
        let loaded = crate::load::load(inputs("synthetic", &files)).unwrap_or_else(|f| {
            panic!(
                "{}",
                f.files
                    .render(&f.diagnostics[..5.min(f.diagnostics.len())], false)
            )
        });
        eprintln!("loaded in {:?}", t.elapsed());
        assert!(loaded.warnings.is_empty());
        let t = std::time::Instant::now();
        let index = crate::index::Index::new(loaded.graph);
        eprintln!("indexed in {:?}", t.elapsed());
        let mut d: Vec<usize> = (0..params.entities).map(|i| index.degree(i)).collect();
        eprintln!("{}", describe(&mut d));
    }

    fn degrees(params: &Params) -> Vec<usize> {
        let files = generate(params, |_, _| {});
        let loaded = crate::load::load(inputs("synthetic", &files)).unwrap();
        let index = crate::index::Index::new(loaded.graph);
        (0..params.entities).map(|i| index.degree(i)).collect()
    }

    #[test]
    fn degrees_are_heavy_tailed() {
        let mut d = degrees(&Params {
            entities: 5_000,
            relations: 20_000,
            seed: 11,
            files: 1,
        });
        eprintln!("{}", describe(&mut d));
        let median = d[d.len() / 2];
        let max = *d.last().unwrap();
        assert!(d[0] >= 1, "every entity has a neighbour");
        assert!(max >= 40 * median, "max degree {max}, median {median}");
        // Most entities are leaves or nearly so, a few are hubs.
        let small = d.iter().filter(|&&x| x <= 4).count();
        assert!(
            small * 2 > d.len(),
            "{small} of {} have degree <= 4",
            d.len()
        );
    }
}
