//! How routes are ranked.
//!
//! Hop count comes first: a shorter connection is a closer one. Among routes
//! of the same length, the cost is
//!
//! ```text
//! cost = Σ over intermediate entities  ln(1 + degree)
//!      + Σ over steps                  weight(strongest evidence on the step)
//! weight: established 0, reported 0.5, alleged 1.5, disputed 2.5
//!         (+0.5 when the strongest evidence is a derived accused-by edge)
//! ```
//!
//! where degree is the number of distinct neighbours over stored relations.
//! A route through a hub ("Pakistan", "United States") says little, and a
//! step that rests only on an allegation says less than one that is
//! established; both cost more. Lower is better; ties are broken by the
//! entity ids, so the order is deterministic.

use crate::index::{Edge, Index};
use crate::model::{EntityId, Status};

use super::Step;

/// A route's score and how it was made, for `--explain-score`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Score {
    pub hops: usize,
    /// Sum of `ln(1 + degree)` over intermediate entities.
    pub hub_cost: f64,
    /// Sum of evidence weights over steps.
    pub evidence_cost: f64,
    /// (entity, degree) for each intermediate.
    pub hubs: Vec<(EntityId, usize)>,
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

pub fn score(index: &Index, entities: &[EntityId], steps: &[Step]) -> Score {
    let hubs: Vec<(EntityId, usize)> = entities
        .iter()
        .skip(1)
        .take(entities.len().saturating_sub(2))
        .map(|&e| (e, index.degree(e)))
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
        hub_cost: hubs.iter().map(|&(_, d)| hub_weight(d)).sum(),
        evidence_cost: step_weights.iter().sum(),
        hubs,
        step_weights,
        weight: None,
    }
}
