//! Cheapest routes by relation weight (`path --weighted`): each step costs
//! the lightest relation (or derived edge, at its claim's weight) that links
//! its two entities under the filter; a relation without a weight costs 1,
//! as networkx counts a missing weight. Routes come from the route search's
//! Yen algorithm ([`super::routes::yen`]), which adds whole units: a weight
//! counts in millionths. Every cheapest route, or the k cheapest loopless
//! ones. The hop bound (`--max-hops`) does not apply.

use super::routes::{ENUMERATION_CAP, Space, yen};
use super::{Filter, Step, Walk, evidence};
use crate::index::Index;
use crate::model::EntityId;

/// Units of cost per unit of weight.
const UNITS: f64 = 1_000_000.0;
/// The most one step may cost in units, so that sums cannot overflow.
const MAX_STEP_UNITS: f64 = 1e15;

/// What a relation costs to follow.
pub fn relation_cost(index: &Index, edge: crate::index::Edge) -> f64 {
    index.relation(edge.relation()).weight.unwrap_or(1.0)
}

/// Whether two route weights are the same cost, to a millionth.
pub fn same_cost(a: f64, b: f64) -> bool {
    units(a) == units(b)
}

fn units(weight: f64) -> u64 {
    (weight.max(0.0) * UNITS).round().min(MAX_STEP_UNITS) as u64
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
    let space = Space {
        index,
        filter,
        walk,
    };
    let cost = |u: EntityId, v: EntityId| {
        let c = step_cost(index, filter, walk, u, v);
        c.is_finite().then(|| units(c))
    };
    let hops = index.graph.entities.len();
    let total = |r: &[EntityId]| -> u64 { r.windows(2).filter_map(|w| cost(w[0], w[1])).sum() };
    if let Some(k) = k {
        return (yen(space, s, t, k, hops, &cost), false);
    }
    // Every route that ties for cheapest: Yen's routes come cheapest first,
    // so ask for more until one costs more than the first.
    let mut k = 8;
    loop {
        let found = yen(space, s, t, k, hops, &cost);
        let Some(best) = found.first().map(|r| total(r)) else {
            return (found, false);
        };
        let ties = found.iter().take_while(|r| total(r) == best).count();
        if ties < found.len() || found.len() < k {
            return (found.into_iter().take(ties).collect(), false);
        }
        if k >= ENUMERATION_CAP {
            return (found, true);
        }
        k = (k * 4).min(ENUMERATION_CAP);
    }
}
