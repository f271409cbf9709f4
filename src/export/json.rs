//! The JSON contract (documented in README.md): entities and stored relations,
//! sorted by id, with `from`/`to` as entity ids. Derived `accused-by` edges are
//! not relations and are not listed.
//!
//! The document is written as it is made: each entity and relation is
//! viewed, serialised into the sink and dropped, so exporting a million
//! relations holds no second copy of them.

use serde::{Serialize, Serializer};

use super::sink::Sink;
use crate::model::Graph;
use crate::query::select::Selection;
use crate::query::view::{EntityView, RelationView};

/// Serialises as a JSON array of whatever `make` yields, made on the fly.
pub struct Lazy<F>(pub F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct Document<E, R> {
    entities: E,
    relations: R,
}

/// Pretty JSON with a final newline.
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// `value` as pretty JSON with a final newline, into `out`.
pub fn write_value<T: Serialize + ?Sized>(value: &T, out: &mut Sink) {
    // An I/O error is kept by the sink; serialising views cannot fail otherwise.
    let _ = serde_json::to_writer_pretty(&mut *out, value);
    out.push('\n');
}

/// The selected entities and stored relations.
pub fn write(graph: &Graph, sel: &Selection, out: &mut Sink) {
    let document = Document {
        entities: Lazy(|| {
            sel.entities
                .iter()
                .map(|&i| EntityView::of(graph.entity(i)))
        }),
        relations: Lazy(|| {
            sel.relations
                .iter()
                .map(|&r| RelationView::of(graph, graph.relation(r)))
        }),
    };
    write_value(&document, out);
}
