//! `linkchart path FROM TO`: ranked routes between two entities, each step
//! with every relation behind it, in words that can go into a brief; or the
//! same as JSON or DOT. When nothing connects them, one line says which
//! filter or bound blocked it and what would connect them.

use serde_json::{Value, json};

use crate::cli::{PathArgs, PathFormat, Rank};
use crate::cmd::filters;
use crate::error::Error;
use crate::export::{dot, json::to_text};
use crate::index::{Edge, Index};
use crate::query::routes::{self, Answer, Query};
use crate::query::{Route, Walk};
use crate::style::Style;
use crate::when::When;
use crate::{Output, plural, present};

pub fn query_of(index: &Index, args: &PathArgs) -> Result<Query, Error> {
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        return Err(Error::Usage(
            "path needs FROM and TO, or --pairs FILE".to_string(),
        ));
    };
    let from = index.resolve(from)?;
    let to = index.resolve(to)?;
    if from == to {
        return Err(Error::Usage(format!(
            "FROM and TO are the same entity ({}); name two different entities",
            index.entity(from).id
        )));
    }
    let mut via = Vec::new();
    for name in &args.route_options.via {
        let v = index.resolve(name)?;
        if v == from || v == to || via.contains(&v) {
            return Err(Error::Usage(format!(
                "--via {name}: {} is already on the route",
                index.entity(v).id
            )));
        }
        via.push(v);
    }
    let filter = filters::build(index, &args.filters)?;
    for &e in [from, to].iter().chain(&via) {
        if filter.avoid.contains(&e) {
            return Err(Error::Usage(format!(
                "--avoid {}: the route must pass through it",
                index.entity(e).id
            )));
        }
    }
    if args.route_options.k == Some(0) {
        return Err(Error::Usage("--k must be at least 1".to_string()));
    }
    Ok(Query {
        from,
        to,
        via,
        filter,
        walk: if args.directed {
            Walk::Directed
        } else {
            Walk::Undirected
        },
        max_hops: args.route_options.max_hops,
        k: args.route_options.k,
        rank_by_hops: args.rank == Rank::Hops,
    })
}

pub fn run(index: &Index, args: &PathArgs, style: Style, output: &mut Output) -> Result<(), Error> {
    if let Some(file) = &args.pairs {
        return pairs(index, args, file, output);
    }
    let query = query_of(index, args)?;
    let answer = routes::find(index, &query);
    if answer.routes.is_empty() {
        output.found_nothing = true;
        output.stderr = format!("{}\n", why_no_route(index, args, &query));
        return Ok(());
    }
    let shown: Vec<&Route> = answer.routes.iter().take(args.limit).collect();
    output.stdout = match args.format {
        PathFormat::Json => to_text(&routes_json(index, &query, &shown)),
        PathFormat::Dot => {
            let sel = crate::select::from_routes(
                index,
                &query,
                shown.iter().map(|r| (*r).clone()).collect(),
            );
            dot::render(index, &sel, &Default::default())
        }
        PathFormat::Text => text(index, &query, &answer, &shown, args, style),
    };
    Ok(())
}

/// `--pairs FILE`: one query per line over the graph loaded once, one JSON
/// object per line (the path contract plus `line` and `elapsed_us`, the
/// query's own time). A line that cannot be answered gets an `error`; the
/// batch goes on and exits 2 at the end.
fn pairs(
    index: &Index,
    args: &PathArgs,
    file: &std::path::Path,
    output: &mut Output,
) -> Result<(), Error> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::Io {
        path: file.display().to_string(),
        message: e.to_string(),
    })?;
    let mut out = String::new();
    let mut bad = 0usize;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut v = match line.split_once('\t') {
            None => {
                bad += 1;
                json!({"error": "expected FROM<TAB>TO"})
            }
            Some((from, to)) => {
                let started = std::time::Instant::now();
                let one = PathArgs {
                    from: Some(from.trim().to_string()),
                    to: Some(to.trim().to_string()),
                    pairs: None,
                    ..args.clone()
                };
                match query_of(index, &one) {
                    Err(e) => {
                        bad += 1;
                        json!({"from": from, "to": to, "error": e.to_string()})
                    }
                    Ok(query) => {
                        let answer = routes::find(index, &query);
                        let shown: Vec<&Route> = answer.routes.iter().take(args.limit).collect();
                        let elapsed = started.elapsed().as_micros() as u64;
                        let mut v = routes_json(index, &query, &shown);
                        v["total"] = json!(answer.routes.len());
                        v["truncated"] = json!(answer.truncated);
                        v["elapsed_us"] = json!(elapsed);
                        v
                    }
                }
            }
        };
        v["line"] = json!(n + 1);
        out.push_str(&serde_json::to_string(&v).unwrap_or_default());
        out.push('\n');
    }
    output.stdout = out;
    if bad > 0 {
        output.stderr = format!(
            "{bad} line{} of {} could not be answered (see \"error\")\n",
            plural(bad),
            file.display()
        );
        output.bad_input = true;
    }
    Ok(())
}

fn count_phrase(n: usize, truncated: bool) -> String {
    format!(
        "{}{n} route{}",
        if truncated { "at least " } else { "" },
        plural(n)
    )
}

fn text(
    index: &Index,
    q: &Query,
    answer: &Answer,
    shown: &[&Route],
    args: &PathArgs,
    style: Style,
) -> String {
    let g = &index.graph;
    let n = answer.routes.len();
    let shortest = answer.routes[0].hops();
    let mut t = format!(
        "{} → {}: {}, shortest {shortest} step{}",
        style.bold(&g.entity(q.from).name),
        style.bold(&g.entity(q.to).name),
        count_phrase(n, answer.truncated),
        plural(shortest)
    );
    if shown.len() < n {
        t += &format!(" (showing {}; use --limit to see more)", shown.len());
    }
    t += "\n";
    for (i, route) in shown.iter().enumerate() {
        let names: Vec<&str> = route
            .entities
            .iter()
            .map(|&e| g.entity(e).name.as_str())
            .collect();
        t += &format!(
            "\n{} {}\n",
            style.heading(&format!(
                "Route {} · {} step{} ·",
                i + 1,
                route.hops(),
                plural(route.hops())
            )),
            names.join(" → ")
        );
        for step in &route.steps {
            for ev in &step.evidence {
                let (sentence, detail) =
                    present::edge_sentence(index, *ev, step.from, step.to, style);
                t += &format!("  • {sentence}\n      {detail}\n");
            }
        }
        if args.explain_score {
            t += &format!("  {}\n", style.dim(&explain_score(index, route)));
        }
    }
    t
}

fn explain_score(index: &Index, route: &Route) -> String {
    let s = &route.score;
    let hubs: Vec<String> = s
        .hubs
        .iter()
        .map(|&(e, d)| {
            format!(
                "{} ({d} neighbours) ln(1+{d}) = {:.2}",
                index.entity(e).name,
                crate::query::rank::hub_weight(d)
            )
        })
        .collect();
    let steps: Vec<String> = s.step_weights.iter().map(|w| format!("{w:.1}")).collect();
    format!(
        "score {:.2} = hubs {:.2} [{}] + evidence {:.2} [{}] (lower is better; see README)",
        s.total(),
        s.hub_cost,
        if hubs.is_empty() {
            "none".to_string()
        } else {
            hubs.join("; ")
        },
        s.evidence_cost,
        steps.join(" + ")
    )
}

fn when_json(value: &mut Value, when: Option<When>) {
    match when {
        Some(When::Date(d)) => value["date"] = json!(d.to_string()),
        Some(When::Period(p)) => value["period"] = json!(p.to_string()),
        None => {}
    }
}

fn routes_json(index: &Index, q: &Query, shown: &[&Route]) -> Value {
    let g = &index.graph;
    let entity = |i: usize| json!({"id": g.entity(i).id, "name": g.entity(i).name});
    json!({
        "from": entity(q.from),
        "to": entity(q.to),
        "routes": shown.iter().map(|r| json!({
            "length": r.hops(),
            "score": (r.score.total() * 1000.0).round() / 1000.0,
            "entities": g.ids(&r.entities),
            "steps": r.steps.iter().map(|s| json!({
                "from": g.entity(s.from).id,
                "to": g.entity(s.to).id,
                "relations": s.evidence.iter().map(|ev| {
                    let direction = if ev.forward { "forward" } else { "backward" };
                    let mut v = match index.net[ev.edge] {
                        Edge::Relation(r) => {
                            let rel = &g.relations[r];
                            json!({"id": rel.id, "type": rel.rel_type, "label": g.label(rel, ev.forward),
                                   "direction": direction, "status": rel.status,
                                   "claimed_by": g.ids(&rel.claimed_by), "denied_by": g.ids(&rel.denied_by)})
                        }
                        Edge::AccusedBy { claim } => {
                            let rel = &g.relations[claim];
                            json!({"id": format!("accused-by:{}", rel.id), "type": "accused-by",
                                   "label": if ev.forward { "is accused by" } else { "accuses" },
                                   "direction": direction, "status": rel.status, "derived": true,
                                   "claim": rel.id,
                                   "claimed_by": g.ids(&rel.claimed_by), "denied_by": g.ids(&rel.denied_by)})
                        }
                    };
                    let rel = match index.net[ev.edge] { Edge::Relation(r) | Edge::AccusedBy { claim: r } => &g.relations[r] };
                    when_json(&mut v, rel.when);
                    v["source"] = json!({"id": rel.source.id, "section": rel.source.section});
                    v
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// One line saying why no route was found and what would find one.
fn why_no_route(index: &Index, args: &PathArgs, q: &Query) -> String {
    let g = &index.graph;
    let (a, b) = (&g.entity(q.from).name, &g.entity(q.to).name);
    let found = |args: &PathArgs| -> Option<(usize, usize, bool)> {
        let q = query_of(index, args).ok()?;
        let q = Query { k: None, ..q };
        let answer = routes::find(index, &q);
        answer
            .routes
            .first()
            .map(|r| (answer.routes.len(), r.hops(), answer.truncated))
    };
    let exist = |(n, hops, truncated): (usize, usize, bool)| {
        format!(
            "{} exist{}, shortest {hops} step{}",
            count_phrase(n, truncated),
            if n == 1 && !truncated { "s" } else { "" },
            plural(hops)
        )
    };
    let active = filters::describe(&args.filters);
    for (key, words) in &active {
        let relaxed = PathArgs {
            filters: filters::without(&args.filters, key),
            ..args.clone()
        };
        if let Some(r) = found(&relaxed) {
            return format!(
                "no route from {a} to {b} {words}; without that restriction {}",
                exist(r)
            );
        }
    }
    let mut open = PathArgs {
        filters: Default::default(),
        ..args.clone()
    };
    if !active.is_empty()
        && let Some(r) = found(&open)
    {
        return format!(
            "no route from {a} to {b} with these filters; without them {}",
            exist(r)
        );
    }
    if !args.route_options.via.is_empty() {
        open.route_options.via.clear();
        if let Some(r) = found(&open) {
            return format!(
                "no route from {a} to {b} through {}; without --via {}",
                args.route_options.via.join(", "),
                exist(r)
            );
        }
    }
    if args.directed {
        open.directed = false;
        if let Some(r) = found(&open) {
            return format!(
                "no route from {a} to {b} following relation direction; ignoring direction {}",
                exist(r)
            );
        }
    }
    let filter = crate::query::Filter {
        endpoints: vec![q.from, q.to],
        ..Default::default()
    };
    match routes::distance(
        index,
        &filter,
        Walk::Undirected,
        q.from,
        q.to,
        g.entities.len(),
    ) {
        Some(d) => format!(
            "no route from {a} to {b} within {} step{}; the shortest has {d} steps (try --max-hops {d})",
            args.route_options.max_hops,
            plural(args.route_options.max_hops)
        ),
        None => format!("{a} and {b} are not connected in this graph"),
    }
}
