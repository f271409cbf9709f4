//! Loading a graph, in layers:
//!
//! 1. [`read`]: which files make up the graph and their text (a directory,
//!    or the graph built into the binary);
//! 2. [`parse`]: RON into located raw records ([`raw`]), with syntax and
//!    field errors; another input format would be another parse module
//!    yielding the same [`raw::RawGraph`] and a [`raw::Locate`];
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
pub mod raw;
pub mod read;
pub mod relations;
pub mod scan;
pub mod validate;

use std::path::Path;

pub use read::{Input, Role, embedded_inputs, graph_inputs, read_dir};

use crate::diag::{Diagnostic, Report, Severity, SourceFiles};
use crate::error::Error;
use crate::model::Graph;

/// A graph that loaded, with the warnings it raised.
#[derive(Debug)]
pub struct Loaded {
    pub graph: Graph,
    pub files: SourceFiles,
    pub warnings: Vec<Diagnostic>,
}

/// Loads a graph from its files, or reports everything wrong with them.
pub fn load(inputs: Vec<Input>) -> Result<Loaded, Report> {
    let mut files = SourceFiles::default();
    let mut roles = Vec::with_capacity(inputs.len());
    for input in inputs {
        roles.push(input.role);
        files.add(input.name, input.text);
    }
    let (raw, parse_diagnostics, spans) = parse::parse(&files, &roles);
    let has_schema_file = raw.has_schema_file;
    let (graph, mut diagnostics) = check(raw, parse_diagnostics, &spans);
    drop(spans);
    let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
    match graph {
        Some(graph) if !has_error => Ok(Loaded {
            graph,
            files,
            warnings: diagnostics,
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
/// the very same files, comes from the cache.
pub fn load_graph(explicit: Option<&Path>, use_cache: bool) -> Result<Loaded, Error> {
    let (origin, mut inputs) = graph_inputs(explicit)?;
    let key = use_cache.then(|| cache::key(&origin, &inputs));
    if let Some(bytes) = key.as_ref().and_then(cache::bytes) {
        // The files' text is not needed when the cache answers; at a million
        // relations it is a fifth of a gigabyte, so let it go first.
        drop(inputs);
        if let Some(graph) = cache::decode(&bytes) {
            return Ok(Loaded {
                graph,
                files: SourceFiles::default(),
                warnings: Vec::new(),
            });
        }
        inputs = graph_inputs(explicit)?.1;
    }
    let loaded = load(inputs).map_err(|report| Error::Load(Box::new(report)))?;
    if let Some(key) = key
        && loaded.warnings.is_empty()
    {
        cache::write(&key, &loaded.graph);
    }
    Ok(loaded)
}
