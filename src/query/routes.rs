//! Route search: all shortest routes by bidirectional breadth-first search,
//! and the k best loopless routes by enumerating routes length by length.
//!
//! Routes rank by hops first, so the k best are the shortest ones, then the
//! best of those one step longer, and so on. On the hub-heavy graphs link
//! charts are, a length holds many routes and a distance-pruned depth-first
//! search finds them all far faster than Yen's algorithm, whose spur searches
//! each explore most of the graph; ranking within a length is then exact.

use std::collections::{HashMap, HashSet};

use super::rank;
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
                for &v in neighbours(index, filter, walk, u, reverse).iter() {
                    if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(v as usize)
                    {
                        slot.insert(*depth + 1);
                        next.push(v as usize);
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
            .iter()
            .map(|&v| v as usize)
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

/// Exact hop distances to `t` for nodes within `depth` steps (walking
/// against the direction in a directed query), as a dense table.
fn distances_to(index: &Index, filter: &Filter, walk: Walk, t: usize, depth: usize) -> Vec<u32> {
    let mut dist = vec![u32::MAX; index.graph.entities.len()];
    dist[t] = 0;
    let mut frontier = vec![t];
    for d in 1..=depth as u32 {
        let mut next = Vec::new();
        for &u in &frontier {
            for &v in neighbours(index, filter, walk, u, walk == Walk::Directed).iter() {
                let v = v as usize;
                if dist[v] == u32::MAX {
                    dist[v] = d;
                    next.push(v);
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
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: usize,
    t: usize,
    len: usize,
    cap: usize,
) -> (Vec<Vec<usize>>, bool) {
    let dist = distances_to(index, filter, walk, t, len.saturating_sub(1));
    let mut found = Vec::new();
    let mut path = vec![s];
    let mut on_path = std::collections::HashSet::from([s]);
    // Each frame: a node's neighbours and how many have been tried.
    let mut stack = vec![(neighbours(index, filter, walk, s, false), 0usize)];
    while let Some((list, tried)) = stack.last_mut() {
        let next = list.get(*tried).map(|&v| v as usize);
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
                    return (found, true);
                }
            }
            continue;
        }
        let d = dist[v];
        if d == u32::MAX || hops + d as usize > len || on_path.contains(&v) {
            continue;
        }
        path.push(v);
        on_path.insert(v);
        stack.push((neighbours(index, filter, walk, v, false), 0));
    }
    (found, false)
}

/// The `k` best loopless routes by (hops, cost): all shortest routes, then,
/// while fewer than `k` are known, all routes one step longer, and so on up
/// to `max_hops`. Each length is enumerated whole (up to the cap), so the
/// ranking within it is exact.
pub fn k_best(
    index: &Index,
    filter: &Filter,
    walk: Walk,
    s: usize,
    t: usize,
    k: usize,
    max_hops: usize,
) -> (Vec<Vec<usize>>, bool) {
    let (mut routes, mut truncated) = all_shortest(index, filter, walk, s, t, max_hops);
    let Some(shortest) = routes.first().map(|r| r.len() - 1) else {
        return (routes, truncated);
    };
    for len in shortest + 1..=max_hops {
        if routes.len() >= k || truncated {
            break;
        }
        let (more, cut) = routes_of_length(index, filter, walk, s, t, len, ENUMERATION_CAP);
        truncated |= cut;
        routes.extend(more);
    }
    (routes, truncated)
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
    match q.k {
        None => all_shortest(index, &q.filter, q.walk, s, t, q.max_hops),
        Some(k) => k_best(index, &q.filter, q.walk, s, t, k, q.max_hops),
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
