//! GraphML with a typed `<key>` for every attribute, as Gephi, Cytoscape,
//! yEd and networkx read it. Written with quick-xml, which escapes text and
//! attribute values. Lists (aliases, claimants) are joined with "; " (see [`crate::props::join_list`]).

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::export::sink::Sink;
use crate::index::Index;
use crate::model::{EntityId, RelationId};
use crate::props::{PropType, Props, format_float};
use crate::query::select::Selection;
use crate::when::When;

/// quick-xml writing into an export's sink.
type Xml<'a, 'w> = Writer<&'a mut Sink<'w>>;

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

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> Event<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, *v));
    }
    Event::Start(e)
}

fn data(w: &mut Xml<'_, '_>, key: &str, value: &str) -> std::io::Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    w.write_event(start("data", &[("key", key)]))?;
    w.write_event(Event::Text(BytesText::new(value)))?;
    w.write_event(Event::End(BytesEnd::new("data")))
}

fn write_xml(index: &Index, sel: &Selection, mut w: Xml<'_, '_>) -> std::io::Result<()> {
    let g = &index.graph;
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(start(
        "graphml",
        &[
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"),
        ],
    ))?;
    for (domain, keys) in [("node", &NODE_KEYS[..]), ("edge", &EDGE_KEYS[..])] {
        for key in keys {
            let id = format!("{}_{key}", &domain[..1]);
            let ty = match *key {
                "derived" => "boolean",
                "weight" => "double",
                _ => "string",
            };
            w.write_event(Event::Empty({
                let mut e = BytesStart::new("key");
                e.push_attribute(("id", id.as_str()));
                e.push_attribute(("for", domain));
                e.push_attribute(("attr.name", *key));
                e.push_attribute(("attr.type", ty));
                e
            }))?;
        }
    }
    let node_props = prop_keys(sel.entities.iter().map(|&i| &g.entity(i).props));
    let edge_props = prop_keys(sel.relations.iter().map(|&r| &g.relation(r).props));
    for (domain, prefix, keys) in [("node", "np", &node_props), ("edge", "ep", &edge_props)] {
        for (n, (key, ty)) in keys.iter().enumerate() {
            let id = format!("{prefix}{n}");
            w.write_event(Event::Empty({
                let mut e = BytesStart::new("key");
                e.push_attribute(("id", id.as_str()));
                e.push_attribute(("for", domain));
                e.push_attribute(("attr.name", key.as_str()));
                e.push_attribute(("attr.type", *ty));
                e
            }))?;
        }
    }
    w.write_event(start(
        "graph",
        &[("id", "linkchart"), ("edgedefault", "directed")],
    ))?;
    // Written on one core: the same elements written on two (as JSON and
    // DOT are) took longer here, the two threads contending in the
    // allocator for quick-xml's many small buffers.
    for &i in &sel.entities {
        node(index, &node_props, i, &mut w)?;
    }
    for &r in &sel.relations {
        edge(index, &edge_props, r, &mut w)?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))
}

/// One entity as a `<node>`.
fn node(
    index: &Index,
    node_props: &[(String, &'static str)],
    i: EntityId,
    w: &mut Xml<'_, '_>,
) -> std::io::Result<()> {
    let g = &index.graph;
    let e = g.entity(i);
    w.write_event(start("node", &[("id", e.id.as_str())]))?;
    data(w, "n_name", &e.name)?;
    data(w, "n_kind", &e.kind)?;
    data(w, "n_aliases", &crate::props::join_list(&e.aliases, "; "))?;
    data(w, "n_description", &e.description)?;
    data(
        w,
        "n_start",
        &e.start.map(|d| d.to_string()).unwrap_or_default(),
    )?;
    data(
        w,
        "n_end",
        &e.end.map(|d| d.to_string()).unwrap_or_default(),
    )?;
    data(w, "n_tags", &crate::props::join_list(&e.tags, "; "))?;
    prop_data(w, "np", node_props, &e.props)?;
    w.write_event(Event::End(BytesEnd::new("node")))?;
    Ok(())
}

/// One stored relation as an `<edge>`.
fn edge(
    index: &Index,
    edge_props: &[(String, &'static str)],
    r: RelationId,
    w: &mut Xml<'_, '_>,
) -> std::io::Result<()> {
    let g = &index.graph;
    let names = |list: &[crate::model::EntityId]| {
        list.iter()
            .map(|&i| g.entity(i).id.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let rel = g.relation(r);
    w.write_event(start(
        "edge",
        &[
            ("id", rel.id.as_str()),
            ("source", &g.entity(rel.from).id),
            ("target", &g.entity(rel.to).id),
        ],
    ))?;
    data(w, "e_id", &rel.id)?;
    data(w, "e_type", &rel.rel_type)?;
    data(w, "e_label", g.label(rel, true))?;
    data(w, "e_status", rel.status.as_str())?;
    data(w, "e_claimed_by", &names(&rel.claimed_by))?;
    data(w, "e_denied_by", &names(&rel.denied_by))?;
    data(w, "e_doubted_by", &names(&rel.doubted_by))?;
    data(w, "e_retracted_by", &names(&rel.retracted_by))?;
    match rel.when {
        Some(When::Date(d)) => data(w, "e_date", &d.to_string())?,
        Some(When::Period(p)) => data(w, "e_period", &p.to_string())?,
        None => {}
    }
    data(w, "e_source", &rel.source.id)?;
    data(w, "e_section", &rel.source.section)?;
    data(w, "e_note", &rel.note)?;
    if let Some(weight) = rel.weight {
        data(w, "e_weight", &format_float(weight))?;
    }
    data(w, "e_derived", "false")?;
    prop_data(w, "ep", edge_props, &rel.props)?;
    w.write_event(Event::End(BytesEnd::new("edge")))?;
    Ok(())
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

fn prop_data(
    w: &mut Xml<'_, '_>,
    prefix: &str,
    keys: &[(String, &'static str)],
    props: &Props,
) -> std::io::Result<()> {
    for (n, (key, _)) in keys.iter().enumerate() {
        if let Some(v) = props.get(key) {
            data(w, &format!("{prefix}{n}"), &v.to_string())?;
        }
    }
    Ok(())
}

pub fn write(index: &Index, sel: &Selection, out: &mut Sink) {
    // An I/O error is kept by the sink.
    let _ = write_xml(index, sel, Writer::new_with_indent(&mut *out, b' ', 2));
    out.push('\n');
}
