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
    let mut out = String::with_capacity(text.len());
    out.extend(fold(text));
    out
}

/// The characters of [`normalize`]`(text)`, one at a time: a comparison
/// against a folded name stops at the first character that differs, with
/// nothing built (a look-up by name compares against every name of the
/// graph, a quarter of a million at scale).
pub fn fold(text: &str) -> Fold<'_> {
    // Decomposing ASCII changes nothing: skip the per-character Unicode work.
    let chars = if text.is_ascii() {
        Chars::Ascii(text.chars())
    } else {
        Chars::Unicode(text.nfkd())
    };
    Fold::new(chars)
}

/// Whether `text` folds to exactly `folded` (an already folded name), or,
/// with `compacted`, to it once its spaces are dropped (see [`compact`]).
pub fn folds_to(text: &str, compacted: bool, folded: &str) -> bool {
    if !may_fold_to(text, folded) {
        return false;
    }
    if compacted {
        fold(text).filter(|c| *c != ' ').eq(folded.chars())
    } else {
        fold(text).eq(folded.chars())
    }
}

/// False when `text` cannot fold to `folded`, nor to it without spaces, as
/// its first letter tells; so also for any beginning of `text`.
///
/// Most names differ from the one asked for at their first letter. Up to
/// the first non-ASCII byte, folding keeps only ASCII letters and digits,
/// lowered (spaces are never leading), so that letter is read off the bytes
/// without setting up the fold; a text that starts otherwise may fold to
/// anything.
pub fn may_fold_to(text: &str, folded: &str) -> bool {
    match text
        .bytes()
        .find(|b| b.is_ascii_alphanumeric() || !b.is_ascii())
    {
        Some(b) if b.is_ascii() => folded.starts_with(char::from(b.to_ascii_lowercase())),
        None => folded.is_empty(),
        Some(_) => true,
    }
}

/// A text's characters, decomposed (NFKD) unless it is ASCII.
#[derive(Clone)]
enum Chars<'a> {
    Ascii(std::str::Chars<'a>),
    Unicode(unicode_normalization::Decompositions<std::str::Chars<'a>>),
}

impl Iterator for Chars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            Chars::Ascii(c) => c.next(),
            Chars::Unicode(c) => c.next(),
        }
    }
}

/// See [`fold`].
#[derive(Clone)]
pub struct Fold<'a> {
    chars: Chars<'a>,
    /// Non-alphanumerics were skipped since the last character given.
    pending_space: bool,
    /// A character has been given: spaces are never leading.
    started: bool,
    /// The rest of the current character's lower case (one character can
    /// lower to several).
    lower: Option<std::char::ToLowercase>,
}

impl<'a> Fold<'a> {
    fn new(chars: Chars<'a>) -> Self {
        Fold {
            chars,
            pending_space: false,
            started: false,
            lower: None,
        }
    }
}

impl Iterator for Fold<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(lower) = &mut self.lower {
            if let Some(c) = lower.next() {
                return Some(c);
            }
            self.lower = None;
        }
        loop {
            let c = self.chars.next()?;
            // ASCII without the Unicode tables: most names are ASCII, and a
            // look-up folds every one of them.
            let kept = if c.is_ascii() {
                if matches!(c, '\'' | '`') {
                    continue;
                }
                c.is_ascii_alphanumeric()
            } else {
                if is_combining_mark(c) || matches!(c, '’' | '‘' | 'ʼ') {
                    continue;
                }
                c.is_alphanumeric()
            };
            if !kept {
                self.pending_space = true;
                continue;
            }
            let mut lower = c.to_lowercase();
            let space = self.pending_space && self.started;
            self.pending_space = false;
            self.started = true;
            let first = if space { Some(' ') } else { lower.next() };
            self.lower = Some(lower);
            return first;
        }
    }
}

/// The folded name without its spaces ("alqaeda" for "al qaeda").
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

    /// Folding as it was first written: decompose, then step by step, with
    /// the Unicode tables for every character.
    fn reference(text: &str) -> String {
        let mut out = String::new();
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

    #[test]
    fn folding_skips_the_unicode_work_only_where_it_changes_nothing() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "  Inter-Services  Intelligence (ISI) ",
            "O'Brien`s -- al_Qaeda/Taliban 1999!",
            "Zia-ul-Ḥaq’s ʼx‘ İstanbul ǅemal ﬁle ① Ⅻ Straße",
            "A\u{301}b ÉCOLE--é",
            "",
            "...",
        ] {
            assert_eq!(normalize(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn a_text_folds_to_its_folded_form_and_to_nothing_else() {
        for text in [
            "Zia-ul-Ḥaq",
            "  O'Brien -- 1999 ",
            "ǅemal İnönü",
            "ß",
            "",
            "...",
            "-- 'Ébert",
            "(x) ﬁle",
            "`1st",
            "Ssangyong (ß)",
            "ébert (e)",
        ] {
            let folded = normalize(text);
            assert!(folds_to(text, false, &folded), "{text:?}");
            assert!(folds_to(text, true, &compact(&folded)), "{text:?}");
            assert!(!folds_to(text, false, &format!("{folded}x")), "{text:?}");
            if let Some((last, _)) = folded.char_indices().last() {
                assert!(!folds_to(text, false, &folded[..last]), "{text:?}");
            }
            // What any beginning of the text folds to, the whole text may.
            for q in [folded.as_str(), &compact(&folded), "x", "e", "1", "ss"] {
                for (end, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    let start = &text[..end];
                    if folds_to(start, false, q) || folds_to(start, true, q) {
                        assert!(may_fold_to(text, q), "{text:?} {start:?} {q:?}");
                    }
                }
            }
            // Another first letter, read before any folding, or none.
            for other in ["", "q", "é", " x"] {
                if other != folded {
                    assert!(!folds_to(text, false, other), "{text:?} {other:?}");
                }
            }
            if folded.contains(' ') {
                assert!(!folds_to(text, true, &folded), "{text:?}");
                assert!(!folds_to(text, false, &compact(&folded)), "{text:?}");
            }
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
