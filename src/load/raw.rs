//! What every input format parses into: the records exactly as written
//! (strings, not yet resolved), each with the file and the place in the
//! file it came from, and a [`Locate`] that turns a record's field into a
//! byte span for diagnostics. Validation sees only these types, so an input
//! format is one parse module that yields them.

use std::ops::Range;

use compact_str::CompactString;
use serde::Deserialize;
use thin_vec::ThinVec;

use crate::model::{Schema, Source, SourceRef, Status};
use crate::props::{Props, deserialize_props};

/// An entity as a curator writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    pub id: CompactString,
    pub name: CompactString,
    pub kind: CompactString,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "deserialize_props")]
    pub props: Props,
}

/// A relation as a curator writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    pub from: CompactString,
    pub to: CompactString,
    #[serde(rename = "type")]
    pub rel_type: CompactString,
    pub status: Status,
    #[serde(default)]
    pub claimed_by: ThinVec<CompactString>,
    #[serde(default)]
    pub denied_by: ThinVec<CompactString>,
    #[serde(default)]
    pub doubted_by: ThinVec<CompactString>,
    #[serde(default)]
    pub retracted_by: ThinVec<CompactString>,
    #[serde(default)]
    pub date: Option<CompactString>,
    #[serde(default)]
    pub period: Option<CompactString>,
    pub source: SourceRef,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default, deserialize_with = "deserialize_props")]
    pub props: Props,
}

/// A parsed record and where it came from: its file and its place in the
/// file's list (or row, or line).
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub file: usize,
    pub index: usize,
}

/// Everything the files of a graph hold, unresolved.
#[derive(Debug, Default)]
pub struct RawGraph {
    /// The schema and the file it came from.
    pub schema: Option<Located<Schema>>,
    /// Whether any file had the schema's role (even if it failed to parse).
    pub has_schema_file: bool,
    pub sources: Vec<Located<Source>>,
    pub entities: Vec<Located<RawEntity>>,
    /// In the lists they were read in (a file's, an import's), in order:
    /// each list is checked as a whole and let go, so the raw relations are
    /// never copied into one list nor held beside all the checked ones.
    pub relations: Vec<Vec<Located<RawRelation>>>,
}

/// Byte spans of records and fields, for pointing diagnostics at the exact
/// place. Each input format knows its own layout; spans are only looked up
/// when a diagnostic needs them.
pub trait Locate: Sync {
    /// The whole record `index` of `file`.
    fn record(&self, file: usize, index: usize) -> Range<usize>;
    /// A field's value in that record (or the whole record when the field is
    /// absent).
    fn field(&self, file: usize, index: usize, field: &str) -> Range<usize>;
    /// Where `needle` is written as a literal inside `within`.
    fn literal(&self, file: usize, within: &Range<usize>, needle: &str) -> Option<Range<usize>>;
    /// The span of the whole schema file's text.
    fn whole(&self, file: usize) -> Range<usize>;
    /// Where character `c` is written inside `within`, raw or as an escape,
    /// for pointing at a control character; None when it cannot be told.
    fn character(&self, _file: usize, _within: &Range<usize>, _c: char) -> Option<Range<usize>> {
        None
    }
}
