//! What a graph holds: counts by kind, relation type and status, derived
//! edges, tags, attribute keys and weights, and the most connected entities.
//! The tags, keys and weights are what `--tag`, `--where` and `--weighted`
//! can work on, so a front end can offer them (or say there are none).

use indexmap::IndexMap;
use serde::Serialize;

use crate::index::Index;
use crate::model::{EntityId, Status};

/// The stats JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct Stats<'g> {
    pub entities: usize,
    pub relations: usize,
    pub derived_accused_by_edges: usize,
    /// Kinds in schema order, with how many entities each has (only kinds in use).
    pub by_kind: IndexMap<&'g str, usize>,
    /// Types by count, most used first, then by name.
    pub by_type: IndexMap<&'g str, usize>,
    pub by_status: IndexMap<&'static str, usize>,
    /// Tags with how many entities carry each, most used first, then by name.
    pub by_tag: IndexMap<&'g str, usize>,
    /// Entities' attribute keys, by name, with how many entities have each.
    pub entity_attributes: IndexMap<&'g str, usize>,
    /// Relations' attribute keys, by name, with how many relations have each.
    pub relation_attributes: IndexMap<&'g str, usize>,
    /// Relations with a `weight` (the others cost 1 in weighted routes).
    pub weighted_relations: usize,
    pub most_connected: Vec<Hub<'g>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hub<'g> {
    pub id: &'g str,
    pub name: &'g str,
    /// Distinct neighbours over stored relations.
    pub neighbors: usize,
    #[serde(skip)]
    pub entity: EntityId,
}

/// How often each string occurs, in no particular order (every caller
/// sorts). foldhash: at a million relations SipHash led `stats`' profile.
fn count<'g>(items: impl Iterator<Item = &'g str>) -> IndexMap<&'g str, usize> {
    let mut counts: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// Counts, and the `top` most connected entities.
pub fn stats(index: &Index, top: usize) -> Stats<'_> {
    let g = &index.graph;
    // Schema order first, so the table reads like the vocabulary.
    let mut by_kind: IndexMap<&str, usize> =
        g.schema.kinds.keys().map(|k| (k.as_str(), 0)).collect();
    for e in &g.entities {
        *by_kind.entry(&e.kind).or_default() += 1;
    }
    by_kind.retain(|_, n| *n > 0);
    let mut by_type = count(g.relations.iter().map(|r| r.rel_type.as_str()));
    by_type.sort_by(|a, na, b, nb| nb.cmp(na).then(a.cmp(b)));
    let by_status = Status::ALL
        .iter()
        .map(|&s| {
            (
                s.as_str(),
                g.relations.iter().filter(|r| r.status == s).count(),
            )
        })
        .collect();
    let mut by_tag = count(
        g.entities
            .iter()
            .flat_map(|e| e.tags.iter().map(String::as_str)),
    );
    by_tag.sort_by(|a, na, b, nb| nb.cmp(na).then(a.cmp(b)));
    let mut entity_attributes = count(
        g.entities
            .iter()
            .flat_map(|e| e.props.keys().map(String::as_str)),
    );
    entity_attributes.sort_keys();
    let mut relation_attributes = count(
        g.relations
            .iter()
            .flat_map(|r| r.props.keys().map(String::as_str)),
    );
    relation_attributes.sort_keys();
    let weighted_relations = g.relations.iter().filter(|r| r.weight.is_some()).count();
    let derived_accused_by_edges = index.net.edge_weights().filter(|e| e.is_derived()).count();
    let mut hubs: Vec<(usize, EntityId)> = g.entity_ids().map(|i| (index.degree(i), i)).collect();
    hubs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hubs.truncate(top);
    Stats {
        entities: g.entities.len(),
        relations: g.relations.len(),
        derived_accused_by_edges,
        by_kind,
        by_type,
        by_status,
        by_tag,
        entity_attributes,
        relation_attributes,
        weighted_relations,
        most_connected: hubs
            .into_iter()
            .map(|(neighbors, i)| Hub {
                id: &g.entity(i).id,
                name: &g.entity(i).name,
                neighbors,
                entity: i,
            })
            .collect(),
    }
}
