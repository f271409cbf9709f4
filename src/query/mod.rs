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

use std::borrow::Cow;

use crate::index::{Edge, Index, Side};

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
/// target side of a directed query). Without filters this is a slice of the
/// index's precomputed adjacency; with them, the edges are checked one by one.
pub fn neighbours<'a>(
    index: &'a Index,
    filter: &Filter,
    walk: Walk,
    node: usize,
    reverse: bool,
) -> Cow<'a, [u32]> {
    if filter.is_open() {
        let side = match (walk, reverse) {
            (Walk::Undirected, _) => Side::Both,
            (Walk::Directed, false) => Side::Out,
            (Walk::Directed, true) => Side::In,
        };
        return Cow::Borrowed(index.adjacency().of(node, side));
    }
    let n = NodeIndex::new(node);
    let mut out: Vec<u32> = Vec::new();
    let mut push = |other: NodeIndex, edge: &Edge| {
        if filter.edge_ok(index, edge) && other != n && filter.node_ok(index, other.index()) {
            out.push(other.index() as u32);
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
    Cow::Owned(out)
}

/// Every edge that links `a` to `b` under the filter, strongest status
/// first, then stored before derived, then in relation order.
pub fn evidence(index: &Index, filter: &Filter, walk: Walk, a: usize, b: usize) -> Vec<Evidence> {
    let allowed = |e: &&petgraph::graph::EdgeIndex| filter.edge_ok(index, &index.net[**e]);
    let mut out: Vec<Evidence> = index
        .edges_between(a, b)
        .iter()
        .filter(allowed)
        .map(|&edge| Evidence {
            edge,
            forward: true,
        })
        .collect();
    if walk == Walk::Undirected {
        out.extend(
            index
                .edges_between(b, a)
                .iter()
                .filter(allowed)
                .map(|&edge| Evidence {
                    edge,
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
