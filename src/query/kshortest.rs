//! The cheapest loopless routes over non-negative edge costs: Dijkstra's
//! algorithm for the cheapest, Yen's algorithm for the k cheapest.
//!
//! Generic over the graph: nodes are `u32` below `nodes`, and `succ(u, out)`
//! fills `out` with `(v, cost)` for every edge out of `u` (the cheapest, when
//! there are parallel edges). Ties are broken by node ids, so the answer never
//! changes between runs: Dijkstra settles the lowest (cost, node) first and
//! keeps the first predecessor that reaches a node at its final cost; Yen
//! takes candidates by (cost, node sequence).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

/// A route and its cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Costed {
    pub nodes: Vec<u32>,
    pub cost: f64,
}

/// Costs this close count as equal (sums of the same weights in another order).
pub fn same_cost(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn order(a: &Costed, b: &Costed) -> Ordering {
    if same_cost(a.cost, b.cost) {
        a.nodes.cmp(&b.nodes)
    } else {
        a.cost.total_cmp(&b.cost)
    }
}

#[derive(PartialEq)]
struct State(f64, u32);

impl Eq for State {}

impl Ord for State {
    fn cmp(&self, other: &Self) -> Ordering {
        // A min-heap on (cost, node).
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for State {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The cheapest route from `s` to `t` that uses no banned node and no
/// banned edge, by Dijkstra's algorithm.
pub fn cheapest<F>(
    nodes: usize,
    succ: &F,
    s: u32,
    t: u32,
    banned_nodes: &HashSet<u32>,
    banned_edges: &HashSet<(u32, u32)>,
) -> Option<Costed>
where
    F: Fn(u32, &mut Vec<(u32, f64)>),
{
    let mut dist = vec![f64::INFINITY; nodes];
    let mut prev = vec![u32::MAX; nodes];
    let mut done = vec![false; nodes];
    let mut heap = BinaryHeap::new();
    let mut out = Vec::new();
    dist[s as usize] = 0.0;
    heap.push(State(0.0, s));
    while let Some(State(d, u)) = heap.pop() {
        if done[u as usize] {
            continue;
        }
        done[u as usize] = true;
        if u == t {
            break;
        }
        out.clear();
        succ(u, &mut out);
        out.sort_by_key(|&(v, _)| v);
        for &(v, cost) in &out {
            if done[v as usize] || banned_nodes.contains(&v) || banned_edges.contains(&(u, v)) {
                continue;
            }
            let nd = d + cost;
            if nd < dist[v as usize] {
                dist[v as usize] = nd;
                prev[v as usize] = u;
                heap.push(State(nd, v));
            }
        }
    }
    if !dist[t as usize].is_finite() {
        return None;
    }
    let mut route = vec![t];
    let mut at = t;
    while at != s {
        at = prev[at as usize];
        route.push(at);
    }
    route.reverse();
    Some(Costed {
        nodes: route,
        cost: dist[t as usize],
    })
}

fn edge_cost<F: Fn(u32, &mut Vec<(u32, f64)>)>(succ: &F, u: u32, v: u32) -> f64 {
    let mut out = Vec::new();
    succ(u, &mut out);
    out.iter()
        .filter(|(w, _)| *w == v)
        .map(|(_, c)| *c)
        .fold(f64::INFINITY, f64::min)
}

/// The `k` cheapest loopless routes from `s` to `t`, cheapest first, by
/// Yen's algorithm. `stop` ends the enumeration early: it sees the routes
/// found so far and the next candidate's cost.
pub fn k_cheapest_until<F, S>(
    nodes: usize,
    succ: &F,
    s: u32,
    t: u32,
    k: usize,
    stop: S,
) -> Vec<Costed>
where
    F: Fn(u32, &mut Vec<(u32, f64)>),
    S: Fn(&[Costed], f64) -> bool,
{
    let none_n = HashSet::new();
    let none_e = HashSet::new();
    let Some(first) = cheapest(nodes, succ, s, t, &none_n, &none_e) else {
        return Vec::new();
    };
    if s == t {
        return vec![first];
    }
    let mut found = vec![first];
    let mut candidates: Vec<Costed> = Vec::new();
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    seen.insert(found[0].nodes.clone());
    while found.len() < k {
        let last = found.last().expect("one route at least").nodes.clone();
        let mut root_cost = 0.0;
        for i in 0..last.len() - 1 {
            let spur = last[i];
            let root = &last[..=i];
            let banned_edges: HashSet<(u32, u32)> = found
                .iter()
                .filter(|p| p.nodes.len() > i + 1 && &p.nodes[..=i] == root)
                .map(|p| (p.nodes[i], p.nodes[i + 1]))
                .collect();
            let banned_nodes: HashSet<u32> = root[..i].iter().copied().collect();
            if let Some(spur_path) = cheapest(nodes, succ, spur, t, &banned_nodes, &banned_edges) {
                let mut route = root[..i].to_vec();
                route.extend(&spur_path.nodes);
                if seen.insert(route.clone()) {
                    candidates.push(Costed {
                        nodes: route,
                        cost: root_cost + spur_path.cost,
                    });
                }
            }
            root_cost += edge_cost(succ, last[i], last[i + 1]);
        }
        let Some(best) = candidates
            .iter()
            .enumerate()
            .min_by(|a, b| order(a.1, b.1))
            .map(|(i, _)| i)
        else {
            break;
        };
        if stop(&found, candidates[best].cost) {
            break;
        }
        found.push(candidates.swap_remove(best));
    }
    found
}

/// The `k` cheapest loopless routes from `s` to `t`, cheapest first.
pub fn k_cheapest<F>(nodes: usize, succ: &F, s: u32, t: u32, k: usize) -> Vec<Costed>
where
    F: Fn(u32, &mut Vec<(u32, f64)>),
{
    k_cheapest_until(nodes, succ, s, t, k, |_, _| false)
}

/// Every cheapest route (all that tie with the cheapest), at most `cap`.
pub fn all_cheapest<F>(nodes: usize, succ: &F, s: u32, t: u32, cap: usize) -> Vec<Costed>
where
    F: Fn(u32, &mut Vec<(u32, f64)>),
{
    k_cheapest_until(nodes, succ, s, t, cap, |found, next| {
        !same_cost(found[0].cost, next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn graph(
        edges: &[(u32, u32, f64)],
        undirected: bool,
    ) -> impl Fn(u32, &mut Vec<(u32, f64)>) + '_ {
        move |u, out| {
            for &(a, b, c) in edges {
                if a == u {
                    out.push((b, c));
                }
                if undirected && b == u {
                    out.push((a, c));
                }
            }
        }
    }

    /// Every simple route, by depth-first search: the oracle.
    fn all_routes(
        n: usize,
        succ: &impl Fn(u32, &mut Vec<(u32, f64)>),
        s: u32,
        t: u32,
    ) -> Vec<Costed> {
        fn walk(
            succ: &impl Fn(u32, &mut Vec<(u32, f64)>),
            path: &mut Vec<u32>,
            cost: f64,
            t: u32,
            out: &mut Vec<Costed>,
        ) {
            let u = *path.last().unwrap();
            if u == t {
                out.push(Costed {
                    nodes: path.clone(),
                    cost,
                });
                return;
            }
            let mut next = Vec::new();
            succ(u, &mut next);
            // The cheapest edge to each neighbour.
            next.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            next.dedup_by_key(|e| e.0);
            for (v, c) in next {
                if !path.contains(&v) {
                    path.push(v);
                    walk(succ, path, cost + c, t, out);
                    path.pop();
                }
            }
        }
        let _ = n;
        let mut out = Vec::new();
        walk(succ, &mut vec![s], 0.0, t, &mut out);
        out.sort_by(order);
        out
    }

    #[test]
    fn cheapest_takes_the_light_way_round() {
        let edges = [(0, 1, 10.0), (0, 2, 1.0), (2, 3, 1.0), (3, 1, 1.0)];
        let g = graph(&edges, false);
        let p = cheapest(4, &g, 0, 1, &HashSet::new(), &HashSet::new()).unwrap();
        assert_eq!(p.nodes, [0, 2, 3, 1]);
        assert_eq!(p.cost, 3.0);
        let ks = k_cheapest(4, &g, 0, 1, 5);
        assert_eq!(ks.len(), 2);
        assert_eq!(ks[1].nodes, [0, 1]);
    }

    #[test]
    fn ties_are_all_found_and_ordered() {
        let edges = [
            (0, 1, 1.0),
            (1, 3, 1.0),
            (0, 2, 1.0),
            (2, 3, 1.0),
            (0, 3, 5.0),
        ];
        let g = graph(&edges, true);
        let all = all_cheapest(4, &g, 0, 3, 100);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].nodes, [0, 1, 3]);
        assert_eq!(all[1].nodes, [0, 2, 3]);
        assert!(
            cheapest(4, &g, 0, 3, &HashSet::from([1, 2]), &HashSet::new())
                .unwrap()
                .cost
                == 5.0
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn yen_matches_brute_force(
            raw in prop::collection::vec((0u32..7, 0u32..7, 0u32..5), 0..18),
            undirected in any::<bool>(),
            k in 1usize..12,
        ) {
            let edges: Vec<(u32, u32, f64)> = raw
                .iter()
                .filter(|(a, b, _)| a != b)
                .map(|&(a, b, c)| (a, b, c as f64))
                .collect();
            let g = graph(&edges, undirected);
            let oracle = all_routes(7, &g, 0, 6);
            let ours = k_cheapest(7, &g, 0, 6, k);
            prop_assert_eq!(ours.len(), oracle.len().min(k));
            for (a, b) in ours.iter().zip(&oracle) {
                prop_assert!(same_cost(a.cost, b.cost), "{:?} vs {:?}", a, b);
            }
            // Each route is simple, really a route, and costs what it says.
            for r in &ours {
                let distinct: HashSet<&u32> = r.nodes.iter().collect();
                prop_assert_eq!(distinct.len(), r.nodes.len());
                let cost: f64 = r.nodes.windows(2).map(|w| edge_cost(&g, w[0], w[1])).sum();
                prop_assert!(same_cost(cost, r.cost));
            }
            let ties = all_cheapest(7, &g, 0, 6, 1000);
            let expected = oracle.iter().filter(|r| same_cost(r.cost, oracle[0].cost)).count();
            prop_assert_eq!(ties.len(), expected);
        }
    }
}
