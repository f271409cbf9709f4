//! What lies within N steps of an entity: one breadth-first search, level
//! by level, each entity with the entities of the level before that reach
//! it. Used by `neighbors` and by `--around` selections.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use serde::Serialize;

use super::view::EntityRef;
use super::{Filter, Walk, neighbours};
use crate::index::Index;
use crate::model::EntityId;

/// The entities around one entity, by distance.
#[derive(Debug, Clone)]
pub struct Neighbourhood {
    pub start: EntityId,
    pub depth: usize,
    /// The filter used (with the start as its endpoint) and the walk, for
    /// reading the evidence between levels.
    pub filter: Filter,
    pub walk: Walk,
    /// Level `d` holds the entities `d + 1` steps away, each with the
    /// entities one step closer that link to it; sorted by name, then id.
    pub levels: Vec<Vec<(EntityId, Vec<EntityId>)>>,
}

impl Neighbourhood {
    /// How many entities were reached (the start not counted).
    pub fn len(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The start and every entity reached, in id order.
    pub fn entities(&self) -> Vec<EntityId> {
        let mut all: Vec<EntityId> = std::iter::once(self.start)
            .chain(self.levels.iter().flatten().map(|(e, _)| *e))
            .collect();
        all.sort_unstable();
        all
    }
}

/// Breadth-first from `start` under `filter` (the start is exempt from it).
pub fn neighbourhood(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    start: EntityId,
    depth: usize,
) -> Neighbourhood {
    let mut filter = filter.clone();
    filter.endpoints = vec![start];
    let mut distance = HashMap::new();
    distance.insert(start, 0usize);
    let mut levels: Vec<Vec<(EntityId, Vec<EntityId>)>> = Vec::new();
    let mut frontier = vec![start];
    for d in 1..=depth {
        let mut found: BTreeMap<EntityId, Vec<EntityId>> = BTreeMap::new();
        for &u in &frontier {
            for &v in neighbours(index, &filter, walk, u, false).iter() {
                let v = EntityId(v);
                if distance.get(&v).is_none_or(|&dv| dv == d) {
                    distance.insert(v, d);
                    found.entry(v).or_default().push(u);
                }
            }
        }
        if found.is_empty() {
            break;
        }
        frontier = found.keys().copied().collect();
        let mut level: Vec<(EntityId, Vec<EntityId>)> = found.into_iter().collect();
        level.sort_by(|a, b| {
            index
                .entity(a.0)
                .name
                .cmp(&index.entity(b.0).name)
                .then(a.0.cmp(&b.0))
        });
        levels.push(level);
    }
    Neighbourhood {
        start,
        depth,
        filter,
        walk,
        levels,
    }
}

/// The neighbourhood JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourhoodView<'g> {
    pub entity: EntityRef<'g>,
    pub depth: usize,
    pub levels: Vec<LevelView<'g>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelView<'g> {
    pub distance: usize,
    pub entities: Vec<ReachedView<'g>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReachedView<'g> {
    pub id: &'g str,
    pub name: &'g str,
    pub kind: &'g str,
    pub reached_from: Vec<&'g str>,
}

impl Neighbourhood {
    pub fn view<'g>(&self, index: &'g Index) -> NeighbourhoodView<'g> {
        let g = &index.graph;
        NeighbourhoodView {
            entity: EntityRef::of(g, self.start),
            depth: self.depth,
            levels: self
                .levels
                .iter()
                .enumerate()
                .map(|(d, level)| LevelView {
                    distance: d + 1,
                    entities: level
                        .iter()
                        .map(|(v, parents)| {
                            let e = g.entity(*v);
                            ReachedView {
                                id: &e.id,
                                name: &e.name,
                                kind: &e.kind,
                                reached_from: g.ids(parents),
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
