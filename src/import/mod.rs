//! Data from elsewhere into a graph: CSV ([`csv`]), GraphML ([`graphml`])
//! and FollowTheMoney entity lines ([`ftm`]).
//!
//! Each format is a parse module that hands its records, with their places
//! in the input, to a [`build::Builder`]; the builder makes ids, resolves
//! references and creates what the schema lacks, and yields the loader's raw
//! records. They then pass the loader's own validation and finishing
//! ([`crate::load::check`]) with a [`locate::ImportSpans`], so any remaining
//! problem is reported at its file, line and column in the input. Only a
//! graph that passed is written, as RON ([`mod@write`]): into a new directory
//! (built beside it and renamed into place) or added to an existing graph
//! (new files for the new records; kinds, types and sources appended to
//! `schema.ron` and `sources.ron`; the result loaded again before any file
//! is touched, and every file restored if a write fails).

pub mod build;
pub mod csv;
pub mod ftm;
pub mod graphml;
pub mod ids;
pub mod locate;
pub mod write;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use build::{Base, Builder, Defaults, Skipped};
use locate::{FileSpans, ImportSpans};

use crate::diag::{Diagnostic, Report, Severity, SourceFiles};
use crate::error::Error;
use crate::load::raw::{Located, RawEntity, RawGraph, RawRelation};
use crate::load::{self, Input, Role};
use crate::model::{Graph, Status};

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Graphml,
    Ftm,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Graphml => "graphml",
            Format::Ftm => "ftm",
        }
    }
}

/// Where the imported graph goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new graph directory (it must not exist, or be empty).
    New(PathBuf),
    /// Added to the graph in this directory.
    Into(PathBuf),
}

/// An import request.
#[derive(Debug, Clone)]
pub struct ImportSpec {
    pub format: Format,
    pub files: Vec<PathBuf>,
    pub target: Target,
    /// Status of rows that give none.
    pub status: Status,
    /// Kind of entities that give none.
    pub kind: Option<String>,
    /// Type of relations that give none.
    pub rel_type: Option<String>,
    /// New relation types read the same both ways (an undirected network).
    pub undirected: bool,
    /// CSV: field → column.
    pub mapping: Vec<(String, String)>,
    /// Fail instead of skipping rows.
    pub strict: bool,
}

/// What an import did, for the summary (text, or JSON as it is).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub graph: String,
    pub into_existing: bool,
    pub files_read: Vec<String>,
    pub entities_read: usize,
    pub relations_read: usize,
    pub entities_created: usize,
    pub relations_created: usize,
    /// Incoming entities that were already in the graph (same id, original id, or name when it gave no id).
    pub entities_matched: usize,
    /// Relations already in the graph, not written again.
    pub relations_already_present: usize,
    /// Ids made from names, the input's ids kept as `original_id`.
    pub ids_made: usize,
    /// Entities created for relation ends no nodes file listed.
    pub entities_for_ends: usize,
    pub kinds_created: Vec<String>,
    pub relation_types_created: Vec<String>,
    pub sources_created: Vec<String>,
    pub skipped: Vec<Skipped>,
    pub files_written: Vec<String>,
}

/// Reads a file as UTF-8 text (a byte-order mark dropped), or says where
/// the first byte that is not UTF-8 is.
fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "not UTF-8 text at {line}:{column} (byte 0x{:02x}); save the file as UTF-8",
                        bytes[valid]
                    ),
                ),
            ))
        }
    }
}

fn report(files: SourceFiles, d: Diagnostic) -> Error {
    Error::Load(Box::new(Report {
        files,
        diagnostics: vec![d],
    }))
}

/// Imports files into a new or an existing graph and says what it did.
pub fn import(spec: &ImportSpec) -> Result<Summary, Error> {
    if spec.files.is_empty() {
        return Err(Error::Usage("name at least one file to import".to_string()));
    }
    if spec.format == Format::Csv {
        csv::check_mapping(&spec.mapping).map_err(Error::Usage)?;
    }
    let existing = match &spec.target {
        Target::Into(dir) => Some(load::load_graph(Some(dir), false)?.graph),
        Target::New(dir) => {
            check_new_dir(dir)?;
            None
        }
    };
    let general = crate::init::schema();
    let base = match &existing {
        Some(g) => Base {
            schema: &g.schema,
            sources: &g.sources,
            graph: Some(g),
        },
        None => Base {
            schema: &general,
            sources: &[],
            graph: None,
        },
    };

    // Parse every input file into the builder.
    let mut files = SourceFiles::default();
    let mut spans: Vec<FileSpans> = Vec::new();
    let mut builder = Builder::default();
    let mut has_nodes_file = false;
    for path in &spec.files {
        let text = read_text(path)?;
        let name = path.display().to_string();
        let file = files.add(name.clone(), text);
        builder.add_file(&name);
        let parsed = match spec.format {
            Format::Csv => {
                csv::read(&mut builder, &files, file, &spec.mapping).map(|(s, edges)| {
                    has_nodes_file |= !edges;
                    s
                })
            }
            Format::Graphml => graphml::read(&mut builder, &files, file),
            Format::Ftm => ftm::read(&mut builder, &files, file),
        };
        match parsed {
            Ok(s) => spans.push(s),
            Err(d) => return Err(report(files, d)),
        }
    }
    builder.relabel = matches!(spec.target, Target::New(_));
    builder.create_missing = match spec.format {
        Format::Csv => !has_nodes_file,
        Format::Graphml => true,
        Format::Ftm => false,
    };
    let undirected = spec.undirected || builder.undirected;
    let defaults = Defaults {
        status: spec.status,
        kind: spec.kind.clone().unwrap_or_else(|| "other".to_string()),
        rel_type: spec
            .rel_type
            .clone()
            .unwrap_or_else(|| "linked-to".to_string()),
        symmetric: undirected,
    };
    let mut built = builder.finish(&base, &defaults);
    if spec.strict && !built.skipped.is_empty() {
        let lines: Vec<String> = built
            .skipped
            .iter()
            .map(|s| format!("  {}:{}: {}", s.file, s.line, s.reason))
            .collect();
        return Err(Error::Usage(format!(
            "{} row(s) cannot be imported (--strict):\n{}",
            built.skipped.len(),
            lines.join("\n")
        )));
    }

    // The loader's own checks, pointed into the input.
    let synthetic = files.add("<import>".to_string(), String::new());
    spans.push(FileSpans::None);
    let mut raw = RawGraph {
        schema: Some(Located {
            value: built.schema.clone(),
            file: synthetic,
            index: 0,
        }),
        has_schema_file: true,
        sources: built
            .sources
            .iter()
            .enumerate()
            .map(|(index, s)| Located {
                value: s.clone(),
                file: synthetic,
                index,
            })
            .collect(),
        entities: Vec::new(),
        relations: Vec::new(),
    };
    let mut relations = Vec::new();
    // Added to a graph, the new records are checked together with the
    // graph's own, and a relation the graph states already is neither
    // checked twice nor written again. A new graph's records are the built
    // ones, moved as they are: at a million relations, a copy of each and a
    // line of RON to compare cost as much as the rest of the import.
    let mut new_entities: Vec<RawEntity> = Vec::new();
    let mut new_relations: Vec<RawRelation> = Vec::new();
    let mut already = 0;
    if let Some(g) = &existing {
        let mut existing_lines: HashSet<String> = HashSet::new();
        for (index, e) in g.entities.iter().enumerate() {
            raw.entities.push(Located {
                value: write::raw_entity(e),
                file: synthetic,
                index,
            });
        }
        let ids = write::EntityIds::new(g);
        for (index, r) in g.relations.iter().enumerate() {
            let value = write::raw_relation(&ids, r);
            let mut line = String::new();
            write::relation(&mut line, &value);
            existing_lines.insert(line);
            relations.push(Located {
                value,
                file: synthetic,
                index,
            });
        }
        new_entities = built.entities.iter().map(|e| e.value.clone()).collect();
        raw.entities.append(&mut built.entities);
        let mut seen = HashSet::new();
        for r in built.relations.drain(..) {
            let mut line = String::new();
            write::relation(&mut line, &r.value);
            if existing_lines.contains(&line) {
                already += 1;
                continue;
            }
            if seen.insert(line) {
                new_relations.push(r.value.clone());
            }
            relations.push(r);
        }
    } else {
        raw.entities = std::mem::take(&mut built.entities);
        relations = std::mem::take(&mut built.relations);
    }
    raw.relations.push(relations);
    let locate = ImportSpans {
        files: &files,
        per_file: &spans,
    };
    let (graph, diagnostics) = load::check(raw, Vec::new(), &locate);
    let errors: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let graph = match graph {
        Some(g) if errors.is_empty() => g,
        _ => {
            return Err(Error::Load(Box::new(Report {
                files,
                diagnostics: errors,
            })));
        }
    };
    // The input's text and places served to report problems; there are none.
    drop(spans);
    drop(files);

    let stem = spec.files[0]
        .file_stem()
        .map(|s| ids::slugify(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "imported".to_string());
    let files_read: Vec<String> = spec.files.iter().map(|p| p.display().to_string()).collect();
    let mut summary = Summary {
        graph: String::new(),
        into_existing: existing.is_some(),
        files_read,
        entities_read: built.entities_read,
        relations_read: built.relations_read,
        entities_created: new_entities.len(),
        relations_created: new_relations.len(),
        entities_matched: built.matched,
        relations_already_present: already,
        ids_made: built.made_ids,
        entities_for_ends: built.created_for_ends,
        kinds_created: built.new_kinds.iter().map(|(k, _)| k.clone()).collect(),
        relation_types_created: built.new_types.iter().map(|(k, _)| k.clone()).collect(),
        sources_created: built.new_sources.iter().map(|s| s.id.clone()).collect(),
        skipped: built.skipped,
        files_written: Vec::new(),
    };
    match &spec.target {
        Target::New(dir) => {
            summary.relations_created = graph.relations.len();
            summary.entities_created = graph.entities.len();
            let ids = write::EntityIds::new(&graph);
            summary.files_written = write_new_dir(dir, &new_graph_files(&graph, &ids, &stem))?;
            summary.graph = dir.display().to_string();
        }
        Target::Into(dir) => {
            summary.graph = dir.display().to_string();
            summary.files_written = add_to_graph(
                dir,
                &new_entities,
                &new_relations,
                &built.new_kinds,
                &built.new_types,
                &built.new_sources,
                &stem,
            )?;
        }
    }
    Ok(summary)
}

fn check_new_dir(dir: &Path) -> Result<(), Error> {
    if dir.join("schema.ron").exists() {
        return Err(Error::Usage(format!(
            "{} is a graph already; to add to it, use --into {}",
            dir.display(),
            dir.display()
        )));
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} exists and is not empty; choose a new directory",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Records per file: the loader parses files on all cores, so a big
/// import is split.
const PER_FILE: usize = 50_000;

fn chunked<T>(items: &[T], dir: &str, stem: &str) -> Vec<(String, std::ops::Range<usize>)> {
    if items.len() <= PER_FILE {
        return vec![(format!("{dir}/{stem}.ron"), 0..items.len())];
    }
    let parts = items.len().div_ceil(PER_FILE);
    (0..parts)
        .map(|p| {
            let range = p * PER_FILE..((p + 1) * PER_FILE).min(items.len());
            (format!("{dir}/{stem}-{:03}.ron", p + 1), range)
        })
        .collect()
}

/// What an imported record file says it holds.
const IMPORTED: &str = "Imported by `linkchart import`.";

/// A file of a new graph directory: where it goes in the directory, and how
/// its text is made.
pub struct NewFile<'a> {
    pub path: String,
    pub text: Box<dyn Fn() -> String + Sync + 'a>,
}

impl NewFile<'_> {
    /// A file whose text is made already.
    pub fn ready(path: String, text: String) -> NewFile<'static> {
        NewFile {
            path,
            text: Box::new(move || text.clone()),
        }
    }
}

/// Every file of a new graph directory holding `graph`, each made only when
/// it is written, straight from the graph (`ids` holding its entities' ids):
/// a million relations are neither copied into raw records nor held as text
/// all at once.
fn new_graph_files<'g>(
    graph: &'g Graph,
    ids: &'g write::EntityIds,
    stem: &str,
) -> Vec<NewFile<'g>> {
    let header = crate::init::SCHEMA
        .split("Schema(")
        .next()
        .unwrap_or_default();
    let schema = write::schema_file(header, &graph.schema);
    let header = "// The sources of the imported data: describe them here.\n[\n]\n";
    let sources = write::sources_with(header, &graph.sources).unwrap_or_default();
    let mut files = vec![
        NewFile::ready("schema.ron".to_string(), schema),
        NewFile::ready("sources.ron".to_string(), sources),
    ];
    for (path, range) in chunked(&graph.entities, "entities", stem) {
        files.push(NewFile {
            path,
            text: Box::new(move || {
                write::entity_file(IMPORTED, graph.entities[range.clone()].iter())
            }),
        });
    }
    for (path, range) in chunked(&graph.relations, "relations", stem) {
        files.push(NewFile {
            path,
            text: Box::new(move || {
                let lines = graph.relations[range.clone()]
                    .iter()
                    .map(|r| write::RelationLine::of(ids, r));
                write::relation_file(IMPORTED, lines)
            }),
        });
    }
    files
}

/// Writes a whole directory beside `dir` and renames it into place, so
/// `dir` is either complete or not there. The files are made and written
/// on all cores, each as it is written; their paths come back in order.
pub fn write_new_dir(dir: &Path, files: &[NewFile]) -> Result<Vec<String>, Error> {
    let io = |path: &Path, e: std::io::Error| Error::io(path, e);
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".linkchart-new-")
        .tempdir_in(parent)
        .map_err(|e| io(parent, e))?;
    let write = |file: &NewFile| -> Result<(), Error> {
        let path = staging.path().join(&file.path);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        std::fs::write(&path, (file.text)()).map_err(|e| io(&path, e))
    };
    // The first file that fails, in order, is the one reported.
    let mut failed = None;
    crate::load::runs::streamed(
        files,
        |file| write(file),
        |_, result| {
            if failed.is_none() {
                failed = result.err();
            }
        },
    );
    if let Some(e) = failed {
        return Err(e);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(|e| io(staging.path(), e))?;
    }
    if dir.exists() {
        // Checked empty before; an empty directory gives way.
        std::fs::remove_dir(dir).map_err(|e| io(dir, e))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, dir).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        io(dir, e)
    })?;
    Ok(files.iter().map(|f| f.path.clone()).collect())
}

/// A file name under `dir/sub` that is not taken: `stem.ron`, `stem-2.ron` …
fn free_name(dir: &Path, sub: &str, stem: &str) -> String {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{sub}/{stem}.ron")
        } else {
            format!("{sub}/{stem}-{n}.ron")
        };
        if !dir.join(&name).exists() {
            return name;
        }
        n += 1;
    }
}

/// Adds new records to the graph in `dir`: checks the whole result with the
/// loader first, then writes each file atomically, restoring them all if
/// one write fails.
fn add_to_graph(
    dir: &Path,
    entities: &[RawEntity],
    relations: &[RawRelation],
    kinds: &[(String, crate::model::KindDef)],
    types: &[(String, crate::model::RelationTypeDef)],
    sources: &[crate::model::Source],
    stem: &str,
) -> Result<Vec<String>, Error> {
    let mut changes: Vec<(String, String)> = Vec::new();
    let read = |name: &str| -> Result<String, Error> {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))
    };
    if !kinds.is_empty() || !types.is_empty() {
        let text = read("schema.ron")?;
        let new = write::schema_with(&text, kinds, types).ok_or_else(|| {
            Error::Usage(format!(
                "{}: cannot find `kinds` and `relation_types` to add to",
                dir.join("schema.ron").display()
            ))
        })?;
        changes.push(("schema.ron".to_string(), new));
    }
    if !sources.is_empty() {
        let text = read("sources.ron")?;
        let new = write::sources_with(&text, sources).ok_or_else(|| {
            Error::Usage(format!(
                "{}: cannot find the list of sources to add to",
                dir.join("sources.ron").display()
            ))
        })?;
        changes.push(("sources.ron".to_string(), new));
    }
    let mut sorted_entities = entities.to_vec();
    sorted_entities.sort_by(|a, b| a.id.cmp(&b.id));
    if !sorted_entities.is_empty() {
        changes.push((
            free_name(dir, "entities", stem),
            write::entity_file(IMPORTED, sorted_entities.iter()),
        ));
    }
    if !relations.is_empty() {
        changes.push((
            free_name(dir, "relations", stem),
            write::relation_file(IMPORTED, relations.iter()),
        ));
    }
    // The graph as it will be, loaded before anything is written.
    let mut inputs = load::read_dir(dir)?;
    for (name, text) in &changes {
        let path = dir.join(name).display().to_string();
        match inputs.iter_mut().find(|i| i.name == path) {
            // Not the text on disk: nothing to read again.
            Some(input) => {
                input.text = text.clone();
                input.path = None;
            }
            None => inputs.push(Input {
                name: path,
                role: if name.starts_with("entities/") {
                    Role::Entities
                } else {
                    Role::Relations
                },
                text: text.clone(),
                path: None,
            }),
        }
    }
    load::load(inputs).map_err(|report| Error::Load(Box::new(report)))?;
    let mut done: Vec<(PathBuf, Option<String>)> = Vec::new();
    for (name, text) in &changes {
        let path = dir.join(name);
        let before = std::fs::read_to_string(&path).ok();
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        if let Err(e) = crate::output::write_atomic(&path, text.as_bytes()) {
            for (path, before) in done.iter().rev() {
                match before {
                    Some(text) => {
                        let _ = crate::output::write_atomic(path, text.as_bytes());
                    }
                    None => {
                        let _ = std::fs::remove_file(path);
                    }
                }
            }
            return Err(e);
        }
        done.push((path, before));
    }
    Ok(changes.into_iter().map(|(name, _)| name).collect())
}
