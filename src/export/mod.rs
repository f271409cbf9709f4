//! Output formats, one file each. Exporters read the index, never the files.

pub mod dot;
pub mod json;
