//! Output formats, one file each, behind one interface: [`export`] writes a
//! [`Selection`] in a [`Format`] as one text or, for formats that are
//! several files (Neo4j's CSV), as named files. Exporters read the index and
//! the selection, never the graph's files. Reports for briefs live here
//! too ([`report`]).
//!
//! To add a format: a module with a function from `(&Index, &Selection)` to
//! text, a variant of [`Format`] with its name and help, and a line in
//! [`export`].

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

pub use dot::{Cluster, DotOptions, RankDir};

use crate::index::Index;
use crate::query::select::Selection;

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
        matches!(self, Format::Csv)
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

/// Writes the selection in a format.
pub fn export(index: &Index, sel: &Selection, format: Format, dot: &DotOptions) -> Exported {
    match format {
        Format::Dot => Exported::Text(dot::render(index, sel, dot)),
        Format::Json => Exported::Text(json::render(&index.graph, sel)),
        Format::Graphml => Exported::Text(graphml::render(index, sel)),
        Format::Mermaid => Exported::Text(mermaid::render(index, sel)),
        Format::Cypher => Exported::Text(neo4j::cypher(index, sel)),
        Format::Ftm => Exported::Text(ftm::render(index, sel)),
        Format::Gexf => Exported::Text(gexf::render(index, sel)),
        Format::Cytoscape => Exported::Text(cytoscape::render(index, sel)),
        Format::Html => Exported::Text(html::render(index, sel)),
        Format::Csv => {
            let (nodes, relationships) = neo4j::csv(index, sel);
            Exported::Files(vec![
                ("nodes.csv", nodes),
                ("relationships.csv", relationships),
            ])
        }
    }
}
