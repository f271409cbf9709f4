//! Output formats, one file each, behind one interface: [`write()`] writes a
//! [`Selection`] in a [`Format`] into a [`Sink`] as it goes, one document
//! or, for formats that are several files (Neo4j's CSV), one named file at
//! a time; [`export`] gives the same as text in memory. Exporters read the
//! index and the selection, never the graph's files, and never hold the
//! whole document: a million relations stream to disk in the memory of the
//! loaded graph. Reports for briefs live here too ([`report`]).
//!
//! To add a format: a module with a function from `(&Index, &Selection,
//! &mut Sink)`, a variant of [`Format`] with its name and help, and a line
//! in [`write()`].

pub mod chart;
pub mod cytoscape;
pub mod dot;
pub mod ftm;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod mermaid;
pub mod neo4j;
pub mod report;
pub mod sink;

pub use dot::{Cluster, DotOptions, RankDir};

use crate::index::Index;
use crate::query::select::Selection;
use sink::{Sink, to_string};

/// Every format `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Dot,
    Json,
    Graphml,
    Mermaid,
    /// Two files: nodes.csv and relationships.csv.
    Csv,
    Cypher,
    /// FollowTheMoney entity lines.
    Ftm,
    /// GEXF 1.3 (Gephi).
    Gexf,
    /// Cytoscape.js JSON.
    Cytoscape,
    /// One self-contained interactive HTML page.
    Html,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Dot,
        Format::Json,
        Format::Graphml,
        Format::Mermaid,
        Format::Csv,
        Format::Cypher,
        Format::Ftm,
        Format::Gexf,
        Format::Cytoscape,
        Format::Html,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Json => "json",
            Format::Graphml => "graphml",
            Format::Mermaid => "mermaid",
            Format::Csv => "csv",
            Format::Cypher => "cypher",
            Format::Ftm => "ftm",
            Format::Gexf => "gexf",
            Format::Cytoscape => "cytoscape",
            Format::Html => "html",
        }
    }

    /// True when the format is several files, written into a directory.
    pub fn is_directory(self) -> bool {
        !self.files().is_empty()
    }

    /// The files of a directory format, in order; none for one document.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            Format::Csv => &neo4j::FILES,
            _ => &[],
        }
    }
}

/// What an export produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Exported {
    /// One document.
    Text(String),
    /// Several files, by name, for a directory.
    Files(Vec<(&'static str, String)>),
}

/// Writes the selection in a format into `out`: the document, or for a
/// directory format the file `format.files()[part]` (`part` is ignored for
/// one-document formats). An I/O error is kept by the sink.
pub fn write(
    index: &Index,
    sel: &Selection,
    format: Format,
    dot: &DotOptions,
    part: usize,
    out: &mut Sink,
) {
    let g = &index.graph;
    match format {
        Format::Dot => dot::write(index, sel, dot, out),
        Format::Json => json::write(g, sel, out),
        Format::Graphml => graphml::write(index, sel, out),
        Format::Mermaid => mermaid::write(index, sel, out),
        Format::Cypher => neo4j::cypher(index, sel, out),
        Format::Ftm => ftm::write(index, sel, out),
        Format::Gexf => gexf::write(index, sel, out),
        Format::Cytoscape => cytoscape::write(index, sel, out),
        // A page for one selection, with its data inside: made whole.
        Format::Html => out.push_str(&html::render(index, sel)),
        Format::Csv if part == 0 => neo4j::write_nodes(index, sel, out),
        Format::Csv => neo4j::write_relationships(index, sel, out),
    }
}

/// The selection in a format, in memory.
pub fn export(index: &Index, sel: &Selection, format: Format, dot: &DotOptions) -> Exported {
    let text = |part| to_string(|out| write(index, sel, format, dot, part, out));
    if format.is_directory() {
        Exported::Files(
            format
                .files()
                .iter()
                .enumerate()
                .map(|(part, &name)| (name, text(part)))
                .collect(),
        )
    } else {
        Exported::Text(text(0))
    }
}
