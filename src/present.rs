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
