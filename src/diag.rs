//! Diagnostics about graph files: what went wrong, where, and what would fix
//! it, printed like a compiler's (via codespan-reporting) with the file,
//! `line:column`, an excerpt with a caret and a `help:` line.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use codespan_reporting::diagnostic::{Diagnostic as CodespanDiagnostic, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};

use crate::text::{Shown, for_terminal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Index into [`SourceFiles`].
    pub file: usize,
    /// Byte range in that file; empty at the end of a file is allowed.
    pub span: Range<usize>,
    pub message: String,
    /// Short text under the caret: what was expected here.
    pub label: String,
    pub help: Option<String>,
    /// Another place worth showing (the first definition of a duplicate).
    pub related: Option<(usize, Range<usize>, String)>,
}

impl Diagnostic {
    pub fn error(file: usize, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file,
            span,
            message: message.into(),
            label: String::new(),
            help: None,
            related: None,
        }
    }

    pub fn warning(file: usize, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(file, span, message)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn related(mut self, file: usize, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related = Some((file, span, label.into()));
        self
    }
}

/// The text of every file that was read, for excerpts and line numbers.
///
/// A file of records read from disk is handed to the parser and let go
/// once it has parsed cleanly ([`SourceFiles::add_read`]): at ten million
/// relations the text is two gigabytes held beside the records, and only a
/// diagnostic needs it again. It is then read again on first use, and used
/// only if it is still exactly the text that was parsed (its length and
/// xxh3 hash); otherwise it reads as empty and [`SourceFiles::changed`]
/// names the file, so that a load can refuse to point into a file that was
/// edited under it.
#[derive(Debug, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
struct SourceFile {
    name: String,
    /// Where the text can be read again once it is let go.
    path: Option<PathBuf>,
    text: OnceLock<String>,
    /// Read, not yet parsed (see [`SourceFiles::take_unparsed`]).
    unparsed: Mutex<Option<String>>,
    /// The length and hash of a text that was let go.
    let_go: OnceLock<(usize, u64)>,
    /// Set when the text read again was not the text that was parsed.
    changed: OnceLock<()>,
    /// Byte offset at which each line starts, counted on first use.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn new(name: String, path: Option<PathBuf>) -> Self {
        SourceFile {
            name,
            path,
            text: OnceLock::new(),
            unparsed: Mutex::new(None),
            let_go: OnceLock::new(),
            changed: OnceLock::new(),
            line_starts: OnceLock::new(),
        }
    }

    fn text(&self) -> &str {
        self.text.get_or_init(|| {
            let unparsed = self
                .unparsed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            unparsed.or_else(|| self.read_again()).unwrap_or_else(|| {
                let _ = self.changed.set(());
                String::new()
            })
        })
    }

    /// The text that was let go, if the file still holds exactly it (read
    /// as the loader reads: a leading byte-order mark left out, bytes that
    /// are not UTF-8 replaced).
    fn read_again(&self) -> Option<String> {
        let (len, hash) = *self.let_go.get()?;
        let bytes = std::fs::read(self.path.as_ref()?).ok()?;
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
        let text = String::from_utf8_lossy(bytes).into_owned();
        (text.len() == len && xxhash_rust::xxh3::xxh3_64(text.as_bytes()) == hash).then_some(text)
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text().match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }
}

impl SourceFiles {
    /// A file whose text is held for as long as the files are.
    pub fn add(&mut self, name: String, text: String) -> usize {
        let file = SourceFile::new(name, None);
        let _ = file.text.set(text);
        self.files.push(file);
        self.files.len() - 1
    }

    /// A file read from `path`, its text waiting for the parser, which
    /// takes it ([`SourceFiles::take_unparsed`]) and then either lets it go
    /// ([`SourceFiles::let_go`]) or gives it back ([`SourceFiles::hold`]).
    pub fn add_read(&mut self, name: String, path: PathBuf, text: String) -> usize {
        let mut file = SourceFile::new(name, Some(path));
        *file
            .unparsed
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(text);
        self.files.push(file);
        self.files.len() - 1
    }

    /// The text of a file added by [`SourceFiles::add_read`], if nothing
    /// has taken or asked for it yet.
    pub fn take_unparsed(&self, file: usize) -> Option<String> {
        self.files[file]
            .unparsed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    /// Keeps a text taken by [`SourceFiles::take_unparsed`].
    pub fn hold(&self, file: usize, text: String) {
        let _ = self.files[file].text.set(text);
    }

    /// Notes what a text taken by [`SourceFiles::take_unparsed`] was, for
    /// the caller to drop it: it is read again if it is ever needed.
    pub fn let_go(&self, file: usize, text: &str) {
        let f = &self.files[file];
        let _ = f
            .let_go
            .set((text.len(), xxhash_rust::xxh3::xxh3_64(text.as_bytes())));
    }

    /// The first file whose text, read again, was no longer the text that
    /// was parsed (or could not be read again).
    pub fn changed(&self) -> Option<usize> {
        self.files.iter().position(|f| f.changed.get().is_some())
    }

    pub fn name(&self, file: usize) -> &str {
        &self.files[file].name
    }

    pub fn text(&self, file: usize) -> &str {
        self.files[file].text()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: usize, offset: usize) -> (usize, usize) {
        let f = &self.files[file];
        let (text, line_starts) = (f.text(), f.line_starts());
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = line_starts.partition_point(|&s| s <= offset);
        let line_start = line_starts[line - 1];
        (line, text[line_start..offset].chars().count() + 1)
    }

    /// Byte offset of a 1-based line and 1-based character column, counted
    /// from byte `base` of the file (ron reports positions in a substring).
    pub fn offset_of(&self, file: usize, base: usize, line: usize, col: usize) -> usize {
        let f = &self.files[file];
        let (text, line_starts) = (f.text(), f.line_starts());
        let (base_line, _) = self.line_col(file, base);
        let target = base_line + line.saturating_sub(1);
        let start = if line <= 1 {
            base
        } else if target <= line_starts.len() {
            line_starts[target - 1]
        } else {
            return text.len();
        };
        let rest = &text[start..];
        let within: usize = rest
            .chars()
            .take(col.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        start + within
    }

    /// Renders diagnostics, errors first in file order, like rustc.
    pub fn render(&self, diagnostics: &[Diagnostic], color: bool) -> String {
        // Excerpts and messages may quote what a file holds; control
        // characters in them are shown, never sent to the terminal.
        // Only the files diagnostics point into are shown (a file's text
        // that was let go is read again only then).
        let mut pointed = vec![false; self.files.len()];
        for d in diagnostics {
            let related = d.related.as_ref().map(|(file, ..)| *file);
            for file in std::iter::once(d.file).chain(related) {
                if let Some(p) = pointed.get_mut(file) {
                    *p = true;
                }
            }
        }
        let shown: Vec<Shown> = self
            .files
            .iter()
            .zip(&pointed)
            .map(|(f, &pointed)| Shown::new(if pointed { f.text() } else { "" }))
            .collect();
        let mut db = SimpleFiles::new();
        for (f, s) in self.files.iter().zip(&shown) {
            db.add(for_terminal(&f.name, false), s.text.as_ref());
        }
        let at = |file: usize, span: Range<usize>| {
            shown[file].offset(span.start)..shown[file].offset(span.end)
        };
        let safe = |text: &str| for_terminal(text, false).into_owned();
        let config = Config::default();
        let mut buffer = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        for d in diagnostics {
            let text = self.text(d.file);
            let span = at(d.file, clamp(text, &d.span));
            let mut labels = vec![Label::primary(d.file, span).with_message(safe(&d.label))];
            if let Some((file, span, label)) = &d.related {
                let span = at(*file, clamp(self.text(*file), span));
                labels.push(Label::secondary(*file, span).with_message(safe(label)));
            }
            let level = match d.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
            };
            let mut report = CodespanDiagnostic::new(level)
                .with_message(safe(&d.message))
                .with_labels(labels);
            if let Some(help) = &d.help {
                report = report.with_notes(vec![format!("help: {}", safe(help))]);
            }
            // Rendering only fails for spans outside a file, which clamp rules out.
            let _ = term::emit_to_write_style(&mut buffer, &config, &db, &report);
        }
        String::from_utf8_lossy(buffer.as_slice()).into_owned()
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn clamp(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    start..end
}

/// A graph that did not load: the files read (for excerpts) and every error
/// and warning found in them.
#[derive(Debug)]
pub struct Report {
    pub files: SourceFiles,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Every diagnostic, rendered like rustc.
    pub fn render(&self, color: bool) -> String {
        self.files.render(&self.diagnostics, color)
    }
}

#[cfg(test)]
mod tests {
    use super::SourceFiles;

    #[test]
    fn a_text_let_go_is_read_again_only_while_the_file_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        let text = "[\n  (x: \"é\"),\n]\n";
        // On disk with a byte-order mark, which reading leaves out.
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
        let mut files = SourceFiles::default();
        let a = files.add_read("a.ron".into(), path.clone(), text.to_string());
        let b = files.add_read("b.ron".into(), path.clone(), text.to_string());
        let taken = files.take_unparsed(a).unwrap();
        assert_eq!(files.take_unparsed(a), None);
        files.let_go(a, &taken);
        drop(taken);
        assert_eq!(files.text(a), text);
        assert_eq!(files.line_col(a, text.find('(').unwrap()), (2, 3));
        assert_eq!(files.changed(), None);

        // Edited after it was parsed: not used, and named.
        let taken = files.take_unparsed(b).unwrap();
        files.let_go(b, &taken);
        std::fs::write(&path, text.replace('x', "y")).unwrap();
        assert_eq!(files.text(b), "");
        assert_eq!(files.line_col(b, 5), (1, 1));
        assert_eq!(files.changed(), Some(b));

        // A text nobody took is held; one given back is kept as it was.
        let mut held = SourceFiles::default();
        let gone = dir.path().join("gone.ron");
        let c = held.add_read("c.ron".into(), gone.clone(), text.to_string());
        let d = held.add_read("d.ron".into(), gone, text.to_string());
        assert_eq!(held.text(c), text);
        let taken = held.take_unparsed(d).unwrap();
        held.hold(d, taken);
        assert_eq!(held.text(d), text);
        assert_eq!(held.changed(), None);
    }
}
