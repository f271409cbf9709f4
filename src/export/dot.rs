//! DOT built with graphviz-rust's AST, never by pasting strings together.
//!
//! graphviz-rust writes an `Id::Escaped` as it is (see shared NOTES.md), so
//! every name goes through [`quote`] first: quotes, backslashes and line
//! breaks are escaped, and the result is wrapped in double quotes.

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::index::{Edge, Index};
use crate::model::Status;
use crate::query::Route;

/// A DOT string literal holding `text` exactly.
pub fn quote(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_string()), quote(value))
}

fn node_id(index: &Index, i: usize) -> NodeId {
    NodeId(quote(&index.entity(i).id), None)
}

fn edge_style(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Established => ("solid", "black"),
        Status::Reported => ("solid", "gray45"),
        Status::Alleged => ("dashed", "black"),
        Status::Disputed => ("dotted", "black"),
    }
}

/// The entities and steps of some routes, each relation one edge.
pub fn routes(index: &Index, routes: &[&Route]) -> String {
    let g = &index.graph;
    let mut stmts = vec![Stmt::Attribute(attr("rankdir", "LR"))];
    let mut nodes: Vec<usize> = routes
        .iter()
        .flat_map(|r| r.entities.iter().copied())
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    for &i in &nodes {
        let e = g.entity(i);
        let style = g.schema.kinds.get(&e.kind);
        let mut attributes = vec![attr("label", &e.name)];
        if let Some(k) = style {
            attributes.push(attr("shape", &k.shape));
            attributes.push(attr("style", "filled"));
            attributes.push(attr("fillcolor", &k.color));
        }
        stmts.push(Stmt::Node(Node::new(node_id(index, i), attributes)));
    }
    let mut edges: Vec<petgraph::graph::EdgeIndex> = routes
        .iter()
        .flat_map(|r| {
            r.steps
                .iter()
                .flat_map(|s| s.evidence.iter().map(|ev| ev.edge))
        })
        .collect();
    edges.sort_unstable();
    edges.dedup();
    for e in edges {
        let (a, b) = index.net.edge_endpoints(e).expect("edge of the index");
        let (label, status) = match index.net[e] {
            Edge::Relation(r) => {
                let rel = &g.relations[r];
                let year = rel.when.map(|w| format!(" ({w})")).unwrap_or_default();
                (format!("{}{year}", g.label(rel, true)), rel.status)
            }
            Edge::AccusedBy { claim } => ("is accused by".to_string(), g.relations[claim].status),
        };
        let (style, color) = edge_style(status);
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                Vertex::N(node_id(index, a.index())),
                Vertex::N(node_id(index, b.index())),
            ),
            attributes: vec![
                attr("label", &label),
                attr("style", style),
                attr("color", color),
            ],
        }));
    }
    let graph = Graph::DiGraph {
        id: Id::Plain("routes".to_string()),
        strict: false,
        stmts,
    };
    let mut text = graph.print(&mut PrinterContext::default());
    text.push('\n');
    text
}
