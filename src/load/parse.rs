//! The RON input format: every file of a graph directory parsed into
//! located raw records ([`RawGraph`]), with the diagnostics of any syntax or
//! field error, and [`RonSpans`] to point later diagnostics at the exact
//! field.
//!
//! A file's whole list is read in one pass; only when that fails is the file
//! split into items by [`super::scan`] and each item parsed on its own, so an
//! unknown field in one item does not hide a dangling reference in the next.
//! Files are parsed on all cores; results keep file order.

use std::ops::Range;
use std::sync::OnceLock;

use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use super::raw::{Locate, Located, RawGraph};
use super::read::Role;
use super::scan::{self, Item};
use crate::diag::{Diagnostic, SourceFiles};
use crate::model::{Schema, Source};
use crate::suggest::did_you_mean;

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Item and field spans, scanned per file on first use: a graph without
/// problems is never scanned at all.
pub struct RonSpans<'a> {
    files: &'a SourceFiles,
    items: Vec<OnceLock<Vec<Item>>>,
}

impl RonSpans<'_> {
    fn item(&self, file: usize, index: usize) -> Option<&Item> {
        self.items[file]
            .get_or_init(|| scan::list_items(self.files.text(file)).unwrap_or_default())
            .get(index)
    }
}

impl Locate for RonSpans<'_> {
    fn record(&self, file: usize, index: usize) -> Range<usize> {
        self.item(file, index).map_or(0..0, |i| i.span.clone())
    }

    fn field(&self, file: usize, index: usize, field: &str) -> Range<usize> {
        self.item(file, index).map_or(0..0, |i| i.value_span(field))
    }

    fn literal(&self, file: usize, within: &Range<usize>, needle: &str) -> Option<Range<usize>> {
        scan::find_literal(self.files.text(file), within, needle)
    }

    fn whole(&self, file: usize) -> Range<usize> {
        0..self.files.text(file).len()
    }
}

/// Parses every file by its role.
pub fn parse<'a>(
    files: &'a SourceFiles,
    roles: &[Role],
) -> (RawGraph, Vec<Diagnostic>, RonSpans<'a>) {
    let spans = RonSpans {
        files,
        items: (0..roles.len()).map(|_| OnceLock::new()).collect(),
    };
    let mut diagnostics = Vec::new();
    let mut raw = RawGraph {
        has_schema_file: roles.contains(&Role::Schema),
        ..RawGraph::default()
    };
    for file in files_of(roles, Role::Schema) {
        match ron_options().from_str::<Schema>(files.text(file)) {
            Ok(value) => {
                raw.schema = Some(Located {
                    value,
                    file,
                    index: 0,
                })
            }
            Err(err) => diagnostics.push(ron_error(files, file, 0, &err, "the schema")),
        }
    }
    raw.sources = parse_role::<Source>(
        files,
        roles,
        Role::Sources,
        "Source",
        &spans,
        &mut diagnostics,
    );
    raw.entities = parse_role(
        files,
        roles,
        Role::Entities,
        "Entity",
        &spans,
        &mut diagnostics,
    );
    raw.relations = parse_role(
        files,
        roles,
        Role::Relations,
        "Relation",
        &spans,
        &mut diagnostics,
    );
    (raw, diagnostics, spans)
}

fn files_of(roles: &[Role], role: Role) -> Vec<usize> {
    roles
        .iter()
        .enumerate()
        .filter(|(_, r)| **r == role)
        .map(|(i, _)| i)
        .collect()
}

/// Parses the files of one role, keeping their diagnostics and spans.
fn parse_role<T: DeserializeOwned + Send>(
    files: &SourceFiles,
    roles: &[Role],
    role: Role,
    what: &str,
    spans: &RonSpans,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Located<T>> {
    let which = files_of(roles, role);
    let mut out = Vec::new();
    for (&file, (values, found, items)) in which.iter().zip(parse_files::<T>(files, &which, what)) {
        out.extend(values);
        diagnostics.extend(found);
        if let Some(items) = items {
            let _ = spans.items[file].set(items);
        }
    }
    out
}

/// What parsing one file gave: its values, its diagnostics, and its item
/// spans when the slow path had to scan them anyway.
type Parsed<T> = (Vec<Located<T>>, Vec<Diagnostic>, Option<Vec<Item>>);

/// Parses many files on all cores; results come back in file order.
fn parse_files<T: DeserializeOwned + Send>(
    files: &SourceFiles,
    which: &[usize],
    what: &str,
) -> Vec<Parsed<T>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(which.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Parsed<T>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&file) = which.get(n) else { break };
                        mine.push((n, parse_file::<T>(files, file, what)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(n, _)| *n);
    results.into_iter().map(|(_, parsed)| parsed).collect()
}

/// Parses one file holding a list of `what`: the whole list in one pass, or
/// item by item when that fails, so that every bad item is reported.
fn parse_file<T: DeserializeOwned>(files: &SourceFiles, file: usize, what: &str) -> Parsed<T> {
    let text = files.text(file);
    let options = ron_options();
    if let Ok(values) = options.from_str::<Vec<T>>(text) {
        let located = values
            .into_iter()
            .enumerate()
            .map(|(index, value)| Located { value, file, index })
            .collect();
        return (located, Vec::new(), None);
    }
    let items = match scan::list_items(text) {
        Ok(items) => items,
        Err(e) => {
            let d = Diagnostic::error(
                file,
                e.offset..e.offset + 1,
                "invalid RON: the file's structure is broken",
            )
            .label(format!("expected {}", e.message))
            .help(format!(
                "a file here holds one list: [ ({what} …), ({what} …), ]"
            ));
            return (Vec::new(), vec![d], Some(Vec::new()));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    let mut diagnostics = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match options.from_str::<T>(&text[item.span.clone()]) {
            Ok(value) => out.push(Located { value, file, index }),
            Err(err) => diagnostics.push(ron_error(files, file, item.span.start, &err, what)),
        }
    }
    (out, diagnostics, Some(items))
}

/// Turns a ron error inside `text[base..]` into a diagnostic.
fn ron_error(
    files: &SourceFiles,
    file: usize,
    base: usize,
    err: &ron::error::SpannedError,
    what: &str,
) -> Diagnostic {
    let start = files.offset_of(file, base, err.span.start.line, err.span.start.col);
    let end = files
        .offset_of(file, base, err.span.end.line, err.span.end.col)
        .max(start);
    use ron::Error as E;
    let (message, label, help) = match &err.code {
        E::NoSuchStructField {
            expected, found, ..
        } => (
            format!("unknown field `{found}` in {what}"),
            "unknown field".to_string(),
            did_you_mean(found, expected.iter().copied())
                .or_else(|| Some(format!("the fields are: {}", expected.join(", ")))),
        ),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => (
            format!("unknown value `{found}`"),
            format!("expected one of {}", expected.join(", ")),
            did_you_mean(found, expected.iter().copied()),
        ),
        E::MissingStructField { field, .. } => (
            format!("{what} is missing the field `{field}`"),
            format!("`{field}: …` is required here"),
            None,
        ),
        E::DuplicateStructField { field, .. } => (
            format!("the field `{field}` is given twice"),
            "second occurrence".to_string(),
            None,
        ),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let lowered = match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            };
            (format!("invalid RON: {lowered}"), "here".to_string(), None)
        }
    };
    // Point at the offending token rather than a zero-width gap when we can.
    let span = if end > start {
        start..end
    } else {
        start..start + 1
    };
    Diagnostic::error(file, span, message)
        .label(label)
        .help_opt(help)
}
