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
    // The relations in one pass, not one per count: a million of them are
    // a quarter of a gigabyte to walk.
    let mut types: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut statuses = [0; Status::ALL.len()];
    let mut relation_keys: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut weighted_relations = 0;
    for r in &g.relations {
        *types.entry(r.rel_type.as_str()).or_default() += 1;
        statuses[r.status as usize] += 1;
        for key in r.props.keys() {
            *relation_keys.entry(key.as_str()).or_default() += 1;
        }
        weighted_relations += usize::from(r.weight.is_some());
    }
    let mut by_type: IndexMap<&str, usize> = types.into_iter().collect();
    by_type.sort_by(|a, na, b, nb| nb.cmp(na).then(a.cmp(b)));
    let by_status = Status::ALL
        .iter()
        .map(|&s| (s.as_str(), statuses[s as usize]))
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
    let mut relation_attributes: IndexMap<&str, usize> = relation_keys.into_iter().collect();
    relation_attributes.sort_keys();
    let derived_accused_by_edges = index.net.edge_weights().filter(|e| e.is_derived()).count();
    let mut hubs: Vec<(usize, EntityId)> = g.entity_ids().map(|i| (index.degree(i), i)).collect();
    // Most neighbours first, then by entity: the `top` picked out before
    // they are sorted, not every entity sorted.
    let order = |a: &(usize, EntityId), b: &(usize, EntityId)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if top < hubs.len() {
        hubs.select_nth_unstable_by(top, order);
        hubs.truncate(top);
    }
    hubs.sort_unstable_by(order);
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

#[cfg(test)]
mod tests {
    use super::stats;
    use crate::index::Index;

    /// The `top` most connected, picked out before sorting, are the first
    /// `top` of every entity sorted, for every `top`.
    #[test]
    fn the_most_connected_are_the_head_of_the_whole_order() {
        let graph = crate::load::load(crate::load::read::embedded_inputs())
            .unwrap()
            .graph;
        let index = Index::new(graph);
        let n = index.graph.entities.len();
        let all: Vec<_> = stats(&index, n)
            .most_connected
            .iter()
            .map(|h| (h.neighbors, h.entity))
            .collect();
        assert_eq!(all.len(), n);
        assert!(
            all.windows(2)
                .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1))
        );
        for top in [0, 1, 2, 5, 17, n - 1, n + 3] {
            let head: Vec<_> = stats(&index, top)
                .most_connected
                .iter()
                .map(|h| (h.neighbors, h.entity))
                .collect();
            assert_eq!(head, all[..top.min(n)], "top {top}");
        }
    }
}
