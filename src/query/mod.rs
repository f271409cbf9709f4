//! Connection search: "how is X connected to Y?".
//!
//! The index is a multigraph; a query sees it as a simple graph of *steps*:
//! two entities are neighbours when at least one relation (or derived
//! `accused-by` edge) that passes the [`Filter`] links them, and a step
//! carries every such relation as its evidence. Routes are sequences of
//! distinct entities; parallel relations never make duplicate routes.
//!
//! Algorithms are free functions over a borrowed [`Index`]; results are plain
//! data ([`Route`], [`Step`]) that commands print.

pub mod filter;
pub mod rank;
pub mod routes;

pub use filter::Filter;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::index::{Edge, Index};

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
    pub from: usize,
    pub to: usize,
    pub evidence: Vec<Evidence>,
}

/// An answer to "how is X connected to Y?".
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub entities: Vec<usize>,
    pub steps: Vec<Step>,
    pub score: rank::Score,
}

impl Route {
    pub fn hops(&self) -> usize {
        self.steps.len()
    }
}

/// Whether a query follows relation direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Connection, not causation: any relation links both ways.
    Undirected,
    /// Only along `from -> to` (and accused -> claimant for derived edges).
    Directed,
}

/// The neighbours of `node` one step away under `filter`, each once, in
/// node order. `reverse` walks against the direction (for searches from the
/// target side of a directed query).
pub fn neighbours(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    node: usize,
    reverse: bool,
) -> Vec<usize> {
    let n = NodeIndex::new(node);
    let mut out: Vec<usize> = Vec::new();
    let mut push = |other: NodeIndex, edge: &Edge| {
        if filter.edge_ok(index, edge) && other != n && filter.node_ok(index, other.index()) {
            out.push(other.index());
        }
    };
    let (first, second) = if reverse {
        (Incoming, Outgoing)
    } else {
        (Outgoing, Incoming)
    };
    for e in index.net.edges_directed(n, first) {
        let other = if first == Outgoing {
            e.target()
        } else {
            e.source()
        };
        push(other, e.weight());
    }
    if walk == Walk::Undirected {
        for e in index.net.edges_directed(n, second) {
            let other = if second == Outgoing {
                e.target()
            } else {
                e.source()
            };
            push(other, e.weight());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Every edge that links `a` to `b` under the filter, strongest status
/// first, then stored before derived, then in relation order.
pub fn evidence(index: &Index, filter: &Filter, walk: Walk, a: usize, b: usize) -> Vec<Evidence> {
    let (na, nb) = (NodeIndex::new(a), NodeIndex::new(b));
    let mut out: Vec<Evidence> = index
        .net
        .edges_connecting(na, nb)
        .filter(|e| filter.edge_ok(index, e.weight()))
        .map(|e| Evidence {
            edge: e.id(),
            forward: true,
        })
        .collect();
    if walk == Walk::Undirected {
        out.extend(
            index
                .net
                .edges_connecting(nb, na)
                .filter(|e| filter.edge_ok(index, e.weight()))
                .map(|e| Evidence {
                    edge: e.id(),
                    forward: false,
                }),
        );
    }
    // Strongest evidence first, stored relations before derived edges.
    let key = |ev: &Evidence| match index.net[ev.edge] {
        Edge::Relation(r) => (index.graph.relations[r].status, 0, r, ev.forward),
        Edge::AccusedBy { claim } => (index.graph.relations[claim].status, 1, claim, ev.forward),
    };
    out.sort_by_key(key);
    out
}

/// Builds the steps of a route given as an entity sequence.
pub fn steps_of(index: &Index, filter: &Filter, walk: Walk, entities: &[usize]) -> Vec<Step> {
    entities
        .windows(2)
        .map(|w| Step {
            from: w[0],
            to: w[1],
            evidence: evidence(index, filter, walk, w[0], w[1]),
        })
        .collect()
}
