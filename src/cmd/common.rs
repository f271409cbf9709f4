//! `linkchart common A B`: entities linked directly to both, strongest and
//! most specific first, with the relations on each side.

use serde_json::json;

use crate::cli::{FilterArgs, Format};
use crate::cmd::filters;
use crate::error::Error;
use crate::export::json::{relation as relation_json, to_text};
use crate::index::{Edge, Index};
use crate::query::{Walk, evidence, neighbours, rank};
use crate::style::Style;
use crate::{Output, present};

pub fn run(
    index: &Index,
    a: &str,
    b: &str,
    args: &FilterArgs,
    format: Format,
    style: Style,
    output: &mut Output,
) -> Result<(), Error> {
    let (a, b) = (index.resolve(a)?, index.resolve(b)?);
    if a == b {
        return Err(Error::Usage(format!(
            "A and B are the same entity ({})",
            index.entity(a).id
        )));
    }
    let mut filter = filters::build(index, args)?;
    filter.endpoints = vec![a, b];
    let walk = Walk::Undirected;
    let of_b = neighbours(index, &filter, walk, b, false);
    let best = |x: usize, y: usize| {
        evidence(index, &filter, walk, x, y)
            .iter()
            .map(|ev| rank::edge_weight(index, &index.net[ev.edge]))
            .fold(f64::INFINITY, f64::min)
    };
    let mut shared: Vec<(f64, usize, usize)> = neighbours(index, &filter, walk, a, false)
        .iter()
        .filter(|c| **c as usize != b && of_b.binary_search(c).is_ok())
        .map(|&c| c as usize)
        .map(|c| (best(a, c) + best(b, c), index.degree(c), c))
        .collect();
    shared.sort_by(|x, y| {
        x.0.total_cmp(&y.0)
            .then(x.1.cmp(&y.1))
            .then(index.entity(x.2).name.cmp(&index.entity(y.2).name))
    });
    let g = &index.graph;
    output.found_nothing = shared.is_empty();
    match format {
        Format::Json => {
            let side = |x: usize, c: usize| -> Vec<serde_json::Value> {
                evidence(index, &filter, walk, x, c)
                    .iter()
                    .map(|ev| match index.net[ev.edge] {
                        Edge::Relation(r) => relation_json(g, &g.relations[r]),
                        Edge::AccusedBy { claim } => {
                            let mut v = relation_json(g, &g.relations[claim]);
                            v["derived"] = json!("accused-by");
                            v
                        }
                    })
                    .collect()
            };
            output.stdout = to_text(&json!({
                "a": {"id": g.entity(a).id, "name": g.entity(a).name},
                "b": {"id": g.entity(b).id, "name": g.entity(b).name},
                "common": shared.iter().map(|&(_, _, c)| json!({
                    "id": g.entity(c).id, "name": g.entity(c).name, "kind": g.entity(c).kind,
                    "with_a": side(a, c), "with_b": side(b, c),
                })).collect::<Vec<_>>(),
            }));
        }
        Format::Text => {
            if shared.is_empty() {
                output.stderr = format!(
                    "{} and {} have no directly linked entity in common\n",
                    g.entity(a).name,
                    g.entity(b).name
                );
                return Ok(());
            }
            let mut t = format!(
                "{} and {}: {} entit{} linked to both\n",
                style.bold(&g.entity(a).name),
                style.bold(&g.entity(b).name),
                shared.len(),
                if shared.len() == 1 { "y" } else { "ies" }
            );
            for &(_, _, c) in &shared {
                let e = g.entity(c);
                t += &format!(
                    "\n{} {}\n",
                    style.heading(&e.name),
                    style.dim(&format!("({} · {})", e.id, g.kind_label(&e.kind)))
                );
                for x in [a, b] {
                    for ev in evidence(index, &filter, walk, x, c) {
                        let (sentence, detail) = present::edge_sentence(index, ev, x, c, style);
                        t += &format!("  • {sentence}\n      {detail}\n");
                    }
                }
            }
            output.stdout = t;
        }
    }
    Ok(())
}
