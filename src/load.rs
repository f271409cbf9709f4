//! Reads a graph directory (or the graph embedded at build time), parses
//! every file, resolves every reference and reports *all* problems at once.
//!
//! Each item of an entity or relation file is parsed on its own, positioned by
//! [`crate::scan`], so an unknown field in one item does not hide a dangling
//! reference in the next. Nothing is half-loaded: any error means no graph.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ron::extensions::Extensions;

use crate::diag::{Diagnostic, SourceFiles};
use crate::error::Error;
use crate::model::{Entity, Graph, RawEntity, RawRelation, Relation, Schema, Source, Status};
use crate::scan::{self, Item};
use crate::suggest::{self, did_you_mean};
use crate::when::{Date, Period, When};

/// What a file holds, from where it sits in the graph directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Schema,
    Sources,
    Entities,
    Relations,
}

/// One file of a graph, already read.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path shown in diagnostics.
    pub name: String,
    pub role: Role,
    pub text: String,
}

/// A graph that loaded, with the warnings it raised.
#[derive(Debug)]
pub struct Loaded {
    pub graph: Graph,
    pub files: SourceFiles,
    pub warnings: Vec<Diagnostic>,
}

/// A graph that did not load: every error and warning found.
#[derive(Debug)]
pub struct Failed {
    pub files: SourceFiles,
    pub diagnostics: Vec<Diagnostic>,
}

impl Failed {
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count()
    }
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_graph.rs"));
}

/// The shipped graph as it was when the binary was built.
pub fn embedded_inputs() -> Vec<Input> {
    embedded::FILES
        .iter()
        .filter_map(|(path, text)| {
            let role = role_of(Path::new(path))?;
            Some(Input {
                name: format!("<embedded>/graph/{path}"),
                role,
                text: text.to_string(),
            })
        })
        .collect()
}

fn role_of(relative: &Path) -> Option<Role> {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    let rest = parts.next();
    match (first.as_ref(), rest) {
        ("schema.ron", None) => Some(Role::Schema),
        ("sources.ron", None) => Some(Role::Sources),
        ("entities", Some(_)) => Some(Role::Entities),
        ("relations", Some(_)) => Some(Role::Relations),
        _ => None,
    }
}

/// Reads `schema.ron`, `sources.ron` and every `.ron` file under `entities/`
/// and `relations/`, in path order.
pub fn read_dir(dir: &Path) -> Result<Vec<Input>, Error> {
    let meta = std::fs::metadata(dir).map_err(|e| Error::GraphDir {
        path: dir.display().to_string(),
        message: if e.kind() == std::io::ErrorKind::NotFound {
            "no such directory".to_string()
        } else {
            e.to_string()
        },
    })?;
    if !meta.is_dir() {
        return Err(Error::GraphDir {
            path: dir.display().to_string(),
            message: "not a directory".to_string(),
        });
    }
    for required in ["schema.ron", "sources.ron"] {
        if !dir.join(required).is_file() {
            return Err(Error::GraphDir {
                path: dir.display().to_string(),
                message: format!(
                    "has no {required}; a graph directory holds schema.ron, sources.ron, entities/ and relations/"
                ),
            });
        }
    }
    let mut paths = vec![dir.join("schema.ron"), dir.join("sources.ron")];
    for sub in ["entities", "relations"] {
        let mut found = Vec::new();
        collect_ron(&dir.join(sub), &mut found)?;
        found.sort();
        paths.extend(found);
    }
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            let role = role_of(&relative).unwrap_or(Role::Entities);
            let bytes = std::fs::read(&path).map_err(|e| Error::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            let text = String::from_utf8(bytes).map_err(|e| Error::Io {
                path: path.display().to_string(),
                message: format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            })?;
            Ok(Input {
                name: path.display().to_string(),
                role,
                text,
            })
        })
        .collect()
}

fn collect_ron(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::Io {
                path: dir.display().to_string(),
                message: e.to_string(),
            });
        }
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let path = entry.path();
        if path.is_dir() {
            collect_ron(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
    Ok(())
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// A parsed value and where it came from: its file and its place in the
/// file's list. Byte spans are found only when a diagnostic needs them.
struct Located<T> {
    value: T,
    file: usize,
    index: usize,
}

/// Item and field spans, scanned per file on first use: a graph without
/// problems is never scanned at all.
struct Spans<'a> {
    files: &'a SourceFiles,
    items: Vec<OnceLock<Vec<Item>>>,
}

impl Spans<'_> {
    fn item(&self, file: usize, index: usize) -> Option<&Item> {
        self.items[file]
            .get_or_init(|| scan::list_items(self.files.text(file)).unwrap_or_default())
            .get(index)
    }

    /// The span of an item's field value (or of the item, or of nothing).
    fn value(&self, file: usize, index: usize, field: &str) -> Range<usize> {
        self.item(file, index).map_or(0..0, |i| i.value_span(field))
    }

    fn whole(&self, file: usize, index: usize) -> Range<usize> {
        self.item(file, index).map_or(0..0, |i| i.span.clone())
    }
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

/// What parsing one file gave: its values, its diagnostics, and its item
/// spans when the slow path had to scan them anyway.
type Parsed<T> = (Vec<Located<T>>, Vec<Diagnostic>, Option<Vec<Item>>);

/// Parses one file holding a list of `what`. The whole list is read in one
/// pass; only when that fails is the file split into items and each parsed
/// on its own, so that every bad item is reported, not just the first.
fn parse_file<T: serde::de::DeserializeOwned>(
    files: &SourceFiles,
    file: usize,
    what: &str,
) -> Parsed<T> {
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

/// Parses many files on all cores; results come back in file order.
fn parse_files<T: serde::de::DeserializeOwned + Send>(
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

struct Loader<'a> {
    files: &'a SourceFiles,
    spans: &'a Spans<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl Loader<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Parses the files of one role, keeping their diagnostics and spans.
    fn parse_role<T: serde::de::DeserializeOwned + Send>(
        &mut self,
        roles: &[Role],
        role: Role,
        what: &str,
    ) -> Vec<Located<T>> {
        let which: Vec<usize> = roles
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == role)
            .map(|(i, _)| i)
            .collect();
        let mut out = Vec::new();
        for (&file, (values, diagnostics, items)) in
            which.iter().zip(parse_files::<T>(self.files, &which, what))
        {
            out.extend(values);
            self.diagnostics.extend(diagnostics);
            if let Some(items) = items {
                let _ = self.spans.items[file].set(items);
            }
        }
        out
    }

    fn literal_span(&self, file: usize, within: &Range<usize>, needle: &str) -> Range<usize> {
        scan::find_literal(self.files.text(file), within, needle).unwrap_or(within.clone())
    }
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Loads a graph from its files, or reports everything wrong with them.
pub fn load(inputs: Vec<Input>) -> Result<Loaded, Failed> {
    let mut files = SourceFiles::default();
    let mut roles = Vec::new();
    for input in inputs {
        roles.push(input.role);
        files.add(input.name, input.text);
    }
    let spans = Spans {
        files: &files,
        items: (0..roles.len()).map(|_| OnceLock::new()).collect(),
    };
    let mut l = Loader {
        files: &files,
        spans: &spans,
        diagnostics: Vec::new(),
    };
    let options = ron_options();

    // The vocabulary.
    let mut schema: Option<Schema> = None;
    for (file, _) in roles
        .iter()
        .enumerate()
        .filter(|(_, r)| **r == Role::Schema)
    {
        match options.from_str::<Schema>(files.text(file)) {
            Ok(s) => {
                check_schema(&mut l, file, &s);
                schema = Some(s);
            }
            Err(err) => l.push(ron_error(&files, file, 0, &err, "the schema")),
        }
    }

    // The sources and their sections.
    let mut sources: Vec<Source> = Vec::new();
    {
        for located in l.parse_role::<Source>(&roles, Role::Sources, "Source") {
            let file = located.file;
            let s = located.value;
            if let Some(first) = sources.iter().find(|o| o.id == s.id) {
                let span =
                    l.literal_span(file, &spans.value(located.file, located.index, "id"), &s.id);
                l.push(
                    Diagnostic::error(file, span, format!("duplicate source id \"{}\"", first.id))
                        .label("defined again here"),
                );
                continue;
            }
            let mut seen: Vec<&str> = Vec::new();
            for section in &s.sections {
                if seen.contains(&section.id.as_str()) {
                    let within = spans.value(located.file, located.index, "sections");
                    let text = files.text(file);
                    // Point at the second occurrence of the section id.
                    let first = scan::find_literal(text, &within, &section.id);
                    let span = first
                        .and_then(|f| scan::find_literal(text, &(f.end..within.end), &section.id))
                        .unwrap_or(within);
                    l.push(
                        Diagnostic::error(
                            file,
                            span,
                            format!(
                                "duplicate section id \"{}\" in source \"{}\"",
                                section.id, s.id
                            ),
                        )
                        .label("defined again here"),
                    );
                }
                seen.push(&section.id);
            }
            sources.push(s);
        }
    }

    // Entities.
    let raw_entities: Vec<Located<RawEntity>> = l.parse_role(&roles, Role::Entities, "Entity");
    let mut entity_at: HashMap<&str, usize> = HashMap::with_capacity(raw_entities.len());
    let mut keep = vec![true; raw_entities.len()];
    for (i, e) in raw_entities.iter().enumerate() {
        let raw = &e.value;
        let files = &files;
        let id_span = || {
            scan::find_literal(
                files.text(e.file),
                &spans.value(e.file, e.index, "id"),
                &raw.id,
            )
            .unwrap_or(spans.value(e.file, e.index, "id"))
        };
        if !is_slug(&raw.id) {
            l.push(
                Diagnostic::error(
                    e.file,
                    id_span(),
                    format!("invalid entity id \"{}\"", raw.id),
                )
                .label("expected a slug: lower-case letters, digits and single dashes")
                .help(format!(
                    "try \"{}\"",
                    suggest::normalize(&raw.id).replace(' ', "-")
                )),
            );
        }
        if let Some(&first) = entity_at.get(raw.id.as_str()) {
            let f = &raw_entities[first];
            let first_span = l.literal_span(f.file, &spans.value(f.file, f.index, "id"), &raw.id);
            l.push(
                Diagnostic::error(
                    e.file,
                    id_span(),
                    format!("duplicate entity id \"{}\"", raw.id),
                )
                .label("defined again here")
                .related(f.file, first_span, "first defined here")
                .help("merge the two entries, or give one of them a different id"),
            );
            keep[i] = false;
            continue;
        }
        entity_at.insert(&raw.id, i);
        if raw.name.trim().is_empty() {
            l.push(
                Diagnostic::error(
                    e.file,
                    spans.value(e.file, e.index, "name"),
                    "empty entity name",
                )
                .label("expected the entity's name"),
            );
        }
        if let Some(schema) = &schema
            && !schema.kinds.contains_key(&raw.kind)
        {
            let span = l.literal_span(e.file, &spans.value(e.file, e.index, "kind"), &raw.kind);
            l.push(
                Diagnostic::error(
                    e.file,
                    span,
                    format!("unknown entity kind \"{}\"", raw.kind),
                )
                .label("expected a kind from schema.ron")
                .help_opt(
                    did_you_mean(&raw.kind, schema.kinds.keys().map(String::as_str)).or_else(
                        || {
                            Some(format!(
                                "the kinds are: {}",
                                schema.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
                            ))
                        },
                    ),
                ),
            );
        }
        let mut dates = [None, None];
        for (slot, field, value) in [(0, "start", &raw.start), (1, "end", &raw.end)] {
            if let Some(text) = value {
                match Date::parse(text) {
                    Ok(d) => dates[slot] = Some(d),
                    Err(err) => l.push(
                        Diagnostic::error(
                            e.file,
                            spans.value(e.file, e.index, field),
                            format!("invalid {field} date"),
                        )
                        .label(format!("expected {}", err.0)),
                    ),
                }
            }
        }
        if let [Some(start), Some(end)] = dates
            && end.last_day() < start.first_day()
        {
            l.push(
                Diagnostic::error(
                    e.file,
                    spans.value(e.file, e.index, "end"),
                    format!("entity \"{}\" ends before it starts", raw.id),
                )
                .label(format!("{end} is before the start, {start}")),
            );
        }
    }

    // Relations.
    let raw_relations: Vec<Located<RawRelation>> =
        l.parse_role(&roles, Role::Relations, "Relation");
    let entity_ids: Vec<&str> = {
        let mut ids: Vec<&str> = entity_at.keys().copied().collect();
        ids.sort_unstable();
        ids
    };
    let suggester = std::cell::RefCell::new(suggest::Suggester::new(entity_ids.iter().copied()));
    let unknown_entity = |l: &mut Loader, file: usize, span: Range<usize>, id: &str, role: &str| {
        l.push(
            Diagnostic::error(file, span, format!("unknown entity \"{id}\" in `{role}`"))
                .label("no entity has this id")
                .help_opt(suggester.borrow_mut().did_you_mean(id)),
        );
    };
    struct Resolved {
        relation: Relation,
        file: usize,
        /// Place in the file's list; its span is looked up only for a warning.
        index: usize,
        /// The type's place in alphabetical order, so sorting compares numbers.
        type_rank: u32,
    }
    let mut resolved: Vec<Resolved> = Vec::with_capacity(raw_relations.len());
    let mut involved = vec![false; raw_entities.len()];
    for r in raw_relations {
        let raw = &r.value;
        let file = r.file;
        let mut ok = true;
        let end_of = |l: &mut Loader, field: &str, id: &str| -> Option<usize> {
            match entity_at.get(id) {
                Some(&i) => Some(i),
                None => {
                    let span = l.literal_span(file, &spans.value(r.file, r.index, field), id);
                    unknown_entity(l, file, span, id, field);
                    None
                }
            }
        };
        let from = end_of(&mut l, "from", &raw.from);
        let to = end_of(&mut l, "to", &raw.to);
        let people = |l: &mut Loader, field: &str, ids: &[String]| -> Vec<usize> {
            ids.iter().filter_map(|id| end_of(l, field, id)).collect()
        };
        let claimed_by = people(&mut l, "claimed_by", &raw.claimed_by);
        let denied_by = people(&mut l, "denied_by", &raw.denied_by);
        let doubted_by = people(&mut l, "doubted_by", &raw.doubted_by);
        let retracted_by = people(&mut l, "retracted_by", &raw.retracted_by);
        ok &= claimed_by.len() == raw.claimed_by.len()
            && denied_by.len() == raw.denied_by.len()
            && doubted_by.len() == raw.doubted_by.len()
            && retracted_by.len() == raw.retracted_by.len();
        for id in &raw.retracted_by {
            if !raw.claimed_by.contains(id) {
                let span = l.literal_span(file, &spans.value(r.file, r.index, "retracted_by"), id);
                l.push(
                    Diagnostic::error(file, span, format!("\"{id}\" retracts a claim it does not make"))
                        .label("not in `claimed_by`")
                        .help("a party can only retract its own claim: add it to `claimed_by` too"),
                );
                ok = false;
            }
        }
        let contested = !(raw.denied_by.is_empty() && raw.doubted_by.is_empty() && raw.retracted_by.is_empty());
        if raw.status == Status::Disputed && !contested {
            l.push(
                Diagnostic::error(
                    file,
                    spans.value(r.file, r.index, "status"),
                    "disputed relation that nobody contests",
                )
                .label("a dispute needs a party that denies, doubts or retracts the claim")
                .help("name them in `denied_by`, `doubted_by` or `retracted_by`, or make the relation `alleged`"),
            );
            ok = false;
        } else if raw.status != Status::Disputed && contested {
            let field = if !raw.denied_by.is_empty() {
                "denied_by"
            } else if !raw.doubted_by.is_empty() {
                "doubted_by"
            } else {
                "retracted_by"
            };
            l.push(
                Diagnostic::error(
                    file,
                    spans.value(r.file, r.index, field),
                    format!("a contested claim must be `disputed`, not `{}`", raw.status.as_str()),
                )
                .label("this party contests the claim")
                .help("set `status: disputed`, or drop this field"),
            );
            ok = false;
        }

        if let (Some(f), Some(t)) = (from, to)
            && f == t
        {
            l.push(
                Diagnostic::error(
                    file,
                    spans.value(r.file, r.index, "to"),
                    format!("relation links \"{}\" to itself", raw.from),
                )
                .label("`to` is the same entity as `from`")
                .help("a relation needs two different entities"),
            );
            ok = false;
        }
        if let Some(schema) = &schema {
            match schema.relation_types.get(&raw.rel_type) {
                None => {
                    let span =
                        l.literal_span(file, &spans.value(r.file, r.index, "type"), &raw.rel_type);
                    let help = if raw.rel_type == "accused-by" || raw.rel_type == "alleged" {
                        Some("an accusation is not a type: use the accused act as `type`, `status: alleged` and the accusers in `claimed_by`".to_string())
                    } else {
                        did_you_mean(
                            &raw.rel_type,
                            schema.relation_types.keys().map(String::as_str),
                        )
                    };
                    l.push(
                        Diagnostic::error(
                            file,
                            span,
                            format!("unknown relation type \"{}\"", raw.rel_type),
                        )
                        .label("expected a relation type from schema.ron")
                        .help_opt(help),
                    );
                    ok = false;
                }
                Some(def) => {
                    for (end, allowed, index) in [("from", &def.from, from), ("to", &def.to, to)] {
                        if let Some(i) = index {
                            let kind = &raw_entities[i].value.kind;
                            if !allowed.is_empty() && !allowed.contains(kind) {
                                let id = &raw_entities[i].value.id;
                                let span =
                                    l.literal_span(file, &spans.value(r.file, r.index, end), id);
                                l.push(
                                    Diagnostic::error(file, span, format!("\"{}\" cannot have an entity of kind \"{kind}\" at its `{end}` end", raw.rel_type))
                                        .label(format!("\"{id}\" is of kind \"{kind}\""))
                                        .help(format!("schema.ron allows: {}", allowed.join(", "))),
                                );
                                ok = false;
                            }
                        }
                    }
                }
            }
        }
        if raw.status.is_claim() && raw.claimed_by.is_empty() {
            l.push(
                Diagnostic::error(
                    file,
                    spans.value(r.file, r.index, "status"),
                    format!("{} relation without a claimant", raw.status.as_str()),
                )
                .label("an accusation must say who makes it")
                .help("add `claimed_by: [\"entity-id\"]` naming who makes the claim"),
            );
            ok = false;
        }
        let when = match (&raw.date, &raw.period) {
            (Some(_), Some(_)) => {
                l.push(
                    Diagnostic::error(
                        file,
                        spans.value(r.file, r.index, "period"),
                        "a relation has either `date` or `period`, not both",
                    )
                    .label("second time given here")
                    .help("keep `period` for a span of time, `date` for a point"),
                );
                ok = false;
                None
            }
            (Some(text), None) => match Date::parse(text) {
                Ok(d) => Some(When::Date(d)),
                Err(err) => {
                    let hint = text
                        .contains("..")
                        .then(|| "a span of time goes in `period`, not `date`".to_string());
                    l.push(
                        Diagnostic::error(
                            file,
                            spans.value(r.file, r.index, "date"),
                            "invalid date",
                        )
                        .label(format!("expected {}", err.0))
                        .help_opt(hint),
                    );
                    ok = false;
                    None
                }
            },
            (None, Some(text)) => match Period::parse(text) {
                Ok(p) if p.is_inverted() => {
                    l.push(
                        Diagnostic::error(
                            file,
                            spans.value(r.file, r.index, "period"),
                            "period ends before it starts",
                        )
                        .label(format!(
                            "{} is before {}",
                            p.end.map(|d| d.to_string()).unwrap_or_default(),
                            p.start.map(|d| d.to_string()).unwrap_or_default()
                        ))
                        .help("write the earlier date first: \"START..END\""),
                    );
                    ok = false;
                    None
                }
                Ok(p) => Some(When::Period(p)),
                Err(err) => {
                    l.push(
                        Diagnostic::error(
                            file,
                            spans.value(r.file, r.index, "period"),
                            "invalid period",
                        )
                        .label(format!("expected {}", err.0)),
                    );
                    ok = false;
                    None
                }
            },
            (None, None) => None,
        };
        match sources.iter().find(|s| s.id == raw.source.id) {
            None => {
                let span = l.literal_span(
                    file,
                    &spans.value(r.file, r.index, "source"),
                    &raw.source.id,
                );
                l.push(
                    Diagnostic::error(file, span, format!("unknown source \"{}\"", raw.source.id))
                        .label("expected a source id from sources.ron")
                        .help_opt(did_you_mean(
                            &raw.source.id,
                            sources.iter().map(|s| s.id.as_str()),
                        )),
                );
                ok = false;
            }
            Some(source) if !source.sections.iter().any(|s| s.id == raw.source.section) => {
                let span = l.literal_span(
                    file,
                    &spans.value(r.file, r.index, "source"),
                    &raw.source.section,
                );
                l.push(
                    Diagnostic::error(
                        file,
                        span,
                        format!(
                            "unknown section \"{}\" of source \"{}\"",
                            raw.source.section, source.id
                        ),
                    )
                    .label("expected a section id listed for this source in sources.ron")
                    .help_opt(did_you_mean(
                        &raw.source.section,
                        source.sections.iter().map(|s| s.id.as_str()),
                    )),
                );
                ok = false;
            }
            Some(_) => {}
        }
        for &i in claimed_by.iter().chain(&denied_by).chain(&doubted_by) {
            involved[i] = true;
        }
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        involved[from] = true;
        involved[to] = true;
        if ok {
            let index = r.index;
            // Moved, not copied: at a million relations the strings add up.
            let RawRelation {
                rel_type,
                status,
                source,
                note,
                ..
            } = r.value;
            resolved.push(Resolved {
                relation: Relation {
                    id: String::new(),
                    from,
                    to,
                    rel_type,
                    status,
                    claimed_by,
                    denied_by,
                    doubted_by,
                    retracted_by,
                    when,
                    source,
                    note,
                },
                file,
                index,
                type_rank: 0,
            });
        }
    }

    // Warnings: entities nobody links to, aliases that are another's name.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, e) in raw_entities.iter().enumerate().filter(|(i, _)| keep[*i]) {
        by_name
            .entry(suggest::normalize(&e.value.name))
            .or_insert(i);
    }
    for (i, e) in raw_entities.iter().enumerate().filter(|(i, _)| keep[*i]) {
        if !involved[i] {
            let span = l.literal_span(e.file, &spans.value(e.file, e.index, "id"), &e.value.id);
            l.push(
                Diagnostic::warning(
                    e.file,
                    span,
                    format!("entity \"{}\" takes part in no relation", e.value.id),
                )
                .label("nothing links to or from this entity")
                .help("add the relation the source gives for it, or remove it"),
            );
        }
        for alias in &e.value.aliases {
            if let Some(&other) = by_name.get(&suggest::normalize(alias))
                && other != i
            {
                let o = &raw_entities[other];
                let span = l.literal_span(e.file, &spans.value(e.file, e.index, "aliases"), alias);
                let other_span =
                    l.literal_span(o.file, &spans.value(o.file, o.index, "name"), &o.value.name);
                l.push(
                    Diagnostic::warning(
                        e.file,
                        span,
                        format!(
                            "alias \"{alias}\" of \"{}\" is the name of \"{}\"",
                            e.value.id, o.value.id
                        ),
                    )
                    .label("this alias")
                    .related(o.file, other_span, "that entity's name")
                    .help(format!(
                        "looking up \"{alias}\" finds \"{}\"; drop the alias or merge the entities",
                        o.value.id
                    )),
                );
            }
        }
    }

    // Entities sorted by id; relation ends remapped to the sorted order.
    let mut order: Vec<usize> = (0..raw_entities.len()).filter(|&i| keep[i]).collect();
    order.sort_by(|&a, &b| raw_entities[a].value.id.cmp(&raw_entities[b].value.id));
    let mut new_index = vec![usize::MAX; raw_entities.len()];
    for (n, &old) in order.iter().enumerate() {
        new_index[old] = n;
    }
    let entities: Vec<Entity> = order
        .iter()
        .map(|&i| {
            let raw = &raw_entities[i].value;
            Entity {
                id: raw.id.clone(),
                name: raw.name.clone(),
                kind: raw.kind.clone(),
                aliases: raw.aliases.clone(),
                description: raw.description.clone(),
                start: raw.start.as_deref().and_then(|t| Date::parse(t).ok()),
                end: raw.end.as_deref().and_then(|t| Date::parse(t).ok()),
                tags: raw.tags.clone(),
            }
        })
        .collect();
    for r in &mut resolved {
        let rel = &mut r.relation;
        rel.from = new_index[rel.from];
        rel.to = new_index[rel.to];
        for i in rel
            .claimed_by
            .iter_mut()
            .chain(rel.denied_by.iter_mut())
            .chain(rel.doubted_by.iter_mut())
            .chain(rel.retracted_by.iter_mut())
        {
            *i = new_index[*i];
        }
    }
    // Entities are sorted by id, so comparing indices compares ids; types by
    // their alphabetical rank. At a million relations (many sharing a hub as
    // `from`) comparing numbers first, and strings only on ties, matters.
    let mut type_names: Vec<&str> = resolved
        .iter()
        .map(|r| r.relation.rel_type.as_str())
        .collect();
    type_names.sort_unstable();
    type_names.dedup();
    let ranks: HashMap<String, u32> = type_names
        .iter()
        .enumerate()
        .map(|(n, t)| (t.to_string(), n as u32))
        .collect();
    for r in &mut resolved {
        r.type_rank = ranks[&r.relation.rel_type];
    }
    fn key(r: &Resolved) -> (usize, u32, usize, Option<crate::when::DayRange>, Status) {
        (
            r.relation.from,
            r.type_rank,
            r.relation.to,
            r.relation.when.map(|w| w.days()),
            r.relation.status,
        )
    }
    resolved.sort_unstable_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then_with(|| a.relation.source.cmp(&b.relation.source))
            .then_with(|| a.relation.note.cmp(&b.relation.note))
            .then_with(|| a.relation.claimed_by.cmp(&b.relation.claimed_by))
            .then_with(|| (a.file, a.index).cmp(&(b.file, b.index)))
    });
    for pair in resolved.windows(2) {
        if pair[0].relation == pair[1].relation {
            l.push(
                Diagnostic::warning(
                    pair[1].file,
                    spans.whole(pair[1].file, pair[1].index),
                    "the same relation is stated twice",
                )
                .label("repeats an earlier relation")
                .related(
                    pair[0].file,
                    spans.whole(pair[0].file, pair[0].index),
                    "first stated here",
                ),
            );
        }
    }
    let mut relations: Vec<Relation> = resolved.into_iter().map(|r| r.relation).collect();
    relations.dedup();
    let mut i = 0;
    while i < relations.len() {
        let mut j = i;
        while j < relations.len()
            && relations[j].from == relations[i].from
            && relations[j].to == relations[i].to
            && relations[j].rel_type == relations[i].rel_type
        {
            j += 1;
        }
        for (n, k) in (i..j).enumerate() {
            let base = format!(
                "{}/{}/{}",
                entities[relations[k].from].id, relations[k].rel_type, entities[relations[k].to].id
            );
            relations[k].id = if n == 0 {
                base
            } else {
                format!("{base}/{}", n + 1)
            };
        }
        i = j;
    }

    let mut diagnostics = l.diagnostics;
    diagnostics.sort_by(|a, b| {
        (a.severity, a.file, a.span.start).cmp(&(b.severity, b.file, b.span.start))
    });
    let has_error = diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    match schema {
        Some(schema) if !has_error => Ok(Loaded {
            graph: Graph {
                schema,
                sources,
                entities,
                relations,
            },
            files,
            warnings: diagnostics,
        }),
        _ => {
            if !roles.contains(&Role::Schema) {
                // Only embedded or hand-built inputs can lack it; read_dir checks.
                diagnostics.insert(0, Diagnostic::error(0, 0..0, "the graph has no schema.ron"));
            }
            Err(Failed { files, diagnostics })
        }
    }
}

fn check_schema(l: &mut Loader, file: usize, schema: &Schema) {
    let text = l.files.text(file);
    let whole = 0..text.len();
    for key in schema.kinds.keys() {
        if !is_slug(key) {
            let span = l.literal_span(file, &whole, key);
            l.push(
                Diagnostic::error(file, span, format!("invalid kind name \"{key}\""))
                    .label("expected a slug: lower-case letters, digits and single dashes"),
            );
        }
    }
    for (key, def) in &schema.relation_types {
        let span = l.literal_span(file, &whole, key);
        if !is_slug(key) {
            l.push(
                Diagnostic::error(
                    file,
                    span.clone(),
                    format!("invalid relation type name \"{key}\""),
                )
                .label("expected a slug: lower-case letters, digits and single dashes"),
            );
        }
        if key == "accused-by" {
            l.push(
                Diagnostic::error(file, span.clone(), "\"accused-by\" is reserved")
                    .label("derived from alleged and disputed relations, never stored")
                    .help("remove this type; store the accusation as a relation with `status: alleged`"),
            );
        }
        for kind in def.from.iter().chain(&def.to) {
            if !schema.kinds.contains_key(kind) {
                // The kind's first quoted occurrence after the type's key.
                let after = span.end..text.len();
                let at = l.literal_span(file, &after, kind);
                l.push(
                    Diagnostic::error(
                        file,
                        at,
                        format!("relation type \"{key}\" names an unknown kind \"{kind}\""),
                    )
                    .label("not a key of `kinds`")
                    .help_opt(did_you_mean(kind, schema.kinds.keys().map(String::as_str))),
                );
            }
        }
    }
}
