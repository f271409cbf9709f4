//! `linkchart show NAME`: an entity card — what it is — followed by its
//! relations grouped by how they read from this entity (incoming relations
//! with their inverse labels), then the claims this entity makes about others.

use indexmap::IndexMap;

use super::Context;
use crate::cli::{Format, ShowArgs};
use crate::error::Error;
use crate::export::json::to_text;
use crate::index::Index;
use crate::output::Output;
use crate::present;
use crate::query::card::{Card, Seen, card};
use crate::style::Style;

pub fn run(ctx: &Context, args: &ShowArgs) -> Result<Output, Error> {
    let (index, i) = ctx.one_entity(&args.name.join(" "))?;
    let answer = card(index, i);
    Ok(Output::text(match args.format {
        Format::Json => to_text(&answer.view(index)),
        Format::Text => text(index, &answer, ctx.style),
    }))
}

fn text(index: &Index, card: &Card, style: Style) -> String {
    let g = &index.graph;
    let i = card.entity;
    let e = g.entity(i);
    let mut t = String::new();
    t += &format!("{}\n", style.bold(&e.name));
    t += &style.dim(&format!("{} · {}", g.kind_label(&e.kind), e.id));
    t += "\n";
    if !e.aliases.is_empty() {
        t += &format!("Also known as: {}\n", e.aliases.join(", "));
    }
    if !e.description.is_empty() {
        t += &format!("{}\n", e.description);
    }
    match (e.start, e.end) {
        (None, None) => {}
        (start, end) => {
            let show = |d: Option<crate::when::Date>| d.map_or("?".to_string(), |d| d.to_string());
            t += &format!("Dates: {} – {}\n", show(start), show(end));
        }
    }
    if !e.tags.is_empty() {
        t += &format!("Tags: {}\n", e.tags.join(", "));
    }
    for (key, value) in &e.props {
        t += &format!("{key}: {value}\n");
    }
    let mut groups: IndexMap<&str, Vec<&Seen>> = IndexMap::new();
    for s in &card.relations {
        groups
            .entry(g.label(g.relation(s.relation), s.outgoing))
            .or_default()
            .push(s);
    }
    if groups.is_empty() && card.claims.is_empty() {
        t += "\nNo relations.\n";
    }
    for (label, items) in &groups {
        t += &format!("\n{}\n", style.heading(label));
        for s in items {
            let other = g.entity(s.other);
            let rel = g.relation(s.relation);
            t += &format!(
                "  {} {}\n",
                other.name,
                style.dim(&format!("({})", other.id))
            );
            t += &format!("      {}\n", present::evidence(g, rel, style));
            if !rel.note.is_empty() {
                t += &format!("      {}\n", style.dim(&rel.note));
            }
            let attributes = present::attributes(rel);
            if !attributes.is_empty() {
                t += &format!("      {}\n", style.dim(&attributes));
            }
        }
    }
    if !card.claims.is_empty() {
        t += &format!(
            "\n{}\n",
            style.heading(&format!("Claims made, denied or doubted by {}", e.name))
        );
        for &r in &card.claims {
            let r = g.relation(r);
            let role = if r.retracted_by.contains(&i) {
                "claimed, then retracted"
            } else if r.denied_by.contains(&i) {
                "denies"
            } else if r.doubted_by.contains(&i) {
                "doubts"
            } else {
                "claims"
            };
            t += &format!(
                "  {role}: {} {} {}\n      {}\n",
                g.entity(r.from).name,
                g.label(r, true),
                g.entity(r.to).name,
                present::evidence(g, r, style)
            );
        }
    }
    t
}
