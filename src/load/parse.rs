//! The RON input format: every file of a graph directory parsed into
//! located raw records ([`RawGraph`]), with the diagnostics of any syntax or
//! field error, and [`RonSpans`] to point later diagnostics at the exact
//! field.
//!
//! A file's whole list is read in one pass, by the [`super::quick`] reader
//! when the file has the plain shape it takes, else by `ron`; only when
//! that fails is the file split into items by [`super::scan`] and each item
//! parsed on its own, so an unknown field in one item does not hide a
//! dangling reference in the next. Files are parsed on all cores; results
//! keep file order.

use std::ops::Range;
use std::sync::OnceLock;

use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use super::quick;
use super::raw::{Locate, Located, RawEntity, RawGraph, RawRelation};
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

    fn character(&self, file: usize, within: &Range<usize>, c: char) -> Option<Range<usize>> {
        scan::find_char(self.files.text(file), within, c)
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
    parse_role(
        files,
        roles,
        Role::Sources,
        "Source",
        &spans,
        &mut diagnostics,
        |list| append(&mut raw.sources, list),
    );
    parse_role(
        files,
        roles,
        Role::Entities,
        "Entity",
        &spans,
        &mut diagnostics,
        |list| append(&mut raw.entities, list),
    );
    // Kept in their files' lists (see `RawGraph::relations`).
    parse_role(
        files,
        roles,
        Role::Relations,
        "Relation",
        &spans,
        &mut diagnostics,
        |list| raw.relations.push(list),
    );
    (raw, diagnostics, spans)
}

/// Appends a file's list to the lists before it, letting it go at once:
/// holding every file's list until all were parsed and then copying them
/// into one held the records twice.
fn append<T>(all: &mut Vec<T>, list: Vec<T>) {
    if all.is_empty() {
        *all = list;
    } else {
        all.extend(list);
    }
}

fn files_of(roles: &[Role], role: Role) -> Vec<usize> {
    roles
        .iter()
        .enumerate()
        .filter(|(_, r)| **r == role)
        .map(|(i, _)| i)
        .collect()
}

/// Parses the files of one role, handing each file's list to `keep` in
/// file order as soon as it is parsed, and keeping the diagnostics and
/// spans.
fn parse_role<T: RonRecord + Send>(
    files: &SourceFiles,
    roles: &[Role],
    role: Role,
    what: &str,
    spans: &RonSpans,
    diagnostics: &mut Vec<Diagnostic>,
    mut keep: impl FnMut(Vec<Located<T>>),
) {
    let which = files_of(roles, role);
    parse_files::<T>(files, &which, what, |n, (values, found, items)| {
        keep(values);
        diagnostics.extend(found);
        if let Some(items) = items {
            let _ = spans.items[which[n]].set(items);
        }
    });
}

/// What parsing one file gave: its values, its diagnostics, and its item
/// spans when the slow path had to scan them anyway.
type Parsed<T> = (Vec<Located<T>>, Vec<Diagnostic>, Option<Vec<Item>>);

/// Parses many files on all cores, handing each file's result to `take`
/// (with its position in `which`) in file order as soon as it and every
/// file before it are parsed.
fn parse_files<T: RonRecord + Send>(
    files: &SourceFiles,
    which: &[usize],
    what: &str,
    take: impl FnMut(usize, Parsed<T>),
) {
    // A worker that panicked is a bug: its panic is passed on rather than
    // the graph loaded without that worker's files.
    super::runs::streamed(which, |&file| parse_file::<T>(files, file, what), take);
}

/// Parses one file holding a list of `what`: the whole list in one pass, or
/// item by item when that fails, so that every bad item is reported.
///
/// A text read from disk is taken from `files` and, when the whole list
/// parses, let go (see [`SourceFiles`]); otherwise it is given back for
/// the diagnostics.
fn parse_file<T: RonRecord>(files: &SourceFiles, file: usize, what: &str) -> Parsed<T> {
    let whole = |text: &str| {
        let list = LocatedList {
            file,
            values: std::marker::PhantomData,
        };
        T::quick(text, file).or_else(|| ron_options().from_str_seed(text, list).ok())
    };
    match files.take_unparsed(file) {
        Some(text) => match whole(&text) {
            Some(located) => {
                files.let_go(file, &text);
                return (located, Vec::new(), None);
            }
            None => files.hold(file, text),
        },
        None => {
            if let Some(located) = whole(files.text(file)) {
                return (located, Vec::new(), None);
            }
        }
    }
    let text = files.text(file);
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
        let (value, found) = parse_item::<T>(text, file, item, what);
        if let Some(value) = value {
            out.push(Located { value, file, index });
        }
        diagnostics.extend(found);
    }
    (out, diagnostics, Some(items))
}

/// A list of `T` read straight into located records: reading a `Vec<T>`
/// and then wrapping each value copied every record of a file once more.
struct LocatedList<T> {
    file: usize,
    values: std::marker::PhantomData<T>,
}

impl<'de, T: serde::Deserialize<'de>> serde::de::DeserializeSeed<'de> for LocatedList<T> {
    type Value = Vec<Located<T>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for LocatedList<T> {
    type Value = Vec<Located<T>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(value) = seq.next_element()? {
            let index = out.len();
            out.push(Located {
                value,
                file: self.file,
                index,
            });
        }
        Ok(out)
    }
}

/// The fields of a record type as RON writes them: every name, and the
/// required ones with a stand-in value used while looking for further errors.
pub trait RonRecord: DeserializeOwned {
    const FIELDS: &'static [&'static str];
    const REQUIRED: &'static [(&'static str, &'static str)];

    /// A whole file's list read by the [`quick`] reader, if it has the
    /// plain shape that reader takes; else `ron` reads it.
    fn quick(_text: &str, _file: usize) -> Option<Vec<Located<Self>>> {
        None
    }
}

impl RonRecord for RawEntity {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "kind",
        "aliases",
        "description",
        "start",
        "end",
        "tags",
    ];
    const REQUIRED: &'static [(&'static str, &'static str)] = &[
        ("id", "\"\""),
        ("name", "\"\""),
        ("kind", "\"\""),
        ("description", "\"\""),
    ];

    fn quick(text: &str, file: usize) -> Option<Vec<Located<Self>>> {
        quick::entities(text, file)
    }
}

impl RonRecord for RawRelation {
    const FIELDS: &'static [&'static str] = &[
        "from",
        "to",
        "type",
        "status",
        "claimed_by",
        "denied_by",
        "doubted_by",
        "retracted_by",
        "date",
        "period",
        "source",
        "note",
    ];
    const REQUIRED: &'static [(&'static str, &'static str)] = &[
        ("from", "\"\""),
        ("to", "\"\""),
        ("type", "\"\""),
        ("status", "established"),
        ("source", "(id: \"\", section: \"\")"),
    ];

    fn quick(text: &str, file: usize) -> Option<Vec<Located<Self>>> {
        quick::relations(text, file)
    }
}

impl RonRecord for Source {
    const FIELDS: &'static [&'static str] = &["id", "title", "kind", "file", "url", "sections"];
    const REQUIRED: &'static [(&'static str, &'static str)] = &[
        ("id", "\"\""),
        ("title", "\"\""),
        ("kind", "\"\""),
        ("sections", "[]"),
    ];
}

/// Byte offset of a 1-based line and character column in `text`.
fn offset_in(text: &str, line: usize, col: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        match text.match_indices('\n').nth(line - 2) {
            Some((i, _)) => i + 1,
            None => return text.len(),
        }
    };
    start
        + text[start..]
            .chars()
            .take(col.saturating_sub(1))
            .map(char::len_utf8)
            .sum::<usize>()
}

/// Parses one item, finding every error in it: unknown and repeated fields
/// and every missing field from the scan, then, with those blanked out and
/// stand-ins for missing fields, each field whose value ron refuses (a
/// refused field is blanked in turn and the item parsed again). The value
/// is kept when no stand-in was needed, so later checks still see it.
fn parse_item<T: RonRecord>(
    text: &str,
    file: usize,
    item: &Item,
    what: &str,
) -> (Option<T>, Vec<Diagnostic>) {
    let base = item.span.start;
    let original = &text[item.span.clone()];
    let mut diagnostics = Vec::new();
    // Fields removed from the text, by index in `item.fields`.
    let mut blanked = vec![false; item.fields.len()];
    let mut suggested = Vec::new();
    for (n, f) in item.fields.iter().enumerate() {
        if !T::FIELDS.contains(&f.name.as_str()) {
            let help = did_you_mean(&f.name, T::FIELDS.iter().copied());
            if let Some(h) = &help {
                suggested.push(h.clone());
            }
            diagnostics.push(
                Diagnostic::error(
                    file,
                    f.name_span.clone(),
                    format!("unknown field `{}` in {what}", f.name),
                )
                .label("unknown field")
                .help_opt(
                    help.or_else(|| Some(format!("the fields are: {}", T::FIELDS.join(", ")))),
                ),
            );
            blanked[n] = true;
        } else if let Some(first) = item.fields[..n].iter().find(|o| o.name == f.name) {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    f.name_span.clone(),
                    format!("the field `{}` is given twice", f.name),
                )
                .label("second occurrence")
                .related(file, first.name_span.clone(), "first given here"),
            );
            blanked[n] = true;
        }
    }
    let missing: Vec<&str> = T::REQUIRED
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| item.field(name).is_none())
        .collect();
    // A misspelt field already says what it should be called.
    let unexplained: Vec<&str> = missing
        .iter()
        .copied()
        .filter(|name| !suggested.iter().any(|s| s.contains(&format!("\"{name}\""))))
        .collect();
    if !unexplained.is_empty() {
        let open = original.find('(').unwrap_or(0);
        let quoted: Vec<String> = unexplained.iter().map(|f| format!("`{f}`")).collect();
        let quoted: Vec<&str> = quoted.iter().map(String::as_str).collect();
        let list = crate::words::and_list(&quoted);
        let example: Vec<String> = unexplained
            .iter()
            .map(|name| {
                let value = T::REQUIRED
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("…", |(_, v)| v);
                // A shape to fill in, not a value to copy: no status is a default.
                let shape = match value {
                    "established" => "…".to_string(),
                    "[]" => "[(id: \"…\", title: \"…\")]".to_string(),
                    v => v.replace("\"\"", "\"…\""),
                };
                format!("{name}: {shape}")
            })
            .collect();
        diagnostics.push(
            Diagnostic::error(
                file,
                base + open..base + open + 1,
                if unexplained.len() == 1 {
                    format!("{what} is missing the field {list}")
                } else {
                    format!("{what} is missing the fields {list}")
                },
            )
            .label(format!("this {} needs {list}", what.to_lowercase()))
            .help(format!("add `{}`", example.join(", "))),
        );
    }
    let options = ron_options();
    // Whether ron refused a field's value (then the value is not kept).
    let mut refused = false;
    for _ in 0..=item.fields.len() {
        // The item with blanked fields turned into spaces (byte offsets and
        // line breaks kept) and stand-ins after the last field.
        let mut patched = original.as_bytes().to_vec();
        for (f, _) in item.fields.iter().zip(&blanked).filter(|(_, b)| **b) {
            // The field and the comma after it.
            let mut end = f.value.end - base;
            let after = original.as_bytes();
            while after.get(end).is_some_and(|b| b.is_ascii_whitespace()) {
                end += 1;
            }
            if after.get(end) == Some(&b',') {
                end += 1;
            } else {
                end = f.value.end - base;
            }
            for b in &mut patched[f.name_span.start - base..end] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        }
        let absent: Vec<&(&str, &str)> = T::REQUIRED
            .iter()
            .filter(|(name, _)| {
                !item
                    .fields
                    .iter()
                    .zip(&blanked)
                    .any(|(f, b)| !b && f.name == *name)
            })
            .collect();
        // Stand-ins go right after the opening bracket, so a repeated or
        // trailing comma can never follow them.
        let insert_at = original.find('(').map_or(0, |i| i + 1);
        let stand_ins: String = absent
            .iter()
            .map(|(name, value)| format!("{name}: {value}, "))
            .collect();
        let shift = stand_ins.len();
        patched.splice(insert_at..insert_at, stand_ins.bytes());
        let Ok(patched) = String::from_utf8(patched) else {
            break;
        };
        match options.from_str::<T>(&patched) {
            Ok(value) => {
                let kept = (absent.is_empty() && !refused).then_some(value);
                return (kept, diagnostics);
            }
            Err(err) => {
                let at = |line, col| {
                    let o = offset_in(&patched, line, col);
                    if o >= insert_at + shift {
                        Some(o - shift)
                    } else if o < insert_at {
                        Some(o)
                    } else {
                        None
                    }
                };
                let (Some(start), end) = (
                    at(err.span.start.line, err.span.start.col),
                    at(err.span.end.line, err.span.end.col),
                ) else {
                    // In the stand-ins: nothing more to learn here.
                    break;
                };
                let end = end.unwrap_or(start).max(start);
                let span = base + start..base + end;
                let culprit = item.fields.iter().position(|f| {
                    (f.name_span.start..f.value.end.max(f.name_span.end + 1)).contains(&span.start)
                });
                diagnostics.push(ron_diagnostic(file, span, &err, what));
                refused = true;
                match culprit {
                    Some(n) if !blanked[n] => blanked[n] = true,
                    _ => break,
                }
            }
        }
    }
    if diagnostics.is_empty() {
        // Never drop a record without saying so.
        if let Err(err) = options.from_str::<T>(original) {
            diagnostics.push(ron_diagnostic(file, base..base + 1, &err, what));
        } else {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    base..base + 1,
                    format!("this {what} could not be read"),
                )
                .label("here"),
            );
        }
    }
    (None, diagnostics)
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
    ron_diagnostic(file, start..end, err, what)
}

/// A diagnostic for a ron error at a byte span of a file.
fn ron_diagnostic(
    file: usize,
    span: Range<usize>,
    err: &ron::error::SpannedError,
    what: &str,
) -> Diagnostic {
    let (start, end) = (span.start, span.end);
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
