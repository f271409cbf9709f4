//! Randomness for the generator: a seeded splitmix64 stream, a Zipf law
//! over entity indices in integers only, weighted choice, and a hasher for
//! integer keys.

use std::hash::Hasher;

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

/// Percentages of relation ends drawn from the Zipf law rather than
/// uniformly: when each entity first attaches to an earlier one, and for the
/// ends of the remaining relations.
pub(super) const ATTACH_BY_RANK: u64 = 80;
pub(super) const FREE_BY_RANK: u64 = 95;
/// The chance, in percent, of going on to the next octave: each octave of
/// `index + offset` holds this share of the one before, so the law's
/// exponent is a = 1 - log2(0.80) ≈ 1.32: the expected degree of the entity
/// of rank r falls off as r^-1.32, and the share of entities of degree k
/// roughly as k^-1.76.
pub(super) const OCTAVE_CONTINUE: u64 = 80;

/// A Zipf law over entity indices, in integers only (so the output does not
/// depend on the platform's floating point): a geometric choice of octave of
/// `index + offset`, then a uniform value inside it, which is within a
/// factor of two of the continuous law everywhere.
pub(super) struct Zipf {
    pub(super) n: u64,
    /// P(index) ∝ (index + offset)^-a: the offset keeps the very first
    /// entities from taking an absurd share of all relations. It grows with
    /// the graph, so that a big graph has more top hubs, not bigger ones.
    pub(super) offset: u64,
}

impl Zipf {
    pub(super) fn new(n: usize) -> Zipf {
        Zipf {
            n: n as u64,
            offset: (n as u64 >> 12).clamp(4, 64),
        }
    }

    pub(super) fn sample(&self, rng: &mut Rng) -> usize {
        self.sample_below(rng, self.n as usize)
    }

    /// An index in `0..limit`.
    pub(super) fn sample_below(&self, rng: &mut Rng, limit: usize) -> usize {
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

pub(super) fn pick_weighted(rng: &mut Rng, weights: &[u32], total: u32) -> usize {
    let mut r = rng.below(u64::from(total)) as u32;
    for (i, &w) in weights.iter().enumerate() {
        if r < w {
            return i;
        }
        r -= w;
    }
    weights.len() - 1
}

/// A hasher for integer keys (FxHash's multiply), for the duplicate check.
#[derive(Default)]
pub(super) struct IntHasher(u64);

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
