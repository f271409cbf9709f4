//! Route search algorithms: all shortest routes by bidirectional
//! breadth-first search, and the k best loopless routes by a bounded hybrid.
//!
//! Routes rank by hops first, so the k best are the shortest ones, then the
//! best of those one step longer, and so on. On the hub-heavy graphs link
//! charts are, a length holds many routes and a distance-pruned depth-first
//! search finds them all far faster than Yen's algorithm, whose spur searches
//! each explore much of the graph; ranking within a length is then exact.
//! That enumeration runs under a work budget: when the routes of a length
//! are too many to list (long routes on a dense graph), the k best come from
//! Yen's algorithm instead ([`yen`]), whose cost grows with k, not with the
//! number of simple paths.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{Filter, Walk, neighbours};
use crate::index::{Index, Side};
use crate::model::EntityId;

/// Where a search walks: the graph, the filter and the walk.
#[derive(Clone, Copy)]
pub struct Space<'a> {
    pub index: &'a Index,
    pub filter: &'a Filter,
    pub walk: Walk,
}

impl Space<'_> {
    /// Neighbours one step away (against the direction when `reverse`).
    fn next(&self, u: EntityId, reverse: bool) -> std::borrow::Cow<'_, [u32]> {
        neighbours(self.index, self.filter, self.walk, u, reverse)
    }

    /// Neighbours one step back, towards where a route comes from.
    fn back(&self, u: EntityId) -> std::borrow::Cow<'_, [u32]> {
        self.next(u, self.walk == Walk::Directed)
    }
}

/// At most this many shortest routes are enumerated for one query; more are
/// reported as truncated rather than exhausting memory on a huge graph.
pub const ENUMERATION_CAP: usize = 10_000;

/// The shortest hop distance from `s` to `t`, if within `max_hops`.
pub fn distance(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: EntityId,
    t: EntityId,
    max_hops: usize,
) -> Option<usize> {
    Bidirectional::run(index, filter, walk, s, t, max_hops).map(|b| b.distance)
}

struct Bidirectional<'a> {
    distance: usize,
    from_s: HashMap<EntityId, usize>,
    to_t: HashMap<EntityId, usize>,
    /// The nodes at each distance from s (`[0]` is s), as far as searched.
    layers_s: Vec<Vec<EntityId>>,
    /// The same from t.
    layers_t: Vec<Vec<EntityId>>,
    /// The neighbours each expanded layer's nodes were found to have, in
    /// the order of the layer: `[d][i]` for `layers_s[d][i]`.
    expanded_s: Vec<Vec<Cow<'a, [u32]>>>,
    /// The same from t (against the direction in a directed query).
    expanded_t: Vec<Vec<Cow<'a, [u32]>>>,
    /// Nodes where the two searches meet on every shortest route.
    meeting: Vec<EntityId>,
}

impl<'a> Bidirectional<'a> {
    fn run(
        index: &'a Index,
        filter: &Filter,
        walk: Walk,
        s: EntityId,
        t: EntityId,
        max_hops: usize,
    ) -> Option<Self> {
        if s == t {
            return None;
        }
        let mut from_s = HashMap::new();
        from_s.insert(s, 0usize);
        let mut to_t = HashMap::new();
        to_t.insert(t, 0usize);
        let (mut layers_s, mut layers_t) = (vec![vec![s]], vec![vec![t]]);
        let (mut expanded_s, mut expanded_t) = (Vec::new(), Vec::new());
        loop {
            let (front_s, front_t) = (layers_s.last().unwrap(), layers_t.last().unwrap());
            let (depth_s, depth_t) = (layers_s.len() - 1, layers_t.len() - 1);
            if depth_s + depth_t >= max_hops || front_s.is_empty() || front_t.is_empty() {
                return None;
            }
            // Expand the smaller frontier: the heart of bidirectional search.
            let forward = front_s.len() <= front_t.len();
            let (layers, expanded, dist, other, reverse) = if forward {
                (&mut layers_s, &mut expanded_s, &mut from_s, &to_t, false)
            } else {
                (
                    &mut layers_t,
                    &mut expanded_t,
                    &mut to_t,
                    &from_s,
                    walk == Walk::Directed,
                )
            };
            let depth = layers.len();
            let mut next = Vec::new();
            let front = layers.last().unwrap();
            let mut lists = Vec::with_capacity(front.len());
            for &u in front {
                let found = neighbours(index, filter, walk, u, reverse);
                for &v in found.iter() {
                    if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(EntityId(v))
                    {
                        slot.insert(depth);
                        next.push(EntityId(v));
                    }
                }
                lists.push(found);
            }
            expanded.push(lists);
            let best = next
                .iter()
                .filter_map(|v| other.get(v).map(|d| d + depth))
                .min();
            layers.push(next);
            if let Some(distance) = best {
                if distance > max_hops {
                    return None;
                }
                let a = if forward { depth } else { distance - depth };
                let mut meeting: Vec<EntityId> = from_s
                    .iter()
                    .filter(|&(v, &d)| d == a && to_t.get(v) == Some(&(distance - a)))
                    .map(|(&v, _)| v)
                    .collect();
                meeting.sort_unstable();
                return Some(Bidirectional {
                    distance,
                    from_s,
                    to_t,
                    layers_s,
                    layers_t,
                    expanded_s,
                    expanded_t,
                    meeting,
                });
            }
        }
    }
}

/// Every shortest route from `s` to `t` as entity sequences (at most
/// [`ENUMERATION_CAP`]; the flag says whether more were left out).
pub fn all_shortest(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: EntityId,
    t: EntityId,
    max_hops: usize,
) -> (Vec<Vec<EntityId>>, bool) {
    let Some(b) = Bidirectional::run(index, filter, walk, s, t, max_hops) else {
        return (Vec::new(), false);
    };
    let mut routes = Vec::new();
    let mut truncated = false;
    // The meeting nodes' halves overlap: each side's layers are worked out
    // once per node for all of them.
    let mut towards_s = Layers::new(&b.from_s, &b.layers_s, &b.expanded_s, true);
    let mut towards_t = Layers::new(&b.to_t, &b.layers_t, &b.expanded_t, false);
    for &m in &b.meeting {
        // Halves from s to m (walked backwards) and from m to t.
        let heads = halves(index, filter, walk, &mut towards_s, m, ENUMERATION_CAP);
        let tails = halves(index, filter, walk, &mut towards_t, m, ENUMERATION_CAP);
        for head in &heads {
            for tail in &tails {
                if routes.len() == ENUMERATION_CAP {
                    truncated = true;
                    break;
                }
                let mut route: Vec<EntityId> = head.iter().rev().copied().collect();
                route.extend(tail.iter().skip(1));
                routes.push(route);
            }
        }
    }
    (routes, truncated)
}

/// One side of a bidirectional search seen as layers: each reached node's
/// distance from that side's root, the nodes at each distance with the
/// neighbours the search found them to have, and, worked out once per node
/// when first needed, its neighbours one layer closer to the root. A hub
/// is met by many partial routes; it is asked once instead of once per
/// route, and when the layer below is much smaller than the hub's
/// neighbours, the layer is asked instead (which of its nodes has the hub
/// among the neighbours already found), so the hub's thousands of
/// neighbours are not read at all.
struct Layers<'d, 'a> {
    dist: &'d HashMap<EntityId, usize>,
    layers: &'d [Vec<EntityId>],
    expanded: &'d [Vec<Cow<'a, [u32]>>],
    /// Walks towards s (against the direction in a directed query).
    to_source: bool,
    closer: HashMap<EntityId, Vec<EntityId>>,
}

impl<'d, 'a> Layers<'d, 'a> {
    fn new(
        dist: &'d HashMap<EntityId, usize>,
        layers: &'d [Vec<EntityId>],
        expanded: &'d [Vec<Cow<'a, [u32]>>],
        to_source: bool,
    ) -> Self {
        Layers {
            dist,
            layers,
            expanded,
            to_source,
            closer: HashMap::new(),
        }
    }

    /// The neighbours of `u` one layer closer to the root, in neighbour
    /// order (`u` must be reached and not the root).
    fn closer(&mut self, index: &Index, filter: &Filter, walk: Walk, u: EntityId) -> &[EntityId] {
        let Layers {
            dist,
            layers,
            expanded,
            to_source,
            closer,
        } = self;
        closer.entry(u).or_insert_with(|| {
            let d = dist[&u];
            let below = &layers[d - 1];
            if d == 1 {
                // Only the root is one layer closer.
                return below.clone();
            }
            // A binary search in a found list costs a few look-ups in the
            // distance table.
            if 4 * below.len() < index.adjacent(u, Side::Both).targets().len() {
                let mut out: Vec<EntityId> = below
                    .iter()
                    .zip(&expanded[d - 1])
                    .filter(|(_, found)| found.binary_search(&u.0).is_ok())
                    .map(|(&w, _)| w)
                    .collect();
                out.sort_unstable();
                return out;
            }
            let reverse = *to_source && walk == Walk::Directed;
            neighbours(index, filter, walk, u, reverse)
                .iter()
                .map(|&v| EntityId(v))
                .filter(|v| dist.get(v) == Some(&(d - 1)))
                .collect()
        })
    }
}

/// Paths from `m` down the distance layers of one side to its root.
fn halves(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    layers: &mut Layers,
    m: EntityId,
    cap: usize,
) -> Vec<Vec<EntityId>> {
    let mut out = Vec::new();
    let mut stack = vec![vec![m]];
    while let Some(path) = stack.pop() {
        let last = *path.last().unwrap();
        if layers.dist[&last] == 0 {
            out.push(path);
            if out.len() == cap {
                break;
            }
            continue;
        }
        // In reverse: the stack pops the smallest id first.
        for &v in layers.closer(index, filter, walk, last).iter().rev() {
            let mut p = path.clone();
            p.push(v);
            stack.push(p);
        }
    }
    out
}

/// Exact hop distances to `t` for nodes within `depth` steps (walking
/// against the direction in a directed query), as a dense table.
fn distances_to(index: &Index, filter: &Filter, walk: Walk, t: EntityId, depth: usize) -> Vec<u32> {
    let mut dist = vec![u32::MAX; index.graph.entities.len()];
    dist[t.index()] = 0;
    let mut frontier = vec![t];
    for d in 1..=depth as u32 {
        let mut next = Vec::new();
        for &u in &frontier {
            for &v in neighbours(index, filter, walk, u, walk == Walk::Directed).iter() {
                if dist[v as usize] == u32::MAX {
                    dist[v as usize] = d;
                    next.push(EntityId(v));
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    dist
}

/// Every simple route of exactly `len` steps from `s` to `t` (at most
/// `cap`; the flag says whether more were left out): a depth-first search
/// that only steps where the exact distance to `t` still fits the length.
fn routes_of_length(
    space: Space,
    s: EntityId,
    t: EntityId,
    len: usize,
    budget: &mut usize,
) -> Option<(Vec<Vec<EntityId>>, bool)> {
    let Space {
        index,
        filter,
        walk,
    } = space;
    let cap = ENUMERATION_CAP;
    let dist = distances_to(index, filter, walk, t, len.saturating_sub(1));
    let mut found = Vec::new();
    let mut path = vec![s];
    let mut on_path = HashSet::new();
    on_path.insert(s);
    // Each frame: a node's neighbours and how many have been tried.
    let mut stack = vec![(neighbours(index, filter, walk, s, false), 0usize)];
    while let Some((list, tried)) = stack.last_mut() {
        let next = list.get(*tried).map(|&v| EntityId(v));
        *tried += 1;
        let Some(v) = next else {
            stack.pop();
            if let Some(u) = path.pop() {
                on_path.remove(&u);
            }
            continue;
        };
        let hops = path.len(); // steps taken once v is added
        if v == t {
            if hops == len {
                let mut route = path.clone();
                route.push(t);
                found.push(route);
                if found.len() == cap {
                    return Some((found, true));
                }
            }
            continue;
        }
        let d = dist[v.index()];
        if d == u32::MAX || hops + d as usize > len || on_path.contains(&v) {
            continue;
        }
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        path.push(v);
        on_path.insert(v);
        stack.push((neighbours(index, filter, walk, v, false), 0));
    }
    Some((found, false))
}

/// How many partial routes the length-by-length enumeration may explore
/// before [`k_best`] hands over to Yen's algorithm: about what Yen would
/// cost (k × hops cheapest-route searches, each at worst over the whole
/// graph), within bounds.
fn enumeration_budget(index: &Index, k: usize, max_hops: usize) -> usize {
    let size = index.graph.entities.len() + index.graph.relations.len();
    k.saturating_mul(max_hops)
        .saturating_mul(size)
        .clamp(10_000, 50_000_000)
}

/// The `k` best loopless routes: all shortest routes, then, while fewer
/// than `k` are known, all routes one step longer, and so on up to
/// `max_hops`, each length enumerated whole (up to the cap) so that the
/// ranking within it is exact. When that would explore more partial routes
/// than Yen's algorithm would cost, the k routes cheapest by
/// `step_cost` come from [`yen`]. The flag says whether a cap cut the
/// enumeration short.
pub fn k_best(
    space: Space,
    s: EntityId,
    t: EntityId,
    k: usize,
    max_hops: usize,
    step_cost: &dyn Fn(EntityId, EntityId) -> Option<u64>,
) -> (Vec<Vec<EntityId>>, bool) {
    let Space {
        index,
        filter,
        walk,
    } = space;
    let (mut routes, mut truncated) = all_shortest(index, filter, walk, s, t, max_hops);
    let Some(shortest) = routes.first().map(|r| r.len() - 1) else {
        return (routes, truncated);
    };
    let mut budget = enumeration_budget(index, k, max_hops);
    for len in shortest + 1..=max_hops {
        if routes.len() >= k || truncated {
            break;
        }
        match routes_of_length(space, s, t, len, &mut budget) {
            Some((more, cut)) => {
                truncated |= cut;
                routes.extend(more);
            }
            None => {
                return (yen(space, s, t, k, max_hops, step_cost), false);
            }
        }
    }
    (routes, truncated)
}

/// The cheapest route from `r` to `t` in at most `hops` steps, avoiding
/// `banned` entities and the first steps to `banned_next`, with its cost;
/// among equally cheap routes, the one whose entity ids come first.
///
/// A Dijkstra search backwards from `t` gives each entity its cost to reach
/// `t`; the route is then walked forwards from `r`, taking at each entity
/// the lowest id whose step keeps to the cheapest cost. Costs are whole
/// numbers, so "keeps to" is an exact comparison.
fn cheapest(
    space: Space,
    (r, t): (EntityId, EntityId),
    hops: usize,
    (banned, banned_next): (&HashSet<EntityId>, &HashSet<EntityId>),
    step_cost: &dyn Fn(EntityId, EntityId) -> Option<u64>,
) -> Option<(u64, Vec<EntityId>)> {
    let mut to_t: HashMap<EntityId, (u64, usize)> = HashMap::new();
    to_t.insert(t, (0, 0));
    let mut settled: HashSet<EntityId> = HashSet::new();
    let mut heap = BinaryHeap::from([Reverse((0u64, t))]);
    while let Some(Reverse((d, u))) = heap.pop() {
        if !settled.insert(u) {
            continue;
        }
        if u == r {
            break;
        }
        let steps = to_t[&u].1;
        if steps >= hops {
            continue;
        }
        for &p in space.back(u).iter() {
            let p = EntityId(p);
            if p == t || banned.contains(&p) || settled.contains(&p) {
                continue;
            }
            if p == r && banned_next.contains(&u) {
                continue;
            }
            let Some(c) = step_cost(p, u) else { continue };
            let nd = d + c;
            if to_t.get(&p).is_none_or(|&(old, _)| nd < old) {
                to_t.insert(p, (nd, steps + 1));
                heap.push(Reverse((nd, p)));
            }
        }
    }
    if !settled.contains(&r) {
        return None;
    }
    let total = to_t[&r].0;
    let mut route = vec![r];
    let mut u = r;
    while u != t {
        let here = to_t[&u].0;
        let next = space
            .next(u, false)
            .iter()
            .map(|&v| EntityId(v))
            .filter(|v| !(banned.contains(v) || u == r && banned_next.contains(v)))
            .find(|v| {
                settled.contains(v) && step_cost(u, *v).is_some_and(|c| to_t[v].0 + c == here)
            })?;
        route.push(next);
        u = next;
    }
    Some((total, route))
}

/// Yen's algorithm: the `k` cheapest loopless routes of at most `max_hops`
/// steps, by the sum of `step_cost` over their steps (whole numbers;
/// `None` where no step is allowed), ties going to the route whose entity
/// ids come first. Each new route costs one cheapest-route search per entity
/// of the route before it, so the work grows with k, not with the number of
/// simple paths.
pub fn yen(
    space: Space,
    s: EntityId,
    t: EntityId,
    k: usize,
    max_hops: usize,
    step_cost: &dyn Fn(EntityId, EntityId) -> Option<u64>,
) -> Vec<Vec<EntityId>> {
    let none = HashSet::new();
    let Some((_, first)) = cheapest(space, (s, t), max_hops, (&none, &none), step_cost) else {
        return Vec::new();
    };
    let mut found: Vec<Vec<EntityId>> = vec![first];
    let mut candidates: BTreeSet<(u64, Vec<EntityId>)> = BTreeSet::new();
    while found.len() < k {
        let last = found.last().expect("one route at least").clone();
        let mut root_cost = 0u64;
        for i in 0..last.len() - 1 {
            let root = &last[..=i];
            if i > 0 {
                root_cost += step_cost(last[i - 1], last[i]).unwrap_or(0);
            }
            let banned_next: HashSet<EntityId> = found
                .iter()
                .filter(|p| p.len() > i + 1 && &p[..=i] == root)
                .map(|p| p[i + 1])
                .collect();
            let banned: HashSet<EntityId> = root[..i].iter().copied().collect();
            if let Some((c, spur)) = cheapest(
                space,
                (last[i], t),
                max_hops - i,
                (&banned, &banned_next),
                step_cost,
            ) {
                let mut route = root[..i].to_vec();
                route.extend(spur);
                if !found.contains(&route) {
                    candidates.insert((root_cost + c, route));
                }
            }
        }
        match candidates.pop_first() {
            Some((_, route)) => found.push(route),
            None => break,
        }
    }
    found
}
