//! The JSON contract (documented in README.md): entities and stored relations,
//! sorted by id, with `from`/`to` as entity ids. Derived `accused-by` edges are
//! not relations and are not listed.
//!
//! The document is written as it is made: each entity and relation is
//! viewed, serialised into the sink and dropped, so exporting a million
//! relations holds no second copy of them.

use serde::{Serialize, Serializer};

use super::sink::{Sink, write_each};
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

/// Pretty JSON with a final newline.
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The selected entities and stored relations, each list written on all
/// cores ([`write_each`]) inside a frame written here: the same text as
/// serialising the whole document with [`to_text`] (a test holds them equal).
pub fn write(graph: &Graph, sel: &Selection, out: &mut Sink) {
    out.push_str("{\n  \"entities\": [");
    write_each(out, &sel.entities, |i, &e, out| {
        element(i, &EntityView::of(graph.entity(e)), out)
    });
    close_list(sel.entities.is_empty(), out);
    out.push_str(",\n  \"relations\": [");
    write_each(out, &sel.relations, |i, &r, out| {
        element(i, &RelationView::of(graph, graph.relation(r)), out)
    });
    close_list(sel.relations.is_empty(), out);
    out.push_str("\n}\n");
}

/// The `i`th element of a list that is a field of the top object.
fn element<T: Serialize>(i: usize, value: &T, out: &mut Sink) {
    if i > 0 {
        out.push(',');
    }
    out.push_str("\n    ");
    let pretty = Pretty {
        depth: 2,
        filled: false,
    };
    let mut json = serde_json::Serializer::with_formatter(&mut *out, pretty);
    // An I/O error is kept by the sink; serialising views cannot fail otherwise.
    let _ = value.serialize(&mut json);
}

fn close_list(empty: bool, out: &mut Sink) {
    out.push_str(if empty { "]" } else { "\n  ]" });
}

/// `value` as pretty JSON with a final newline, into `out`: the same text
/// as [`to_text`], written as it is made.
pub fn write_value<T: Serialize + ?Sized>(value: &T, out: &mut Sink) {
    let mut json = serde_json::Serializer::with_formatter(&mut *out, Pretty::default());
    // An I/O error is kept by the sink; serialising views cannot fail otherwise.
    let _ = value.serialize(&mut json);
    out.push('\n');
}

/// Pretty JSON as serde_json's `PrettyFormatter` lays it out (two spaces a
/// level, `": "` after keys), with each line break and its indentation
/// written at once: a million relations make some twenty million lines,
/// and writing the indentation two spaces at a time was a large part of an
/// export's time.
#[derive(Default)]
struct Pretty {
    depth: usize,
    /// Whether the array or object just closed had anything in it.
    filled: bool,
}

/// A line break and the spaces of the deepest indentation written at once.
const BREAK: &[u8; 1 + 2 * 32] =
    b"\n                                                                ";

impl Pretty {
    fn new_line<W: ?Sized + std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        let spaces = 2 * self.depth;
        match BREAK.get(..1 + spaces) {
            Some(line) => out.write_all(line),
            None => {
                out.write_all(b"\n")?;
                (0..self.depth).try_for_each(|_| out.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.filled = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.filled {
            self.new_line(out)?;
        }
        out.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.new_line(out)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.filled = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
    ) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.filled = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Document<'g> {
        entities: Vec<EntityView<'g>>,
        relations: Vec<RelationView<'g>>,
    }

    #[test]
    fn the_document_written_in_pieces_is_the_document_serialised_whole() {
        let loaded = crate::load::load(crate::load::read::embedded_inputs()).unwrap();
        let g = &loaded.graph;
        let everything = Selection {
            entities: g.entity_ids().collect(),
            relations: (0..g.relations.len())
                .map(crate::model::RelationId::from)
                .collect(),
            ..Selection::default()
        };
        let few = Selection {
            entities: everything.entities[..3].to_vec(),
            ..Selection::default()
        };
        for sel in [everything, few, Selection::default()] {
            let whole = to_text(&Document {
                entities: sel
                    .entities
                    .iter()
                    .map(|&e| EntityView::of(g.entity(e)))
                    .collect(),
                relations: sel
                    .relations
                    .iter()
                    .map(|&r| RelationView::of(g, g.relation(r)))
                    .collect(),
            });
            let pieces = crate::export::sink::to_string(|out| write(g, &sel, out));
            assert_eq!(pieces, whole);
        }
    }

    #[test]
    fn written_as_it_goes_it_is_serde_jsons_pretty_text() {
        let deep = (0..40).fold(
            serde_json::json!("x"),
            |v, n| serde_json::json!({ "k": [v, n] }),
        );
        let values = [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": [], "b": {}, "c": [1, {"d": null}], "e": "f\n\"g"}),
            serde_json::json!([[[]], [{}], 1.5, true]),
            deep,
        ];
        for value in values {
            let text = crate::export::sink::to_string(|out| write_value(&value, out));
            assert_eq!(text, to_text(&value));
        }
    }
}
