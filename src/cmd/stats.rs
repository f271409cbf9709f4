//! `linkchart stats`: what the graph holds, by kind, type and status, the
//! tags, attributes and weights that `--tag`, `--where` and `--weighted`
//! can use, and which entities are the hubs.

use indexmap::IndexMap;

use super::Context;
use crate::cli::{Format, StatsArgs};
use crate::error::Error;
use crate::export::json::to_text;
use crate::model::Status;
use crate::output::Output;
use crate::query::stats::{Stats, stats};
use crate::style::Style;
use crate::words::plural;

pub fn run(ctx: &Context, args: &StatsArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let s = stats(index, args.top);
    Ok(Output::text(match args.format {
        Format::Json => to_text(&s),
        Format::Text => text(index, &s, ctx.style),
    }))
}

fn text(index: &crate::index::Index, s: &Stats, style: Style) -> String {
    let g = &index.graph;
    let mut t = String::new();
    let width = |keys: &mut dyn Iterator<Item = usize>| keys.max().unwrap_or(0);
    t += &style.heading(&format!("{} entities", s.entities));
    t += "\n";
    let w = width(&mut s.by_kind.keys().map(|k| g.kind_label(k).len()));
    for (k, n) in &s.by_kind {
        t += &format!("  {:<w$}  {n:>6}\n", g.kind_label(k));
    }
    t += "\n";
    t += &style.heading(&format!("{} relations", s.relations));
    t += "\n";
    for status in Status::ALL {
        let n = s.by_status[status.as_str()];
        let pad = " ".repeat(11 - status.as_str().len());
        t += &format!("  {}{pad}  {n:>6}\n", style.status(status));
    }
    t += &format!(
        "  {} derived accused-by edges (not stored)\n",
        s.derived_accused_by_edges
    );
    if s.weighted_relations > 0 {
        t += &format!(
            "  {} with a weight (path --weighted)\n",
            s.weighted_relations
        );
    }
    t += "\n";
    counts(&mut t, style, "By relation type", &s.by_type);
    let optional = [
        ("By tag", &s.by_tag),
        ("Entity attributes", &s.entity_attributes),
        ("Relation attributes", &s.relation_attributes),
    ];
    for (heading, keys) in optional {
        if !keys.is_empty() {
            counts(&mut t, style, heading, keys);
        }
    }
    t += &style.heading("Most connected");
    t += "\n";
    for (rank, hub) in s.most_connected.iter().enumerate() {
        t += &format!(
            "  {:>2}. {} {}  {} neighbour{}\n",
            rank + 1,
            style.bold(hub.name),
            style.dim(&format!("({})", hub.id)),
            hub.neighbors,
            plural(hub.neighbors)
        );
    }
    t
}

/// A heading and its names with their counts, in a column.
fn counts(t: &mut String, style: Style, heading: &str, counts: &IndexMap<&str, usize>) {
    *t += &style.heading(heading);
    *t += "\n";
    let w = counts.keys().map(|k| k.len()).max().unwrap_or(0);
    for (k, n) in counts {
        *t += &format!("  {k:<w$}  {n:>6}\n");
    }
    *t += "\n";
}
