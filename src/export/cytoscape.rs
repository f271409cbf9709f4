//! Cytoscape.js JSON: `{"elements": {"nodes": [{"data": …, "classes": …}],
//! "edges": […]}, "style": […]}`, ready for `cytoscape({elements, style})`.
//!
//! Every node has the classes `kind-KIND`, every edge `type-TYPE` and
//! `status-STATUS`; the `style` list turns the schema's styles into
//! Cytoscape's (each kind's colour and the nearest of Cytoscape's shapes to its
//! Graphviz shape) and the statuses into line styles, as in the DOT export:
//! established solid, reported grey, alleged dashed, disputed dotted. An
//! edge's citation is `citation` (Cytoscape's `source` is the edge's start);
//! attributes are under `props`.

use serde::Serialize;
use serde_json::{Value, json};

use crate::export::json::{Lazy, write_value};
use crate::export::sink::Sink;
use crate::index::Index;
use crate::model::Status;
use crate::props::PropsView;
use crate::query::select::Selection;
use crate::query::view::WhenView;

#[derive(Serialize)]
struct Document<N, E> {
    elements: Elements<N, E>,
    style: Vec<Value>,
}

/// Nodes and edges are made as they are written (see [`Lazy`]).
#[derive(Serialize)]
struct Elements<N, E> {
    nodes: N,
    edges: E,
}

#[derive(Serialize)]
struct Element<T> {
    data: T,
    classes: String,
}

#[derive(Serialize)]
struct NodeData<'g> {
    id: &'g str,
    label: &'g str,
    kind: &'g str,
    aliases: &'g [String],
    description: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    tags: &'g [String],
    props: PropsView<'g>,
}

#[derive(Serialize)]
struct Citation<'g> {
    id: &'g str,
    section: &'g str,
}

#[derive(Serialize)]
struct EdgeData<'g> {
    id: &'g str,
    source: &'g str,
    target: &'g str,
    #[serde(rename = "type")]
    rel_type: &'g str,
    label: &'g str,
    status: &'static str,
    claimed_by: Vec<&'g str>,
    denied_by: Vec<&'g str>,
    doubted_by: Vec<&'g str>,
    retracted_by: Vec<&'g str>,
    #[serde(flatten)]
    when: WhenView,
    citation: Citation<'g>,
    note: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
    props: PropsView<'g>,
}

/// The Cytoscape.js shape nearest to a Graphviz node shape.
pub fn shape(graphviz: &str) -> &'static str {
    match graphviz {
        "ellipse" | "oval" | "circle" | "doublecircle" | "point" => "ellipse",
        "octagon" | "doubleoctagon" | "tripleoctagon" => "octagon",
        "diamond" => "diamond",
        "hexagon" => "hexagon",
        "triangle" => "triangle",
        "pentagon" | "house" => "pentagon",
        "parallelogram" => "rhomboid",
        "star" => "star",
        "box" | "rect" | "rectangle" | "square" => "rectangle",
        _ => "round-rectangle",
    }
}

/// A class name from a key (keys are slugs already; anything else is
/// replaced so the class stays one word).
fn class(prefix: &str, key: &str) -> String {
    let clean: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}-{clean}")
}

fn styles(index: &Index, sel: &Selection) -> Vec<Value> {
    let g = &index.graph;
    let mut out = vec![
        json!({"selector": "node", "style": {"label": "data(label)", "text-wrap": "wrap", "text-max-width": "120px", "font-size": "10px", "border-width": 1, "border-color": "#555555"}}),
        json!({"selector": "edge", "style": {"label": "data(label)", "font-size": "8px", "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.5, "line-color": "#333333", "target-arrow-color": "#333333"}}),
    ];
    for kind in sel.kinds(g) {
        if let Some(def) = g.schema.kinds.get(kind) {
            out.push(json!({
                "selector": format!("node.{}", class("kind", kind)),
                "style": {"shape": shape(&def.shape), "background-color": def.color},
            }));
        }
    }
    for status in Status::ALL {
        let style = match status {
            Status::Established => json!({"line-style": "solid"}),
            Status::Reported => {
                json!({"line-style": "solid", "line-color": "#888888", "target-arrow-color": "#888888"})
            }
            Status::Alleged => json!({"line-style": "dashed"}),
            Status::Disputed => json!({"line-style": "dotted"}),
        };
        out.push(json!({
            "selector": format!("edge.{}", class("status", status.as_str())),
            "style": style,
        }));
    }
    out
}

/// The selection as Cytoscape.js JSON.
pub fn write(index: &Index, sel: &Selection, out: &mut Sink) {
    let g = &index.graph;
    let nodes = || {
        sel.entities.iter().map(|&i| {
            let e = g.entity(i);
            Element {
                data: NodeData {
                    id: &e.id,
                    label: &e.name,
                    kind: &e.kind,
                    aliases: &e.aliases,
                    description: &e.description,
                    start: e.start.map(|d| d.to_string()),
                    end: e.end.map(|d| d.to_string()),
                    tags: &e.tags,
                    props: PropsView(&e.props),
                },
                classes: class("kind", &e.kind),
            }
        })
    };
    let edges = || {
        sel.relations.iter().map(|&r| {
            let rel = g.relation(r);
            Element {
                data: EdgeData {
                    id: &rel.id,
                    source: &g.entity(rel.from).id,
                    target: &g.entity(rel.to).id,
                    rel_type: &rel.rel_type,
                    label: g.label(rel, true),
                    status: rel.status.as_str(),
                    claimed_by: g.ids(&rel.claimed_by),
                    denied_by: g.ids(&rel.denied_by),
                    doubted_by: g.ids(&rel.doubted_by),
                    retracted_by: g.ids(&rel.retracted_by),
                    when: WhenView::of(rel.when),
                    citation: Citation {
                        id: &rel.source.id,
                        section: &rel.source.section,
                    },
                    note: &rel.note,
                    weight: rel.weight,
                    props: PropsView(&rel.props),
                },
                classes: format!(
                    "{} {}",
                    class("type", &rel.rel_type),
                    class("status", rel.status.as_str())
                ),
            }
        })
    };
    let document = Document {
        elements: Elements {
            nodes: Lazy(nodes),
            edges: Lazy(edges),
        },
        style: styles(index, sel),
    };
    write_value(&document, out);
}
