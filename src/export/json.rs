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

#[cfg(test)]
mod tests {
    use super::*;

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
