//! The graph as plain data: the schema's vocabulary, the sources, entities
//! and relations. The `Raw*` types are exactly what a curator writes in RON
//! (unknown fields are errors); the loader resolves them into [`Graph`].

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::when::When;

/// How strongly the source supports a relation, strongest first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The source states it as fact.
    Established,
    /// Attributed reporting that nobody contests.
    Reported,
    /// A party's accusation or claim.
    Alleged,
    /// Claimed and denied.
    Disputed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Established,
        Status::Reported,
        Status::Alleged,
        Status::Disputed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Established => "established",
            Status::Reported => "reported",
            Status::Alleged => "alleged",
            Status::Disputed => "disputed",
        }
    }

    /// A claim: the relation is somebody's accusation, not a fact.
    pub fn is_claim(self) -> bool {
        matches!(self, Status::Alleged | Status::Disputed)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub label: String,
    pub shape: String,
    pub color: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RelationTypeDef {
    pub label: String,
    pub inverse: String,
    #[serde(default)]
    pub symmetric: bool,
    /// A claim of this type accuses its `from` end of something, so the
    /// index derives an `accused-by` edge from it to each claimant.
    #[serde(default)]
    pub accuses: bool,
    /// Kinds allowed at the `from` end; empty means any.
    #[serde(default)]
    pub from: Vec<String>,
    /// Kinds allowed at the `to` end; empty means any.
    #[serde(default)]
    pub to: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename = "Schema")]
pub struct Schema {
    pub kinds: IndexMap<String, KindDef>,
    pub relation_types: IndexMap<String, RelationTypeDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub kind: String,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    pub id: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub id: String,
    pub section: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    pub from: String,
    pub to: String,
    #[serde(rename = "type")]
    pub rel_type: String,
    pub status: Status,
    #[serde(default)]
    pub claimed_by: Vec<String>,
    #[serde(default)]
    pub denied_by: Vec<String>,
    #[serde(default)]
    pub doubted_by: Vec<String>,
    #[serde(default)]
    pub retracted_by: Vec<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
    pub source: SourceRef,
    #[serde(default)]
    pub note: String,
}

/// A named thing in the graph. Its position in [`Graph::entities`] is its
/// node index in the petgraph index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub description: String,
    pub start: Option<crate::when::Date>,
    pub end: Option<crate::when::Date>,
    pub tags: Vec<String>,
}

/// A typed, sourced link between two entities (indices into `entities`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Stable id derived from the ends and type: `from/type/to`, with `/2`,
    /// `/3` … for further relations of the same type between the same ends.
    pub id: String,
    pub from: usize,
    pub to: usize,
    pub rel_type: String,
    pub status: Status,
    pub claimed_by: Vec<usize>,
    /// Parties that reject the claim (usually the accused).
    pub denied_by: Vec<usize>,
    /// Parties that question the claim for want of evidence, without denying it.
    pub doubted_by: Vec<usize>,
    /// Claimants that later withdrew the claim (a subset of `claimed_by`).
    pub retracted_by: Vec<usize>,
    pub when: Option<When>,
    pub source: SourceRef,
    pub note: String,
}

/// A loaded, validated graph: everything sorted, every reference resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    pub schema: Schema,
    pub sources: Vec<Source>,
    /// Sorted by id.
    pub entities: Vec<Entity>,
    /// Sorted by (from id, type, to id, time, status, source, note).
    pub relations: Vec<Relation>,
}

impl Graph {
    pub fn entity(&self, index: usize) -> &Entity {
        &self.entities[index]
    }

    /// The label reading from `from` to `to`, or the inverse when walked backwards.
    pub fn label<'a>(&'a self, relation: &'a Relation, forward: bool) -> &'a str {
        match self.schema.relation_types.get(&relation.rel_type) {
            Some(def) if forward || def.symmetric => &def.label,
            Some(def) => &def.inverse,
            None => &relation.rel_type,
        }
    }

    /// The ids of some entities, in the given order.
    pub fn ids(&self, entities: &[usize]) -> Vec<&str> {
        entities
            .iter()
            .map(|&i| self.entities[i].id.as_str())
            .collect()
    }

    pub fn kind_label<'a>(&'a self, kind: &'a str) -> &'a str {
        self.schema
            .kinds
            .get(kind)
            .map_or(kind, |k| k.label.as_str())
    }

    pub fn section_title(&self, source: &SourceRef) -> Option<&str> {
        self.sources
            .iter()
            .find(|s| s.id == source.id)?
            .sections
            .iter()
            .find(|s| s.id == source.section)
            .map(|s| s.title.as_str())
    }
}
