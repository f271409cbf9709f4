//! A small RON scanner that finds where things are, not what they mean.
//!
//! serde's data model has no place for source positions, so after `ron` has
//! turned an item into a struct we no longer know where its `to:` field was.
//! This scanner walks a file once and records the byte span of every item of
//! the top-level list and of each of the item's fields. The loader then parses
//! each item on its own (so one bad item does not hide errors in the next)
//! and points its diagnostics at the exact field.

use std::ops::Range;

/// One `(...)` element of a file's top-level `[...]` list.
#[derive(Debug, Clone)]
pub struct Item {
    pub span: Range<usize>,
    pub fields: Vec<Field>,
}

/// One `name: value` pair directly inside an item.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: Range<usize>,
}

impl Item {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Span of a field's value, or of the whole item when it is absent.
    pub fn value_span(&self, name: &str) -> Range<usize> {
        self.field(name)
            .map_or(self.span.clone(), |f| f.value.clone())
    }
}

/// A structural fault: the byte offset and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub offset: usize,
    pub message: String,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn error<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, ScanError> {
        Err(ScanError {
            offset,
            message: message.into(),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace, `//` comments and (nested) `/* */` comments.
    fn skip_trivia(&mut self) -> Result<(), ScanError> {
        loop {
            match self.peek() {
                Some(b) if b.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    self.pos += 2;
                    let mut depth = 1;
                    while depth > 0 {
                        match self.peek() {
                            None => return self.error(start, "`*/` to close this comment"),
                            Some(b'*') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                                depth -= 1;
                                self.pos += 2;
                            }
                            Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                                depth += 1;
                                self.pos += 2;
                            }
                            Some(_) => self.pos += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), ScanError> {
        self.skip_trivia()?;
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            self.error(self.pos, format!("{what}, found {}", self.found()))
        }
    }

    /// A short description of what stands at the cursor, for messages.
    fn found(&self) -> String {
        match self.text[self.pos..].chars().next() {
            None => "the end of the file".to_string(),
            Some(c) => format!("`{c}`"),
        }
    }

    fn ident(&mut self) -> Option<Range<usize>> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'_' || (b == b'#' && self.pos == start + 1) {
                self.pos += 1;
            } else {
                break;
            }
        }
        (self.pos > start).then_some(start..self.pos)
    }

    fn string(&mut self) -> Result<(), ScanError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None => return self.error(start, "a closing `\"` for this string"),
                Some(b'\\') => self.pos += 2,
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) -> Result<(), ScanError> {
        // r#"..."#: count the hashes, then find `"` followed by as many.
        let start = self.pos;
        self.pos += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return self.error(self.pos, "`\"` to open a raw string");
        }
        self.pos += 1;
        let close: String = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        match self.text[self.pos..].find(&close) {
            Some(i) => {
                self.pos += i + close.len();
                Ok(())
            }
            None => self.error(start, format!("`{close}` to close this raw string")),
        }
    }

    fn char_literal(&mut self) -> Result<(), ScanError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None | Some(b'\n') => return self.error(start, "a closing `'` for this character"),
                Some(b'\\') => self.pos += 2,
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Skips one value of any shape, checking that brackets balance.
    fn value(&mut self) -> Result<Range<usize>, ScanError> {
        self.skip_trivia()?;
        let start = self.pos;
        let mut stack: Vec<(u8, usize)> = Vec::new();
        loop {
            self.skip_trivia()?;
            let Some(b) = self.peek() else {
                return match stack.last() {
                    Some(&(close, at)) => {
                        self.error(at, format!("`{}` to close this bracket", close as char))
                    }
                    None if self.pos == start => self.error(self.pos, "a value"),
                    None => Ok(start..self.pos),
                };
            };
            match b {
                b'(' | b'[' | b'{' => {
                    let close = match b {
                        b'(' => b')',
                        b'[' => b']',
                        _ => b'}',
                    };
                    stack.push((close, self.pos));
                    self.pos += 1;
                }
                b')' | b']' | b'}' => {
                    match stack.last() {
                        None => {
                            // Closes an enclosing structure: the value ends here.
                            return if self.pos == start {
                                self.error(self.pos, format!("a value, found {}", self.found()))
                            } else {
                                Ok(start..self.pos)
                            };
                        }
                        Some(&(close, _)) if close != b => {
                            return self.error(
                                self.pos,
                                format!(
                                    "`{}` to close the bracket opened earlier, found `{}`",
                                    close as char, b as char
                                ),
                            );
                        }
                        Some(_) => {
                            stack.pop();
                            self.pos += 1;
                        }
                    }
                }
                b',' if stack.is_empty() => {
                    return if self.pos == start {
                        self.error(self.pos, "a value, found `,`")
                    } else {
                        Ok(start..self.trim_end(self.pos))
                    };
                }
                b'"' => self.string()?,
                b'r' if matches!(self.bytes.get(self.pos + 1), Some(b'#') | Some(b'"')) => {
                    self.raw_string()?
                }
                b'\'' => self.char_literal()?,
                _ => {
                    // Any other token: advance by one character.
                    let len = self.text[self.pos..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                    self.pos += len;
                }
            }
            if stack.is_empty() {
                // A complete bracketed value or token; continue only while the
                // value goes on (e.g. `Some(...)`, `-1`, `1.5`).
                let save = self.pos;
                self.skip_trivia()?;
                match self.peek() {
                    Some(b',' | b')' | b']' | b'}') | None => {
                        let end = self.trim_end(save);
                        return Ok(start..end);
                    }
                    _ => {}
                }
            }
        }
    }

    fn trim_end(&self, mut end: usize) -> usize {
        while end > 0 && self.bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        end
    }

    /// `Name? ( field: value, ... )`
    fn item(&mut self) -> Result<Item, ScanError> {
        self.skip_trivia()?;
        let start = self.pos;
        self.ident();
        self.skip_trivia()?;
        if self.peek() != Some(b'(') {
            return self.error(
                self.pos,
                format!("`(` to start an item, found {}", self.found()),
            );
        }
        self.pos += 1;
        let mut fields = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b')') => {
                    self.pos += 1;
                    return Ok(Item {
                        span: start..self.pos,
                        fields,
                    });
                }
                None => return self.error(start, "`)` to close this item"),
                _ => {}
            }
            let Some(name_span) = self.ident() else {
                return self.error(
                    self.pos,
                    format!("a field name like `id:`, found {}", self.found()),
                );
            };
            self.expect(b':', "`:` after the field name")?;
            let value = self.value()?;
            fields.push(Field {
                name: self.text[name_span.clone()].to_string(),
                name_span,
                value,
            });
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {}
                _ => {
                    return self.error(
                        self.pos,
                        format!("`,` or `)` after a field, found {}", self.found()),
                    );
                }
            }
        }
    }
}

/// Splits a file holding one `[ item, item, ... ]` list into items.
pub fn list_items(text: &str) -> Result<Vec<Item>, ScanError> {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    // Skip RON attributes such as `#![enable(implicit_some)]`.
    loop {
        s.skip_trivia()?;
        if text[s.pos..].starts_with("#!") {
            s.pos += 2;
            s.value()?;
        } else {
            break;
        }
    }
    s.expect(b'[', "`[` to start the list of items")?;
    let open = s.pos - 1;
    let mut items = Vec::new();
    loop {
        s.skip_trivia()?;
        match s.peek() {
            Some(b']') => {
                s.pos += 1;
                break;
            }
            None => return s.error(open, "`]` to close this list"),
            _ => {}
        }
        items.push(s.item()?);
        s.skip_trivia()?;
        match s.peek() {
            Some(b',') => s.pos += 1,
            Some(b']') => {}
            None => return s.error(open, "`]` to close this list"),
            _ => {
                return s.error(
                    s.pos,
                    format!("`,` or `]` after an item, found {}", s.found()),
                );
            }
        }
    }
    s.skip_trivia()?;
    if s.pos < text.len() {
        return s.error(
            s.pos,
            format!("the end of the file after the list, found {}", s.found()),
        );
    }
    Ok(items)
}

/// The one `Name( field: value, … )` structure a file holds (such as
/// `schema.ron`), with the spans of its fields.
pub fn top_item(text: &str) -> Result<Item, ScanError> {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    s.skip_trivia()?;
    s.item()
}

/// Finds the string literal `"needle"` inside `within`, for pointing at one
/// element of a list such as `claimed_by: ["a", "b"]`.
pub fn find_literal(text: &str, within: &Range<usize>, needle: &str) -> Option<Range<usize>> {
    let quoted = format!("\"{needle}\"");
    let hay = text.get(within.clone())?;
    hay.find(&quoted)
        .map(|i| within.start + i..within.start + i + quoted.len())
}

/// Finds character `c` inside `within`, written raw or as a RON escape
/// (`\x1b`, `\u{1b}`, `\u{001B}` …).
pub fn find_char(text: &str, within: &Range<usize>, c: char) -> Option<Range<usize>> {
    let hay = text.get(within.clone())?;
    if let Some(i) = hay.find(c) {
        return Some(within.start + i..within.start + i + c.len_utf8());
    }
    let mut from = 0;
    while let Some(i) = hay[from..].find('\\') {
        let at = from + i;
        let rest = &hay[at + 1..];
        let found = if let Some(hex) = rest.strip_prefix('x') {
            hex.get(..2)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .map(|n| (n, 4))
        } else if let Some(braced) = rest.strip_prefix("u{") {
            braced.find('}').and_then(|close| {
                u32::from_str_radix(&braced[..close], 16)
                    .ok()
                    .map(|n| (n, 3 + close + 1))
            })
        } else {
            None
        };
        match found {
            Some((n, len)) if n == c as u32 => {
                return Some(within.start + at..within.start + at + len);
            }
            // Skip the escaped character, so `\\x1b` is not taken for one.
            _ => from = at + 1 + rest.chars().next().map_or(0, char::len_utf8),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_items_and_fields() {
        let text = "// c\n[\n  (id: \"a\", tags: [\"x\", \"(\"]),\n  Entity(id: \"b\" /* ) */, n: Some(1)),\n]\n";
        let items = list_items(text).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(&text[items[0].value_span("tags")], "[\"x\", \"(\"]");
        assert_eq!(&text[items[1].value_span("id")], "\"b\"");
        assert_eq!(&text[items[1].value_span("n")], "Some(1)");
    }

    #[test]
    fn reports_unclosed_brackets() {
        let err = list_items("[\n (id: \"a\",\n").unwrap_err();
        assert!(err.message.contains("close"), "{err:?}");
        let err = list_items("[ (id: \"a\" ]").unwrap_err();
        assert!(err.message.contains("`,` or `)`"), "{err:?}");
        assert!(list_items("[ (id: \"a), ]").is_err());
        assert!(list_items("").is_err());
    }

    #[test]
    fn finds_control_characters_raw_or_escaped() {
        let text = r#"(name: "a\\x1b b\x1b", note: "c\u{7}d")"#;
        let all = 0..text.len();
        assert_eq!(
            find_char(text, &all, '\u{1b}').map(|r| &text[r]),
            Some("\\x1b")
        );
        assert_eq!(
            find_char(text, &all, '\u{7}').map(|r| &text[r]),
            Some("\\u{7}")
        );
        let raw = "(name: \"a\u{8}b\")";
        assert_eq!(find_char(raw, &(0..raw.len()), '\u{8}'), Some(9..10));
        assert_eq!(find_char(raw, &(0..raw.len()), '\u{0}'), None);
    }

    #[test]
    fn empty_list_is_fine() {
        assert!(list_items("[]").unwrap().is_empty());
        assert!(list_items("// nothing yet\n[\n]\n").unwrap().is_empty());
    }
}
