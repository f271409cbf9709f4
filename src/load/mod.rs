//! Loading a graph, in layers:
//!
//! 1. [`read`]: which files make up the graph and their text (a directory,
//!    or the graph built into the binary); a file of records read from
//!    disk is let go once it parses and read again only for a diagnostic
//!    (see [`SourceFiles`]);
//! 2. [`parse`]: RON into located raw records ([`raw`]), with syntax and
//!    field errors (records files of the plain usual shape are read by
//!    `quick`, the rest by `ron`); another input format would be another
//!    parse module yielding the same [`raw::RawGraph`] and a [`raw::Locate`];
//! 3. [`validate`] and [`relations`]: format-agnostic checks and reference
//!    resolution;
//! 4. [`finish`]: whole-graph warnings, canonical order, ids, the [`Graph`].
//!
//! Every problem of every file is reported in one run; nothing is
//! half-loaded: any error means no graph. [`load_graph`] puts the [`cache`]
//! in front of all of it.

pub mod cache;
pub mod finish;
pub mod parse;
pub(crate) mod quick;
pub mod raw;
pub mod read;
pub mod relations;
pub(crate) mod runs;
pub mod scan;
pub mod validate;

use std::path::Path;

pub use read::{
    GraphFiles, Input, Origin, Role, Skipped, embedded_inputs, graph_files, graph_inputs, locate,
    read_dir, read_graph_dir, read_origin,
};

use crate::diag::{Diagnostic, Report, Severity, SourceFiles};
use crate::error::Error;
use crate::model::Graph;

/// A graph that loaded, with the warnings it raised.
#[derive(Debug)]
pub struct Loaded {
    pub graph: Graph,
    /// The files, to show the warnings with (a file of records let go
    /// after parsing is read again when shown); empty when the graph came
    /// from the cache.
    pub files: SourceFiles,
    pub warnings: Vec<Diagnostic>,
    /// How many records each file held, in file order (empty when the graph
    /// came from the cache).
    pub contents: Vec<FileContents>,
    /// What points at no place in a file: files not loaded, the cache.
    pub notices: Vec<Notice>,
}

impl Loaded {
    /// A graph that loaded with nothing to say: from the cache or built in.
    fn clean(graph: Graph) -> Loaded {
        Loaded {
            graph,
            files: SourceFiles::default(),
            warnings: Vec::new(),
            contents: Vec::new(),
            notices: Vec::new(),
        }
    }
}

/// One file that was read, and how many records it held (for the schema,
/// 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileContents {
    pub name: String,
    pub role: Role,
    pub records: usize,
}

/// Something worth telling about a load that is not about a place in a
/// file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A file or directory in the graph directory that was not loaded.
    Skipped(Skipped),
    /// The load cache was not used, or an entry of it was ignored.
    Cache(String),
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Skipped(s) => write!(
                f,
                "warning: {} is not loaded: {}",
                s.path.display(),
                s.reason
            ),
            Notice::Cache(message) => write!(f, "note: {message}"),
        }
    }
}

/// How a load may use the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// Neither read nor write it.
    Off,
    /// Answer from it when it has the graph; store a graph that loaded cleanly.
    ReadWrite,
    /// Always parse the files (as `check` does), but store the result.
    WriteOnly,
}

/// Loads a graph from its files, or reports everything wrong with them.
pub fn load(inputs: Vec<Input>) -> Result<Loaded, Report> {
    load_files(inputs.into())
}

/// Loads a graph from files as read by [`read_graph_dir`] (with the
/// diagnostics of any text that is not UTF-8).
pub fn load_files(read: GraphFiles) -> Result<Loaded, Report> {
    let GraphFiles {
        inputs,
        diagnostics: read_diagnostics,
        ..
    } = read;
    let mut files = SourceFiles::default();
    let mut roles = Vec::with_capacity(inputs.len());
    for input in inputs {
        roles.push(input.role);
        // Records read from disk: their text is let go once parsed.
        match input.path {
            Some(path) if matches!(input.role, Role::Entities | Role::Relations) => {
                files.add_read(input.name, path, input.text)
            }
            _ => files.add(input.name, input.text),
        };
    }
    let (raw, mut parse_diagnostics, spans) = parse::parse(&files, &roles);
    // Counted in one pass over the records: asking each file in turn went
    // over every record once per file (some 30 files at ten million).
    let mut records = vec![0; roles.len()];
    if let Some(s) = &raw.schema {
        records[s.file] += 1;
    }
    let mut count = |file: usize| records[file] += 1;
    raw.sources.iter().for_each(|r| count(r.file));
    raw.entities.iter().for_each(|r| count(r.file));
    raw.relations.iter().flatten().for_each(|r| count(r.file));
    let contents = (0..roles.len())
        .map(|file| FileContents {
            name: files.name(file).to_string(),
            role: roles[file],
            records: records[file],
        })
        .collect();
    parse_diagnostics.extend(read_diagnostics);
    let has_schema_file = raw.has_schema_file;
    let (graph, mut diagnostics) = check(raw, parse_diagnostics, &spans);
    drop(spans);
    if let Some(file) = files.changed() {
        // A diagnostic would point into another text than was parsed.
        let message = "the file changed while the graph was being loaded; run the command again";
        return Err(Report {
            files,
            diagnostics: vec![Diagnostic::error(file, 0..0, message)],
        });
    }
    let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
    match graph {
        Some(graph) if !has_error => Ok(Loaded {
            graph,
            files,
            warnings: diagnostics,
            contents,
            notices: Vec::new(),
        }),
        _ => {
            if !has_schema_file {
                // Only embedded or hand-built inputs can lack it; read_dir checks.
                diagnostics.insert(0, Diagnostic::error(0, 0..0, "the graph has no schema.ron"));
            }
            Err(Report { files, diagnostics })
        }
    }
}

/// The format-agnostic layers over raw records of any input format:
/// validation, then finishing; the graph (when there is a schema) and every
/// diagnostic, sorted. `loc` points diagnostics into the input.
pub fn check(
    raw: raw::RawGraph,
    diagnostics: Vec<Diagnostic>,
    loc: &dyn raw::Locate,
) -> (Option<Graph>, Vec<Diagnostic>) {
    let mut checker = validate::Checker { loc, diagnostics };
    let validated = validate::validate(raw, &mut checker);
    let mut diagnostics = checker.diagnostics;
    let graph = finish::finish(validated, loc, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.severity, a.file, a.span.start).cmp(&(b.severity, b.file, b.span.start))
    });
    (graph, diagnostics)
}

/// Loads and validates the graph the user means (see [`graph_inputs`]),
/// failing with every diagnostic. A graph that loaded cleanly before, with
/// the very same files, comes from the cache. Notices are in
/// [`Loaded::notices`] (and lost on failure: see [`load_noting`]).
pub fn load_graph(explicit: Option<&Path>, use_cache: bool) -> Result<Loaded, Error> {
    let mut notices = Vec::new();
    let cache = if use_cache {
        CacheUse::ReadWrite
    } else {
        CacheUse::Off
    };
    let mut loaded = load_noting(explicit, cache, &mut notices)?;
    loaded.notices = notices;
    Ok(loaded)
}

/// For a question about one entity: a large graph's cache entry opened as
/// [`cache::Around`] describes, with the graph of every entity (no
/// relations yet) and the notices its listing made. `None` whenever the
/// whole load should answer instead — the built-in graph, the cache off,
/// no entry, a small graph's entry, or one that is unusable (the whole
/// load then names what is wrong with it, removes it and reads the files).
pub fn around(
    explicit: Option<&Path>,
) -> Option<(Graph, cache::Around<cache::EntryFile>, Vec<Notice>)> {
    let Origin::Dir(dir) = read::locate(explicit) else {
        return None;
    };
    let mut notices = Vec::new();
    let mut listed = read::list_graph_dir(&dir).ok()?;
    notices.extend(listed.skipped.drain(..).map(Notice::Skipped));
    let store = cache::Store::open(&mut notices)?;
    let key = cache::key_of_listed(&read::origin_name(&dir), &listed.files).ok()?;
    let cache::Lookup::Found(entry) = store.read(&key) else {
        return None;
    };
    let (graph, around) = cache::around(&key, entry).ok()??;
    Some((graph, around, notices))
}

/// [`load_graph`] with the notices kept whether or not the graph loads (a
/// file that was not loaded may be why another does not).
pub fn load_noting(
    explicit: Option<&Path>,
    cache: CacheUse,
    notices: &mut Vec<Notice>,
) -> Result<Loaded, Error> {
    let origin = read::locate(explicit);
    // The built-in graph was loaded when the binary was built: its compiled
    // form needs neither its text nor the cache.
    if origin == Origin::Embedded
        && cache == CacheUse::ReadWrite
        && let Some(graph) = cache::built_in()
    {
        return Ok(Loaded::clean(graph));
    }
    // Nothing is read as text before the cache is asked: the built-in
    // graph's key is known, and a directory's files are listed and their
    // bytes hashed through one buffer, so a hit holds no text (at a million
    // relations a fifth of a gigabyte, read and checked only to be hashed).
    let listed = match &origin {
        Origin::Embedded => None,
        Origin::Dir(dir) => {
            let mut listed = read::list_graph_dir(dir)?;
            notices.extend(listed.skipped.drain(..).map(Notice::Skipped));
            Some((read::origin_name(dir), listed))
        }
    };
    // The built-in graph's compiled form makes an entry of it useless.
    let store = (cache != CacheUse::Off && (origin != Origin::Embedded || !cache::has_built_in()))
        .then(|| cache::Store::open(notices))
        .flatten();
    if cache == CacheUse::ReadWrite
        && let Some(store) = &store
        // A file that cannot be read is reported when it is read as text.
        && let Some(key) = match &listed {
            Some((name, listed)) => cache::key_of_listed(name, &listed.files).ok(),
            None => Some(cache::embedded_key()),
        }
    {
        match store.read(&key) {
            cache::Lookup::Found(entry) => match cache::decode(&key, &entry) {
                Ok(graph) => return Ok(Loaded::clean(graph)),
                Err(why) => {
                    notices.push(store.ignored(&key, &why));
                    store.remove(&key);
                }
            },
            cache::Lookup::Miss => {}
            cache::Lookup::Bad(why) => {
                notices.push(store.ignored(&key, &why));
                store.remove(&key);
            }
        }
    }
    let (name, read) = match listed {
        Some((name, listed)) => (Some(name), read::read_listed(listed)?),
        None => (None, embedded_inputs().into()),
    };
    // Keyed by the text that is parsed, whatever the files held when they
    // were hashed above.
    let key = store.as_ref().map(|_| match &name {
        Some(name) => cache::key(name, &read.inputs),
        None => cache::embedded_key(),
    });
    let loaded = load_files(read).map_err(|report| Error::Load(Box::new(report)))?;
    if let (Some(store), Some(key)) = (&store, &key)
        && loaded.warnings.is_empty()
    {
        store.put(key, &loaded.graph);
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::load_files;
    use super::read::list_graph_dir as list;
    use crate::diag::Severity;

    /// A copy of the shipped graph with an unknown entity in one relation
    /// file, read as the loader reads it.
    fn broken_copy() -> (tempfile::TempDir, std::path::PathBuf, super::GraphFiles) {
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graph");
        let copy = tempfile::tempdir().unwrap();
        let mut broken = None;
        for (path, _, role) in list(&shipped).unwrap().files {
            let to = copy.path().join(path.strip_prefix(&shipped).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            let mut text = std::fs::read_to_string(&path).unwrap();
            if broken.is_none() && role == super::Role::Relations && text.contains("from: \"isi\"")
            {
                text = text.replacen("from: \"isi\"", "from: \"isii\"", 1);
                broken = Some(to.clone());
            }
            std::fs::write(&to, text).unwrap();
        }
        let read = super::read::read_listed(list(copy.path()).unwrap()).unwrap();
        (copy, broken.unwrap(), read)
    }

    #[test]
    fn a_file_let_go_is_read_again_to_point_at_a_problem() {
        let (_copy, _, read) = broken_copy();
        let report = load_files(read).unwrap_err();
        let text = report.render(false);
        assert!(text.contains("unknown entity \"isii\""), "{text}");
        assert!(text.contains("from: \"isii\","), "the excerpt: {text}");
    }

    #[test]
    fn a_file_edited_while_it_loads_is_named_not_pointed_into() {
        let (_copy, broken, read) = broken_copy();
        // Edited after it was read, before the problem is pointed at.
        let text = std::fs::read_to_string(&broken).unwrap();
        std::fs::write(&broken, format!("// edited\n{text}")).unwrap();
        let report = load_files(read).unwrap_err();
        assert_eq!(report.diagnostics.len(), 1, "{}", report.render(false));
        let d = &report.diagnostics[0];
        assert_eq!(d.severity, Severity::Error);
        assert!(
            d.message
                .contains("changed while the graph was being loaded")
        );
        assert!(
            report
                .files
                .name(d.file)
                .ends_with(broken.file_name().unwrap().to_str().unwrap()),
            "{}",
            report.files.name(d.file)
        );
    }
}
