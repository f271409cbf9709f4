//! The strongest entities of a neighbourhood level first, for charts that
//! show a hub's neighbours a few at a time: by the weight of the best
//! evidence that reaches each entity from the level before (established
//! first), then by how many relations do, then by name.

use super::neighbourhood::Neighbourhood;
use super::{evidence, rank};
use crate::index::Index;

/// Indices into `around.levels[level]`, strongest first.
pub fn strongest_first(index: &Index, around: &Neighbourhood, level: usize) -> Vec<usize> {
    let Some(entities) = around.levels.get(level) else {
        return Vec::new();
    };
    let mut scored: Vec<(f64, usize, usize)> = entities
        .iter()
        .enumerate()
        .map(|(i, (v, parents))| {
            let mut best = f64::INFINITY;
            let mut count = 0;
            for &p in parents {
                for ev in evidence(index, &around.filter, around.walk, p, *v) {
                    best = best.min(rank::edge_weight(index, index.edge(ev.edge)));
                    count += 1;
                }
            }
            (best, count, i)
        })
        .collect();
    // Levels are sorted by name already, so the index breaks ties by name.
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|(_, _, i)| i).collect()
}
