//! A Mermaid flowchart that renders on GitHub and GitLab.
//!
//! Node ids are `n0`, `n1`, … (entity ids may hold characters Mermaid
//! reserves); labels are quoted, with `"` written as `#quot;` and the
//! characters Markdown renderers treat as HTML (`<`, `>`, `&`) as entity
//! codes, so a name can never become markup. Edges: established `-->`,
//! reported `-->` grey, alleged `-.->`, disputed `-.->` with "disputed" in
//! the label; derived accused-by edges are left out.

use std::fmt::Write;

use crate::export::sink::{Sink, to_string};
use crate::index::Index;
use crate::model::{EntityId, Status};
use crate::query::select::Selection;

/// A label safe inside `"…"` in Mermaid.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

pub fn render(index: &Index, sel: &Selection) -> String {
    to_string(|out| write(index, sel, out))
}

/// The selection as a Mermaid flowchart, into `t`.
pub fn write(index: &Index, sel: &Selection, t: &mut Sink) {
    let g = &index.graph;
    t.push_str("flowchart LR\n");
    let node = |i: EntityId| {
        sel.entities
            .binary_search(&i)
            .map(|n| format!("n{n}"))
            .unwrap_or_default()
    };
    for (n, &i) in sel.entities.iter().enumerate() {
        let e = g.entity(i);
        let _ = writeln!(t, "  n{n}[\"{}\"]", escape(&e.name));
    }
    let mut grey = Vec::new();
    for (n, &r) in sel.relations.iter().enumerate() {
        let rel = g.relation(r);
        let year = rel.when.map(|w| format!(" ({w})")).unwrap_or_default();
        let mut label = format!("{}{year}", g.label(rel, true));
        let arrow = match rel.status {
            Status::Established => "-->",
            Status::Reported => {
                grey.push(n);
                "-->"
            }
            Status::Alleged => {
                label.push_str(" · alleged");
                "-.->"
            }
            Status::Disputed => {
                label.push_str(" · disputed");
                "-.->"
            }
        };
        let _ = writeln!(
            t,
            "  {} {arrow}|\"{}\"| {}",
            node(rel.from),
            escape(&label),
            node(rel.to)
        );
    }
    if !grey.is_empty() {
        let list: Vec<String> = grey.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(t, "  linkStyle {} stroke:#888,color:#666", list.join(","));
    }
}
