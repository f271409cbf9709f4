//! Route search: all shortest routes by bidirectional breadth-first search,
//! and the k best loopless routes by Yen's algorithm over a lexicographic
//! (hops, cost) Dijkstra, so k routes come out in non-decreasing length and,
//! within a length, in rank order.

use std::cmp::Ordering;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

use super::rank::{self, hub_weight};
use super::{Filter, Route, Walk, neighbours, steps_of};
use crate::index::Index;

/// At most this many shortest routes are enumerated for one query; more are
/// reported as truncated rather than exhausting memory on a huge graph.
pub const ENUMERATION_CAP: usize = 10_000;

/// The shortest hop distance from `s` to `t`, if within `max_hops`.
pub fn distance(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: usize,
    t: usize,
    max_hops: usize,
) -> Option<usize> {
    Bidirectional::run(index, filter, walk, s, t, max_hops).map(|b| b.distance)
}

struct Bidirectional {
    distance: usize,
    from_s: HashMap<usize, usize>,
    to_t: HashMap<usize, usize>,
    /// Nodes where the two searches meet on every shortest route.
    meeting: Vec<usize>,
}

impl Bidirectional {
    fn run(
        index: &Index,
        filter: &Filter,
        walk: Walk,
        s: usize,
        t: usize,
        max_hops: usize,
    ) -> Option<Self> {
        if s == t {
            return None;
        }
        let mut from_s = HashMap::from([(s, 0usize)]);
        let mut to_t = HashMap::from([(t, 0usize)]);
        let (mut front_s, mut front_t) = (vec![s], vec![t]);
        let (mut depth_s, mut depth_t) = (0usize, 0usize);
        loop {
            if depth_s + depth_t >= max_hops || front_s.is_empty() || front_t.is_empty() {
                return None;
            }
            // Expand the smaller frontier: the heart of bidirectional search.
            let forward = front_s.len() <= front_t.len();
            let (front, dist, other, depth, reverse) = if forward {
                (&mut front_s, &mut from_s, &to_t, &mut depth_s, false)
            } else {
                (
                    &mut front_t,
                    &mut to_t,
                    &from_s,
                    &mut depth_t,
                    walk == Walk::Directed,
                )
            };
            let mut next = Vec::new();
            for &u in front.iter() {
                for v in neighbours(index, filter, walk, u, reverse) {
                    if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(v) {
                        slot.insert(*depth + 1);
                        next.push(v);
                    }
                }
            }
            *depth += 1;
            let best = next
                .iter()
                .filter_map(|v| other.get(v).map(|d| d + *depth))
                .min();
            *front = next;
            if let Some(distance) = best {
                if distance > max_hops {
                    return None;
                }
                let a = if forward { depth_s } else { distance - depth_t };
                let mut meeting: Vec<usize> = from_s
                    .iter()
                    .filter(|&(v, &d)| d == a && to_t.get(v) == Some(&(distance - a)))
                    .map(|(&v, _)| v)
                    .collect();
                meeting.sort_unstable();
                return Some(Bidirectional {
                    distance,
                    from_s,
                    to_t,
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
    s: usize,
    t: usize,
    max_hops: usize,
) -> (Vec<Vec<usize>>, bool) {
    let Some(b) = Bidirectional::run(index, filter, walk, s, t, max_hops) else {
        return (Vec::new(), false);
    };
    let mut routes = Vec::new();
    let mut truncated = false;
    for &m in &b.meeting {
        // Halves from s to m (walked backwards) and from m to t.
        let heads = halves(index, filter, walk, &b.from_s, m, true, ENUMERATION_CAP);
        let tails = halves(index, filter, walk, &b.to_t, m, false, ENUMERATION_CAP);
        for head in &heads {
            for tail in &tails {
                if routes.len() == ENUMERATION_CAP {
                    truncated = true;
                    break;
                }
                let mut route: Vec<usize> = head.iter().rev().copied().collect();
                route.extend(tail.iter().skip(1));
                routes.push(route);
            }
        }
    }
    (routes, truncated)
}

/// Paths from `m` down the distance layers of `dist` to its root. `to_source`
/// walks towards s (against the direction in a directed query).
fn halves(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    dist: &HashMap<usize, usize>,
    m: usize,
    to_source: bool,
    cap: usize,
) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut stack = vec![vec![m]];
    while let Some(path) = stack.pop() {
        let last = *path.last().unwrap();
        let d = dist[&last];
        if d == 0 {
            out.push(path);
            if out.len() == cap {
                break;
            }
            continue;
        }
        let reverse = to_source && walk == Walk::Directed;
        let mut next: Vec<usize> = neighbours(index, filter, walk, last, reverse)
            .into_iter()
            .filter(|v| dist.get(v) == Some(&(d - 1)))
            .collect();
        next.reverse(); // the stack pops the smallest id first
        for v in next {
            let mut p = path.clone();
            p.push(v);
            stack.push(p);
        }
    }
    out
}

/// Lexicographic cost: hops first, then the ranking cost.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cost(usize, f64);

impl Eq for Cost {}
impl PartialOrd for Cost {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Cost {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0).then(self.1.total_cmp(&other.1))
    }
}

/// The strongest-evidence weight of the step `u -> v` (lowest weight).
fn step_weight(index: &Index, filter: &Filter, walk: Walk, u: usize, v: usize) -> f64 {
    super::evidence(index, filter, walk, u, v)
        .iter()
        .map(|ev| rank::edge_weight(index, &index.net[ev.edge]))
        .fold(f64::INFINITY, f64::min)
}

fn route_cost(index: &Index, filter: &Filter, walk: Walk, path: &[usize]) -> Cost {
    let mut cost = 0.0;
    for (i, w) in path.windows(2).enumerate() {
        cost += step_weight(index, filter, walk, w[0], w[1]);
        if i + 2 < path.len() {
            cost += hub_weight(index.degree(w[1]));
        }
    }
    Cost(path.len() - 1, cost)
}

/// Cheapest path by (hops, cost) avoiding `banned_nodes` and `banned_steps`.
#[allow(clippy::too_many_arguments)]
fn dijkstra(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: usize,
    t: usize,
    max_hops: usize,
    banned_nodes: &HashSet<usize>,
    banned_steps: &HashSet<(usize, usize)>,
) -> Option<Vec<usize>> {
    #[derive(PartialEq, Eq)]
    struct Entry(Cost, usize);
    impl Ord for Entry {
        fn cmp(&self, other: &Self) -> Ordering {
            other.0.cmp(&self.0).then_with(|| other.1.cmp(&self.1))
        }
    }
    impl PartialOrd for Entry {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    let mut best: HashMap<usize, Cost> = HashMap::from([(s, Cost(0, 0.0))]);
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut heap = BinaryHeap::from([Entry(Cost(0, 0.0), s)]);
    let mut done: HashSet<usize> = HashSet::new();
    while let Some(Entry(cost, u)) = heap.pop() {
        if !done.insert(u) {
            continue;
        }
        if u == t {
            let mut path = vec![t];
            while let Some(&p) = parent.get(path.last().unwrap()) {
                path.push(p);
            }
            path.reverse();
            return Some(path);
        }
        if cost.0 >= max_hops {
            continue;
        }
        let hub = if u == s {
            0.0
        } else {
            hub_weight(index.degree(u))
        };
        for v in neighbours(index, filter, walk, u, false) {
            if banned_nodes.contains(&v) || banned_steps.contains(&(u, v)) || done.contains(&v) {
                continue;
            }
            let next = Cost(
                cost.0 + 1,
                cost.1 + hub + step_weight(index, filter, walk, u, v),
            );
            if best.get(&v).is_none_or(|b| next < *b) {
                best.insert(v, next);
                parent.insert(v, u);
                heap.push(Entry(next, v));
            }
        }
    }
    None
}

/// The `k` best loopless routes by (hops, cost), Yen's algorithm.
pub fn k_best(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: usize,
    t: usize,
    k: usize,
    max_hops: usize,
) -> Vec<Vec<usize>> {
    let none = HashSet::new();
    let Some(first) = dijkstra(index, filter, walk, s, t, max_hops, &none, &HashSet::new()) else {
        return Vec::new();
    };
    let mut accepted: Vec<Vec<usize>> = vec![first];
    // Candidates ordered by cost, then by entity sequence for determinism.
    let mut candidates: BTreeSet<(Cost, Vec<usize>)> = BTreeSet::new();
    let mut seen: HashSet<Vec<usize>> = HashSet::from([accepted[0].clone()]);
    while accepted.len() < k {
        let previous = accepted.last().unwrap().clone();
        for i in 0..previous.len() - 1 {
            let spur = previous[i];
            let root = &previous[..=i];
            let banned_steps: HashSet<(usize, usize)> = accepted
                .iter()
                .filter(|p| p.len() > i + 1 && &p[..=i] == root)
                .map(|p| (p[i], p[i + 1]))
                .collect();
            let banned_nodes: HashSet<usize> = root[..i].iter().copied().collect();
            if let Some(spur_path) = dijkstra(
                index,
                filter,
                walk,
                spur,
                t,
                max_hops - i,
                &banned_nodes,
                &banned_steps,
            ) {
                let mut path = root[..i].to_vec();
                path.extend(spur_path);
                if path.len() - 1 <= max_hops && seen.insert(path.clone()) {
                    candidates.insert((route_cost(index, filter, walk, &path), path));
                }
            }
        }
        match candidates.pop_first() {
            Some((_, path)) => accepted.push(path),
            None => break,
        }
    }
    accepted
}

/// What a path query asks.
#[derive(Debug, Clone)]
pub struct Query {
    pub from: usize,
    pub to: usize,
    /// Entities the route must pass through, in order.
    pub via: Vec<usize>,
    pub filter: Filter,
    pub walk: Walk,
    pub max_hops: usize,
    /// `None`: all shortest routes; `Some(k)`: the k best loopless routes.
    pub k: Option<usize>,
    /// Rank by hop count alone, not by the cost in [`rank`].
    pub rank_by_hops: bool,
}

/// The answer: routes best first, and whether enumeration was cut short.
#[derive(Debug, Clone)]
pub struct Answer {
    pub routes: Vec<Route>,
    pub truncated: bool,
}

fn segment(index: &Index, q: &Query, s: usize, t: usize) -> (Vec<Vec<usize>>, bool) {
    let (shortest, truncated) = all_shortest(index, &q.filter, q.walk, s, t, q.max_hops);
    match q.k {
        None => (shortest, truncated),
        // Routes rank by hops first, so when there are at least k shortest
        // routes the k best are among them (ranked by cost in `find`), and
        // the costly spur searches of Yen's algorithm are not needed. On
        // hub-heavy graphs that is the usual case.
        Some(k) if shortest.len() >= k => (shortest, truncated),
        Some(k) => (k_best(index, &q.filter, q.walk, s, t, k, q.max_hops), false),
    }
}

/// Runs a path query.
pub fn find(index: &Index, q: &Query) -> Answer {
    let mut filter = q.filter.clone();
    filter.endpoints = [q.from, q.to]
        .into_iter()
        .chain(q.via.iter().copied())
        .collect();
    let q = Query {
        filter,
        ..q.clone()
    };
    let stops: Vec<usize> = std::iter::once(q.from)
        .chain(q.via.iter().copied())
        .chain(std::iter::once(q.to))
        .collect();
    let mut truncated = false;
    let mut paths: Vec<Vec<usize>> = vec![vec![q.from]];
    for w in stops.windows(2) {
        let (parts, cut) = segment(index, &q, w[0], w[1]);
        truncated |= cut;
        let mut joined = Vec::new();
        'outer: for head in &paths {
            for part in &parts {
                let mut p = head.clone();
                p.extend(part.iter().skip(1));
                if p.len() - 1 <= q.max_hops && is_simple(&p) {
                    if joined.len() == ENUMERATION_CAP {
                        truncated = true;
                        break 'outer;
                    }
                    joined.push(p);
                }
            }
        }
        paths = joined;
        if paths.is_empty() {
            break;
        }
    }
    if stops.len() > 2 && q.k.is_none() {
        // Through via points, keep the shortest combined routes only.
        let min = paths.iter().map(Vec::len).min().unwrap_or(0);
        paths.retain(|p| p.len() == min);
    }
    let mut routes: Vec<Route> = paths
        .into_iter()
        .map(|entities| {
            let steps = steps_of(index, &q.filter, q.walk, &entities);
            let score = rank::score(index, &entities, &steps);
            Route {
                entities,
                steps,
                score,
            }
        })
        .collect();
    let ids = |r: &Route| -> Vec<&str> {
        r.entities
            .iter()
            .map(|&e| index.graph.entities[e].id.as_str())
            .collect()
    };
    routes.sort_by(|a, b| {
        let by_rank = if q.rank_by_hops {
            a.hops().cmp(&b.hops())
        } else {
            a.hops()
                .cmp(&b.hops())
                .then(a.score.total().total_cmp(&b.score.total()))
        };
        by_rank.then_with(|| ids(a).cmp(&ids(b)))
    });
    if let Some(k) = q.k {
        routes.truncate(k);
    }
    Answer { routes, truncated }
}

fn is_simple(path: &[usize]) -> bool {
    let mut seen = HashSet::with_capacity(path.len());
    path.iter().all(|v| seen.insert(*v))
}
