//! The graph as plain data: the schema's vocabulary, the sources, entities
//! and relations, and the typed ids that point into them. No logic beyond
//! small lookups, no command line: every front end and every exporter reads
//! these types.
//!
//! What curators write (the raw records, with unknown fields refused) lives
//! in [`crate::load::raw`]; the loader resolves it into a [`Graph`].
//!
//! Ids, names, kinds, relation types and source references are
//! [`CompactString`]s: most are under 24 bytes and live inline, where a
//! `String` each was an allocation of its own (four or five per relation,
//! a fifth of the memory and much of the load time at a million
//! relations). A relation's four claim lists, usually empty, are
//! [`ThinVec`]s: one word each instead of three. Both read as `&str` and
//! `&[T]`, so the code that reads the graph is unchanged.

use compact_str::CompactString;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::props::Props;
use crate::when::{Date, When};

/// An entity's place in [`Graph::entities`] (sorted by id), and its node in
/// the index.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct EntityId(pub u32);

/// A stored relation's place in [`Graph::relations`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct RelationId(pub u32);

impl EntityId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl RelationId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl From<usize> for EntityId {
    fn from(i: usize) -> Self {
        EntityId(i as u32)
    }
}

impl From<usize> for RelationId {
    fn from(i: usize) -> Self {
        RelationId(i as u32)
    }
}

/// How strongly the source supports a relation, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The source states it as fact.
    Established,
    /// Attributed reporting that nobody contests.
    Reported,
    /// A party's accusation or claim.
    Alleged,
    /// Claimed and contested: denied, doubted or retracted.
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

    /// What the status means, for legends.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Established => "the source states it as fact",
            Status::Reported => "attributed reporting, not contested",
            Status::Alleged => "an accusation or claim by the named party",
            Status::Disputed => "claimed, and denied, doubted or retracted",
        }
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

/// A schema's table, in the order written. Keyed by foldhash: a type's
/// definition is looked up for every step of every route scored and every
/// relation exported (SipHash showed in those profiles).
pub type SchemaMap<V> = IndexMap<String, V, foldhash::fast::RandomState>;

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename = "Schema")]
pub struct Schema {
    pub kinds: SchemaMap<KindDef>,
    pub relation_types: SchemaMap<RelationTypeDef>,
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

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub id: CompactString,
    pub section: CompactString,
}

/// A named thing in the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: CompactString,
    pub name: CompactString,
    pub kind: CompactString,
    pub aliases: Vec<String>,
    pub description: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub tags: Vec<String>,
    /// Free attributes (see [`crate::props`]).
    pub props: Props,
}

/// A typed, sourced link between two entities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Stable id derived from the ends and type: `from/type/to`, with `/2`,
    /// `/3` … for further relations of the same type between the same ends.
    pub id: CompactString,
    pub from: EntityId,
    pub to: EntityId,
    pub rel_type: CompactString,
    pub status: Status,
    pub claimed_by: ThinVec<EntityId>,
    /// Parties that reject the claim (usually the accused).
    pub denied_by: ThinVec<EntityId>,
    /// Parties that question the claim for want of evidence, without denying it.
    pub doubted_by: ThinVec<EntityId>,
    /// Claimants that later withdrew the claim (a subset of `claimed_by`).
    pub retracted_by: ThinVec<EntityId>,
    pub when: Option<When>,
    pub source: SourceRef,
    pub note: String,
    /// A non-negative cost for weighted route searches (`path --weighted`).
    pub weight: Option<f64>,
    /// Free attributes (see [`crate::props`]).
    pub props: Props,
}

impl Relation {
    /// Every entity that makes, denies, doubts or retracts the claim.
    pub fn parties(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.claimed_by
            .iter()
            .chain(&self.denied_by)
            .chain(&self.doubted_by)
            .copied()
    }

    /// The entity at the other end from `e`, if `e` is an end.
    pub fn other_end(&self, e: EntityId) -> Option<EntityId> {
        if self.from == e {
            Some(self.to)
        } else if self.to == e {
            Some(self.from)
        } else {
            None
        }
    }
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
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.index()]
    }

    pub fn relation(&self, id: RelationId) -> &Relation {
        &self.relations[id.index()]
    }

    /// Every entity id, in order.
    pub fn entity_ids(&self) -> impl Iterator<Item = EntityId> + use<> {
        (0..self.entities.len() as u32).map(EntityId)
    }

    /// Every relation id, in order.
    pub fn relation_ids(&self) -> impl Iterator<Item = RelationId> + use<> {
        (0..self.relations.len() as u32).map(RelationId)
    }

    /// The label reading from `from` to `to`, or the inverse when walked backwards.
    pub fn label<'a>(&'a self, relation: &'a Relation, forward: bool) -> &'a str {
        match self.schema.relation_types.get(relation.rel_type.as_str()) {
            Some(def) if forward || def.symmetric => &def.label,
            Some(def) => &def.inverse,
            None => &relation.rel_type,
        }
    }

    /// Whether a claim of this relation's type accuses its `from` end.
    pub fn accuses(&self, relation: &Relation) -> bool {
        self.schema
            .relation_types
            .get(relation.rel_type.as_str())
            .is_some_and(|t| t.accuses)
    }

    /// The ids of some entities, in the given order.
    pub fn ids(&self, entities: &[EntityId]) -> Vec<&str> {
        entities
            .iter()
            .map(|&i| self.entity(i).id.as_str())
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

/// Plain records for unit tests that build graphs by hand.
#[cfg(test)]
pub(crate) mod fixture {
    use super::{Entity, EntityId, Relation, SourceRef, Status};

    /// A person whose id and name are `id`.
    pub fn person(id: &str) -> Entity {
        Entity {
            id: id.into(),
            name: id.into(),
            kind: "person".into(),
            aliases: Vec::new(),
            description: String::new(),
            start: None,
            end: None,
            tags: Vec::new(),
            props: Default::default(),
        }
    }

    /// An established, undated relation cited to section `section` of
    /// source `s`, with no id yet.
    pub fn relation(from: u32, rel_type: &str, to: u32, section: &str) -> Relation {
        Relation {
            id: Default::default(),
            from: EntityId(from),
            to: EntityId(to),
            rel_type: rel_type.into(),
            status: Status::Established,
            claimed_by: Default::default(),
            denied_by: Default::default(),
            doubted_by: Default::default(),
            retracted_by: Default::default(),
            when: None,
            source: SourceRef {
                id: "s".into(),
                section: section.into(),
            },
            note: String::new(),
            weight: None,
            props: Default::default(),
        }
    }
}
