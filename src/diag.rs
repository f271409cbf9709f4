//! Diagnostics about graph files: what went wrong, where, and what would fix
//! it, printed like a compiler's (via codespan-reporting) with the file,
//! `line:column`, an excerpt with a caret and a `help:` line.

use std::ops::Range;

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
#[derive(Debug, Default, Clone)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
struct SourceFile {
    name: String,
    text: String,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl SourceFiles {
    pub fn add(&mut self, name: String, text: String) -> usize {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(SourceFile {
            name,
            text,
            line_starts,
        });
        self.files.len() - 1
    }

    pub fn name(&self, file: usize) -> &str {
        &self.files[file].name
    }

    pub fn text(&self, file: usize) -> &str {
        &self.files[file].text
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: usize, offset: usize) -> (usize, usize) {
        let f = &self.files[file];
        let offset = floor_char_boundary(&f.text, offset.min(f.text.len()));
        let line = f.line_starts.partition_point(|&s| s <= offset);
        let line_start = f.line_starts[line - 1];
        (line, f.text[line_start..offset].chars().count() + 1)
    }

    /// Byte offset of a 1-based line and 1-based character column, counted
    /// from byte `base` of the file (ron reports positions in a substring).
    pub fn offset_of(&self, file: usize, base: usize, line: usize, col: usize) -> usize {
        let f = &self.files[file];
        let (base_line, _) = self.line_col(file, base);
        let target = base_line + line.saturating_sub(1);
        let start = if line <= 1 {
            base
        } else if target <= f.line_starts.len() {
            f.line_starts[target - 1]
        } else {
            return f.text.len();
        };
        let rest = &f.text[start..];
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
        let shown: Vec<Shown> = self.files.iter().map(|f| Shown::new(&f.text)).collect();
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
