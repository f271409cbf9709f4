//! The tree algorithms behind [`super::connect`]: the cost of a step,
//! Dijkstra within a hop limit, the exact Steiner tree of Dreyfus and Wagner
//! for a few named entities, and, beyond its budget, the trees of Kou,
//! Markowsky and Berman and of Takahashi and Matsuyama, tightened and
//! improved by key-path exchange. Everything is deterministic: equal costs
//! go to the lower entity ids.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use foldhash::{HashMap, HashMapExt};

use super::rank::{self, HOP_UNITS};
use super::{Filter, Walk, evidence, neighbours};
use crate::index::Index;
use crate::model::EntityId;

pub(super) const WALK: Walk = Walk::Undirected;

/// What a step costs in the tree, in whole units.
pub(super) struct Costs<'a> {
    pub(super) index: &'a Index,
    pub(super) filter: &'a Filter,
    pub(super) terminals: &'a [EntityId],
}

impl Costs<'_> {
    fn half_hub(&self, e: EntityId) -> u64 {
        if self.terminals.contains(&e) {
            0
        } else {
            (rank::hub_weight(self.index.degree(e)) * 500_000.0).round() as u64
        }
    }

    pub(super) fn step(&self, u: EntityId, v: EntityId) -> Option<u64> {
        let strongest = evidence(self.index, self.filter, WALK, u, v)
            .iter()
            .map(|ev| rank::edge_weight(self.index, self.index.edge(ev.edge)))
            .min_by(f64::total_cmp)?;
        Some(
            HOP_UNITS
                + (strongest * 1_000_000.0).round() as u64
                + self.half_hub(u)
                + self.half_hub(v),
        )
    }
}

/// Cheapest routes from a set of sources to every entity within `max_hops`
/// steps: (cost, hops, predecessor), equal costs to the lower predecessor.
pub(super) fn dijkstra(costs: &Costs, sources: &[EntityId], max_hops: usize) -> Reach {
    dijkstra_within(costs, sources, max_hops, |_| true, |_| true)
}

type Reach = HashMap<EntityId, (u64, usize, Option<EntityId>)>;

/// Like [`dijkstra`], stepping only onto entities `may_enter` allows and
/// going on only from those `may_leave` allows.
fn dijkstra_within(
    costs: &Costs,
    sources: &[EntityId],
    max_hops: usize,
    may_enter: impl Fn(EntityId) -> bool,
    may_leave: impl Fn(EntityId) -> bool,
) -> Reach {
    let mut best: Reach = HashMap::new();
    let mut heap = BinaryHeap::new();
    for &s in sources {
        best.insert(s, (0, 0, None));
        heap.push(Reverse((0u64, s)));
    }
    let mut done: BTreeSet<EntityId> = BTreeSet::new();
    while let Some(Reverse((d, u))) = heap.pop() {
        if !done.insert(u) {
            continue;
        }
        let hops = best[&u].1;
        if hops >= max_hops || (hops > 0 && !may_leave(u)) {
            continue;
        }
        for &v in neighbours(costs.index, costs.filter, WALK, u, false).iter() {
            let v = EntityId(v);
            if done.contains(&v) || !may_enter(v) {
                continue;
            }
            let Some(c) = costs.step(u, v) else { continue };
            let nd = d + c;
            let better = match best.get(&v) {
                None => true,
                Some(&(old, _, pred)) => nd < old || (nd == old && pred.is_some_and(|p| u < p)),
            };
            if better {
                best.insert(v, (nd, hops + 1, Some(u)));
                heap.push(Reverse((nd, v)));
            }
        }
    }
    best
}

/// The route to `t` in a Dijkstra result, from its source.
pub(super) fn route_to(
    tree: &HashMap<EntityId, (u64, usize, Option<EntityId>)>,
    t: EntityId,
) -> Vec<EntityId> {
    let mut route = vec![t];
    let mut at = t;
    while let Some(&(_, _, Some(p))) = tree.get(&at) {
        route.push(p);
        at = p;
    }
    route.reverse();
    route
}

/// Union-find over entity ids.
pub(super) struct Groups(pub(super) BTreeMap<EntityId, EntityId>);

impl Groups {
    pub(super) fn find(&mut self, e: EntityId) -> EntityId {
        let parent = *self.0.entry(e).or_insert(e);
        if parent == e {
            return e;
        }
        let root = self.find(parent);
        self.0.insert(e, root);
        root
    }

    /// Joins two groups; false when already one.
    pub(super) fn join(&mut self, a: EntityId, b: EntityId) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.0.insert(hi, lo);
        true
    }
}

pub(super) type Edges = BTreeSet<(EntityId, EntityId)>;

fn edge(a: EntityId, b: EntityId) -> (EntityId, EntityId) {
    if a < b { (a, b) } else { (b, a) }
}

/// A minimum spanning forest of `edges` (Kruskal; equal costs by ids).
fn spanning(costs: &Costs, edges: &Edges) -> Edges {
    let mut weighted: Vec<(u64, EntityId, EntityId)> = edges
        .iter()
        .filter_map(|&(a, b)| costs.step(a, b).map(|c| (c, a, b)))
        .collect();
    weighted.sort_unstable();
    let mut groups = Groups(BTreeMap::new());
    weighted
        .into_iter()
        .filter(|&(_, a, b)| groups.join(a, b))
        .map(|(_, a, b)| (a, b))
        .collect()
}

/// Removes leaves that are not named entities, until none is left.
fn prune(mut edges: Edges, terminals: &[EntityId]) -> Edges {
    loop {
        let mut degree: BTreeMap<EntityId, usize> = BTreeMap::new();
        for &(a, b) in &edges {
            *degree.entry(a).or_default() += 1;
            *degree.entry(b).or_default() += 1;
        }
        let leaves: Vec<EntityId> = degree
            .iter()
            .filter(|(e, d)| **d == 1 && !terminals.contains(e))
            .map(|(e, _)| *e)
            .collect();
        if leaves.is_empty() {
            return edges;
        }
        edges.retain(|(a, b)| !leaves.contains(a) && !leaves.contains(b));
    }
}

fn add_route(edges: &mut Edges, route: &[EntityId]) {
    for w in route.windows(2) {
        edges.insert(edge(w[0], w[1]));
    }
}

/// Kou, Markowsky and Berman's tree over the terminals `group`.
pub(super) fn kou(costs: &Costs, group: &[EntityId], max_hops: usize) -> Edges {
    let trees: Vec<_> = group
        .iter()
        .map(|&t| dijkstra(costs, &[t], max_hops))
        .collect();
    let mut closure: Vec<(u64, usize, usize)> = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        for (j, t) in group.iter().enumerate().skip(i + 1) {
            if let Some(&(d, _, _)) = tree.get(t) {
                closure.push((d, i, j));
            }
        }
    }
    closure.sort_unstable();
    let mut groups = Groups(BTreeMap::new());
    let mut edges = Edges::new();
    for (_, i, j) in closure {
        if groups.join(group[i], group[j]) {
            add_route(&mut edges, &route_to(&trees[i], group[j]));
        }
    }
    prune(spanning(costs, &edges), group)
}

/// Takahashi and Matsuyama's tree, grown from the terminal `start`.
pub(super) fn grow(costs: &Costs, group: &[EntityId], start: EntityId, max_hops: usize) -> Edges {
    let mut in_tree: Vec<EntityId> = vec![start];
    let mut edges = Edges::new();
    let mut left: Vec<EntityId> = group.iter().copied().filter(|t| *t != start).collect();
    while !left.is_empty() {
        // Routes from the tree may be up to max_hops from any of its entities.
        let from_tree = dijkstra(costs, &in_tree, max_hops);
        let Some((_, next)) = left
            .iter()
            .filter_map(|t| from_tree.get(t).map(|&(d, _, _)| (d, *t)))
            .min()
        else {
            break;
        };
        let route = route_to(&from_tree, next);
        add_route(&mut edges, &route);
        for e in route {
            if !in_tree.contains(&e) {
                in_tree.push(e);
            }
        }
        left.retain(|t| *t != next);
    }
    prune(edges, group)
}

/// A tree no worse: the minimum spanning tree of every allowed step among
/// the tree's entities, non-named leaves pruned.
pub(super) fn tighten(costs: &Costs, tree: &Edges, group: &[EntityId]) -> Edges {
    let members: BTreeSet<EntityId> = tree.iter().flat_map(|&(a, b)| [a, b]).collect();
    let mut induced = Edges::new();
    for &u in &members {
        for &v in neighbours(costs.index, costs.filter, WALK, u, false).iter() {
            let v = EntityId(v);
            if members.contains(&v) {
                induced.insert(edge(u, v));
            }
        }
    }
    let better = prune(spanning(costs, &induced), group);
    let spans_all = |edges: &Edges| {
        let mut groups = Groups(BTreeMap::new());
        for &(a, b) in edges {
            groups.join(a, b);
        }
        let root = groups.find(group[0]);
        group.iter().all(|&t| groups.find(t) == root)
    };
    if spans_all(&better)
        && (better.len(), total(costs, &better)) < (tree.len(), total(costs, tree))
    {
        better
    } else {
        tree.clone()
    }
}

/// The key paths of a tree: maximal paths whose inner entities are unnamed
/// and have two steps in the tree, between named entities or forks.
fn key_paths(tree: &Edges, group: &[EntityId]) -> Vec<Vec<EntityId>> {
    let mut adjacent: BTreeMap<EntityId, Vec<EntityId>> = BTreeMap::new();
    for &(a, b) in tree {
        adjacent.entry(a).or_default().push(b);
        adjacent.entry(b).or_default().push(a);
    }
    let is_key = |e: &EntityId| group.contains(e) || adjacent[e].len() != 2;
    let mut paths = Vec::new();
    let mut used = Edges::new();
    for (&start, next) in &adjacent {
        if !is_key(&start) {
            continue;
        }
        for &first in next {
            if used.contains(&edge(start, first)) {
                continue;
            }
            let mut path = vec![start, first];
            while !is_key(path.last().unwrap()) {
                let at = *path.last().unwrap();
                let before = path[path.len() - 2];
                let Some(&on) = adjacent[&at].iter().find(|&&x| x != before) else {
                    break;
                };
                path.push(on);
            }
            for w in path.windows(2) {
                used.insert(edge(w[0], w[1]));
            }
            paths.push(path);
        }
    }
    paths
}

/// The entities of a tree reachable from `root` over `tree`.
fn component(tree: &Edges, root: EntityId) -> BTreeSet<EntityId> {
    let mut seen = BTreeSet::from([root]);
    let mut frontier = vec![root];
    while let Some(u) = frontier.pop() {
        for &(a, b) in tree {
            let other = if a == u {
                b
            } else if b == u {
                a
            } else {
                continue;
            };
            if seen.insert(other) {
                frontier.push(other);
            }
        }
    }
    seen
}

/// Key-path exchange: remove each key path in turn and join the two parts
/// again by the cheapest route between them that avoids the rest of the
/// tree, when that route is cheaper; until no exchange helps.
pub(super) fn exchange_key_paths(
    costs: &Costs,
    mut tree: Edges,
    group: &[EntityId],
    max_hops: usize,
) -> Edges {
    for _ in 0..4 * group.len() + 8 {
        let mut improved = false;
        for path in key_paths(&tree, group) {
            let removed: Edges = path.windows(2).map(|w| edge(w[0], w[1])).collect();
            let cost: u64 = removed
                .iter()
                .map(|&(a, b)| costs.step(a, b).unwrap_or(u64::MAX / 4))
                .sum();
            let rest: Edges = tree.difference(&removed).copied().collect();
            let side_a = component(&rest, path[0]);
            let side_b = component(&rest, *path.last().unwrap());
            let sources: Vec<EntityId> = side_a.iter().copied().collect();
            // A new route leaves the near part, crosses entities outside the
            // tree, and ends at the first entity of the far part.
            let reach = dijkstra_within(
                costs,
                &sources,
                max_hops,
                |e| !side_a.contains(&e),
                |e| !side_b.contains(&e),
            );
            let best = side_b
                .iter()
                .filter_map(|b| reach.get(b).map(|&(d, _, _)| (d, *b)))
                .min();
            if let Some((d, b)) = best
                && d < cost
            {
                let mut joined = rest;
                add_route(&mut joined, &route_to(&reach, b));
                tree = prune(joined, group);
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
    }
    tree
}

/// The exact search runs while `3^k · n` (k named entities, n entities
/// within the hop limit of one of them) stays under this; about a second.
const EXACT_BUDGET: u64 = 30_000_000;

/// How a cheapest tree of Dreyfus and Wagner's table was reached.
#[derive(Clone, Copy)]
enum Back {
    Unset,
    /// The named entity itself.
    Leaf,
    /// Two trees meeting at this entity: the given subset and the rest.
    Split(u32),
    /// One step from the given entity (a local index) of the same tree.
    Step(u32),
}

/// The smallest tree joining `group` among the entities within the hop
/// limit of one of them (Dreyfus and Wagner's dynamic programme over
/// subsets of the named entities, with Dijkstra's relaxation per subset),
/// or None when that would take too long.
pub(super) fn exact(costs: &Costs, group: &[EntityId], max_hops: usize) -> Option<Edges> {
    let k = group.len();
    if k > 16 {
        return None;
    }
    let mut near: BTreeSet<EntityId> = BTreeSet::new();
    for &t in group {
        near.extend(dijkstra(costs, &[t], max_hops).into_keys());
    }
    let n = near.len();
    if 3u64.pow(k as u32).saturating_mul(n as u64) > EXACT_BUDGET {
        return None;
    }
    let nodes: Vec<EntityId> = near.into_iter().collect();
    let at: HashMap<EntityId, usize> = nodes.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let adjacent: Vec<Vec<(usize, u64)>> = nodes
        .iter()
        .map(|&u| {
            neighbours(costs.index, costs.filter, WALK, u, false)
                .iter()
                .filter_map(|&v| {
                    let j = *at.get(&EntityId(v))?;
                    Some((j, costs.step(u, EntityId(v))?))
                })
                .collect()
        })
        .collect();
    const NONE: u64 = u64::MAX / 4;
    let full = (1usize << k) - 1;
    let mut cost = vec![vec![NONE; n]; full + 1];
    let mut back = vec![vec![Back::Unset; n]; full + 1];
    for (i, t) in group.iter().enumerate() {
        cost[1 << i][at[t]] = 0;
        back[1 << i][at[t]] = Back::Leaf;
    }
    for mask in 1..=full {
        let low = mask & mask.wrapping_neg();
        if mask != low {
            // Two smaller trees that meet at v; each split once (the part
            // holding the lowest named entity is `sub`).
            let mut sub = (mask - 1) & mask;
            while sub > 0 {
                if sub & low != 0 {
                    let (a, b) = (&cost[sub], &cost[mask ^ sub]);
                    let joined: Vec<u64> = a.iter().zip(b).map(|(x, y)| x + y).collect();
                    for (v, c) in joined.into_iter().enumerate() {
                        if c < cost[mask][v] {
                            cost[mask][v] = c;
                            back[mask][v] = Back::Split(sub as u32);
                        }
                    }
                }
                sub = (sub - 1) & mask;
            }
        }
        // Then grow each tree outwards by single steps.
        let row = &mut cost[mask];
        let mut heap: BinaryHeap<Reverse<(u64, usize)>> = row
            .iter()
            .enumerate()
            .filter(|(_, c)| **c < NONE)
            .map(|(v, &c)| Reverse((c, v)))
            .collect();
        while let Some(Reverse((c, v))) = heap.pop() {
            if c > row[v] {
                continue;
            }
            for &(w, step) in &adjacent[v] {
                if c + step < row[w] {
                    row[w] = c + step;
                    back[mask][w] = Back::Step(v as u32);
                    heap.push(Reverse((c + step, w)));
                }
            }
        }
    }
    let root = at[&group[0]];
    if cost[full][root] >= NONE {
        return None;
    }
    let mut edges = Edges::new();
    let mut todo = vec![(full, root)];
    while let Some((mask, v)) = todo.pop() {
        match back[mask][v] {
            Back::Unset | Back::Leaf => {}
            Back::Split(sub) => {
                todo.push((sub as usize, v));
                todo.push((mask ^ sub as usize, v));
            }
            Back::Step(u) => {
                edges.insert(edge(nodes[u as usize], nodes[v]));
                todo.push((mask, u as usize));
            }
        }
    }
    Some(prune(edges, group))
}

/// Graphs up to this size (entities and relations) grow a tree from every
/// named entity; larger ones from the first only, to keep answers quick.
pub(super) const GROW_FROM_EVERY_START: usize = 200_000;

/// The total cost of a set of steps.
pub(super) fn total(costs: &Costs, edges: &Edges) -> u64 {
    edges
        .iter()
        .map(|&(a, b)| costs.step(a, b).unwrap_or(u64::MAX / 4))
        .sum()
}
