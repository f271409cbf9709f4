//! Entity ids for imported records: the input's own id when it is already
//! a slug, else a slug made from the name (or the input id) by
//! transliteration (deunicode: "Αλέξης Τσίπρας" → "alexes-tsipras",
//! "東京" → "dong-jing"), with `-2`, `-3` … on collisions. Ids the input gives
//! ready-made are reserved first, so a generated id never takes one.

use std::collections::HashSet;

use crate::load::validate::is_slug;

/// The slug form of any text: transliterated to ASCII, lower case, runs of
/// anything else turned into single dashes; at most 80 characters, cut at
/// a dash. Empty when nothing is left.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(text, "-");
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    if out.len() > 80 {
        let cut = out[..80].rfind('-').filter(|&i| i >= 20).unwrap_or(80);
        out.truncate(cut);
    }
    out
}

/// Hands out distinct ids.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// Room for `n` ids without growing.
    pub fn with_capacity(n: usize) -> Ids {
        Ids {
            taken: HashSet::with_capacity(n),
        }
    }

    /// Reserves an id that is used as it is (an input id that is a slug, or
    /// an entity already in the graph). False when it was taken already.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string())
    }

    pub fn is_taken(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// A new id from some text: its slug, suffixed until it is free;
    /// `fallback` when the text has no letters or digits at all.
    pub fn make(&mut self, text: &str, fallback: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = fallback.to_string();
        }
        if !self.taken.contains(&base) {
            self.taken.insert(base.clone());
            return base;
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}-{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// Whether an input id can be used as it is.
pub fn usable(id: &str) -> bool {
    is_slug(id) && id.len() <= 200
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_any_script() {
        assert_eq!(slugify("Hamid Gul"), "hamid-gul");
        assert_eq!(slugify("Αλέξης Τσίπρας"), "alexes-tsipras");
        assert_eq!(slugify("Zia-ul-Ḥaq"), "zia-ul-haq");
        assert!(!slugify("東京都").is_empty());
        assert!(!slugify("انٹر سروسز").is_empty());
        assert_eq!(slugify("  --  "), "");
        assert_eq!(slugify("O'Brien & Sons, Ltd."), "o-brien-sons-ltd");
        let long = "word ".repeat(100);
        assert!(slugify(&long).len() <= 80);
        for s in ["Hamid Gul", "東京都", "Spy 🕵️ Network 🔥", "\u{202e}evil"] {
            let slug = slugify(s);
            assert!(slug.is_empty() || is_slug(&slug), "{s} -> {slug}");
        }
    }

    #[test]
    fn collisions_are_suffixed_and_reserved_ids_kept() {
        let mut ids = Ids::default();
        assert!(ids.reserve("anna"));
        assert_eq!(ids.make("Anna", "entity"), "anna-2");
        assert_eq!(ids.make("Anna", "entity"), "anna-3");
        assert_eq!(ids.make("!!!", "entity"), "entity");
        assert_eq!(ids.make("", "entity"), "entity-2");
    }
}
