//! A quick reader for the usual RON of entity and relation files, tried
//! before `ron`.
//!
//! serde and ron read a graph's records at about 45 MB a CPU-second here
//! (the parse floor: 188 MB of records in about 4.3 CPU-seconds), and their
//! profile is ron's character tests and comparisons (`skip_ws`,
//! `check_char`, identifiers). That floor was the whole of a cold load's
//! parse. Nearly every records file is written in one plain shape,
//! `[ (field: value, …), … ]` with strings, lists of strings, a status and
//! a `source: (id: …, section: …)`, and that shape is simple enough to
//! read directly: this reader takes about a fifth of the time.
//!
//! This reader takes only that shape. Anything it does not know — a field
//! it does not read (`weight`, `props`), an unknown or repeated field, a
//! missing required one, `Some(…)` or `None`, a struct name, a block
//! comment, `#![enable(…)]`, an escape other than `\" \\ \' \n \r \t \0`,
//! a raw string, whitespace beyond space, tab and line ends — makes it give
//! up on the whole file, which `ron` then reads as before, with its errors
//! and every diagnostic the loader derives from them. So where it answers,
//! it answers what `ron` would; the tests hold it to that on mutated text.

use compact_str::CompactString;
use thin_vec::ThinVec;

use super::raw::{Located, RawEntity, RawRelation};
use crate::model::{SourceRef, Status};

/// A file's list of entities, if it has the plain shape.
pub fn entities(text: &str, file: usize) -> Option<Vec<Located<RawEntity>>> {
    list(text, file, entity)
}

/// A file's list of relations, if it has the plain shape.
pub fn relations(text: &str, file: usize) -> Option<Vec<Located<RawRelation>>> {
    list(text, file, relation)
}

/// Where reading is in a text. Every position it stops at is an ASCII
/// byte, so slices between them are whole characters.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Takes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Skips spaces, tabs, line ends and `//` comments; None at anything
    /// else `ron` would skip (other whitespace is not ASCII; `/*` comments
    /// nest), and at a `//` comment that ends the file.
    fn space(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.at) {
                self.at += 1;
            }
            if bytes.get(self.at) != Some(&b'/') {
                return Some(());
            }
            if bytes.get(self.at + 1) != Some(&b'/') {
                return None;
            }
            self.at += memchr::memchr(b'\n', &bytes[self.at..])?;
        }
    }

    /// A plain identifier (`r#…` and non-ASCII ones are left to `ron`).
    fn ident(&mut self) -> Option<&'a [u8]> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if !bytes.get(start)?.is_ascii_alphabetic() && bytes[start] != b'_' {
            return None;
        }
        let len = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .unwrap_or(bytes.len() - start);
        self.at += len;
        Some(&bytes[start..start + len])
    }

    /// A `"…"` string, taken as `ron` takes it: verbatim up to the closing
    /// quote, with the simple escapes decoded.
    fn string<T: From<&'a str> + From<String>>(&mut self) -> Option<T> {
        self.expect(b'"')?;
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut stop = start + memchr::memchr2(b'"', b'\\', &bytes[start..])?;
        if bytes[stop] == b'"' {
            // No escape: the text as it stands, no string built.
            self.at = stop + 1;
            return Some(T::from(&self.text[start..stop]));
        }
        let mut out = String::with_capacity(stop - start + 16);
        let mut from = start;
        loop {
            out.push_str(&self.text[from..stop]);
            if bytes[stop] == b'"' {
                self.at = stop + 1;
                return Some(T::from(out));
            }
            out.push(match bytes.get(stop + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'\'' => '\'',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'0' => '\0',
                _ => return None,
            });
            from = stop + 2;
            stop = from + memchr::memchr2(b'"', b'\\', &bytes[from..])?;
        }
    }

    /// `open` item, item, … `close`, a trailing comma allowed, each item
    /// read by `item`.
    fn delimited(
        &mut self,
        open: u8,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.expect(open)?;
        self.space()?;
        if self.eat(close) {
            return Some(());
        }
        loop {
            item(self)?;
            self.space()?;
            if self.eat(close) {
                return Some(());
            }
            self.expect(b',')?;
            self.space()?;
            if self.eat(close) {
                return Some(());
            }
        }
    }

    /// `[ "…", … ]`.
    fn strings<T: From<&'a str> + From<String>, L: Default + Extend<T>>(&mut self) -> Option<L> {
        let mut out = L::default();
        self.delimited(b'[', b']', |c| {
            out.extend(Some(c.string::<T>()?));
            Some(())
        })?;
        Some(out)
    }

    /// `( name: value, … )`, each field read by `field`, which gives None
    /// for a name it does not know or a value it cannot read.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &[u8]) -> Option<()>) -> Option<()> {
        self.delimited(b'(', b')', |c| {
            let name = c.ident()?;
            c.space()?;
            c.expect(b':')?;
            c.space()?;
            field(c, name)
        })
    }
}

/// Stores a field's value; None if the field was given already.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// `[ item, … ]` and nothing after it but space and comments.
fn list<T>(
    text: &str,
    file: usize,
    item: impl Fn(&mut Cursor) -> Option<T>,
) -> Option<Vec<Located<T>>> {
    let mut c = Cursor { text, at: 0 };
    let mut out = Vec::new();
    c.space()?;
    c.delimited(b'[', b']', |c| {
        let value = item(c)?;
        let index = out.len();
        out.push(Located { value, file, index });
        Some(())
    })?;
    c.space()?;
    (c.at == text.len()).then_some(out)
}

fn status(c: &mut Cursor) -> Option<Status> {
    Some(match c.ident()? {
        b"established" => Status::Established,
        b"reported" => Status::Reported,
        b"alleged" => Status::Alleged,
        b"disputed" => Status::Disputed,
        _ => return None,
    })
}

fn source(c: &mut Cursor) -> Option<SourceRef> {
    let (mut id, mut section) = (None, None);
    c.fields(|c, name| match name {
        b"id" => once(&mut id, c.string()?),
        b"section" => once(&mut section, c.string()?),
        _ => None,
    })?;
    Some(SourceRef {
        id: id?,
        section: section?,
    })
}

fn relation(c: &mut Cursor) -> Option<RawRelation> {
    let (mut from, mut to, mut rel_type, mut status_, mut source_) = (None, None, None, None, None);
    let (mut claimed_by, mut denied_by, mut doubted_by, mut retracted_by) =
        (None, None, None, None);
    let (mut date, mut period, mut note) = (None, None, None);
    c.fields(|c, name| match name {
        b"from" => once(&mut from, c.string()?),
        b"to" => once(&mut to, c.string()?),
        b"type" => once(&mut rel_type, c.string()?),
        b"status" => once(&mut status_, status(c)?),
        b"claimed_by" => once(&mut claimed_by, c.strings::<CompactString, ThinVec<_>>()?),
        b"denied_by" => once(&mut denied_by, c.strings::<CompactString, ThinVec<_>>()?),
        b"doubted_by" => once(&mut doubted_by, c.strings::<CompactString, ThinVec<_>>()?),
        b"retracted_by" => once(&mut retracted_by, c.strings::<CompactString, ThinVec<_>>()?),
        b"date" => once(&mut date, c.string()?),
        b"period" => once(&mut period, c.string()?),
        b"source" => once(&mut source_, source(c)?),
        b"note" => once(&mut note, c.string()?),
        _ => None,
    })?;
    Some(RawRelation {
        from: from?,
        to: to?,
        rel_type: rel_type?,
        status: status_?,
        claimed_by: claimed_by.unwrap_or_default(),
        denied_by: denied_by.unwrap_or_default(),
        doubted_by: doubted_by.unwrap_or_default(),
        retracted_by: retracted_by.unwrap_or_default(),
        date,
        period,
        source: source_?,
        note: note.unwrap_or_default(),
        weight: None,
        props: Default::default(),
    })
}

fn entity(c: &mut Cursor) -> Option<RawEntity> {
    let (mut id, mut name_, mut kind, mut description) = (None, None, None, None);
    let (mut aliases, mut tags, mut start, mut end) = (None, None, None, None);
    c.fields(|c, name| match name {
        b"id" => once(&mut id, c.string()?),
        b"name" => once(&mut name_, c.string()?),
        b"kind" => once(&mut kind, c.string()?),
        b"aliases" => once(&mut aliases, c.strings::<String, Vec<_>>()?),
        b"description" => once(&mut description, c.string()?),
        b"start" => once(&mut start, c.string()?),
        b"end" => once(&mut end, c.string()?),
        b"tags" => once(&mut tags, c.strings::<String, Vec<_>>()?),
        _ => None,
    })?;
    Some(RawEntity {
        id: id?,
        name: name_?,
        kind: kind?,
        aliases: aliases.unwrap_or_default(),
        description: description.unwrap_or_default(),
        start,
        end,
        tags: tags.unwrap_or_default(),
        props: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use crate::load::raw::{Located, RawEntity, RawRelation};

    fn ron_list<T: serde::de::DeserializeOwned>(text: &str) -> Option<Vec<T>> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .ok()
    }

    /// A quick reading's records as text, checked to be numbered in order
    /// and to name their file.
    fn shown<T: std::fmt::Debug>(list: Option<Vec<Located<T>>>) -> Option<String> {
        let list = list?;
        assert!(
            list.iter()
                .enumerate()
                .all(|(i, r)| r.index == i && r.file == 3)
        );
        let values: Vec<T> = list.into_iter().map(|r| r.value).collect();
        Some(format!("{values:?}"))
    }

    /// What the quick reader made of `text`, as text, if it read it; and
    /// the same of `ron`'s reading.
    fn both(text: &str, relations: bool) -> (Option<String>, Option<String>) {
        if relations {
            let ron = ron_list::<RawRelation>(text).map(|l| format!("{l:?}"));
            (shown(super::relations(text, 3)), ron)
        } else {
            let ron = ron_list::<RawEntity>(text).map(|l| format!("{l:?}"));
            (shown(super::entities(text, 3)), ron)
        }
    }

    const RELATIONS: &str = "// a comment\r\n[\n    (from: \"a-b\", to: \"c\", type: \"met\", status: established, source: (id: \"s\", section: \"x\")),\n\t(to: \"c\" , from:\"d\",type:\"paid\",status:alleged,claimed_by:[\"e\",\"f\",],source:(section:\"y\",id:\"s\",),date:\"1990-02\",note:\"a \\\"quoted\\\" word, a \\\\ and a\\nline — ünïcode\",),\n    // between\n    (from: \"a\", to: \"b\", type: \"met\", status: disputed, claimed_by: [\"a\"], denied_by: [], doubted_by: [\"b\"], retracted_by: [\"a\"], period: \"1990..\", source: (id: \"s\", section: \"x\")),\n] // after\n";

    const ENTITIES: &str = "[\n    (id: \"a\", name: \"A \\\"Ay\\\"\", kind: \"person\", aliases: [\"Ay\", \"Ä\"], description: \"Tab\\there.\", start: \"1950\", end: \"~2001-03\", tags: [\"x\", \"y\",]),\n    (kind: \"agency\", name: \"B\", id: \"b\"),\n]";

    #[test]
    fn reads_the_plain_shape_as_ron_does() {
        for (text, relations) in [(RELATIONS, true), (ENTITIES, false)] {
            let (quick, ron) = both(text, relations);
            assert!(quick.is_some(), "the quick reader gave up on {text}");
            assert_eq!(quick, ron);
        }
        assert_eq!(super::relations("[]", 0).map(|l| l.len()), Some(0));
        assert_eq!(super::entities(" [ ] \n", 0).map(|l| l.len()), Some(0));
    }

    #[test]
    fn leaves_what_it_does_not_know_to_ron() {
        let plain = "(from: \"a\", to: \"b\", type: \"t\", status: reported, source: (id: \"s\", section: \"x\"))";
        for (what, text) in [
            ("a weight", plain.replace("))", "), weight: 2.0)")),
            ("props", plain.replace("))", "), props: {\"k\": 1})")),
            (
                "an unknown field",
                plain.replace("))", "), colour: \"red\")"),
            ),
            ("a repeated field", plain.replace("))", "), to: \"c\")")),
            ("a missing field", plain.replace("to: \"b\", ", "")),
            ("Some", plain.replace("))", "), date: Some(\"1990\"))")),
            ("None", plain.replace("))", "), date: None)")),
            ("a struct name", format!("Relation{plain}")),
            ("a raw string", plain.replace("\"b\"", "r\"b\"")),
            ("a unicode escape", plain.replace("\"b\"", "\"\\u{62}\"")),
            ("a line continuation", plain.replace("\"b\"", "\"\\\n b\"")),
            ("a block comment", plain.replace("to:", "/* x */ to:")),
            ("a form feed", plain.replace("to:", "\x0Cto:")),
            (
                "a status as a string",
                plain.replace("reported", "\"reported\""),
            ),
            ("an unknown status", plain.replace("reported", "rumoured")),
            ("a raw identifier", plain.replace("to:", "r#to:")),
        ] {
            let text = format!("[{text}]");
            assert!(super::relations(&text, 0).is_none(), "read {what}: {text}");
        }
        for text in [
            "#![enable(implicit_some)]\n[]",
            "[] x",
            "[] // the end, no line end",
            "[,]",
            "[",
            "",
        ] {
            assert!(super::relations(text, 0).is_none(), "read {text:?}");
        }
    }

    /// Every text made by changing one place of the plain texts: wherever
    /// the quick reader answers, `ron` gives the same records.
    #[test]
    fn where_it_answers_ron_answers_the_same_on_mutated_text() {
        let inserts: &[&str] = &[
            "\"",
            "\\",
            ",",
            "(",
            ")",
            "[",
            "]",
            ":",
            " ",
            "\n",
            "//",
            "/*",
            "a",
            "_",
            "#",
            "r",
            "\\\"",
            "\\n",
            "\\x41",
            "é",
            "\u{2028}",
            "\t",
            "0",
            "Some(",
            "None",
            "\r",
            // A comment and line end between any two tokens (or inside a
            // string, where both readers keep it as text).
            "// c\n",
            " \r\n\t// c\r\n ",
        ];
        let mut answered = 0;
        let mut tried = 0;
        for (text, relations) in [(RELATIONS, true), (ENTITIES, false)] {
            let places: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (n, &at) in places.iter().enumerate() {
                let mut variants = Vec::new();
                // Drop the character here, or put something before it.
                if let Some(&next) = places.get(n + 1) {
                    variants.push(format!("{}{}", &text[..at], &text[next..]));
                }
                for insert in inserts {
                    variants.push(format!("{}{insert}{}", &text[..at], &text[at..]));
                }
                for variant in variants {
                    tried += 1;
                    let (quick, ron) = both(&variant, relations);
                    if quick.is_some() {
                        answered += 1;
                        assert_eq!(quick, ron, "on {variant:?}");
                    }
                }
            }
        }
        // The mutations must leave many texts it still reads, or the test
        // says nothing.
        assert!(answered * 10 > tried, "{answered} of {tried}");
    }
}
