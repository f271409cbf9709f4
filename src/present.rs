//! Words for evidence, shared by every front end and report that explains a
//! relation: the label in the direction of reading, who claims and who
//! denies, when, and which section of which source says so.

use crate::index::{Edge, Index};
use crate::model::{EntityId, Graph, Relation, Status};
use crate::query::Evidence;
use crate::style::Style;
use crate::words::and_list;

/// Entity names joined for a sentence: "A", "A and B", "A, B and C".
pub fn names(graph: &Graph, entities: &[EntityId]) -> String {
    let names: Vec<&str> = entities
        .iter()
        .map(|&i| graph.entity(i).name.as_str())
        .collect();
    and_list(&names)
}

/// Who makes, withdraws, denies and doubts a claim: "claimed by A; claimed,
/// then retracted, by B; denied by C; doubted by D". A doubter says there is
/// no evidence, a denier says it is false, and a claimant who retracted is
/// still the one who made the claim.
pub fn parties(graph: &Graph, rel: &Relation) -> String {
    let standing: Vec<EntityId> = rel
        .claimed_by
        .iter()
        .copied()
        .filter(|c| !rel.retracted_by.contains(c))
        .collect();
    let mut parts = Vec::new();
    if !standing.is_empty() {
        parts.push(format!("claimed by {}", names(graph, &standing)));
    }
    if !rel.retracted_by.is_empty() {
        parts.push(format!(
            "claimed, then retracted, by {}",
            names(graph, &rel.retracted_by)
        ));
    }
    if !rel.denied_by.is_empty() {
        parts.push(format!("denied by {}", names(graph, &rel.denied_by)));
    }
    if !rel.doubted_by.is_empty() {
        parts.push(format!("doubted by {}", names(graph, &rel.doubted_by)));
    }
    parts.join("; ")
}

/// "established", "reported by Dawn", "alleged by India", "disputed:
/// claimed by Matt Waldman; denied by Pakistan Armed Forces".
pub fn status_phrase(graph: &Graph, rel: &Relation, style: Style) -> String {
    let mut text = style.status(rel.status);
    match rel.status {
        Status::Established => {}
        Status::Reported | Status::Alleged => {
            if !rel.claimed_by.is_empty() {
                text.push_str(" by ");
                text.push_str(&names(graph, &rel.claimed_by));
            }
        }
        Status::Disputed => {
            text.push_str(": ");
            text.push_str(&parties(graph, rel));
        }
    }
    text
}

/// Who says so, for a table cell beside the status: the reporter or
/// claimant, or for a dispute every party to it.
pub fn claimants(graph: &Graph, rel: &Relation) -> String {
    match rel.status {
        Status::Established => String::new(),
        Status::Reported | Status::Alleged => names(graph, &rel.claimed_by),
        Status::Disputed => parties(graph, rel),
    }
}

/// "isi-article § Operations › By country › Afghanistan".
pub fn citation(graph: &Graph, rel: &Relation) -> String {
    match graph.section_title(&rel.source) {
        Some(title) => format!("{} § {title}", rel.source.id),
        None => format!("{} § {}", rel.source.id, rel.source.section),
    }
}

/// Status, time and citation on one line, separated by middle dots.
pub fn evidence(graph: &Graph, rel: &Relation, style: Style) -> String {
    let mut parts = vec![status_phrase(graph, rel, style)];
    if let Some(when) = rel.when {
        parts.push(when.to_string());
    }
    parts.push(style.dim(&citation(graph, rel)));
    parts.join(" · ")
}

/// "claim: A supported B", the stored relation a derived edge comes from.
pub fn claim_text(graph: &Graph, rel: &Relation) -> String {
    format!(
        "claim: {} {} {}",
        graph.entity(rel.from).name,
        graph.label(rel, true),
        graph.entity(rel.to).name
    )
}

/// One edge of the index read from `from` to `to`: the sentence ("Hamid Gul
/// headed Inter-Services Intelligence") and its evidence line.
pub fn edge_sentence(
    index: &Index,
    ev: Evidence,
    from: EntityId,
    to: EntityId,
    style: Style,
) -> (String, String) {
    let g = &index.graph;
    match index.edge(ev.edge) {
        Edge::Relation(r) => {
            let rel = g.relation(r);
            let sentence = format!(
                "{} {} {}",
                g.entity(from).name,
                style.bold(g.label(rel, ev.forward)),
                g.entity(to).name
            );
            (sentence, evidence(g, rel, style))
        }
        Edge::AccusedBy { claim } => {
            let rel = g.relation(claim);
            let verb = if ev.forward {
                "is accused by"
            } else {
                "accuses"
            };
            let sentence = format!(
                "{} {} {}",
                g.entity(from).name,
                style.bold(verb),
                g.entity(to).name
            );
            (
                sentence,
                format!("{} · {}", evidence(g, rel, style), claim_text(g, rel)),
            )
        }
    }
}

/// A relation's weight and attributes on one line: "weight 3 · role: director".
pub fn attributes(rel: &Relation) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(w) = rel.weight {
        parts.push(format!("weight {w}"));
    }
    parts.extend(rel.props.iter().map(|(k, v)| format!("{k}: {v}")));
    parts.join(" · ")
}
