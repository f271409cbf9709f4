//! Names and the small text writers: unique pronounceable names from a
//! bijection of the entity index, zero-padded ids and dates.

use super::sample::Rng;

// Names are built from consonant-vowel syllables: 16 × 5 = 80 of them. Every
// syllable is two letters, so a name's letters split into syllables one way
// only, and the syllables are the digits (base 80) of a bijection of the
// entity's index. No other letters start a name, which keeps titles and
// middle initials in aliases from ever recreating another entity's name.
pub(super) const CONSONANTS: &[u8; 16] = b"bdfghjklmnprstvz";
pub(super) const VOWELS: &[u8; 5] = b"aeiou";
pub(super) const SYLLABLES: u64 = 80;

/// An affine bijection of `0..80^syllables`, so neighbouring indices get
/// unrelated names.
pub(super) struct NameCode {
    pub(super) syllables: usize,
    pub(super) modulus: u64,
    pub(super) mul: u64,
    pub(super) add: u64,
}

impl NameCode {
    pub(super) fn new(entities: usize, rng: &mut Rng) -> NameCode {
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

    pub(super) fn code(&self, index: usize) -> u64 {
        ((u128::from(self.mul) * index as u128 + u128::from(self.add)) % u128::from(self.modulus))
            as u64
    }

    /// Writes the syllables of `index`, with a space (and a capital) after
    /// `split` syllables when given, preceded by `middle` and a dot when
    /// given ("Bake W. Lori"); the first letter is a capital.
    pub(super) fn write(
        &self,
        out: &mut String,
        index: usize,
        split: Option<usize>,
        middle: Option<char>,
    ) {
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
/// Writes `n` zero-padded to `width` digits.
pub(super) fn push_padded(out: &mut String, mut n: u64, width: usize) {
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

pub(super) fn push_id(out: &mut String, entity: u32, width: usize) {
    out.push_str("\"e");
    push_padded(out, u64::from(entity), width);
    out.push('"');
}

pub(super) fn push_year(out: &mut String, year: u32) {
    push_padded(out, u64::from(year), 4);
}

/// A valid date of year, month or day precision, sometimes approximate.
pub(super) fn push_date(out: &mut String, rng: &mut Rng, year: u32) {
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
