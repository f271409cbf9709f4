//! GraphML with a typed `<key>` for every attribute, as Gephi, Cytoscape,
//! yEd and networkx read it. Lists (aliases, claimants) are joined with
//! "; " (see [`crate::props::join_list`]).
//!
//! Every text and attribute value is escaped by quick-xml
//! ([`quick_xml::escape::escape`]); the tags around them are printed here,
//! two spaces a level with each `<data>` on one line (the layout quick-xml's
//! indenting writer gave). Its writer built a buffer for every start tag,
//! attribute and end tag: at a million relations, twenty million small
//! allocations were most of the export. Entities and relations are written
//! on all cores ([`sink::write_each`]).

use quick_xml::escape::escape;

use crate::export::sink::{self, Sink};
use crate::index::Index;
use crate::model::{EntityId, RelationId};
use crate::props::{PropType, Props, format_float};
use crate::query::select::Selection;
use crate::when::When;

const NODE_KEYS: [&str; 7] = [
    "name",
    "kind",
    "aliases",
    "description",
    "start",
    "end",
    "tags",
];
const EDGE_KEYS: [&str; 15] = [
    "id",
    "type",
    "label",
    "status",
    "claimed_by",
    "denied_by",
    "doubted_by",
    "retracted_by",
    "date",
    "period",
    "source",
    "section",
    "note",
    "weight",
    "derived",
];

/// `<data key="KEY">VALUE</data>` on its own line at `indent`; nothing
/// for an empty value.
fn data(w: &mut Sink, indent: &str, key: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    w.push_str(indent);
    w.push_str("<data key=\"");
    w.push_str(&escape(key));
    w.push_str("\">");
    w.push_str(&escape(value));
    w.push_str("</data>\n");
}

/// A start or empty tag with attributes. quick-xml's attribute escaping
/// also escapes line breaks and tabs; no value written here can hold one
/// (ids are slugs, attribute keys hold no control characters), so
/// [`escape`] gives the same text.
fn tag(w: &mut Sink, indent: &str, name: &str, attrs: &[(&str, &str)], empty: bool) {
    w.push_str(indent);
    w.push('<');
    w.push_str(name);
    for (k, v) in attrs {
        w.push(' ');
        w.push_str(k);
        w.push_str("=\"");
        w.push_str(&escape(*v));
        w.push('"');
    }
    w.push_str(if empty { "/>\n" } else { ">\n" });
}

/// The data cells of nodes (`n_…`) and edges (`e_…`), by name.
fn key_id(domain: &str, key: &str) -> String {
    format!("{}_{key}", &domain[..1])
}

fn write_xml(index: &Index, sel: &Selection, w: &mut Sink) {
    let g = &index.graph;
    w.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    tag(
        w,
        "",
        "graphml",
        &[
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ],
        false,
    );
    for (domain, keys) in [("node", &NODE_KEYS[..]), ("edge", &EDGE_KEYS[..])] {
        for key in keys {
            let ty = match *key {
                "derived" => "boolean",
                "weight" => "double",
                _ => "string",
            };
            let id = key_id(domain, key);
            let attrs = [
                ("id", id.as_str()),
                ("for", domain),
                ("attr.name", *key),
                ("attr.type", ty),
            ];
            tag(w, "  ", "key", &attrs, true);
        }
    }
    let node_props = prop_keys(sel.entities.iter().map(|&i| &g.entity(i).props));
    let edge_props = prop_keys(sel.relations.iter().map(|&r| &g.relation(r).props));
    for (domain, prefix, keys) in [("node", "np", &node_props), ("edge", "ep", &edge_props)] {
        for (n, (key, ty)) in keys.iter().enumerate() {
            let id = format!("{prefix}{n}");
            let attrs = [
                ("id", id.as_str()),
                ("for", domain),
                ("attr.name", key.as_str()),
                ("attr.type", *ty),
            ];
            tag(w, "  ", "key", &attrs, true);
        }
    }
    tag(
        w,
        "  ",
        "graph",
        &[("id", "linkchart"), ("edgedefault", "directed")],
        false,
    );
    sink::write_each(w, &sel.entities, |_, &i, w| node(index, &node_props, i, w));
    sink::write_each(w, &sel.relations, |_, &r, w| edge(index, &edge_props, r, w));
    w.push_str("  </graph>\n</graphml>");
}

/// One entity as a `<node>`.
fn node(index: &Index, node_props: &[(String, &'static str)], i: EntityId, w: &mut Sink) {
    const IN: &str = "      ";
    let e = index.graph.entity(i);
    tag(w, "    ", "node", &[("id", e.id.as_str())], false);
    data(w, IN, "n_name", &e.name);
    data(w, IN, "n_kind", &e.kind);
    data(
        w,
        IN,
        "n_aliases",
        &crate::props::join_list(&e.aliases, "; "),
    );
    data(w, IN, "n_description", &e.description);
    if let Some(d) = e.start {
        data(w, IN, "n_start", &d.to_string());
    }
    if let Some(d) = e.end {
        data(w, IN, "n_end", &d.to_string());
    }
    data(w, IN, "n_tags", &crate::props::join_list(&e.tags, "; "));
    prop_data(w, "np", node_props, &e.props);
    w.push_str("    </node>\n");
}

/// One stored relation as an `<edge>`.
fn edge(index: &Index, edge_props: &[(String, &'static str)], r: RelationId, w: &mut Sink) {
    const IN: &str = "      ";
    let g = &index.graph;
    let names = |list: &[EntityId]| {
        list.iter()
            .map(|&i| g.entity(i).id.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let rel = g.relation(r);
    let ends = [
        ("id", rel.id.as_str()),
        ("source", g.entity(rel.from).id.as_str()),
        ("target", g.entity(rel.to).id.as_str()),
    ];
    tag(w, "    ", "edge", &ends, false);
    data(w, IN, "e_id", &rel.id);
    data(w, IN, "e_type", &rel.rel_type);
    data(w, IN, "e_label", g.label(rel, true));
    data(w, IN, "e_status", rel.status.as_str());
    data(w, IN, "e_claimed_by", &names(&rel.claimed_by));
    data(w, IN, "e_denied_by", &names(&rel.denied_by));
    data(w, IN, "e_doubted_by", &names(&rel.doubted_by));
    data(w, IN, "e_retracted_by", &names(&rel.retracted_by));
    match rel.when {
        Some(When::Date(d)) => data(w, IN, "e_date", &d.to_string()),
        Some(When::Period(p)) => data(w, IN, "e_period", &p.to_string()),
        None => {}
    }
    data(w, IN, "e_source", &rel.source.id);
    data(w, IN, "e_section", &rel.source.section);
    data(w, IN, "e_note", &rel.note);
    if let Some(weight) = rel.weight {
        data(w, IN, "e_weight", &format_float(weight));
    }
    data(w, IN, "e_derived", "false");
    prop_data(w, "ep", edge_props, &rel.props);
    w.push_str("    </edge>\n");
}

/// Every attribute key of some records, sorted, with the GraphML type that
/// holds all its values (`string` when they differ).
pub fn prop_keys<'a>(all: impl Iterator<Item = &'a Props>) -> Vec<(String, &'static str)> {
    let mut keys: std::collections::BTreeMap<&str, Option<PropType>> = Default::default();
    for props in all {
        for (k, v) in props {
            let ty = v.prop_type();
            keys.entry(k)
                .and_modify(|t| {
                    if *t != Some(ty) {
                        *t = None;
                    }
                })
                .or_insert(Some(ty));
        }
    }
    keys.into_iter()
        .map(|(k, t)| {
            let name = match t {
                Some(PropType::Bool) => "boolean",
                Some(PropType::Int) => "long",
                Some(PropType::Float) => "double",
                _ => "string",
            };
            (k.to_string(), name)
        })
        .collect()
}

fn prop_data(w: &mut Sink, prefix: &str, keys: &[(String, &'static str)], props: &Props) {
    for (n, (key, _)) in keys.iter().enumerate() {
        if let Some(v) = props.get(key) {
            data(w, "      ", &format!("{prefix}{n}"), &v.to_string());
        }
    }
}

pub fn write(index: &Index, sel: &Selection, out: &mut Sink) {
    write_xml(index, sel, out);
    out.push('\n');
}
