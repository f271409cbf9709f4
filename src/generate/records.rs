//! Writing one entity or one relation as RON text.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use std::fmt::Write;

use super::names::{NameCode, push_date, push_id, push_year};
use super::sample::{IntHasher, Rng, Zipf, pick_weighted};
use super::vocab::{KINDS, PERSON, REGIONS, REL_TYPES, SOURCES, TITLES};

pub(super) fn write_entity(
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

pub(super) struct RelationContext<'a> {
    pub(super) n: usize,
    pub(super) width: usize,
    pub(super) zipf: &'a Zipf,
    pub(super) type_weights: &'a [u32],
    pub(super) type_total: u32,
    pub(super) source_weights: &'a [u32],
    pub(super) source_total: u32,
}

impl RelationContext<'_> {
    /// An entity that is none of `not`: by degree most of the time, since
    /// the parties that accuse others are usually the well-known ones.
    pub(super) fn other(&self, rng: &mut Rng, not: &[u32]) -> u32 {
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

    pub(super) fn write(
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
