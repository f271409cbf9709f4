//! Why a route query found nothing, in one line: which filter or bound
//! blocked it and what would connect the two entities. Each restriction of
//! the query is lifted in turn and the query run again.

use super::path::{Query, find};
use super::routes::distance;
use super::{Filter, Walk};
use crate::index::Index;
use crate::words::plural;

fn count_phrase(n: usize, truncated: bool) -> String {
    format!(
        "{}{n} route{}",
        if truncated { "at least " } else { "" },
        plural(n)
    )
}

/// "1 route exists, shortest 2 steps".
fn exist((n, hops, truncated): (usize, usize, bool)) -> String {
    format!(
        "{} exist{}, shortest {hops} step{}",
        count_phrase(n, truncated),
        if n == 1 && !truncated { "s" } else { "" },
        plural(hops)
    )
}

/// How many shortest routes the query finds, how long, and whether capped.
fn found(index: &Index, q: &Query) -> Option<(usize, usize, bool)> {
    let q = Query {
        k: None,
        ..q.clone()
    };
    let answer = find(index, &q);
    answer
        .routes
        .first()
        .map(|r| (answer.routes.len(), r.hops(), answer.truncated))
}

/// One line saying why `q` found no route and what would find one.
pub fn why_no_route(index: &Index, q: &Query) -> String {
    let g = &index.graph;
    let (a, b) = (&g.entity(q.from).name, &g.entity(q.to).name);
    let active = q.filter.describe(index);
    for (restriction, words) in &active {
        let relaxed = Query {
            filter: q.filter.without(*restriction),
            ..q.clone()
        };
        if let Some(r) = found(index, &relaxed) {
            return format!(
                "no route from {a} to {b} {words}; without that restriction {}",
                exist(r)
            );
        }
    }
    let mut open = Query {
        filter: q.filter.opened(),
        ..q.clone()
    };
    if !active.is_empty()
        && let Some(r) = found(index, &open)
    {
        return format!(
            "no route from {a} to {b} with these filters; without them {}",
            exist(r)
        );
    }
    if !q.via.is_empty() {
        let names: Vec<&str> = q.via.iter().map(|&v| g.entity(v).name.as_str()).collect();
        open.via.clear();
        if let Some(r) = found(index, &open) {
            return format!(
                "no route from {a} to {b} through {}; without --via {}",
                names.join(", "),
                exist(r)
            );
        }
    }
    if q.walk == Walk::Directed {
        open.walk = Walk::Undirected;
        if let Some(r) = found(index, &open) {
            return format!(
                "no route from {a} to {b} following relation direction; ignoring direction {}",
                exist(r)
            );
        }
    }
    let filter = Filter {
        endpoints: vec![q.from, q.to],
        ..Default::default()
    };
    match distance(
        index,
        &filter,
        Walk::Undirected,
        q.from,
        q.to,
        g.entities.len(),
    ) {
        Some(d) => format!(
            "no route from {a} to {b} within {} step{}; the shortest has {d} steps (try --max-hops {d})",
            q.max_hops,
            plural(q.max_hops)
        ),
        None => format!("{a} and {b} are not connected in this graph"),
    }
}

/// "at least 10 routes" / "3 routes".
pub fn routes_phrase(n: usize, truncated: bool) -> String {
    count_phrase(n, truncated)
}
