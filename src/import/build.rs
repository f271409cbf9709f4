//! What every input format hands over: entities and relations as the input
//! names them (its own ids, kinds and types as written), each with its place
//! in the input. [`Builder::finish`] turns them into the loader's raw records:
//! ids made and matched, references resolved, kinds, types and sources the
//! schema lacks created, and every row that cannot be used set aside with its
//! line and the reason.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use compact_str::CompactString;
use indexmap::IndexMap;
use serde::Serialize;
use thin_vec::ThinVec;

use super::ids::{Ids, slugify, usable};
use crate::load::raw::{Located, RawEntity, RawRelation};
use crate::model::{Graph, KindDef, RelationTypeDef, Schema, Section, Source, SourceRef, Status};
use crate::props::{PropValue, Props};
use crate::suggest::did_you_mean;
use crate::when::{Date, Period};

/// The attribute that keeps an input id that could not be used as it is.
pub const ORIGINAL_ID: &str = "original_id";

/// Where a record was read: its file, its index among the file's records
/// (for [`super::locate`]) and its line (for the summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub file: usize,
    pub index: usize,
    pub line: usize,
}

/// An entity as the input gives it.
#[derive(Debug, Clone, Default)]
pub struct InEntity {
    /// The input's id (empty when it has none).
    pub input_id: String,
    pub name: String,
    /// As written; made a slug when the graph's kinds do not have it.
    pub kind: String,
    pub aliases: Vec<String>,
    pub description: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub tags: Vec<String>,
    pub props: Props,
}

/// A relation as the input gives it: ends and parties by input id.
#[derive(Debug, Clone, Default)]
pub struct InRelation {
    pub from: String,
    pub to: String,
    pub rel_type: String,
    /// As written; empty for the default status. (A reader may hand one of
    /// the statuses' own names instead of a copy: a million rows each
    /// allocating and freeing "established" cost a third of a second.)
    pub status: Cow<'static, str>,
    pub claimed_by: Vec<String>,
    pub denied_by: Vec<String>,
    pub doubted_by: Vec<String>,
    pub retracted_by: Vec<String>,
    pub date: Option<String>,
    pub period: Option<String>,
    /// A cited source: id, section and what is known of it.
    pub source: Option<InSource>,
    pub note: String,
    pub weight: Option<String>,
    pub props: Props,
    /// How the input labels the type (`label` in GraphML, `role` in FtM).
    pub type_label: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct InSource {
    pub id: String,
    pub section: String,
    pub title: Option<String>,
    pub section_title: Option<String>,
    pub url: Option<String>,
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// How rows are completed.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub status: Status,
    pub kind: String,
    pub rel_type: String,
    /// New relation types read the same both ways (undirected input).
    pub symmetric: bool,
}

/// What is already there: the schema and sources to extend, and the graph
/// whose entities incoming ids may match.
pub struct Base<'a> {
    pub schema: &'a Schema,
    pub sources: &'a [Source],
    pub graph: Option<&'a Graph>,
}

#[derive(Default)]
pub struct Builder {
    pub file_names: Vec<String>,
    entities: Vec<(InEntity, Place)>,
    relations: Vec<(InRelation, Place)>,
    pub skipped: Vec<Skipped>,
    /// Entities may be created for ends no nodes file lists (edge lists).
    pub create_missing: bool,
    /// The input says its edges have no direction (GraphML's edgedefault).
    pub undirected: bool,
    /// A relation's label in the input names its type's label (for a new
    /// graph, whose vocabulary is only a starting point).
    pub relabel: bool,
}

/// The builder's result: raw records ready for validation, and what it did.
pub struct Built {
    pub entities: Vec<Located<RawEntity>>,
    pub relations: Vec<Located<RawRelation>>,
    pub schema: Schema,
    pub sources: Vec<Source>,
    pub new_kinds: Vec<(String, KindDef)>,
    pub new_types: Vec<(String, RelationTypeDef)>,
    pub new_sources: Vec<Source>,
    /// Incoming entities that matched one already in the graph.
    pub matched: usize,
    /// Ids made from names (or from unusable input ids).
    pub made_ids: usize,
    /// Entities created for ends no nodes file listed.
    pub created_for_ends: usize,
    pub skipped: Vec<Skipped>,
    pub entities_read: usize,
    pub relations_read: usize,
}

const PALETTE: [&str; 10] = [
    "#fde9c9", "#cfe2f3", "#d9ead3", "#f4cccc", "#fff2cc", "#d9d2e9", "#fce5cd", "#d0e0e3",
    "#ead1dc", "#e6e0f8",
];

/// A style for a kind nobody styled yet: a box in a colour picked from the
/// kind's name, so the same kind always looks the same.
pub fn default_kind(key: &str) -> KindDef {
    let hash = key
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    KindDef {
        label: words(key),
        shape: "box".to_string(),
        color: PALETTE[hash as usize % PALETTE.len()].to_string(),
    }
}

/// Labels for a relation type nobody described yet.
pub fn default_type(key: &str, symmetric: bool) -> RelationTypeDef {
    let label = words(key).to_lowercase();
    RelationTypeDef {
        inverse: if symmetric {
            label.clone()
        } else {
            format!("{label} (reversed)")
        },
        label,
        symmetric,
        accuses: false,
        from: Vec::new(),
        to: Vec::new(),
    }
}

/// `militant-group` → `Militant group`.
fn words(key: &str) -> String {
    let spaced = key.replace('-', " ");
    let mut c = spaced.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => spaced,
    }
}

/// A kind or type as written made a key: `MEMBER_OF` → `member-of`,
/// `MilitantGroup` → `militant-group`, `Works for` → `works-for`.
pub fn vocabulary_key(text: &str) -> String {
    let mut spaced = String::with_capacity(text.len() + 4);
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        spaced.push(c);
    }
    slugify(&spaced)
}

impl Builder {
    pub fn add_file(&mut self, name: &str) -> usize {
        self.file_names.push(name.to_string());
        self.file_names.len() - 1
    }

    pub fn entity(&mut self, e: InEntity, place: Place) {
        self.entities.push((e, place));
    }

    pub fn relation(&mut self, r: InRelation, place: Place) {
        self.relations.push((r, place));
    }

    /// Many entities at once, moved out of `rows`.
    pub fn add_entities(&mut self, rows: &mut Vec<(InEntity, Place)>) {
        self.entities.append(rows);
    }

    /// Many relations at once, moved out of `rows`.
    pub fn add_relations(&mut self, rows: &mut Vec<(InRelation, Place)>) {
        self.relations.append(rows);
    }

    pub fn skip(&mut self, place: Place, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            file: self.file_names[place.file].clone(),
            line: place.line,
            reason: reason.into(),
        });
    }

    pub fn entities_read(&self) -> usize {
        self.entities.len()
    }

    /// Resolves everything against `base`.
    pub fn finish(mut self, base: &Base, defaults: &Defaults) -> Built {
        let entities_read = self.entities.len();
        let relations_read = self.relations.len();
        let mut schema = base.schema.clone();
        let mut new_kinds = Vec::new();
        let mut new_types = Vec::new();

        // Ids: the graph's own first, then usable input ids, then made ones.
        // The tables are sized for every entity up front: growing them one
        // doubling at a time rehashes a quarter of a million ids again and again.
        let existing = base.graph.map_or(0, |g| g.entities.len());
        let mut ids = Ids::with_capacity(existing + self.entities.len());
        let mut known: HashMap<String, String> =
            HashMap::with_capacity(existing + self.entities.len());
        let mut matched = 0;
        // Entities given without an id are known by their name (when no other
        // entity has it): relations may name them, and a re-import matches them.
        let mut by_name: HashMap<String, Option<String>> = HashMap::new();
        if let Some(g) = base.graph {
            for e in &g.entities {
                ids.reserve(&e.id);
                known.insert(e.id.to_string(), e.id.to_string());
                by_name
                    .entry(e.name.to_string())
                    .and_modify(|v| *v = None)
                    .or_insert(Some(e.id.to_string()));
            }
            for e in &g.entities {
                if let Some(PropValue::Text(original)) = e.props.get(ORIGINAL_ID) {
                    known.entry(original.clone()).or_insert(e.id.to_string());
                }
            }
        }
        let mut first_line: HashMap<String, Place> = HashMap::with_capacity(self.entities.len());
        // Filtered and converted in the entities' own vectors (Rust reuses
        // their memory): no second and third copy of a quarter of a million.
        let entities = std::mem::take(&mut self.entities);
        let keep: Vec<(InEntity, Place)> = entities
            .into_iter()
            .filter(|(e, place)| {
                let place = *place;
                let key = (!e.input_id.is_empty()).then_some(e.input_id.as_str());
                if let Some(key) = key {
                    if let Some(first) = first_line.get(key) {
                        let reason = format!(
                            "duplicate id \"{key}\" (first at {}:{})",
                            self.file_names[first.file], first.line
                        );
                        self.skip(place, reason);
                        return false;
                    }
                    first_line.insert(key.to_string(), place);
                    if known.contains_key(key) {
                        matched += 1;
                        return false;
                    }
                }
                if e.name.trim().is_empty() && e.input_id.trim().is_empty() {
                    self.skip(place, "no id and no name");
                    return false;
                }
                if key.is_none()
                    && let Some(Some(id)) = by_name.get(&e.name)
                {
                    known.entry(e.name.clone()).or_insert(id.clone());
                    matched += 1;
                    return false;
                }
                true
            })
            .collect();
        let mut reserved = vec![false; keep.len()];
        for (i, (e, _)) in keep.iter().enumerate() {
            if usable(&e.input_id) && !ids.is_taken(&e.input_id) {
                ids.reserve(&e.input_id);
                known.insert(e.input_id.clone(), e.input_id.clone());
                reserved[i] = true;
            }
        }
        let mut made_ids = 0;
        let mut raw_entities: Vec<Located<RawEntity>> = keep
            .into_iter()
            .enumerate()
            .map(|(i, (mut e, place))| {
                let had_input_id = !e.input_id.is_empty();
                let id = if reserved[i] {
                    // The input id is the id (taken, not copied).
                    std::mem::take(&mut e.input_id)
                } else {
                    made_ids += 1;
                    let from = if e.name.trim().is_empty() {
                        &e.input_id
                    } else {
                        &e.name
                    };
                    let id = ids.make(from, "entity");
                    if !e.input_id.is_empty() {
                        e.props
                            .insert(ORIGINAL_ID.to_string(), PropValue::Text(e.input_id.clone()));
                        known.insert(e.input_id.clone(), id.clone());
                    }
                    id
                };
                if !had_input_id {
                    // Known by its made id, and by its name unless another has it.
                    known.entry(id.clone()).or_insert(id.clone());
                    match by_name.get(&e.name) {
                        None => {
                            by_name.insert(e.name.clone(), Some(id.clone()));
                            known.entry(e.name.clone()).or_insert(id.clone());
                        }
                        Some(Some(other)) if known.get(&e.name) == Some(other) => {
                            known.remove(&e.name);
                        }
                        _ => {}
                    }
                }
                let name = if !e.name.trim().is_empty() {
                    e.name
                } else if reserved[i] {
                    id.clone()
                } else {
                    e.input_id.clone()
                };
                let kind = self.kind(e.kind, defaults, &mut schema, &mut new_kinds);
                Located {
                    value: RawEntity {
                        id: id.into(),
                        name: name.into(),
                        kind: kind.into(),
                        aliases: e.aliases,
                        description: e.description,
                        start: e.start,
                        end: e.end,
                        tags: e.tags,
                        props: e.props,
                    },
                    file: place.file,
                    index: place.index,
                }
            })
            .collect();

        // Relations.
        let mut sources: IndexMap<String, Source> = IndexMap::new();
        let base_sources: HashSet<&str> = base.sources.iter().map(|s| s.id.as_str()).collect();
        let mut file_sources: HashMap<usize, SourceRef> = HashMap::new();
        let mut created_for_ends = 0;
        let relations = std::mem::take(&mut self.relations);
        // Collected from the rows' own vector, whose memory Rust reuses for
        // the raw records (they are no larger): at a million relations that
        // spares a third of a gigabyte, and the time to fault it in.
        let raw_relations: Vec<Located<RawRelation>> = relations
            .into_iter()
            .filter_map(|(r, place)| {
                // Ends and parties: the usual row names known entities (each
                // end looked up once, here); otherwise the row creates what it
                // names (edge lists) or is skipped, as the first it cannot use.
                let parties = [&r.claimed_by, &r.denied_by, &r.doubted_by, &r.retracted_by];
                let (from, to) = match (known.get(&r.from), known.get(&r.to)) {
                    (Some(from), Some(to))
                        if !r.from.is_empty()
                            && !r.to.is_empty()
                            && parties.iter().all(|list| {
                                list.iter().all(|x| !x.is_empty() && known.contains_key(x))
                            }) =>
                    {
                        (from, to)
                    }
                    _ => {
                        let mut unknown = None;
                        for (field, refs) in [
                            ("from", std::slice::from_ref(&r.from)),
                            ("to", std::slice::from_ref(&r.to)),
                            ("claimed_by", &r.claimed_by[..]),
                            ("denied_by", &r.denied_by[..]),
                            ("doubted_by", &r.doubted_by[..]),
                            ("retracted_by", &r.retracted_by[..]),
                        ] {
                            for reference in refs {
                                if reference.is_empty() {
                                    unknown = Some(format!("no `{field}` value"));
                                    break;
                                }
                                if known.contains_key(reference) {
                                    continue;
                                }
                                if self.create_missing {
                                    let id = ids.make(reference, "entity");
                                    let mut props = Props::new();
                                    if id != *reference {
                                        made_ids += 1;
                                        props.insert(
                                            ORIGINAL_ID.to_string(),
                                            PropValue::Text(reference.clone()),
                                        );
                                    }
                                    let kind = self.kind(
                                        String::new(),
                                        defaults,
                                        &mut schema,
                                        &mut new_kinds,
                                    );
                                    raw_entities.push(Located {
                                        value: RawEntity {
                                            id: id.as_str().into(),
                                            name: reference.as_str().into(),
                                            kind: kind.into(),
                                            aliases: Vec::new(),
                                            description: String::new(),
                                            start: None,
                                            end: None,
                                            tags: Vec::new(),
                                            props,
                                        },
                                        file: place.file,
                                        index: place.index,
                                    });
                                    known.insert(reference.clone(), id);
                                    created_for_ends += 1;
                                } else {
                                    let ids = first_line.keys().map(String::as_str);
                                    unknown = Some(unknown_entity(reference, field, ids));
                                    break;
                                }
                            }
                            if unknown.is_some() {
                                break;
                            }
                        }
                        if let Some(reason) = unknown {
                            self.skip(place, reason);
                            return None;
                        }
                        (&known[&r.from], &known[&r.to])
                    }
                };
                if from == to {
                    self.skip(place, format!("relation links \"{}\" to itself", r.from));
                    return None;
                }
                let status = if r.status.trim().is_empty() {
                    defaults.status
                } else {
                    match parse_status(&r.status) {
                        Some(s) => s,
                        None => {
                            let statuses = "established, reported, alleged or disputed";
                            self.skip(
                                place,
                                format!("unknown status \"{}\" ({statuses})", r.status),
                            );
                            return None;
                        }
                    }
                };
                // The row is owned: its strings move into the raw record rather
                // than being copied (a million rows make a copy cost seconds).
                let ids = |list: Vec<String>| -> ThinVec<CompactString> {
                    list.into_iter()
                        .map(|x| resolved(&known, x).into())
                        .collect()
                };
                let from = reuse(from, r.from);
                let to = reuse(to, r.to);
                let mut raw = Located {
                    value: RawRelation {
                        from: from.into(),
                        to: to.into(),
                        rel_type: CompactString::default(),
                        status,
                        claimed_by: ids(r.claimed_by),
                        denied_by: ids(r.denied_by),
                        doubted_by: ids(r.doubted_by),
                        retracted_by: ids(r.retracted_by),
                        date: r.date.filter(|d| !d.is_empty()).map(Into::into),
                        period: r.period.filter(|d| !d.is_empty()).map(Into::into),
                        source: SourceRef::default(),
                        note: r.note,
                        weight: None,
                        props: r.props,
                    },
                    file: place.file,
                    index: place.index,
                };
                if let Err(reason) = row_problems(&raw.value) {
                    self.skip(place, reason);
                    return None;
                }
                let weight = match r.weight.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(w) => match w.parse::<f64>() {
                        Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
                        _ => {
                            self.skip(
                                place,
                                format!("invalid weight \"{w}\": expected a number zero or above"),
                            );
                            return None;
                        }
                    },
                };
                let rel_type = self.rel_type(
                    r.rel_type,
                    r.type_label.as_deref(),
                    defaults,
                    &mut schema,
                    &mut new_types,
                );
                let source = match r.source {
                    Some(s) if !s.id.is_empty() => {
                        let section = if s.section.is_empty() {
                            "main".to_string()
                        } else {
                            s.section
                        };
                        let id = s.id;
                        if let Some(existing) = base.sources.iter().find(|b| b.id == id) {
                            if !existing.sections.iter().any(|x| x.id == section) {
                                self.skip(
                                    place,
                                    format!(
                                        "source \"{id}\" of the graph has no section \"{section}\""
                                    ),
                                );
                                return None;
                            }
                        } else {
                            let at = match sources.get_index_of(&id) {
                                Some(at) => at,
                                None => {
                                    let new = Source {
                                        id: id.clone(),
                                        title: s.title.unwrap_or_else(|| id.clone()),
                                        kind: "import".to_string(),
                                        file: None,
                                        url: s.url,
                                        sections: Vec::new(),
                                    };
                                    sources.insert_full(id.clone(), new).0
                                }
                            };
                            let entry = &mut sources[at];
                            if !entry.sections.iter().any(|x| x.id == section) {
                                entry.sections.push(Section {
                                    id: section.clone(),
                                    title: s.section_title.unwrap_or_else(|| section.clone()),
                                });
                            }
                        }
                        SourceRef {
                            id: id.into(),
                            section: section.into(),
                        }
                    }
                    _ => file_sources
                        .entry(place.file)
                        .or_insert_with(|| {
                            let name = &self.file_names[place.file];
                            let stem = std::path::Path::new(name)
                                .file_stem()
                                .map(|s| s.to_string_lossy().into_owned())
                                .unwrap_or_default();
                            let file = std::path::Path::new(name)
                                .file_name()
                                .map(|f| f.to_string_lossy().into_owned())
                                .unwrap_or_else(|| name.clone());
                            // Importing the same file again cites the source made
                            // for it the first time.
                            if let Some(s) = base.sources.iter().find(|s| {
                                s.kind == "import"
                                    && s.file.as_deref() == Some(file.as_str())
                                    && s.sections.iter().any(|x| x.id == "rows")
                            }) {
                                return SourceRef {
                                    id: s.id.as_str().into(),
                                    section: "rows".into(),
                                };
                            }
                            let mut id = slugify(&stem);
                            if id.is_empty() {
                                id = "import".to_string();
                            }
                            let mut n = 1;
                            let base_id = id.clone();
                            while base_sources.contains(id.as_str()) || sources.contains_key(&id) {
                                n += 1;
                                id = format!("{base_id}-{n}");
                            }
                            sources.insert(
                                id.clone(),
                                Source {
                                    id: id.clone(),
                                    title: format!("Imported from {file}"),
                                    kind: "import".to_string(),
                                    file: Some(file.clone()),
                                    url: None,
                                    sections: vec![Section {
                                        id: "rows".to_string(),
                                        title: format!("Rows of {file}"),
                                    }],
                                },
                            );
                            SourceRef {
                                id: id.into(),
                                section: "rows".into(),
                            }
                        })
                        .clone(),
                };
                raw.value.rel_type = rel_type.into();
                raw.value.source = source;
                raw.value.weight = weight;
                Some(raw)
            })
            .collect();
        let new_sources: Vec<Source> = sources.into_values().collect();
        let mut all_sources = base.sources.to_vec();
        all_sources.extend(new_sources.iter().cloned());
        Built {
            entities: raw_entities,
            relations: raw_relations,
            schema,
            sources: all_sources,
            new_kinds,
            new_types,
            new_sources,
            matched,
            made_ids,
            created_for_ends,
            skipped: self.skipped,
            entities_read,
            relations_read,
        }
    }

    /// The kind key for a kind as written (taken, not copied, when it is
    /// one of the schema's keys already).
    fn kind(
        &self,
        written: String,
        defaults: &Defaults,
        schema: &mut Schema,
        added: &mut Vec<(String, KindDef)>,
    ) -> String {
        let trimmed = written.trim();
        if schema.kinds.contains_key(trimmed) {
            if trimmed.len() == written.len() {
                return written;
            }
            return trimmed.to_string();
        }
        let written = trimmed;
        let mut key = vocabulary_key(written);
        if key.is_empty() {
            key = defaults.kind.clone();
        }
        if !schema.kinds.contains_key(&key) {
            let def = default_kind(&key);
            schema.kinds.insert(key.clone(), def.clone());
            added.push((key.clone(), def));
        }
        key
    }

    /// The type key for a type as written (taken, not copied, when it is
    /// one of the schema's keys already).
    fn rel_type(
        &self,
        written: String,
        label: Option<&str>,
        defaults: &Defaults,
        schema: &mut Schema,
        added: &mut Vec<(String, RelationTypeDef)>,
    ) -> String {
        let trimmed = written.trim();
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        if let Some(def) = schema.relation_types.get_mut(trimmed) {
            if self.relabel
                && let Some(label) = label
                && def.label != label
            {
                def.label = label.to_string();
                if def.symmetric {
                    def.inverse = label.to_string();
                }
            }
            if trimmed.len() == written.len() {
                return written;
            }
            return trimmed.to_string();
        }
        let written = trimmed;
        let mut key = vocabulary_key(written);
        if key.is_empty() {
            key = defaults.rel_type.clone();
        }
        if key == "accused-by" {
            key = "accused-by-link".to_string();
        }
        if !schema.relation_types.contains_key(&key) {
            let mut def = default_type(&key, defaults.symmetric);
            if let Some(label) = label {
                def.label = label.to_string();
                if def.symmetric {
                    def.inverse = label.to_string();
                } else {
                    def.inverse = format!("{label} (reversed)");
                }
            }
            schema.relation_types.insert(key.clone(), def.clone());
            added.push((key.clone(), def));
        }
        key
    }
}

pub fn parse_status(text: &str) -> Option<Status> {
    let text = text.trim();
    if text.is_ascii() {
        // The same answer without a lower-cased copy per row.
        return Status::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text));
    }
    let folded = text.to_lowercase();
    Status::ALL.into_iter().find(|s| s.as_str() == folded)
}

/// Why a row is skipped for naming no entity, with the input id it may
/// have meant.
fn unknown_entity<'a>(reference: &str, field: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let hint = did_you_mean(reference, ids)
        .map(|h| format!("; {h}"))
        .unwrap_or_default();
    format!("unknown entity \"{reference}\" in `{field}`{hint}")
}

/// The id a reference resolved to, reusing the reference's own string when
/// it is the id already.
fn resolved(known: &HashMap<String, String>, reference: String) -> String {
    reuse(&known[&reference], reference)
}

/// `id`, as the reference's own string when they are the same.
fn reuse(id: &str, reference: String) -> String {
    if id == reference {
        reference
    } else {
        id.to_string()
    }
}

/// The loader's rules for one relation that an importer can check on its
/// own, so a bad row is set aside rather than failing the whole import.
fn row_problems(r: &RawRelation) -> Result<(), String> {
    if r.status.is_claim() && r.claimed_by.is_empty() {
        return Err(format!(
            "{} relation without a claimant (claimed_by)",
            r.status.as_str()
        ));
    }
    let contested =
        !(r.denied_by.is_empty() && r.doubted_by.is_empty() && r.retracted_by.is_empty());
    if r.status == Status::Disputed && !contested {
        return Err("disputed relation that nobody denies, doubts or retracts".to_string());
    }
    if r.status != Status::Disputed && contested {
        return Err(format!(
            "a contested claim must be disputed, not {}",
            r.status.as_str()
        ));
    }
    for id in &r.retracted_by {
        if !r.claimed_by.contains(id) {
            return Err(format!("\"{id}\" retracts a claim it does not make"));
        }
    }
    match (&r.date, &r.period) {
        (Some(_), Some(_)) => return Err("both a date and a period".to_string()),
        (Some(d), None) => {
            Date::parse(d).map_err(|e| format!("invalid date: expected {}", e.0))?;
        }
        (None, Some(p)) => {
            let p = Period::parse(p).map_err(|e| format!("invalid period: expected {}", e.0))?;
            if p.is_inverted() {
                return Err("the period ends before it starts".to_string());
            }
        }
        (None, None) => {}
    }
    Ok(())
}

/// A date cell as an importer reads it: a linkchart date, or an ISO date
/// or timestamp cut to the day (`2010-05-01T00:00:00Z` → `2010-05-01`).
pub fn date_cell(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if Date::parse(t).is_ok() {
        return Some(t.to_string());
    }
    let day = t.get(..10).filter(|d| Date::parse(d).is_ok());
    Some(day.map_or(t.to_string(), str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_keys() {
        assert_eq!(vocabulary_key("MEMBER_OF"), "member-of");
        assert_eq!(vocabulary_key("MilitantGroup"), "militant-group");
        assert_eq!(vocabulary_key("Works for"), "works-for");
        assert_eq!(vocabulary_key("person"), "person");
    }

    #[test]
    fn timestamps_become_days() {
        assert_eq!(
            date_cell("2010-05-01T00:00:00Z").as_deref(),
            Some("2010-05-01")
        );
        assert_eq!(date_cell("~1990").as_deref(), Some("~1990"));
        assert_eq!(date_cell(" ").as_deref(), None);
    }
}
