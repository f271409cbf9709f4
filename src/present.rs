//! Words for evidence, shared by every command that explains a relation:
//! the label in the direction of reading, who claims and who denies, when,
//! and which section of which source says so.

use crate::model::{Graph, Relation, Status};
use crate::style::Style;

/// Entity names joined for a sentence: "A", "A and B", "A, B and C".
pub fn names(graph: &Graph, entities: &[usize]) -> String {
    let names: Vec<&str> = entities
        .iter()
        .map(|&i| graph.entity(i).name.as_str())
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "established", "reported by Dawn", "alleged by India; denied by Pakistan".
pub fn status_phrase(graph: &Graph, rel: &Relation, style: Style) -> String {
    let mut text = style.status(rel.status);
    if !rel.claimed_by.is_empty() && rel.status != Status::Established {
        text.push_str(" by ");
        text.push_str(&names(graph, &rel.claimed_by));
    }
    if !rel.denied_by.is_empty() {
        text.push_str("; denied by ");
        text.push_str(&names(graph, &rel.denied_by));
    }
    text
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

/// One edge of the index read from `from` to `to`: the sentence ("Hamid Gul
/// headed Inter-Services Intelligence") and its evidence line.
pub fn edge_sentence(
    index: &crate::index::Index,
    ev: crate::query::Evidence,
    from: usize,
    to: usize,
    style: Style,
) -> (String, String) {
    let g = &index.graph;
    match index.net[ev.edge] {
        crate::index::Edge::Relation(r) => {
            let rel = &g.relations[r];
            let sentence = format!(
                "{} {} {}",
                g.entity(from).name,
                style.bold(g.label(rel, ev.forward)),
                g.entity(to).name
            );
            (sentence, evidence(g, rel, style))
        }
        crate::index::Edge::AccusedBy { claim } => {
            let rel = &g.relations[claim];
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
            let claim_text = format!(
                "claim: {} {} {}",
                g.entity(rel.from).name,
                g.label(rel, true),
                g.entity(rel.to).name
            );
            (
                sentence,
                format!("{} · {claim_text}", evidence(g, rel, style)),
            )
        }
    }
}
