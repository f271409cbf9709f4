//! `linkchart stats`: what the graph holds, by kind, type and status, and
//! which entities are the hubs.

use indexmap::IndexMap;
use serde_json::json;

use crate::Output;
use crate::cli::Format;
use crate::export::json::to_text;
use crate::index::{Edge, Index};
use crate::model::Status;
use crate::style::Style;

pub fn run(index: &Index, top: usize, format: Format, style: Style, output: &mut Output) {
    let g = &index.graph;
    // Schema order first, so the table reads like the vocabulary.
    let mut kinds: IndexMap<&str, usize> = g.schema.kinds.keys().map(|k| (k.as_str(), 0)).collect();
    for e in &g.entities {
        *kinds.entry(&e.kind).or_default() += 1;
    }
    kinds.retain(|_, n| *n > 0);
    let mut types: IndexMap<&str, usize> = IndexMap::new();
    for r in &g.relations {
        *types.entry(&r.rel_type).or_default() += 1;
    }
    types.sort_by(|a, na, b, nb| nb.cmp(na).then(a.cmp(b)));
    let statuses: Vec<(Status, usize)> = Status::ALL
        .iter()
        .map(|&s| (s, g.relations.iter().filter(|r| r.status == s).count()))
        .collect();
    let derived = index
        .net
        .edge_weights()
        .filter(|e| matches!(e, Edge::AccusedBy { .. }))
        .count();
    let mut hubs: Vec<(usize, usize)> = (0..g.entities.len())
        .map(|i| (index.degree(i), i))
        .collect();
    hubs.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(g.entities[a.1].id.cmp(&g.entities[b.1].id))
    });
    hubs.truncate(top);

    match format {
        Format::Json => {
            output.stdout = to_text(&json!({
                "entities": g.entities.len(),
                "relations": g.relations.len(),
                "derived_accused_by_edges": derived,
                "by_kind": kinds,
                "by_type": types,
                "by_status": statuses.iter().map(|(s, n)| (s.as_str(), *n)).collect::<IndexMap<_, _>>(),
                "most_connected": hubs.iter().map(|&(d, i)| json!({
                    "id": g.entities[i].id, "name": g.entities[i].name, "neighbors": d,
                })).collect::<Vec<_>>(),
            }));
        }
        Format::Text => {
            let mut t = String::new();
            let width = |keys: &mut dyn Iterator<Item = usize>| keys.max().unwrap_or(0);
            t += &style.heading(&format!("{} entities", g.entities.len()));
            t += "\n";
            let w = width(&mut kinds.keys().map(|k| g.kind_label(k).len()));
            for (k, n) in &kinds {
                t += &format!("  {:<w$}  {n:>6}\n", g.kind_label(k));
            }
            t += "\n";
            t += &style.heading(&format!("{} relations", g.relations.len()));
            t += "\n";
            for (s, n) in &statuses {
                let pad = " ".repeat(11 - s.as_str().len());
                t += &format!("  {}{pad}  {n:>6}\n", style.status(*s));
            }
            t += &format!("  {derived} derived accused-by edges (not stored)\n\n");
            t += &style.heading("By relation type");
            t += "\n";
            let w = width(&mut types.keys().map(|k| k.len()));
            for (k, n) in &types {
                t += &format!("  {k:<w$}  {n:>6}\n");
            }
            t += "\n";
            t += &style.heading("Most connected");
            t += "\n";
            for (rank, &(d, i)) in hubs.iter().enumerate() {
                let e = &g.entities[i];
                t += &format!(
                    "  {:>2}. {} {}  {d} neighbour{}\n",
                    rank + 1,
                    style.bold(&e.name),
                    style.dim(&format!("({})", e.id)),
                    crate::plural(d)
                );
            }
            output.stdout = t;
        }
    }
}
