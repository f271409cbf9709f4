//! Output formats, one file each. Exporters read the index and a
//! [`crate::select::Selection`], never the files.

pub mod dot;
pub mod graphml;
pub mod json;
pub mod mermaid;
pub mod neo4j;
