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
//!
//! In the load cache (postcard, a binary format) the strings of entities,
//! relations and source references are written and read as bytes, with
//! the same encoding as a string: see [`wire`].

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
    #[serde(with = "wire::text")]
    pub id: CompactString,
    #[serde(with = "wire::text")]
    pub section: CompactString,
}

/// A named thing in the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    #[serde(with = "wire::text")]
    pub id: CompactString,
    #[serde(with = "wire::text")]
    pub name: CompactString,
    #[serde(with = "wire::text")]
    pub kind: CompactString,
    #[serde(with = "wire::texts")]
    pub aliases: Vec<String>,
    #[serde(with = "wire::text")]
    pub description: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
    #[serde(with = "wire::texts")]
    pub tags: Vec<String>,
    /// Free attributes (see [`crate::props`]).
    pub props: Props,
}

/// A typed, sourced link between two entities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Stable id derived from the ends and type: `from/type/to`, with `/2`,
    /// `/3` … for further relations of the same type between the same ends.
    #[serde(with = "wire::text")]
    pub id: CompactString,
    pub from: EntityId,
    pub to: EntityId,
    #[serde(with = "wire::text")]
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
    #[serde(with = "wire::text")]
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

/// How the graph's strings go through a binary format such as the load
/// cache's postcard: as bytes, encoded exactly as a string is (a length,
/// then UTF-8), and checked on the way in as ASCII first, a word at a time,
/// with the full UTF-8 check only for the few that are not. Postcard's own
/// check of a string went byte by byte up to the first aligned word, per
/// string: a sixth of the instructions of decoding the built-in graph (some
/// 9,000 short strings), and more at a million relations. Human-readable
/// formats (RON, JSON) read and write strings as before.
pub mod wire {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    /// `bytes` as text, if they are UTF-8.
    fn checked(bytes: &[u8]) -> Option<&str> {
        if bytes.is_ascii() {
            // SAFETY: ASCII is UTF-8.
            Some(unsafe { std::str::from_utf8_unchecked(bytes) })
        } else {
            std::str::from_utf8(bytes).ok()
        }
    }

    /// A text value of type `T` from a string or from bytes that are UTF-8.
    struct Text<T>(PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for Text<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            Ok(T::from(text))
        }

        fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<T, E> {
            checked(bytes)
                .map(T::from)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Bytes(bytes), &self))
        }
    }

    /// Reads one text in the way the format needs.
    fn read<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(d: D) -> Result<T, D::Error> {
        if d.is_human_readable() {
            d.deserialize_str(Text(PhantomData))
        } else {
            d.deserialize_bytes(Text(PhantomData))
        }
    }

    /// One string field.
    pub mod text {
        use super::*;

        pub fn serialize<S: Serializer, T: AsRef<str>>(text: &T, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                s.serialize_str(text.as_ref())
            } else {
                s.serialize_bytes(text.as_ref().as_bytes())
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(
            d: D,
        ) -> Result<T, D::Error> {
            read(d)
        }
    }

    /// A list of strings.
    pub mod texts {
        use serde::ser::SerializeSeq;

        use super::*;

        /// One element of the list, written as [`text`] writes a field.
        struct Element<'t>(&'t str);

        impl serde::Serialize for Element<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                super::text::serialize(&self.0, s)
            }
        }

        /// One element of the list, read as [`text`] reads a field.
        struct Read(String);

        impl<'de> serde::Deserialize<'de> for Read {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                read(d).map(Read)
            }
        }

        pub fn serialize<S: Serializer>(texts: &[String], s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(texts.len()))?;
            for text in texts {
                seq.serialize_element(&Element(text))?;
            }
            seq.end()
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
            struct List;

            impl<'de> Visitor<'de> for List {
                type Value = Vec<String>;

                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a list of strings")
                }

                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
                    // A hint no larger than what a short list needs: a
                    // damaged length must not reserve much.
                    let mut texts = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                    while let Some(Read(text)) = seq.next_element()? {
                        texts.push(text);
                    }
                    Ok(texts)
                }
            }

            d.deserialize_seq(List)
        }
    }

    #[cfg(test)]
    mod tests {
        use crate::model::{Entity, SourceRef};

        fn entity(name: &str, aliases: &[&str]) -> Entity {
            Entity {
                name: name.into(),
                aliases: aliases.iter().map(|a| a.to_string()).collect(),
                description: format!("{name}, described"),
                tags: vec!["tag".to_string()],
                ..crate::model::fixture::person("x-1")
            }
        }

        /// Bytes are encoded exactly as strings are, so entries written
        /// before read alike; and every text comes back, ASCII or not.
        #[test]
        fn texts_are_encoded_as_strings_and_come_back_whole() {
            let r = SourceRef {
                id: "inter-services-intelligence-and-a-long-id".into(),
                section: "Ops".into(),
            };
            assert_eq!(
                postcard::to_allocvec(&r).unwrap(),
                postcard::to_allocvec(&(r.id.as_str(), r.section.as_str())).unwrap()
            );
            for e in [
                entity("Hamid Gul", &["Hameed Gul", "General Gul"]),
                entity("Muḥammad Ḍiyā’ al-Ḥaqq", &["Zia-ul-Haq", "ضیاء الحق"]),
                entity("", &[]),
            ] {
                let bytes = postcard::to_allocvec(&e).unwrap();
                assert_eq!(postcard::from_bytes::<Entity>(&bytes).unwrap(), e);
                let json = serde_json::to_string(&e).unwrap();
                assert!(json.contains(&format!("\"name\":\"{}\"", e.name)), "{json}");
                assert_eq!(serde_json::from_str::<Entity>(&json).unwrap(), e);
                let ron = ron::to_string(&e).unwrap();
                assert_eq!(ron::from_str::<Entity>(&ron).unwrap(), e);
            }
        }

        /// Bytes that are not UTF-8 are refused, wherever they stand in a
        /// text; ASCII is not the only UTF-8 accepted.
        #[test]
        fn bytes_that_are_not_utf8_are_refused() {
            for text in [
                &b"\xff"[..],
                b"abc\xc3",
                b"ab\xe2\x80cd",
                b"\xed\xa0\x80",
                b"ok \xc0\xaf",
            ] {
                let mut bytes = vec![text.len() as u8];
                bytes.extend_from_slice(text);
                bytes.extend_from_slice(&[2, b'o', b'k']);
                assert!(
                    postcard::from_bytes::<SourceRef>(&bytes).is_err(),
                    "{text:?}"
                );
            }
            let good = postcard::to_allocvec(&("é ’ ع", "ok")).unwrap();
            let r = postcard::from_bytes::<SourceRef>(&good).unwrap();
            assert_eq!(r.id, "é ’ ع");
        }
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
