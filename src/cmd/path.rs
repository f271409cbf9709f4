//! `linkchart path FROM TO`: ranked routes between two entities, each step
//! with every relation behind it, in words that can go into a brief; or the
//! same as JSON or DOT. When nothing connects them, one line says which
//! filter or bound blocked it and what would connect them.

use serde::Serialize;

use super::Context;
use crate::cli::{PathArgs, PathFormat};
use crate::error::Error;
use crate::export::json::to_text;
use crate::export::{DotOptions, dot};
use crate::index::Index;
use crate::output::Output;
use crate::present;
use crate::query::Route;
use crate::query::path::{self, Answer, PathAnswer, Query, find};
use crate::query::rank::Through;
use crate::query::select::from_routes;
use crate::query::why::{routes_phrase, why_no_route};
use crate::style::Style;
use crate::words::plural;

pub fn run(ctx: &Context, args: &PathArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    if let Some(file) = &args.pairs {
        return pairs(index, args, file);
    }
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        return Err(Error::Usage(
            "path needs FROM and TO, or --pairs FILE".to_string(),
        ));
    };
    let query = args.spec(from, to).resolve(index)?;
    let (answer, view) = path::answer(index, &query, args.limit);
    if answer.routes.is_empty() {
        return Ok(Output {
            stderr: format!("{}\n", why_no_route(index, &query)),
            found_nothing: true,
            ..Output::default()
        });
    }
    let shown: Vec<Route> = answer.routes.iter().take(args.limit).cloned().collect();
    Ok(Output::text(match args.format {
        PathFormat::Json => to_text(&view),
        PathFormat::Dot => dot::render(
            index,
            &from_routes(index, &query, shown),
            &DotOptions::default(),
        ),
        PathFormat::Text => text(
            index,
            &query,
            &answer,
            &view,
            &shown,
            args.explain_score,
            ctx.style,
        ),
    }))
}

/// One line of `--pairs` output: the path contract plus the batch fields.
#[derive(Serialize)]
struct PairLine<'g> {
    #[serde(flatten)]
    answer: PathAnswer<'g>,
    elapsed_us: u64,
    line: usize,
}

/// A line of `--pairs` that could not be answered.
#[derive(Serialize)]
struct PairError<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    error: String,
    line: usize,
}

/// `--pairs FILE`: one query per line over the graph loaded once, one JSON
/// object per line (the path contract plus `line` and `elapsed_us`, the
/// query's own time). A line that cannot be answered gets an `error`; the
/// batch goes on and exits 2 at the end.
fn pairs(index: &Index, args: &PathArgs, file: &std::path::Path) -> Result<Output, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let mut out = String::new();
    let mut bad = 0usize;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let json = match line.split_once('\t') {
            None => {
                bad += 1;
                serde_json::to_string(&PairError {
                    from: None,
                    to: None,
                    error: "expected FROM<TAB>TO".to_string(),
                    line: n + 1,
                })
            }
            Some((from, to)) => {
                let started = std::time::Instant::now();
                match args.spec(from.trim(), to.trim()).resolve(index) {
                    Err(e) => {
                        bad += 1;
                        serde_json::to_string(&PairError {
                            from: Some(from),
                            to: Some(to),
                            error: e.to_string(),
                            line: n + 1,
                        })
                    }
                    Ok(query) => {
                        let answer = find(index, &query);
                        let view = answer.view(index, &query, args.limit);
                        let elapsed_us = started.elapsed().as_micros() as u64;
                        serde_json::to_string(&PairLine {
                            answer: view,
                            elapsed_us,
                            line: n + 1,
                        })
                    }
                }
            }
        };
        out.push_str(&json.unwrap_or_default());
        out.push('\n');
    }
    let mut output = Output::text(out);
    if bad > 0 {
        output.stderr = format!(
            "{bad} line{} of {} could not be answered (see \"error\")\n",
            plural(bad),
            file.display()
        );
        output.bad_input = true;
    }
    Ok(output)
}

fn text(
    index: &Index,
    q: &Query,
    answer: &Answer,
    view: &PathAnswer,
    shown: &[Route],
    explain: bool,
    style: Style,
) -> String {
    let g = &index.graph;
    let n = answer.routes.len();
    let shortest = answer.routes[0].hops();
    let mut t = format!(
        "{} → {}: {}, shortest {shortest} step{}",
        style.bold(&g.entity(q.from).name),
        style.bold(&g.entity(q.to).name),
        routes_phrase(n, answer.truncated),
        plural(shortest)
    );
    if shown.len() < n {
        t += &format!(" (showing {}; use --limit to see more)", shown.len());
    }
    t += "\n";
    for note in &view.notes {
        t += &format!("{} {}\n", style.bold("Note:"), note.text);
    }
    for note in &view.notes {
        if let Some(route) = &note.route {
            let heading = match note.kind {
                "hubs" => "Avoiding hubs",
                _ => "Stronger evidence",
            };
            t += &route_block(index, heading, &route.route, explain, style);
        }
    }
    for (i, route) in shown.iter().enumerate() {
        t += &route_block(index, &format!("Route {}", i + 1), route, explain, style);
    }
    t
}

/// One route: its heading, the relations of every step, and its score.
fn route_block(index: &Index, heading: &str, route: &Route, explain: bool, style: Style) -> String {
    let g = &index.graph;
    let names: Vec<&str> = route
        .entities
        .iter()
        .map(|&e| g.entity(e).name.as_str())
        .collect();
    let mut t = format!(
        "\n{} {}\n",
        style.heading(&format!(
            "{heading} · {} step{} ·",
            route.hops(),
            plural(route.hops())
        )),
        names.join(" → ")
    );
    for step in &route.steps {
        for ev in &step.evidence {
            let (sentence, detail) = present::edge_sentence(index, *ev, step.from, step.to, style);
            t += &format!("  • {sentence}\n      {detail}\n");
        }
    }
    if explain {
        t += &format!("  {}\n", style.dim(&explain_score(index, route)));
    }
    t
}

/// Why passing through an intermediate costs what it does.
fn through_words(index: &Index, h: &Through) -> String {
    let name = &index.entity(h.entity).name;
    match &h.shared {
        None => format!(
            "{name} ({} neighbours) ln(1+{}) = {:.2}",
            h.degree, h.degree, h.cost
        ),
        Some(role) => {
            let label = index
                .graph
                .schema
                .relation_types
                .get(&role.rel_type)
                .map_or(role.rel_type.as_str(), |t| t.label.as_str());
            let shared = if role.entity_is_to {
                format!("both {label} it")
            } else {
                format!("it {label} both")
            };
            format!(
                "{name} ({} neighbours; {shared}, a role {} share) ln(1+{}) = {:.2}",
                h.degree, role.size, role.size, h.cost
            )
        }
    }
}

fn explain_score(index: &Index, route: &Route) -> String {
    let s = &route.score;
    let hubs: Vec<String> = s.hubs.iter().map(|h| through_words(index, h)).collect();
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
