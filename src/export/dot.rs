//! DOT built with graphviz-rust's AST, never by pasting strings together;
//! the many nodes and edges of a large chart are written straight from the
//! same attributes, exactly as graphviz-rust prints them (`Item`).
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
//!
//! DOT is for drawing, so long names are wrapped and shortened
//! ([`short_label`]); the whole name is in the node's tooltip, and every
//! data export (JSON, GraphML, CSV, Cypher) keeps it whole.

use std::borrow::Cow;
use std::collections::BTreeMap;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph,
    Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::export::sink::{Sink, to_string, write_each};
use crate::index::{Edge, Index};
use crate::model::{EntityId, RelationId, Status};
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
    quote_into(text, |piece| out.push_str(piece));
    Id::Escaped(out)
}

/// `text` as a DOT string literal, handed to `put` a piece at a time: runs
/// between the characters that change are passed whole.
fn quote_into(text: &str, mut put: impl FnMut(&str)) {
    put("\"");
    let mut rest = text;
    while let Some(at) = rest.find(['"', '\\', '\n', '\r']) {
        put(&rest[..at]);
        match rest.as_bytes()[at] {
            b'"' => put("\\\""),
            b'\\' => put("\\\\"),
            b'\n' => put("\\n"),
            _ => {} // '\r'
        }
        rest = &rest[at + 1..];
    }
    put(rest);
    put("\"");
}

/// Names up to this many characters are drawn whole.
pub const LABEL_MAX: usize = 40;
/// Characters per line of a wrapped label, and lines at most.
const LABEL_LINE: usize = 28;
const LABEL_LINES: usize = 3;

/// A name as a chart shows it: whole when it has at most [`LABEL_MAX`]
/// characters (and three lines), else wrapped at spaces into lines of about
/// 28 characters, at most three, the last ending in "…" when something is
/// left out. A chart's size, and its layout time, no longer depend on how
/// long a name is; the whole name stays in the node's tooltip and in every
/// data export.
pub fn short_label(text: &str) -> String {
    if text.chars().count() <= LABEL_MAX && text.lines().count() <= LABEL_LINES {
        return text.to_string();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut cut = false;
    'words: for mut word in text.split_whitespace() {
        loop {
            let (have, len) = (current.chars().count(), word.chars().count());
            if have + usize::from(have > 0) + len <= LABEL_LINE {
                if have > 0 {
                    current.push(' ');
                }
                current.push_str(word);
                break;
            }
            if have == 0 {
                // A word longer than a line: break it.
                let at = word
                    .char_indices()
                    .nth(LABEL_LINE)
                    .map_or(word.len(), |(i, _)| i);
                current.push_str(&word[..at]);
                word = &word[at..];
            }
            lines.push(std::mem::take(&mut current));
            if lines.len() == LABEL_LINES {
                cut = true;
                break 'words;
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if let Some(last) = lines.last_mut()
        && cut
    {
        let keep = last
            .char_indices()
            .nth(LABEL_LINE - 1)
            .map_or(last.len(), |(i, _)| i);
        last.truncate(keep);
        last.push('…');
    }
    lines.join("\n")
}

/// `text` cut to at most `max` characters, ending in "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((i, _)) if text.chars().count() > max => format!("{}…", &text[..i]),
        _ => text.to_string(),
    }
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

/// A node or an edge with its attributes, before it is printed.
///
/// A chart of the whole graph is a million of these, so they are written
/// straight into the sink ([`Item::write`]) rather than built as
/// graphviz-rust statements and printed one by one (its printer builds a
/// string for every id, attribute and join: three fifths of a DOT export's
/// time at a million relations). The text is exactly what graphviz-rust
/// prints for [`Item::stmt`], which a test holds equal, hostile names among
/// them; inside a cluster the statement itself is used.
enum Item<'a> {
    Node {
        id: &'a str,
        attrs: Vec<(&'static str, Cow<'a, str>)>,
    },
    Edge {
        from: &'a str,
        to: &'a str,
        attrs: Vec<(&'static str, Cow<'a, str>)>,
    },
}

impl Item<'_> {
    /// The item as graphviz-rust's statement.
    fn stmt(&self) -> Stmt {
        let attributes = |attrs: &[(&str, Cow<str>)]| {
            attrs.iter().map(|(key, value)| attr(key, value)).collect()
        };
        match self {
            Item::Node { id, attrs } => Stmt::Node(Node::new(node_id(id), attributes(attrs))),
            Item::Edge { from, to, attrs } => Stmt::Edge(DotEdge {
                ty: EdgeTy::Pair(Vertex::N(node_id(from)), Vertex::N(node_id(to))),
                attributes: attributes(attrs),
            }),
        }
    }

    /// The item as graphviz-rust prints [`Item::stmt`] at the top level of
    /// a graph: indented by two spaces, no line break.
    fn write(&self, out: &mut Sink) {
        let mut put = |piece: &str| out.push_str(piece);
        put("  ");
        let attrs = match self {
            Item::Node { id, attrs } => {
                quote_into(id, &mut put);
                attrs
            }
            Item::Edge { from, to, attrs } => {
                quote_into(from, &mut put);
                put(" -> ");
                quote_into(to, &mut put);
                if !attrs.is_empty() {
                    put(" ");
                }
                attrs
            }
        };
        if attrs.is_empty() {
            return;
        }
        put("[");
        for (n, (key, value)) in attrs.iter().enumerate() {
            if n > 0 {
                put(" ");
            }
            put(key);
            put("=");
            quote_into(value, &mut put);
        }
        put("]");
    }
}

fn entity_node(index: &Index, i: EntityId) -> Item<'_> {
    let g = &index.graph;
    let e = g.entity(i);
    let label = short_label(&e.name);
    let tooltip = if label == e.name {
        Cow::Borrowed(e.description.as_str())
    } else {
        Cow::Owned(format!("{}: {}", e.name, e.description))
    };
    let mut attrs = vec![("label", Cow::Owned(label)), ("tooltip", tooltip)];
    if let Some(k) = g.schema.kinds.get(e.kind.as_str()) {
        attrs.push(("shape", Cow::Borrowed(k.shape.as_str())));
        attrs.push(("fillcolor", Cow::Borrowed(k.color.as_str())));
    }
    Item::Node { id: &e.id, attrs }
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
        let mut attributes = vec![attr(
            "label",
            &short_label(def.map_or(kind, |d| d.label.as_str())),
        )];
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

/// The entities in time order when the selection is a succession: every
/// relation of one type and at least two of them dated (the directors-
/// general of an agency, say). Graphviz keeps the input order of nodes in
/// a rank when nothing crosses, so the chart then reads left to right (or
/// top to bottom) in time. Each entity goes by its earliest relation in the
/// selection, in timeline order; undated ones last; ties by id.
fn succession(index: &Index, sel: &Selection) -> Option<Vec<EntityId>> {
    let g = &index.graph;
    let first = g.relation(*sel.relations.first()?);
    let one_type = sel
        .relations
        .iter()
        .all(|&r| g.relation(r).rel_type == first.rel_type);
    let dated = sel
        .relations
        .iter()
        .filter(|&&r| g.relation(r).when.is_some())
        .count();
    if !one_type || dated < 2 || !sel.derived.is_empty() {
        return None;
    }
    let mut earliest: BTreeMap<EntityId, crate::when::When> = BTreeMap::new();
    for &r in &sel.relations {
        let rel = g.relation(r);
        let Some(when) = rel.when else { continue };
        for e in [rel.from, rel.to] {
            let slot = earliest.entry(e).or_insert(when);
            if when.timeline_cmp(slot).is_lt() {
                *slot = when;
            }
        }
    }
    let mut order = sel.entities.clone();
    order.sort_by(|a, b| match (earliest.get(a), earliest.get(b)) {
        (Some(x), Some(y)) => x.timeline_cmp(y).then(a.cmp(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    });
    Some(order)
}

/// The selection as a DOT digraph.
pub fn render(index: &Index, sel: &Selection, style: &DotOptions) -> String {
    to_string(|out| write(index, sel, style, out))
}

/// The selection as a DOT digraph, into `out` one statement at a time.
///
/// graphviz-rust prints whole graphs, so each statement is printed inside
/// an otherwise empty graph of the same name and cut out of it: the text is
/// exactly what printing the whole graph at once gives (a test holds the
/// two equal), without holding a second copy of a large graph.
pub fn write(index: &Index, sel: &Selection, style: &DotOptions, out: &mut Sink) {
    out.push_str(OPEN);
    let mut stream = Stream { out, first: true };
    statements(index, sel, style, &mut stream);
    out.push_str(CLOSE);
    out.push('\n');
}

/// Where [`statements`] go: one at a time, or the many nodes and edges of a
/// large graph as a list, which a stream writes on all cores.
trait Emit {
    fn one(&mut self, stmt: Stmt);
    fn each<'g, T: Copy + Sync>(&mut self, items: &[T], make: impl Fn(T) -> Item<'g> + Sync);
}

/// Statements printed into a sink, each cut out of a graph of its own.
struct Stream<'a, 'w> {
    out: &'a mut Sink<'w>,
    first: bool,
}

/// One statement as graphviz-rust prints it inside the graph.
fn print_one(stmt: Stmt, out: &mut Sink) {
    let text = whole(vec![stmt]);
    let inner = text
        .strip_prefix(OPEN)
        .and_then(|t| t.strip_suffix(CLOSE))
        .unwrap_or(&text);
    out.push_str(inner);
}

impl Emit for Stream<'_, '_> {
    fn one(&mut self, stmt: Stmt) {
        if !std::mem::take(&mut self.first) {
            self.out.push('\n');
        }
        print_one(stmt, self.out);
    }

    fn each<'g, T: Copy + Sync>(&mut self, items: &[T], make: impl Fn(T) -> Item<'g> + Sync) {
        let first = std::mem::take(&mut self.first);
        write_each(self.out, items, |n, &item, out| {
            if n > 0 || !first {
                out.push('\n');
            }
            make(item).write(out);
        });
    }
}

/// Statements kept, to print the graph whole.
impl Emit for Vec<Stmt> {
    fn one(&mut self, stmt: Stmt) {
        self.push(stmt);
    }

    fn each<'g, T: Copy + Sync>(&mut self, items: &[T], make: impl Fn(T) -> Item<'g> + Sync) {
        self.extend(items.iter().map(|&item| make(item).stmt()));
    }
}

/// How graphviz-rust opens and closes the graph around its statements.
const OPEN: &str = "digraph linkchart {\n";
const CLOSE: &str = "\n}";

/// The graph of these statements, printed by graphviz-rust.
fn whole(stmts: Vec<Stmt>) -> String {
    let graph = Graph::DiGraph {
        id: Id::Plain("linkchart".to_string()),
        strict: false,
        stmts,
    };
    graph.print(&mut PrinterContext::default())
}

/// A stored relation as an edge: label and year, line by status, and the
/// status, citation and note in the tooltip.
fn relation_edge(index: &Index, r: RelationId) -> Item<'_> {
    let g = &index.graph;
    let rel = g.relation(r);
    let (line, color) = status_style(rel.status);
    let label = format!(
        "{}{}",
        shorten(g.label(rel, true), 60),
        when_label(rel.when)
    );
    let mut tooltip = format!(
        "{} · {}",
        crate::present::status_phrase(g, rel, crate::style::Style::PLAIN),
        crate::present::citation(g, rel)
    );
    if !rel.note.is_empty() {
        tooltip.push_str(" · ");
        tooltip.push_str(&rel.note);
    }
    Item::Edge {
        from: &g.entity(rel.from).id,
        to: &g.entity(rel.to).id,
        attrs: vec![
            ("label", Cow::Owned(label)),
            ("style", Cow::Borrowed(line)),
            ("color", Cow::Borrowed(color)),
            ("fontcolor", Cow::Borrowed(color)),
            ("tooltip", Cow::Owned(tooltip)),
        ],
    }
}

/// Every statement of the selection's graph, in order, to `emit`.
fn statements(index: &Index, sel: &Selection, style: &DotOptions, emit: &mut impl Emit) {
    let g = &index.graph;
    let rankdir = style.rankdir.name();
    for stmt in [
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", rankdir),
            attr("label", &shorten(&sel.title, 120)),
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
    ] {
        emit.one(stmt);
    }
    match style.cluster {
        None => match succession(index, sel) {
            Some(order) => emit.each(&order, |i| entity_node(index, i)),
            None => emit.each(&sel.entities, |i| entity_node(index, i)),
        },
        Some(by) => {
            let mut groups: BTreeMap<String, (String, Vec<EntityId>)> = BTreeMap::new();
            let mut loose = Vec::new();
            for &i in &sel.entities {
                let key = match by {
                    Cluster::Kind => Some((
                        g.entity(i).kind.to_string(),
                        g.kind_label(&g.entity(i).kind).to_string(),
                    )),
                    Cluster::Country => country_of(index, i)
                        .map(|c| (g.entity(c).id.to_string(), g.entity(c).name.to_string())),
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
                    Stmt::Attribute(attr("label", &short_label(label))),
                    Stmt::Attribute(attr("color", "gray60")),
                ];
                inner.extend(members.iter().map(|&i| entity_node(index, i).stmt()));
                emit.one(Stmt::Subgraph(Subgraph {
                    id: Id::Plain(format!("cluster_{n}")),
                    stmts: inner,
                }));
            }
            emit.each(&loose, |i| entity_node(index, i));
        }
    }
    emit.each(&sel.relations, |r| relation_edge(index, r));
    for &e in &sel.derived {
        let (a, b) = index.ends(e);
        if let Edge::AccusedBy { claim } = index.edge(e) {
            let rel = g.relation(claim);
            let tooltip = crate::present::claim_text(g, rel);
            let edge = Item::Edge {
                from: &g.entity(a).id,
                to: &g.entity(b).id,
                attrs: vec![
                    ("label", Cow::Borrowed("accused by")),
                    ("style", Cow::Borrowed("dotted")),
                    ("color", Cow::Borrowed("firebrick")),
                    ("fontcolor", Cow::Borrowed("firebrick")),
                    ("tooltip", Cow::Owned(tooltip)),
                ],
            };
            emit.one(edge.stmt());
        }
    }
    if style.legend {
        emit.one(legend(index, sel));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_a_statement_at_a_time_it_is_the_whole_graph_printed_at_once() {
        let loaded = crate::load::load(crate::load::read::embedded_inputs()).unwrap();
        let index = Index::new(loaded.graph);
        let filter = crate::query::filter::Filter::default();
        let sel = crate::query::select::select(&index, &crate::query::select::Scope::Whole(filter))
            .unwrap();
        for cluster in [None, Some(Cluster::Kind), Some(Cluster::Country)] {
            let style = DotOptions {
                cluster,
                ..DotOptions::default()
            };
            let mut stmts = Vec::new();
            statements(&index, &sel, &style, &mut stmts);
            assert!(stmts.len() > 1000, "{}", stmts.len());
            let streamed = render(&index, &sel, &style);
            assert_eq!(streamed, whole(stmts) + "\n", "{cluster:?}");
        }
    }

    #[test]
    fn an_item_is_written_as_graphviz_rust_prints_it() {
        let names = [
            "plain",
            "",
            "say \"hi\"",
            "back\\slash\\",
            "two\nlines",
            "cr\r\nlf",
            "\"\\\"",
            "ünï ✓ 中文 <b>&amp;</b>",
            "a=b [c] -> d; e",
        ];
        for a in names {
            for b in names {
                let attrs = || vec![("label", Cow::Borrowed(b)), ("tooltip", Cow::Borrowed(a))];
                let items = [
                    Item::Node {
                        id: a,
                        attrs: attrs(),
                    },
                    Item::Node {
                        id: a,
                        attrs: Vec::new(),
                    },
                    Item::Edge {
                        from: a,
                        to: b,
                        attrs: attrs(),
                    },
                    Item::Edge {
                        from: a,
                        to: b,
                        attrs: Vec::new(),
                    },
                ];
                for item in items {
                    let mut text = Vec::new();
                    let mut sink = Sink::new(&mut text);
                    item.write(&mut sink);
                    sink.finish().unwrap();
                    let printed = whole(vec![item.stmt()]);
                    let inner = printed.strip_prefix(OPEN).unwrap().strip_suffix(CLOSE);
                    assert_eq!(
                        String::from_utf8(text).unwrap(),
                        inner.unwrap(),
                        "{a:?} {b:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn short_names_are_whole_and_long_ones_wrapped_and_cut() {
        assert_eq!(short_label("Hamid Gul"), "Hamid Gul");
        assert_eq!(short_label("Line one\nLine two"), "Line one\nLine two");
        let forty = "Inter-Services Intelligence Directorate";
        assert_eq!(short_label(forty), forty);
        assert_eq!(
            short_label("Directorate for Joint Intelligence Miscellaneous Affairs"),
            "Directorate for Joint\nIntelligence Miscellaneous\nAffairs"
        );
        let huge = "x".repeat(5000);
        let label = short_label(&huge);
        let lines: Vec<&str> = label.split('\n').collect();
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.chars().count() <= 28), "{label}");
        assert!(label.ends_with('…'));
        let words = "word ".repeat(1000);
        let label = short_label(&words);
        assert_eq!(label.split('\n').count(), 3);
        assert!(label.ends_with('…'), "{label}");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abcd", 4), "abcd");
    }
}
