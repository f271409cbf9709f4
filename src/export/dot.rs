//! DOT built with graphviz-rust's AST, never by pasting strings together.
//!
//! graphviz-rust writes an `Id::Escaped` exactly as given (see the shared
//! NOTES.md), so every name goes through [`quote`] first: quotes,
//! backslashes and line breaks are escaped and the result is wrapped in
//! double quotes. `<`, `>` and non-Latin scripts need no escaping inside a
//! quoted DOT string; HTML-like labels are never used.
//!
//! Nodes are styled by kind from the schema (shape, fill colour); edges by
//! status: established solid, reported solid grey, alleged dashed, disputed
//! dotted; derived accused-by edges dotted red. Edge labels carry the
//! relation label and year.

use std::collections::BTreeMap;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph,
    Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::index::{Edge, Index};
use crate::model::{EntityId, Status};
use crate::query::select::Selection;

/// How entities are grouped in boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cluster {
    Kind,
    Country,
}

/// The direction of a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankDir {
    TopBottom,
    #[default]
    LeftRight,
    BottomTop,
    RightLeft,
}

impl RankDir {
    pub const ALL: [RankDir; 4] = [
        RankDir::TopBottom,
        RankDir::LeftRight,
        RankDir::BottomTop,
        RankDir::RightLeft,
    ];

    /// Graphviz's name: TB, LR, BT or RL.
    pub fn name(self) -> &'static str {
        match self {
            RankDir::TopBottom => "TB",
            RankDir::LeftRight => "LR",
            RankDir::BottomTop => "BT",
            RankDir::RightLeft => "RL",
        }
    }
}

/// How a diagram is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DotOptions {
    pub cluster: Option<Cluster>,
    pub rankdir: RankDir,
    pub legend: bool,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            cluster: None,
            rankdir: RankDir::default(),
            legend: true,
        }
    }
}

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

fn node_id(name: &str) -> NodeId {
    NodeId(quote(name), None)
}

pub fn status_style(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Established => ("solid", "black"),
        Status::Reported => ("solid", "gray50"),
        Status::Alleged => ("dashed", "black"),
        Status::Disputed => ("dotted", "black"),
    }
}

/// The year (or period) for an edge label.
fn when_label(when: Option<crate::when::When>) -> String {
    match when {
        Some(crate::when::When::Date(d)) => {
            format!(" ({}{})", if d.approx { "~" } else { "" }, d.year)
        }
        Some(w @ crate::when::When::Period(_)) => format!(" ({w})"),
        None => String::new(),
    }
}

/// The country an entity belongs to, for `--cluster country`: itself if a
/// country, else the first country it is located, based or a national in.
fn country_of(index: &Index, entity: EntityId) -> Option<EntityId> {
    let g = &index.graph;
    if g.entity(entity).kind == "country" {
        return Some(entity);
    }
    g.relations
        .iter()
        .filter(|r| {
            r.from == entity
                && matches!(
                    r.rel_type.as_str(),
                    "located-in" | "based-in" | "citizen-of" | "part-of"
                )
        })
        .map(|r| r.to)
        .find(|&to| g.entity(to).kind == "country")
}

fn entity_node(index: &Index, i: EntityId) -> Stmt {
    let g = &index.graph;
    let e = g.entity(i);
    let mut attributes = vec![attr("label", &e.name), attr("tooltip", &e.description)];
    if let Some(k) = g.schema.kinds.get(&e.kind) {
        attributes.push(attr("shape", &k.shape));
        attributes.push(attr("fillcolor", &k.color));
    }
    Stmt::Node(Node::new(node_id(&e.id), attributes))
}

fn legend(index: &Index, sel: &Selection) -> Stmt {
    let g = &index.graph;
    let kinds = sel.kinds(g);
    let mut stmts = vec![
        Stmt::Attribute(attr("label", "Legend")),
        Stmt::Attribute(attr("fontsize", "12")),
        Stmt::Attribute(attr("color", "gray70")),
    ];
    for kind in kinds {
        let def = g.schema.kinds.get(kind);
        let mut attributes = vec![attr("label", def.map_or(kind, |d| d.label.as_str()))];
        if let Some(d) = def {
            attributes.push(attr("shape", &d.shape));
            attributes.push(attr("fillcolor", &d.color));
        }
        stmts.push(Stmt::Node(Node::new(
            node_id(&format!("legend:kind:{kind}")),
            attributes,
        )));
    }
    let mut statuses: Vec<(String, &str, &str)> = Status::ALL
        .iter()
        .map(|&s| {
            let (style, color) = status_style(s);
            (s.as_str().to_string(), style, color)
        })
        .collect();
    if !sel.derived.is_empty() {
        statuses.push(("accused by (derived)".to_string(), "dotted", "firebrick"));
    }
    for (n, (label, style, color)) in statuses.iter().enumerate() {
        let a = format!("legend:status:{n}:a");
        let b = format!("legend:status:{n}:b");
        for id in [&a, &b] {
            stmts.push(Stmt::Node(Node::new(
                node_id(id),
                vec![attr("shape", "point"), attr("width", "0.05")],
            )));
        }
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&a)), Vertex::N(node_id(&b))),
            attributes: vec![
                attr("label", label),
                attr("style", style),
                attr("color", color),
            ],
        }));
    }
    Stmt::Subgraph(Subgraph {
        id: Id::Plain("cluster_legend".to_string()),
        stmts,
    })
}

/// The selection as a DOT digraph.
pub fn render(index: &Index, sel: &Selection, style: &DotOptions) -> String {
    let g = &index.graph;
    let rankdir = style.rankdir.name();
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", rankdir),
            attr("label", &sel.title),
            attr("labelloc", "t"),
            attr("fontname", "Helvetica"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("style", "filled"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "11"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
        ])),
    ];
    match style.cluster {
        None => stmts.extend(sel.entities.iter().map(|&i| entity_node(index, i))),
        Some(by) => {
            let mut groups: BTreeMap<String, (String, Vec<EntityId>)> = BTreeMap::new();
            let mut loose = Vec::new();
            for &i in &sel.entities {
                let key = match by {
                    Cluster::Kind => Some((
                        g.entity(i).kind.clone(),
                        g.kind_label(&g.entity(i).kind).to_string(),
                    )),
                    Cluster::Country => country_of(index, i)
                        .map(|c| (g.entity(c).id.clone(), g.entity(c).name.clone())),
                };
                match key {
                    Some((key, label)) => groups
                        .entry(key)
                        .or_insert_with(|| (label, Vec::new()))
                        .1
                        .push(i),
                    None => loose.push(i),
                }
            }
            for (n, (_, (label, members))) in groups.iter().enumerate() {
                let mut inner = vec![
                    Stmt::Attribute(attr("label", label)),
                    Stmt::Attribute(attr("color", "gray60")),
                ];
                inner.extend(members.iter().map(|&i| entity_node(index, i)));
                stmts.push(Stmt::Subgraph(Subgraph {
                    id: Id::Plain(format!("cluster_{n}")),
                    stmts: inner,
                }));
            }
            stmts.extend(loose.iter().map(|&i| entity_node(index, i)));
        }
    }
    for &r in &sel.relations {
        let rel = g.relation(r);
        let (line, color) = status_style(rel.status);
        let label = format!("{}{}", g.label(rel, true), when_label(rel.when));
        let mut tooltip = format!(
            "{} · {}",
            crate::present::status_phrase(g, rel, crate::style::Style::PLAIN),
            crate::present::citation(g, rel)
        );
        if !rel.note.is_empty() {
            tooltip.push_str(" · ");
            tooltip.push_str(&rel.note);
        }
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                Vertex::N(node_id(&g.entity(rel.from).id)),
                Vertex::N(node_id(&g.entity(rel.to).id)),
            ),
            attributes: vec![
                attr("label", &label),
                attr("style", line),
                attr("color", color),
                attr("fontcolor", color),
                attr("tooltip", &tooltip),
            ],
        }));
    }
    for &e in &sel.derived {
        let (a, b) = index.ends(e);
        if let Edge::AccusedBy { claim } = index.edge(e) {
            let rel = g.relation(claim);
            let tooltip = crate::present::claim_text(g, rel);
            stmts.push(Stmt::Edge(DotEdge {
                ty: EdgeTy::Pair(
                    Vertex::N(node_id(&g.entity(a).id)),
                    Vertex::N(node_id(&g.entity(b).id)),
                ),
                attributes: vec![
                    attr("label", "accused by"),
                    attr("style", "dotted"),
                    attr("color", "firebrick"),
                    attr("fontcolor", "firebrick"),
                    attr("tooltip", &tooltip),
                ],
            }));
        }
    }
    if style.legend {
        stmts.push(legend(index, sel));
    }
    let graph = Graph::DiGraph {
        id: Id::Plain("linkchart".to_string()),
        strict: false,
        stmts,
    };
    let mut text = graph.print(&mut PrinterContext::default());
    text.push('\n');
    text
}
