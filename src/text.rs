//! Text hygiene: which characters a graph's text may hold, and how text
//! from outside (a file excerpt, a name typed on the command line, a path)
//! is shown on a terminal.
//!
//! The choice, made once for every input format: control characters are a
//! load error (with the file, line and column), not something each output
//! escapes. Tab and line feed are allowed in free text (names, aliases,
//! descriptions, notes, titles), a carriage return only as part of a CRLF
//! line break; every other C0 control, DEL, every C1 control and the
//! non-characters U+FFFE and U+FFFF are refused everywhere. So no ESC, BEL or
//! BS can reach a terminal from the data, and every XML output (GraphML, SVG,
//! the HTML report's inline chart) is well-formed by construction. The load
//! cache applies the same rule when it decodes an entry.
//!
//! What does not come from a loaded graph — excerpts of a broken file in a
//! diagnostic, a name given on the command line and echoed in an error, a
//! file name — is made visible instead by [`for_terminal`]: each control
//! character becomes its Unicode control picture (ESC shows as `␛`).
//! Bidirectional marks, zero-width joiners and emoji are ordinary text and
//! pass through unchanged.

use std::borrow::Cow;

/// True for characters no text of a graph may hold. `lines` allows tab and
/// line feed (free text); a carriage return is judged by [`first_forbidden`],
/// which allows it before a line feed in free text.
pub fn forbidden(c: char, lines: bool) -> bool {
    match c {
        '\t' | '\n' => !lines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

/// The first character of `text` that no graph text may hold, with its byte
/// offset; CRLF line breaks are allowed where lines are.
pub fn first_forbidden(text: &str, lines: bool) -> Option<(usize, char)> {
    // Fast path: most text is printable ASCII or ordinary Unicode.
    if !may_hold_forbidden(text.as_bytes()) {
        return None;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\r' && lines && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            continue;
        }
        if forbidden(c, lines) {
            return Some((i, c));
        }
    }
    None
}

/// False when `bytes` hold no byte that starts a forbidden character: a
/// control below 0x20, DEL, 0xc2 (the lead byte of the C1 controls) or
/// 0xef (of U+FFFE and U+FFFF). Read eight bytes at a time (the load
/// cache checks every text of a million-relation graph this way; byte by
/// byte it was a twentieth of a cached start), with the classic tests for
/// a byte below a bound or equal to a value across a word.
fn may_hold_forbidden(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // Non-zero when some byte of `w` is below `n` (n ≤ 0x80).
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * n as u64) & !w & HIGH;
    let word = |w: u64| {
        below(w, 0x20)
            | below(w ^ (ONES * 0x7f), 1)
            | below(w ^ (ONES * 0xc2), 1)
            | below(w ^ (ONES * 0xef), 1)
            != 0
    };
    let mut words = bytes.chunks_exact(8);
    if words.any(|w| word(u64::from_ne_bytes(w.try_into().unwrap_or([0; 8])))) {
        return true;
    }
    // The last bytes padded with spaces, which are never suspect.
    let mut last = [b' '; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    word(u64::from_ne_bytes(last))
}

/// A short name for a forbidden character: `U+001B (escape)`.
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => " (NUL)",
        '\u{7}' => " (bell)",
        '\u{8}' => " (backspace)",
        '\t' => " (tab)",
        '\n' => " (line feed)",
        '\u{b}' => " (vertical tab)",
        '\u{c}' => " (form feed)",
        '\r' => " (carriage return)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        '\u{9b}' => " (control sequence introducer)",
        '\u{fffe}' | '\u{ffff}' => " (not a character)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// What a terminal shows in place of a control character: its control
/// picture (U+2400…U+2421), or U+FFFD for C1 controls, which have none.
pub fn visible(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Whether a terminal would act on this character rather than show it.
fn acts_on_terminal(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// `text` made safe to print on a terminal: control characters (other than
/// tab and line breaks) become visible pictures, so no escape sequence, bell
/// or backspace in it takes effect. With `keep_colour`, the colour sequences
/// linkchart itself writes (`ESC [ digits ; … m`) are kept.
pub fn for_terminal(text: &str, keep_colour: bool) -> Cow<'_, str> {
    if !text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2)
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' && keep_colour {
            let colour = rest[1..].strip_prefix('[').and_then(|after| {
                let digits = after
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b';')
                    .count();
                (after.as_bytes().get(digits) == Some(&b'm')).then_some(2 + digits + 1)
            });
            if let Some(len) = colour {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        let keep = match c {
            '\r' => rest[1..].starts_with('\n'),
            c => !acts_on_terminal(c),
        };
        out.push(if keep { c } else { visible(c) });
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// A writer that passes text on as [`for_terminal`] shows it (colours not
/// kept), for documents streamed to stdout in pieces. A piece may end inside
/// a character, or on a carriage return whose line feed is still to come:
/// those bytes wait for the next piece (or [`std::io::Write::flush`]).
pub struct TerminalSafe<W: std::io::Write> {
    out: W,
    carry: Vec<u8>,
}

impl<W: std::io::Write> TerminalSafe<W> {
    pub fn new(out: W) -> Self {
        TerminalSafe {
            out,
            carry: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(buf);
        let whole = match std::str::from_utf8(&bytes) {
            Ok(text) => text.len(),
            // Cut inside a character: the rest comes with the next piece.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => {
                let text = String::from_utf8_lossy(&bytes);
                return self.out.write_all(for_terminal(&text, false).as_bytes());
            }
        };
        let mut end = whole;
        if bytes[..end].ends_with(b"\r") {
            end -= 1;
        }
        let text = std::str::from_utf8(&bytes[..end]).unwrap_or_default();
        self.out.write_all(for_terminal(text, false).as_bytes())?;
        self.carry = bytes[end..].to_vec();
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.carry.is_empty() {
            let rest = std::mem::take(&mut self.carry);
            let text = String::from_utf8_lossy(&rest);
            self.out.write_all(for_terminal(&text, false).as_bytes())?;
        }
        self.out.flush()
    }
}

/// `text` with every character [`for_terminal`] would replace made visible,
/// and a map from byte offsets in `text` to offsets in the result, so that
/// spans pointing into a file still point at the same characters.
pub struct Shown<'a> {
    pub text: Cow<'a, str>,
    /// (offset in the original just after a replaced character, how many
    /// bytes longer the result is from there on), in order.
    shifts: Vec<(usize, usize)>,
}

impl<'a> Shown<'a> {
    pub fn new(text: &'a str) -> Shown<'a> {
        let mut shifts = Vec::new();
        let shown = match for_terminal(text, false) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(_) => {
                let mut out = String::with_capacity(text.len() + 16);
                let mut grown = 0;
                for (i, c) in text.char_indices() {
                    let replace = match c {
                        '\r' => !text[i + 1..].starts_with('\n'),
                        c => acts_on_terminal(c),
                    };
                    if replace {
                        let v = visible(c);
                        out.push(v);
                        grown += v.len_utf8() - c.len_utf8();
                        shifts.push((i + c.len_utf8(), grown));
                    } else {
                        out.push(c);
                    }
                }
                Cow::Owned(out)
            }
        };
        Shown {
            text: shown,
            shifts,
        }
    }

    /// Where byte `offset` of the original text is in the shown text.
    pub fn offset(&self, offset: usize) -> usize {
        let n = self.shifts.partition_point(|&(at, _)| at <= offset);
        offset + n.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_suspect_exactly_when_a_byte_may_start_a_forbidden_character() {
        let suspect = |b: u8| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xef;
        // Every byte value at every place of texts of every length up to
        // three words, among bytes that are never suspect.
        for len in 1..=24 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert_eq!(
                        may_hold_forbidden(&bytes),
                        suspect(b),
                        "byte {b:#04x} at {at} of {len}"
                    );
                }
            }
        }
        // And texts of random bytes, some of them suspect.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let bytes = state.to_le_bytes();
            let len = (state >> 59) as usize % 9;
            let text: Vec<u8> = bytes.iter().chain(&bytes).take(len + 4).copied().collect();
            assert_eq!(
                may_hold_forbidden(&text),
                text.iter().any(|&b| suspect(b)),
                "{text:x?}"
            );
        }
        assert!(!may_hold_forbidden(b""));
        // Bytes just past each bound, where a borrow from one byte into the
        // next would give a wrong answer.
        assert!(!may_hold_forbidden(&[
            0x20, 0x80, 0xff, 0x7e, 0xc3, 0xee, 0xf0, 0x21
        ]));
    }

    #[test]
    fn free_text_allows_tabs_and_line_breaks_only() {
        assert_eq!(first_forbidden("a\tb\nc\r\nd", true), None);
        assert_eq!(first_forbidden("a\tb", false), Some((1, '\t')));
        assert_eq!(first_forbidden("ab\rc", true), Some((2, '\r')));
        assert_eq!(
            first_forbidden("x\u{1b}]0;t\u{7}", true),
            Some((1, '\u{1b}'))
        );
        assert_eq!(first_forbidden("é\u{9b}", true), Some((2, '\u{9b}')));
        assert_eq!(first_forbidden("\u{ffff}", true), Some((0, '\u{ffff}')));
        // Bidi overrides, joiners and emoji are text.
        assert_eq!(first_forbidden("\u{202e}abc 👨\u{200d}👩 ️", true), None);
    }

    #[test]
    fn terminal_text_shows_controls_and_keeps_our_colours() {
        assert_eq!(
            for_terminal("a\u{1b}]0;pwned\u{7}b\u{8}", false),
            "a␛]0;pwned␇b␈"
        );
        assert_eq!(
            for_terminal("\u{1b}[1;36mhi\u{1b}[0m", true),
            "\u{1b}[1;36mhi\u{1b}[0m"
        );
        assert_eq!(for_terminal("\u{1b}[1;36mhi", false), "␛[1;36mhi");
        assert_eq!(for_terminal("\u{1b}]8;;x\u{1b}\\", true), "␛]8;;x␛\\");
        assert_eq!(for_terminal("a\r\nb\rc", false), "a\r\nb␍c");
        assert!(matches!(
            for_terminal("plain é 🕵️", false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn shown_text_maps_offsets() {
        let text = "ab\u{1b}cd\u{9b}e";
        let shown = Shown::new(text);
        assert_eq!(shown.text, "ab␛cd\u{fffd}e");
        for (i, c) in text.char_indices() {
            let j = shown.offset(i);
            if c.is_ascii_alphabetic() {
                assert_eq!(shown.text[j..].chars().next(), Some(c), "offset {i}");
            }
        }
        assert_eq!(shown.offset(text.len()), shown.text.len());
    }

    #[test]
    fn a_stream_in_pieces_is_shown_as_the_whole_text_would_be() {
        use std::io::Write;
        let text = "a\u{1b}[31mb·c\r\nd\re\u{9b}f ✓\r";
        for size in 1..=text.len() {
            let mut out = Vec::new();
            let mut safe = TerminalSafe::new(&mut out);
            for piece in text.as_bytes().chunks(size) {
                safe.write_all(piece).unwrap();
            }
            safe.flush().unwrap();
            drop(safe);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                for_terminal(text, false),
                "{size}"
            );
        }
    }
}
