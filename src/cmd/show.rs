//! `linkchart show NAME`: an entity card — what it is — followed by its
//! relations grouped by how they read from this entity (incoming relations
//! with their inverse labels), then the claims this entity makes about others.

use indexmap::IndexMap;
use serde_json::json;

use crate::Output;
use crate::cli::Format;
use crate::error::Error;
use crate::export::json::{entity as entity_json, relation as relation_json, to_text};
use crate::index::Index;
use crate::model::Relation;
use crate::present;
use crate::style::Style;

/// One relation as seen from the shown entity.
struct Seen<'a> {
    relation: &'a Relation,
    outgoing: bool,
    other: usize,
}

pub fn run(
    index: &Index,
    name: &str,
    format: Format,
    style: Style,
    output: &mut Output,
) -> Result<(), Error> {
    let i = index.resolve(name)?;
    let g = &index.graph;
    let e = g.entity(i);
    let type_order = |t: &str| {
        g.schema
            .relation_types
            .get_index_of(t)
            .unwrap_or(usize::MAX)
    };
    let mut seen: Vec<Seen> = g
        .relations
        .iter()
        .filter(|r| r.from == i || r.to == i)
        .map(|r| Seen {
            relation: r,
            outgoing: r.from == i,
            other: if r.from == i { r.to } else { r.from },
        })
        .collect();
    seen.sort_by(|a, b| {
        (type_order(&a.relation.rel_type), !a.outgoing)
            .cmp(&(type_order(&b.relation.rel_type), !b.outgoing))
            .then_with(|| match (a.relation.when, b.relation.when) {
                (Some(x), Some(y)) => x.chrono_cmp(&y),
                (x, y) => y.is_some().cmp(&x.is_some()),
            })
            .then_with(|| g.entity(a.other).name.cmp(&g.entity(b.other).name))
    });
    let claims: Vec<&Relation> = g
        .relations
        .iter()
        .filter(|r| r.claimed_by.contains(&i) || r.denied_by.contains(&i))
        .collect();

    if format == Format::Json {
        output.stdout = to_text(&json!({
            "entity": entity_json(e),
            "relations": seen.iter().map(|s| {
                let mut v = relation_json(g, s.relation);
                v["direction"] = json!(if s.outgoing { "outgoing" } else { "incoming" });
                v["label"] = json!(g.label(s.relation, s.outgoing));
                v
            }).collect::<Vec<_>>(),
            "claims": claims.iter().map(|r| relation_json(g, r)).collect::<Vec<_>>(),
        }));
        return Ok(());
    }

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
    let mut groups: IndexMap<&str, Vec<&Seen>> = IndexMap::new();
    for s in &seen {
        groups
            .entry(g.label(s.relation, s.outgoing))
            .or_default()
            .push(s);
    }
    if groups.is_empty() && claims.is_empty() {
        t += "\nNo relations.\n";
    }
    for (label, items) in &groups {
        t += &format!("\n{}\n", style.heading(label));
        for s in items {
            let other = g.entity(s.other);
            t += &format!(
                "  {} {}\n",
                other.name,
                style.dim(&format!("({})", other.id))
            );
            t += &format!("      {}\n", present::evidence(g, s.relation, style));
            if !s.relation.note.is_empty() {
                t += &format!("      {}\n", style.dim(&s.relation.note));
            }
        }
    }
    if !claims.is_empty() {
        t += &format!(
            "\n{}\n",
            style.heading(&format!("Claims made or denied by {}", e.name))
        );
        for r in &claims {
            let role = if r.denied_by.contains(&i) {
                "denies"
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
    output.stdout = t;
    Ok(())
}
