//! How routes are ranked.
//!
//! Hop count comes first: a shorter connection is a closer one. Among routes
//! of the same length, the cost is
//!
//! ```text
//! cost = Σ over intermediate entities  ln(1 + n)
//!      + Σ over steps                  weight(strongest evidence on the step)
//! weight: established 0, reported 0.5, alleged 1.5, disputed 2.5
//!         (+0.5 when the strongest evidence is a derived accused-by edge)
//! ```
//!
//! where n says how ordinary it is to be linked through that entity: its
//! number of distinct neighbours, or, when the route enters and leaves it by
//! the same relation from the same side (both headed the ISI, both were
//! funded by it), the number of entities that share that role with it, if
//! smaller. Passing through a hub ("Pakistan", "United States") says little;
//! sharing a role a few hold says more; a step that rests only on an
//! allegation says less than one that is established. Lower is better; ties
//! are broken by the entity ids, so the order is deterministic.

use crate::index::{Edge, Index};
use crate::model::{EntityId, Status};

use super::{Evidence, Step};

/// A role two entities share through an intermediate: both are linked to it
/// by `rel_type`, with it at the same end (`to` when `entity_is_to`).
#[derive(Debug, Clone, PartialEq)]
pub struct SharedRole {
    pub rel_type: String,
    pub entity_is_to: bool,
    /// How many entities play that role towards the intermediate.
    pub size: usize,
}

/// What passing through one intermediate entity costs, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Through {
    pub entity: EntityId,
    /// Distinct neighbours over stored relations.
    pub degree: usize,
    /// The role shared on both sides, when it is rarer than the degree.
    pub shared: Option<SharedRole>,
    pub cost: f64,
}

/// A route's score and how it was made, for `--explain-score`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Score {
    pub hops: usize,
    /// Sum of the costs of passing through the intermediate entities.
    pub hub_cost: f64,
    /// Sum of evidence weights over steps.
    pub evidence_cost: f64,
    /// Each intermediate with its cost.
    pub hubs: Vec<Through>,
    /// Weight of each step's strongest evidence.
    pub step_weights: Vec<f64>,
    /// For weighted routes (`--weighted`): the sum of the steps' relation weights.
    pub weight: Option<f64>,
}

impl Score {
    pub fn total(&self) -> f64 {
        self.hub_cost + self.evidence_cost
    }
}

pub fn status_weight(status: Status) -> f64 {
    match status {
        Status::Established => 0.0,
        Status::Reported => 0.5,
        Status::Alleged => 1.5,
        Status::Disputed => 2.5,
    }
}

/// The weight of a single edge.
pub fn edge_weight(index: &Index, edge: Edge) -> f64 {
    match edge {
        Edge::Relation(r) => status_weight(index.relation(r).status),
        Edge::AccusedBy { claim } => status_weight(index.relation(claim).status) + 0.5,
    }
}

/// Cost of passing through an intermediate entity.
pub fn hub_weight(degree: usize) -> f64 {
    (1.0 + degree as f64).ln()
}

/// The stored relations of a step as (type, whether `at` is their `to` end).
fn roles_at<'a>(index: &'a Index, evidence: &[Evidence], at: EntityId) -> Vec<(&'a str, bool)> {
    evidence
        .iter()
        .filter_map(|ev| match index.edge(ev.edge) {
            Edge::Relation(r) => {
                let rel = index.relation(r);
                Some((rel.rel_type.as_str(), rel.to == at))
            }
            Edge::AccusedBy { .. } => None,
        })
        .collect()
}

/// The cost of passing through `v`, entered by `before` and left by `after`.
fn through(index: &Index, v: EntityId, before: &Step, after: &Step) -> Through {
    let degree = index.degree(v);
    let entering = roles_at(index, &before.evidence, v);
    let leaving = roles_at(index, &after.evidence, v);
    let shared = entering
        .iter()
        .filter(|role| leaving.contains(role))
        .map(|&(rel_type, entity_is_to)| SharedRole {
            rel_type: rel_type.to_string(),
            entity_is_to,
            size: index.role_size(v, rel_type, entity_is_to),
        })
        .filter(|role| role.size < degree)
        .min_by(|a, b| a.size.cmp(&b.size).then(a.rel_type.cmp(&b.rel_type)));
    let n = shared.as_ref().map_or(degree, |role| role.size);
    Through {
        entity: v,
        degree,
        shared,
        cost: hub_weight(n),
    }
}

pub fn score(index: &Index, entities: &[EntityId], steps: &[Step]) -> Score {
    let hubs: Vec<Through> = steps
        .windows(2)
        .zip(entities.iter().skip(1))
        .map(|(pair, &v)| through(index, v, &pair[0], &pair[1]))
        .collect();
    let step_weights: Vec<f64> = steps
        .iter()
        .map(|s| {
            s.evidence
                .iter()
                .map(|ev| edge_weight(index, index.edge(ev.edge)))
                .fold(f64::INFINITY, f64::min)
        })
        .map(|w| if w.is_finite() { w } else { 0.0 })
        .collect();
    Score {
        hops: steps.len(),
        hub_cost: hubs.iter().map(|h| h.cost).sum(),
        evidence_cost: step_weights.iter().sum(),
        hubs,
        step_weights,
        weight: None,
    }
}

/// One hop in whole cost units: larger than anything the rest of a route
/// can cost, so that hops always come first.
pub const HOP_UNITS: u64 = 1_000_000_000_000;

/// Cost units per unit of [`Score`].
const UNITS: f64 = 1_000_000.0;

fn units(x: f64) -> u64 {
    (x * UNITS).round() as u64
}

/// The cost of one step from `u` to `v` on the way to `t`, in whole units,
/// for route searches that add costs step by step (Yen's algorithm): a hop,
/// the weight of the strongest evidence allowed, and the hub cost of `v`
/// when it is an intermediate. `None` when no evidence is allowed. Ranking
/// by hops alone counts hops only.
#[allow(clippy::too_many_arguments)]
pub fn step_units(
    index: &Index,
    filter: &super::Filter,
    walk: super::Walk,
    by_hops_only: bool,
    t: EntityId,
    u: EntityId,
    v: EntityId,
) -> Option<u64> {
    let evidence = super::evidence(index, filter, walk, u, v);
    let strongest = evidence
        .iter()
        .map(|ev| edge_weight(index, index.edge(ev.edge)))
        .min_by(f64::total_cmp)?;
    if by_hops_only {
        return Some(HOP_UNITS);
    }
    let hub = if v == t {
        0.0
    } else {
        hub_weight(index.degree(v))
    };
    Some(HOP_UNITS + units(strongest) + units(hub))
}
