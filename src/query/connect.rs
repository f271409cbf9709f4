//! The connecting network of several entities: the smallest set of steps
//! that joins them all (a Steiner tree), like the "find connecting network"
//! of link-analysis tools, with the evidence of every step, and the entities
//! that cannot be joined within the hop limit reported as gaps.
//!
//! Finding the smallest such tree is NP-hard in general, but cheap for a
//! few named entities: while `3^k · n` stays small (k named entities, n
//! entities within the hop limit of one of them: every question on the
//! shipped graph), Dreyfus and Wagner's dynamic programme finds the exact
//! smallest tree. Beyond that, two classic approximations are run and the
//! better tree kept:
//!
//! - Kou, Markowsky and Berman: the cheapest route between every pair of
//!   named entities, a minimum spanning tree over those routes, the union of
//!   their steps, a minimum spanning tree of that union, and non-named
//!   leaves pruned;
//! - Takahashi and Matsuyama: start from a named entity and attach, one by
//!   one, the named entity closest to the tree by its cheapest route (from
//!   every named entity in turn, on graphs that are not huge).
//!
//! Each tree is then tightened (the minimum spanning tree of every allowed
//! step among its entities, unnamed leaves pruned) and improved by key-path
//! exchange. Both methods are within a factor of two of the best tree.
//!
//! Steps cost what they cost in route searches (see [`super::rank`]): a hop
//! first, then the weight of the strongest evidence, then half the hub cost
//! of each end that is not one of the named entities. Equal costs go to the lower entity ids, so the
//! answer is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::path::StepView;
use super::steiner::{
    Costs, Edges, GROW_FROM_EVERY_START, Groups, WALK, dijkstra, exact, exchange_key_paths, grow,
    kou, tighten, total,
};
use super::view::EntityRef;
use super::{Filter, FilterSpec, Step, evidence};
use crate::error::Error;
use crate::index::Index;
use crate::model::EntityId;

/// A connecting-network request as a user gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectSpec {
    pub names: Vec<String>,
    pub filter: FilterSpec,
    /// Longest route between two named entities, in steps.
    pub max_hops: usize,
}

/// A connecting-network request resolved against the graph.
#[derive(Debug, Clone)]
pub struct Connect {
    pub terminals: Vec<EntityId>,
    pub filter: Filter,
    pub max_hops: usize,
    /// Skip the exact search and use only the approximations (to compare
    /// them with it).
    pub approximate: bool,
}

impl ConnectSpec {
    pub fn resolve(&self, index: &Index) -> Result<Connect, Error> {
        let mut terminals = Vec::new();
        for name in &self.names {
            let e = index.resolve(name)?;
            if terminals.contains(&e) {
                return Err(Error::Usage(format!(
                    "{name}: {} is named twice",
                    index.entity(e).id
                )));
            }
            terminals.push(e);
        }
        if terminals.len() < 2 {
            return Err(Error::Usage(
                "a connecting network needs at least two entities".to_string(),
            ));
        }
        let mut filter = self.filter.resolve(index)?;
        for &e in &terminals {
            if filter.avoid.contains(&e) {
                return Err(Error::Usage(format!(
                    "--avoid {}: it is one of the entities to connect",
                    index.entity(e).id
                )));
            }
        }
        filter.endpoints = terminals.clone();
        Ok(Connect {
            terminals,
            filter,
            max_hops: self.max_hops,
            approximate: false,
        })
    }
}

/// The answer: the steps of the tree (or forest) and the gaps.
#[derive(Debug, Clone)]
pub struct Network {
    pub terminals: Vec<EntityId>,
    /// Every entity of the network, in id order.
    pub entities: Vec<EntityId>,
    /// The steps, each with every relation behind it, in a stable order.
    pub steps: Vec<Step>,
    /// Named entities that could not be joined to the main group within the
    /// hop limit, each group of mutually joined ones together.
    pub gaps: Vec<Vec<EntityId>>,
}

/// The groups of terminals that can reach one another within the hop limit.
fn reachable_groups(costs: &Costs, terminals: &[EntityId], max_hops: usize) -> Vec<Vec<EntityId>> {
    let mut groups = Groups(BTreeMap::new());
    for (i, &t) in terminals.iter().enumerate() {
        groups.find(t);
        let tree = dijkstra(costs, &[t], max_hops);
        for &u in &terminals[i + 1..] {
            if tree.contains_key(&u) {
                groups.join(t, u);
            }
        }
    }
    let mut by_root: BTreeMap<EntityId, Vec<EntityId>> = BTreeMap::new();
    for &t in terminals {
        let root = groups.find(t);
        by_root.entry(root).or_default().push(t);
    }
    let mut out: Vec<Vec<EntityId>> = by_root.into_values().collect();
    // The largest group first; among equals, the one with the first-named.
    let first = |g: &Vec<EntityId>| terminals.iter().position(|t| g.contains(t));
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(first(a).cmp(&first(b))));
    out
}

/// The steps of a tree read outwards from `root`, breadth first, each from
/// the entity nearer the root.
fn outward(edges: &Edges, root: EntityId) -> Vec<(EntityId, EntityId)> {
    let mut out = Vec::with_capacity(edges.len());
    let mut seen = BTreeSet::from([root]);
    let mut frontier = vec![root];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for &u in &frontier {
            for &(a, b) in edges {
                let other = if a == u {
                    b
                } else if b == u {
                    a
                } else {
                    continue;
                };
                if seen.insert(other) {
                    out.push((u, other));
                    next.push(other);
                }
            }
        }
        frontier = next;
    }
    out
}

/// The connecting network of the request's entities.
pub fn connect(index: &Index, request: &Connect) -> Network {
    let costs = Costs {
        index,
        filter: &request.filter,
        terminals: &request.terminals,
    };
    let mut groups = reachable_groups(&costs, &request.terminals, request.max_hops);
    let main = groups.remove(0);
    let edges = if main.len() < 2 {
        Edges::new()
    } else {
        let size = index.graph.entities.len() + index.graph.relations.len();
        let starts = if size <= GROW_FROM_EVERY_START {
            main.len()
        } else {
            1
        };
        if let Some(tree) = (!request.approximate)
            .then(|| exact(&costs, &main, request.max_hops))
            .flatten()
        {
            tree
        } else {
            std::iter::once(kou(&costs, &main, request.max_hops))
                .chain(
                    main.iter()
                        .take(starts)
                        .map(|&start| grow(&costs, &main, start, request.max_hops)),
                )
                .map(|tree| tighten(&costs, &tree, &main))
                .map(|tree| exchange_key_paths(&costs, tree, &main, request.max_hops))
                // Fewer steps first (a hop outweighs everything else), then cost.
                .min_by_key(|tree| (tree.len(), total(&costs, tree)))
                .unwrap_or_default()
        }
    };
    let mut entities: BTreeSet<EntityId> = main.iter().copied().collect();
    let steps: Vec<Step> = outward(&edges, main[0])
        .into_iter()
        .map(|(a, b)| {
            entities.insert(a);
            entities.insert(b);
            Step {
                from: a,
                to: b,
                evidence: evidence(index, &request.filter, WALK, a, b),
            }
        })
        .collect();
    Network {
        terminals: request.terminals.clone(),
        entities: entities.into_iter().collect(),
        steps,
        gaps: groups,
    }
}

/// The connecting-network JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkView<'g> {
    /// The entities asked for, in the order given.
    pub entities_named: Vec<EntityRef<'g>>,
    /// Every entity of the network (named or in between), by id.
    pub entities: Vec<&'g str>,
    pub steps: Vec<StepView<'g>>,
    /// Named entities that could not be joined within the hop limit, by group.
    pub gaps: Vec<Vec<&'g str>>,
}

impl Network {
    pub fn view<'g>(&self, index: &'g Index) -> NetworkView<'g> {
        let g = &index.graph;
        NetworkView {
            entities_named: self
                .terminals
                .iter()
                .map(|&t| EntityRef::of(g, t))
                .collect(),
            entities: g.ids(&self.entities),
            steps: self.steps.iter().map(|s| StepView::of(index, s)).collect(),
            gaps: self.gaps.iter().map(|group| g.ids(group)).collect(),
        }
    }
}
