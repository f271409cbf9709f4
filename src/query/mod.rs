//! Every question linkchart answers, as library functions over a borrowed
//! [`Index`] that return plain data: routes ([`path`]), why there is no route
//! ([`why`]), the neighbourhood of an entity ([`neighbourhood`]), what two
//! entities share ([`common`]), search, timeline, stats, entity cards, and
//! selections for exports ([`select`]). Answers derive `Serialize`: the JSON
//! of every front end is the answer serialised, and its text is written from
//! the same answer.
//!
//! The index is a multigraph; a query sees it as a simple graph of *steps*:
//! two entities are neighbours when at least one relation (or derived
//! `accused-by` edge) that passes the [`Filter`] links them, and a step
//! carries every such relation as its evidence. Routes are sequences of
//! distinct entities; parallel relations never make duplicate routes.

pub mod card;
pub mod common;
pub mod connect;
pub mod filter;
pub mod neighbourhood;
pub mod notes;
pub mod path;
pub mod rank;
pub mod routes;
pub mod search;
pub mod select;
pub mod stats;
mod steiner;
pub mod strongest;
pub mod timeline;
pub mod view;
pub mod weighted;
pub mod why;

pub use filter::{Filter, FilterSpec};

use std::borrow::Cow;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;

use crate::index::{Adjacent, Index, Side, entity_of, node};
use crate::model::EntityId;

/// One piece of evidence on a step, read in the direction of travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    pub edge: EdgeIndex,
    /// True when the edge points the way the route walks.
    pub forward: bool,
}

/// Two neighbouring entities on a route and everything that links them.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub from: EntityId,
    pub to: EntityId,
    pub evidence: Vec<Evidence>,
}

/// An answer to "how is X connected to Y?".
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub entities: Vec<EntityId>,
    pub steps: Vec<Step>,
    pub score: rank::Score,
}

impl Route {
    pub fn hops(&self) -> usize {
        self.steps.len()
    }
}

/// Whether a query follows relation direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Walk {
    /// Connection, not causation: any relation links both ways.
    #[default]
    Undirected,
    /// Only along `from -> to` (and accused -> claimant for derived edges);
    /// a relation of a symmetric type may be walked either way.
    Directed,
}

/// The neighbours of `node` one step away under `filter`, each once, in
/// node order. `reverse` walks against the direction (for searches from the
/// target side of a directed query). Without filters, or with filters on
/// entities and statuses only, this is the index's adjacency (see
/// [`Index::adjacent`]); with others, the edges are checked one by one.
pub fn neighbours<'a>(
    index: &'a Index,
    filter: &Filter,
    walk: Walk,
    at: EntityId,
    reverse: bool,
) -> Cow<'a, [u32]> {
    let side = match (walk, reverse) {
        (Walk::Undirected, _) => Side::Both,
        (Walk::Directed, false) => Side::Out,
        (Walk::Directed, true) => Side::In,
    };
    if filter.is_open() {
        return match index.adjacent(at, side) {
            Adjacent::Table(targets, _) => Cow::Borrowed(targets),
            Adjacent::Read(targets, _) => Cow::Owned(targets),
        };
    }
    if filter.edges_by_status_only() {
        // Entities are filtered (avoided, kinds, tags) and edges by status
        // at most: the distinct neighbours, each with its strongest
        // evidence, answer without reading any relation.
        let adjacent = index.adjacent(at, side);
        let (targets, strongest) = (adjacent.targets(), adjacent.strongest());
        let derived = !filter.no_derived;
        return Cow::Owned(
            targets
                .iter()
                .zip(strongest)
                .filter(|&(&v, s)| {
                    s.passes(filter.weakest, derived) && filter.node_ok(index, EntityId(v))
                })
                .map(|(&v, _)| v)
                .collect(),
        );
    }
    let n = node(at);
    let mut out: Vec<u32> = Vec::new();
    let (first, second) = if reverse {
        (Incoming, Outgoing)
    } else {
        (Outgoing, Incoming)
    };
    for direction in [first, second] {
        let along = direction == first;
        for e in index.net.edges_directed(n, direction) {
            let edge = *e.weight();
            // Against the walk only when direction does not matter, or the
            // relation reads the same both ways.
            if !along && walk == Walk::Directed && !index.is_symmetric(edge) {
                continue;
            }
            let other = if direction == Outgoing {
                e.target()
            } else {
                e.source()
            };
            let other = entity_of(other);
            if filter.edge_ok(index, edge) && other != at && filter.node_ok(index, other) {
                out.push(other.0);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Cow::Owned(out)
}

/// Every edge that links `a` to `b` under the filter, strongest status
/// first, then stored before derived, then in relation order.
pub fn evidence(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    a: EntityId,
    b: EntityId,
) -> Vec<Evidence> {
    let allowed = |e: &&EdgeIndex| filter.edge_ok(index, index.edge(**e));
    let mut out: Vec<Evidence> = index
        .edges_between(a, b)
        .iter()
        .filter(allowed)
        .map(|&edge| Evidence {
            edge,
            forward: true,
        })
        .collect();
    out.extend(
        index
            .edges_between(b, a)
            .iter()
            .filter(|e| walk == Walk::Undirected || index.is_symmetric(index.edge(**e)))
            .filter(allowed)
            .map(|&edge| Evidence {
                edge,
                forward: false,
            }),
    );
    // Strongest evidence first, stored relations before derived edges.
    out.sort_by_key(|ev| {
        let edge = index.edge(ev.edge);
        let r = edge.relation();
        (index.relation(r).status, edge.is_derived(), r, ev.forward)
    });
    out
}

/// Builds the steps of a route given as an entity sequence.
pub fn steps_of(index: &Index, filter: &Filter, walk: Walk, entities: &[EntityId]) -> Vec<Step> {
    entities
        .windows(2)
        .map(|w| Step {
            from: w[0],
            to: w[1],
            evidence: evidence(index, filter, walk, w[0], w[1]),
        })
        .collect()
}
