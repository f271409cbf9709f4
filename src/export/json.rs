//! The JSON contract (documented in README.md): entities and stored relations,
//! sorted by id, with `from`/`to` as entity ids. Derived `accused-by` edges are
//! not relations and are not listed.

use serde::Serialize;

use crate::model::Graph;
use crate::query::select::Selection;
use crate::query::view::{EntityView, RelationView};

#[derive(Serialize)]
struct Document<'g> {
    entities: Vec<EntityView<'g>>,
    relations: Vec<RelationView<'g>>,
}

/// Pretty JSON with a final newline.
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The selected entities and stored relations.
pub fn render(graph: &Graph, sel: &Selection) -> String {
    to_text(&Document {
        entities: sel
            .entities
            .iter()
            .map(|&i| EntityView::of(graph.entity(i)))
            .collect(),
        relations: sel
            .relations
            .iter()
            .map(|&r| RelationView::of(graph, graph.relation(r)))
            .collect(),
    })
}
