//! Name normalisation and "did you mean" suggestions.
//!
//! What a user types is compared with names after folding case, diacritics,
//! punctuation and dashes away, so "inter services intelligence" finds
//! "Inter-Services Intelligence" and "Hameed Gul" finds an alias spelt that
//! way. Suggestions are computed from what exists (strsim's Jaro-Winkler on
//! the folded forms), never guessed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds a name for comparison: lower case, no diacritics, apostrophes
/// dropped, every other run of non-alphanumerics turned into one space.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        normalize_ascii(text)
    } else {
        normalize_unicode(text)
    }
}

/// [`normalize`] for any text: decomposed (NFKD), with the combining marks
/// dropped.
fn normalize_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkd() {
        if is_combining_mark(c) || matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`') {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// [`normalize`] for ASCII text, where decomposing changes nothing: the
/// same result without the per-character Unicode work (the name index folds
/// every name and alias of a graph, a quarter of a million at scale).
fn normalize_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for b in text.bytes() {
        if matches!(b, b'\'' | b'`') {
            continue;
        }
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            pending_space = true;
        }
    }
    out
}

/// The folded form without spaces, so "alqaeda" meets "al-Qaeda".
pub fn compact(normalized: &str) -> String {
    normalized.chars().filter(|c| *c != ' ').collect()
}

/// How alike two folded strings are, from 0 to 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

/// Candidates folded once, for many look-ups against the same names
/// (a broken file can leave hundreds of references dangling at once).
pub struct Suggester<'a> {
    folded: Vec<(String, &'a str)>,
    /// The longest folded candidate, in bytes.
    longest: usize,
    memo: std::collections::HashMap<String, Option<String>>,
}

impl<'a> Suggester<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let folded: Vec<(String, &str)> =
            candidates.into_iter().map(|c| (normalize(c), c)).collect();
        Suggester {
            longest: folded.iter().map(|(f, _)| f.len()).max().unwrap_or(0),
            folded,
            memo: std::collections::HashMap::new(),
        }
    }

    /// Same answer as [`did_you_mean`] over these candidates.
    pub fn did_you_mean(&mut self, wanted: &str) -> Option<String> {
        if let Some(known) = self.memo.get(wanted) {
            return known.clone();
        }
        let folded = normalize(wanted);
        // Jaro-Winkler costs the product of the lengths: a reference many
        // times longer than every candidate (a damaged file can hold one of
        // megabytes) is a typo of none of them, and comparing it would take
        // minutes.
        if folded.len() > 4 * self.longest + 64 {
            self.memo.insert(wanted.to_string(), None);
            return None;
        }
        let mut scored: Vec<(f64, &str)> = self
            .folded
            .iter()
            .map(|(f, c)| (similarity(&folded, f), *c))
            .filter(|(score, _)| *score >= 0.8)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let answer = phrase(&scored.iter().map(|(_, c)| *c).take(3).collect::<Vec<_>>());
        self.memo.insert(wanted.to_string(), answer.clone());
        answer
    }
}

fn phrase(best: &[&str]) -> Option<String> {
    match best {
        [] => None,
        [one] => Some(format!("did you mean \"{one}\"?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// `did you mean "x"?` text for a help line, or None without a candidate.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    Suggester::new(candidates).did_you_mean(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_text_folds_as_the_general_path_folds_it() {
        let every_byte: String = (0u8..128).map(char::from).collect();
        for text in [
            every_byte.as_str(),
            "  Inter-Services  Intelligence (ISI) ",
            "O'Brien`s -- al_Qaeda/Taliban 1999!",
            "",
            "...",
        ] {
            assert_eq!(normalize_ascii(text), normalize_unicode(text), "{text:?}");
        }
    }

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(
            normalize("Inter-Services Intelligence"),
            "inter services intelligence"
        );
        assert_eq!(normalize("  Soviet–Afghan  War "), "soviet afghan war");
        assert_eq!(normalize("Zia-ul-Ḥaq"), "zia ul haq");
        assert_eq!(normalize("People's Party"), "peoples party");
        assert_eq!(normalize("R&AW"), "r aw");
        assert_eq!(compact(&normalize("al-Qaeda")), "alqaeda");
    }

    #[test]
    fn a_huge_reference_gets_no_suggestion_at_once() {
        let huge = "Some(".repeat(200_000);
        // Compared, this would take minutes (the fuzz run found it).
        assert_eq!(did_you_mean(&huge, ["hamid-gul", "isi"]), None);
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["hamid-gul", "asim-malik", "isi"];
        assert_eq!(
            did_you_mean("hamid-gull", names),
            Some("did you mean \"hamid-gul\"?".into())
        );
        assert_eq!(did_you_mean("zzzz", names), None);
    }
}
