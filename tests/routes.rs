//! Property tests of route search against a plain breadth-first oracle over
//! random multigraphs, with random filters.

use std::collections::{HashMap, HashSet, VecDeque};

use indexmap::IndexSet;
use linkchart::index::Index;
use linkchart::model::{
    Entity, EntityId, Graph, KindDef, Relation, RelationTypeDef, Schema, SourceRef, Status,
};
use linkchart::query::filter::ACCUSED_BY;
use linkchart::query::path::{Query, Rank, find};
use linkchart::query::rank::step_units;
use linkchart::query::routes::{Space, yen};
use linkchart::query::{Filter, Walk};
use linkchart::when::{Date, When};
use proptest::prelude::*;

const KINDS: [&str; 2] = ["person", "agency"];
const TYPES: [&str; 3] = ["headed", "supported", "allied-with"];

#[derive(Debug, Clone)]
struct RawEdge {
    from: usize,
    to: usize,
    ty: usize,
    status: usize,
    claimant: usize,
    year: Option<i32>,
}

fn graph(n: usize, kinds: &[usize], edges: &[RawEdge]) -> Graph {
    let schema = Schema {
        kinds: KINDS
            .iter()
            .map(|k| {
                (
                    k.to_string(),
                    KindDef {
                        label: k.to_string(),
                        shape: "box".into(),
                        color: "#fff".into(),
                    },
                )
            })
            .collect(),
        relation_types: TYPES
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    RelationTypeDef {
                        label: t.to_string(),
                        inverse: format!("inv {t}"),
                        symmetric: *t == "allied-with",
                        // Every type accuses, so every claim gives derived edges.
                        accuses: true,
                        from: vec![],
                        to: vec![],
                    },
                )
            })
            .collect(),
    };
    let entities = (0..n)
        .map(|i| Entity {
            id: format!("e{i:02}").into(),
            name: format!("E{i:02}").into(),
            kind: KINDS[kinds[i]].into(),
            aliases: vec![],
            description: String::new(),
            start: None,
            end: None,
            tags: vec![],
            props: Default::default(),
        })
        .collect();
    let relations = edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let status = Status::ALL[e.status];
            Relation {
                id: format!("r{i}").into(),
                from: e.from.into(),
                to: e.to.into(),
                rel_type: TYPES[e.ty].into(),
                status,
                claimed_by: if status.is_claim() {
                    vec![e.claimant.into()].into()
                } else {
                    Default::default()
                },
                denied_by: Default::default(),
                doubted_by: Default::default(),
                retracted_by: Default::default(),
                when: e.year.map(|y| {
                    When::Date(Date {
                        year: y,
                        month: None,
                        day: None,
                        approx: false,
                    })
                }),
                source: SourceRef {
                    id: "s".into(),
                    section: "x".into(),
                },
                note: String::new(),
                weight: None,
                props: Default::default(),
            }
        })
        .collect();
    Graph {
        schema,
        sources: vec![],
        entities,
        relations,
    }
}

/// The oracle's idea of which directed hops a filter allows.
fn allowed_hops(g: &Graph, f: &Filter, walk: Walk) -> HashSet<(usize, usize)> {
    let mut hops = HashSet::new();
    let mut add = |a: usize, b: usize| {
        hops.insert((a, b));
        if walk == Walk::Undirected {
            hops.insert((b, a));
        }
    };
    for r in &g.relations {
        let time_ok = |r: &Relation| {
            f.during
                .is_none_or(|d| r.when.is_some_and(|w| w.overlaps(&d)))
        };
        let status_ok = f.weakest.is_none_or(|w| r.status <= w);
        let type_ok = |t: &str| f.types.as_ref().is_none_or(|ts| ts.contains(t));
        if r.from != r.to && status_ok && time_ok(r) && type_ok(&r.rel_type) {
            add(r.from.index(), r.to.index());
            // A symmetric type reads the same both ways, even walked directed.
            if r.rel_type == "allied-with" {
                add(r.to.index(), r.from.index());
            }
        }
        if r.status.is_claim() && !f.no_derived && status_ok && time_ok(r) && type_ok(ACCUSED_BY) {
            for &c in &r.claimed_by {
                if c != r.from {
                    add(r.from.index(), c.index());
                }
            }
        }
    }
    hops
}

fn node_ok(g: &Graph, f: &Filter, s: usize, t: usize, v: usize) -> bool {
    v == s
        || v == t
        || (!f.avoid.contains(&EntityId::from(v))
            && f.kinds
                .as_ref()
                .is_none_or(|k| k.contains(g.entities[v].kind.as_str())))
}

/// Plain BFS: distance and number of shortest paths.
fn oracle(
    g: &Graph,
    hops: &HashSet<(usize, usize)>,
    f: &Filter,
    s: usize,
    t: usize,
) -> Option<(usize, u64)> {
    let n = g.entities.len();
    let mut dist = vec![usize::MAX; n];
    let mut count = vec![0u64; n];
    dist[s] = 0;
    count[s] = 1;
    let mut queue = VecDeque::from([s]);
    while let Some(u) = queue.pop_front() {
        if u == t {
            continue; // routes end at t
        }
        for v in 0..n {
            if hops.contains(&(u, v)) && node_ok(g, f, s, t, v) && v != s {
                if dist[v] == usize::MAX {
                    dist[v] = dist[u] + 1;
                    queue.push_back(v);
                }
                if dist[v] == dist[u] + 1 {
                    count[v] += count[u];
                }
            }
        }
    }
    (dist[t] != usize::MAX).then(|| (dist[t], count[t]))
}

fn arb_case() -> impl Strategy<Value = (usize, Vec<usize>, Vec<RawEdge>)> {
    (2usize..10).prop_flat_map(|n| {
        let edge = (
            0..n,
            0..n,
            0..TYPES.len(),
            0..4usize,
            0..n,
            proptest::option::of(1980..1990i32),
        )
            .prop_map(|(from, to, ty, status, claimant, year)| RawEdge {
                from,
                to,
                ty,
                status,
                claimant,
                year,
            });
        (
            Just(n),
            proptest::collection::vec(0..2usize, n),
            proptest::collection::vec(edge, 0..25),
        )
    })
}

fn arb_filter(n: usize) -> impl Strategy<Value = Filter> {
    (
        proptest::option::of(0..4usize),
        proptest::option::of(proptest::collection::hash_set(0..TYPES.len() + 1, 1..=3)),
        proptest::option::of(0..2usize),
        any::<bool>(),
        proptest::collection::hash_set(0..n, 0..3),
        proptest::option::of((1980..1990i32, 0..4i32)),
    )
        .prop_map(|(status, types, kind, no_derived, avoid, during)| Filter {
            weakest: status.map(|s| Status::ALL[s]),
            types: types.map(|ts| {
                ts.into_iter()
                    .map(|t| {
                        if t == TYPES.len() {
                            ACCUSED_BY.to_string()
                        } else {
                            TYPES[t].to_string()
                        }
                    })
                    .collect()
            }),
            kinds: kind.map(|k| IndexSet::from([KINDS[k].to_string()])),
            no_derived,
            avoid: avoid.into_iter().map(EntityId::from).collect(),
            during: during.map(|(y, len)| {
                When::Period(linkchart::when::Period {
                    start: Some(Date {
                        year: y,
                        month: None,
                        day: None,
                        approx: false,
                    }),
                    end: Some(Date {
                        year: y + len,
                        month: None,
                        day: None,
                        approx: false,
                    }),
                })
            }),
            endpoints: vec![],
            ..Filter::default()
        })
}

/// Entity ids as the oracle's plain indices.
fn indices(route: &[EntityId]) -> Vec<usize> {
    route.iter().map(|e| e.index()).collect()
}

fn check_route(
    g: &Graph,
    hops: &HashSet<(usize, usize)>,
    f: &Filter,
    s: usize,
    t: usize,
    route: &[usize],
) -> Result<(), TestCaseError> {
    prop_assert_eq!(route.first(), Some(&s));
    prop_assert_eq!(route.last(), Some(&t));
    let unique: HashSet<_> = route.iter().collect();
    prop_assert_eq!(unique.len(), route.len(), "route {:?} is not simple", route);
    for w in route.windows(2) {
        prop_assert!(
            hops.contains(&(w[0], w[1])),
            "step {:?} not allowed by the filter",
            w
        );
    }
    for &v in route {
        prop_assert!(node_ok(g, f, s, t, v), "entity {} violates the filter", v);
    }
    Ok(())
}

/// Every simple route from `s` to `t` of at most `max_hops` steps over the
/// allowed hops, by brute force.
fn all_simple(
    g: &Graph,
    hops: &HashSet<(usize, usize)>,
    f: &Filter,
    s: usize,
    t: usize,
    max_hops: usize,
) -> Vec<Vec<usize>> {
    let n = g.entities.len();
    let mut out = Vec::new();
    let mut stack = vec![vec![s]];
    while let Some(path) = stack.pop() {
        let u = *path.last().unwrap();
        if u == t {
            out.push(path);
            continue;
        }
        if path.len() > max_hops {
            continue;
        }
        for v in 0..n {
            if hops.contains(&(u, v)) && !path.contains(&v) && node_ok(g, f, s, t, v) {
                let mut p = path.clone();
                p.push(v);
                stack.push(p);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Yen's algorithm gives exactly the k cheapest simple routes, ties to
    /// the lowest entity ids, as brute force does with the same step costs.
    #[test]
    fn yen_gives_the_k_cheapest_routes(
        (n, kinds, edges) in arb_case(),
        f in (2usize..10).prop_flat_map(arb_filter),
        s in 0usize..10, t in 0usize..10,
        directed in any::<bool>(),
        max_hops in 1usize..7,
        k in 1usize..8,
        by_hops in any::<bool>(),
    ) {
        let (s, t) = (s % n, t % n);
        prop_assume!(s != t);
        let mut f = f;
        f.avoid.retain(|&v| v.index() < n && v.index() != s && v.index() != t);
        f.endpoints = vec![s.into(), t.into()];
        let walk = if directed { Walk::Directed } else { Walk::Undirected };
        let g = graph(n, &kinds, &edges);
        let hops = allowed_hops(&g, &f, walk);
        let index = Index::new(g.clone());
        let cost = |u: EntityId, v: EntityId| step_units(&index, &f, walk, by_hops, t.into(), u, v);
        let mut expected: Vec<(u64, Vec<usize>)> = all_simple(&g, &hops, &f, s, t, max_hops)
            .into_iter()
            .map(|p| {
                let c = p.windows(2).map(|w| cost(w[0].into(), w[1].into()).unwrap()).sum();
                (c, p)
            })
            .collect();
        expected.sort();
        expected.truncate(k);
        let space = Space { index: &index, filter: &f, walk };
        let got: Vec<Vec<usize>> = yen(space, s.into(), t.into(), k, max_hops, &cost)
            .iter()
            .map(|r| indices(r))
            .collect();
        let want: Vec<Vec<usize>> = expected.into_iter().map(|(_, p)| p).collect();
        prop_assert_eq!(got, want);
    }

    /// The k best routes are as short as the k shortest simple routes.
    #[test]
    fn k_best_routes_are_the_shortest_k(
        (n, kinds, edges) in arb_case(),
        f in (2usize..10).prop_flat_map(arb_filter),
        s in 0usize..10, t in 0usize..10,
        max_hops in 1usize..7,
        k in 1usize..8,
    ) {
        let (s, t) = (s % n, t % n);
        prop_assume!(s != t);
        let mut f = f;
        f.avoid.retain(|&v| v.index() < n && v.index() != s && v.index() != t);
        let g = graph(n, &kinds, &edges);
        let hops = allowed_hops(&g, &f, Walk::Undirected);
        let mut lengths: Vec<usize> = all_simple(&g, &hops, &f, s, t, max_hops).iter().map(|p| p.len() - 1).collect();
        lengths.sort_unstable();
        lengths.truncate(k);
        let index = Index::new(g.clone());
        let query = Query { from: s.into(), to: t.into(), via: vec![], filter: f.clone(), walk: Walk::Undirected, max_hops, weighted: false, k: Some(k), rank: Rank::Cost };
        let got: Vec<usize> = find(&index, &query).routes.iter().map(|r| r.hops()).collect();
        prop_assert_eq!(got, lengths);
    }

    #[test]
    fn routes_agree_with_a_bfs_oracle(
        (n, kinds, edges) in arb_case(),
        f in (2usize..10).prop_flat_map(arb_filter),
        s in 0usize..10, t in 0usize..10,
        directed in any::<bool>(),
        max_hops in 1usize..7,
        k in 1usize..6,
    ) {
        let (s, t) = (s % n, t % n);
        prop_assume!(s != t);
        let mut f = f;
        f.avoid.retain(|&v| v.index() < n && v.index() != s && v.index() != t);
        let walk = if directed { Walk::Directed } else { Walk::Undirected };
        let g = graph(n, &kinds, &edges);
        let hops = allowed_hops(&g, &f, walk);
        let expected = oracle(&g, &hops, &f, s, t).filter(|(d, _)| *d <= max_hops);
        let index = Index::new(g.clone());
        let query = Query { from: s.into(), to: t.into(), via: vec![], filter: f.clone(), walk, max_hops, k: None, rank: Rank::Cost, weighted: false };

        // All shortest routes.
        let answer = find(&index, &query);
        match expected {
            None => prop_assert!(answer.routes.is_empty(), "oracle finds none, search found {:?}", answer.routes[0].entities),
            Some((d, count)) => {
                prop_assert_eq!(answer.routes.len() as u64, count, "number of shortest routes");
                let mut seen = HashSet::new();
                for r in &answer.routes {
                    prop_assert_eq!(r.hops(), d);
                    check_route(&g, &hops, &f, s, t, &indices(&r.entities))?;
                    prop_assert!(seen.insert(r.entities.clone()), "duplicate route");
                    for step in &r.steps {
                        prop_assert!(!step.evidence.is_empty(), "a step without evidence");
                    }
                }
            }
        }

        // The k best loopless routes.
        let answer = find(&index, &Query { k: Some(k), ..query });
        match expected {
            None => prop_assert!(answer.routes.is_empty()),
            Some((d, _)) => {
                prop_assert!(!answer.routes.is_empty() && answer.routes.len() <= k);
                prop_assert_eq!(answer.routes[0].hops(), d, "the first of k routes is a shortest one");
                let mut seen = HashSet::new();
                for pair in answer.routes.windows(2) {
                    prop_assert!(pair[0].hops() <= pair[1].hops(), "k routes in non-decreasing length");
                }
                for r in &answer.routes {
                    prop_assert!(r.hops() <= max_hops);
                    check_route(&g, &hops, &f, s, t, &indices(&r.entities))?;
                    prop_assert!(seen.insert(r.entities.clone()), "duplicate route");
                }
            }
        }
    }
}

#[test]
fn via_passes_through_and_stays_simple() {
    // 0 - 1 - 2 - 3 and 0 - 4 - 3: through 4 the route is 0 4 3.
    let edges: Vec<RawEdge> = [(0, 1), (1, 2), (2, 3), (0, 4), (4, 3)]
        .iter()
        .map(|&(from, to)| RawEdge {
            from,
            to,
            ty: 0,
            status: 0,
            claimant: 0,
            year: None,
        })
        .collect();
    let index = Index::new(graph(5, &[0; 5], &edges));
    let q = Query {
        from: 0.into(),
        to: 3.into(),
        via: vec![2.into()],
        filter: Filter::default(),
        walk: Walk::Undirected,
        max_hops: 6,
        k: None,
        rank: Rank::Cost,
        weighted: false,
    };
    let answer = find(&index, &q);
    let routes: Vec<Vec<usize>> = answer.routes.iter().map(|r| indices(&r.entities)).collect();
    assert_eq!(routes, vec![vec![0, 1, 2, 3]]);
    let mut counts: HashMap<EntityId, usize> = HashMap::new();
    for r in &answer.routes {
        for e in &r.entities {
            *counts.entry(*e).or_default() += 1;
        }
    }
    assert!(counts.values().all(|&c| c == 1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A connecting network is a tree (a forest with its gaps), holds every
    /// named entity it joins, steps only where the filter allows, and
    /// leaves out only entities no route within the hop limit reaches.
    #[test]
    fn connecting_networks_are_trees_that_respect_the_filter(
        (n, kinds, edges) in arb_case(),
        f in (2usize..10).prop_flat_map(arb_filter),
        picks in proptest::collection::btree_set(0usize..10, 2..5),
        max_hops in 1usize..6,
    ) {
        use linkchart::query::connect::{Connect, connect};
        let terminals: Vec<usize> = picks.into_iter().map(|p| p % n).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        prop_assume!(terminals.len() >= 2);
        let mut f = f;
        f.avoid.retain(|&v| v.index() < n && !terminals.contains(&v.index()));
        f.endpoints = terminals.iter().map(|&t| t.into()).collect();
        let g = graph(n, &kinds, &edges);
        let hops = allowed_hops(&g, &f, Walk::Undirected);
        let index = Index::new(g.clone());
        let request = Connect { terminals: terminals.iter().map(|&t| t.into()).collect(), filter: f.clone(), max_hops, approximate: false };
        let network = connect(&index, &request);
        // The approximations join the same entities, never in fewer steps
        // than the exact tree, and in at most twice as many.
        let rough = connect(&index, &Connect { approximate: true, ..request.clone() });
        prop_assert_eq!(&rough.gaps, &network.gaps);
        prop_assert!(network.steps.len() <= rough.steps.len());
        prop_assert!(rough.steps.len() <= 2 * network.steps.len());
        // A tree: one step fewer than entities, and every entity reached.
        let entities: HashSet<usize> = network.entities.iter().map(|e| e.index()).collect();
        if !network.steps.is_empty() {
            prop_assert_eq!(network.steps.len() + 1, entities.len());
        }
        let mut reached: HashSet<usize> = HashSet::new();
        if let Some(first) = network.steps.first() {
            reached.insert(first.from.index());
        }
        for step in &network.steps {
            prop_assert!(reached.contains(&step.from.index()), "steps read outwards");
            reached.insert(step.to.index());
            prop_assert!(hops.contains(&(step.from.index(), step.to.index())), "step not allowed");
            prop_assert!(!step.evidence.is_empty());
        }
        if !network.steps.is_empty() {
            prop_assert_eq!(&reached, &entities);
        }
        let s = terminals[0];
        for &v in &entities {
            prop_assert!(node_ok(&g, &f, s, s, v) || terminals.contains(&v), "entity {} violates the filter", v);
        }
        // Every named entity is in the network or a gap; gaps are far.
        let gaps: HashSet<usize> = network.gaps.iter().flatten().map(|e| e.index()).collect();
        for &t in &terminals {
            prop_assert!(entities.contains(&t) ^ gaps.contains(&t), "{} is in neither or both", t);
        }
        for &gap in &gaps {
            for &t in terminals.iter().filter(|t| entities.contains(t)) {
                let d = oracle(&g, &hops, &f, t, gap).map(|(d, _)| d);
                prop_assert!(d.is_none_or(|d| d > max_hops), "{} could have joined {} in {:?}", gap, t, d);
            }
        }
    }
}
