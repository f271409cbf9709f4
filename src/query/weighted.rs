//! Cheapest routes by relation weight (`path --weighted`): each step costs
//! the lightest relation (or derived edge, at its claim's weight) that links
//! its two entities under the filter; a relation without a weight costs 1,
//! as networkx counts a missing weight. Routes come from
//! [`super::kshortest`]: every cheapest route, or the k cheapest loopless
//! ones. The hop bound (`--max-hops`) does not apply.

use super::kshortest::{Costed, all_cheapest, k_cheapest};
use super::routes::ENUMERATION_CAP;
use super::{Filter, Step, Walk, evidence, neighbours};
use crate::index::Index;
use crate::model::EntityId;

/// What a relation costs to follow.
pub fn relation_cost(index: &Index, edge: crate::index::Edge) -> f64 {
    index.relation(edge.relation()).weight.unwrap_or(1.0)
}

/// The cost of one step from `a` to `b`: its lightest evidence.
fn step_cost(index: &Index, filter: &Filter, walk: Walk, a: EntityId, b: EntityId) -> f64 {
    evidence(index, filter, walk, a, b)
        .iter()
        .map(|ev| relation_cost(index, index.edge(ev.edge)))
        .fold(f64::INFINITY, f64::min)
}

/// A route's weight: the sum of its steps' lightest evidence.
pub fn route_weight(index: &Index, steps: &[Step]) -> f64 {
    steps
        .iter()
        .map(|s| {
            s.evidence
                .iter()
                .map(|ev| relation_cost(index, index.edge(ev.edge)))
                .fold(f64::INFINITY, f64::min)
        })
        .filter(|c| c.is_finite())
        .sum()
}

/// The cheapest routes from `s` to `t`: all that tie for cheapest, or the
/// `k` cheapest; the flag says whether the enumeration cap cut them short.
pub fn routes(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: EntityId,
    t: EntityId,
    k: Option<usize>,
) -> (Vec<Vec<EntityId>>, bool) {
    let succ = |u: u32, out: &mut Vec<(u32, f64)>| {
        for &v in neighbours(index, filter, walk, EntityId(u), false).iter() {
            let c = step_cost(index, filter, walk, EntityId(u), EntityId(v));
            if c.is_finite() {
                out.push((v, c));
            }
        }
    };
    let n = index.graph.entities.len();
    let found: Vec<Costed> = match k {
        Some(k) => k_cheapest(n, &succ, s.0, t.0, k),
        None => all_cheapest(n, &succ, s.0, t.0, ENUMERATION_CAP),
    };
    let truncated = k.is_none() && found.len() == ENUMERATION_CAP;
    (
        found
            .into_iter()
            .map(|c| c.nodes.into_iter().map(EntityId).collect())
            .collect(),
        truncated,
    )
}
