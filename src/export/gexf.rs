//! GEXF 1.3 for Gephi (written with quick-xml, which escapes every string).
//! Kinds, relation types, statuses, claimants, sources and attributes are
//! GEXF attributes; an entity's start and end and a relation's date or period
//! are spells, so Gephi's timeline can play the graph. Dates of year or month
//! precision cover their whole year or month (`1990` → 1990-01-01 to
//! 1990-12-31); open ends of a period are left open.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::graphml::prop_keys;
use crate::export::sink::Sink;
use crate::index::Index;
use crate::model::EntityId;
use crate::props::{Props, format_float};
use crate::query::select::Selection;
use crate::when::{Date, When};

/// quick-xml writing into an export's sink.
type Xml<'a, 'w> = Writer<&'a mut Sink<'w>>;

const NODE_ATTRS: [&str; 6] = ["kind", "aliases", "description", "start", "end", "tags"];
const EDGE_ATTRS: [&str; 12] = [
    "type",
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
    "relation_id",
];

fn day(d: (i32, u8, u8)) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, *v));
    }
    e
}

fn attributes(
    w: &mut Xml<'_, '_>,
    class: &str,
    fixed: &[&str],
    props: &[(String, &'static str)],
    prefix: &str,
) -> std::io::Result<()> {
    w.write_event(Event::Start(element(
        "attributes",
        &[("class", class), ("mode", "static")],
    )))?;
    for a in fixed {
        w.write_event(Event::Empty(element(
            "attribute",
            &[("id", a), ("title", a), ("type", "string")],
        )))?;
    }
    for (n, (key, ty)) in props.iter().enumerate() {
        let id = format!("{prefix}{n}");
        w.write_event(Event::Empty(element(
            "attribute",
            &[("id", id.as_str()), ("title", key.as_str()), ("type", ty)],
        )))?;
    }
    w.write_event(Event::End(BytesEnd::new("attributes")))
}

fn values(
    w: &mut Xml<'_, '_>,
    fixed: &[(&str, String)],
    keys: &[(String, &'static str)],
    prefix: &str,
    props: &Props,
) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("attvalues")))?;
    for (k, v) in fixed {
        if !v.is_empty() {
            w.write_event(Event::Empty(element(
                "attvalue",
                &[("for", k), ("value", v.as_str())],
            )))?;
        }
    }
    for (n, (key, _)) in keys.iter().enumerate() {
        if let Some(v) = props.get(key) {
            let id = format!("{prefix}{n}");
            let text = match v {
                crate::props::PropValue::Float(x) => format_float(*x),
                other => other.to_string(),
            };
            w.write_event(Event::Empty(element(
                "attvalue",
                &[("for", id.as_str()), ("value", text.as_str())],
            )))?;
        }
    }
    w.write_event(Event::End(BytesEnd::new("attvalues")))
}

fn spell(w: &mut Xml<'_, '_>, start: Option<Date>, end: Option<Date>) -> std::io::Result<()> {
    if start.is_none() && end.is_none() {
        return Ok(());
    }
    let s = start.map(|d| day(d.first_day()));
    let e = end.map(|d| day(d.last_day()));
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    if let Some(s) = &s {
        attrs.push(("start", s));
    }
    if let Some(e) = &e {
        attrs.push(("end", e));
    }
    w.write_event(Event::Start(BytesStart::new("spells")))?;
    w.write_event(Event::Empty(element("spell", &attrs)))?;
    w.write_event(Event::End(BytesEnd::new("spells")))
}

fn write_xml(index: &Index, sel: &Selection, mut w: Xml<'_, '_>) -> std::io::Result<()> {
    let g = &index.graph;
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(element(
        "gexf",
        &[
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
        ],
    )))?;
    w.write_event(Event::Start(BytesStart::new("meta")))?;
    w.write_event(Event::Start(BytesStart::new("creator")))?;
    w.write_event(Event::Text(quick_xml::events::BytesText::new("linkchart")))?;
    w.write_event(Event::End(BytesEnd::new("creator")))?;
    w.write_event(Event::Start(BytesStart::new("description")))?;
    w.write_event(Event::Text(quick_xml::events::BytesText::new(&sel.title)))?;
    w.write_event(Event::End(BytesEnd::new("description")))?;
    w.write_event(Event::End(BytesEnd::new("meta")))?;
    w.write_event(Event::Start(element(
        "graph",
        &[
            ("defaultedgetype", "directed"),
            ("mode", "dynamic"),
            ("timeformat", "date"),
        ],
    )))?;
    let node_props = prop_keys(sel.entities.iter().map(|&i| &g.entity(i).props));
    let edge_props = prop_keys(sel.relations.iter().map(|&r| &g.relation(r).props));
    attributes(&mut w, "node", &NODE_ATTRS, &node_props, "p")?;
    attributes(&mut w, "edge", &EDGE_ATTRS, &edge_props, "p")?;
    w.write_event(Event::Start(BytesStart::new("nodes")))?;
    for &i in &sel.entities {
        let e = g.entity(i);
        w.write_event(Event::Start(element(
            "node",
            &[("id", e.id.as_str()), ("label", e.name.as_str())],
        )))?;
        let fixed = [
            ("kind", e.kind.to_string()),
            ("aliases", crate::props::join_list(&e.aliases, "; ")),
            ("description", e.description.clone()),
            ("start", e.start.map(|d| d.to_string()).unwrap_or_default()),
            ("end", e.end.map(|d| d.to_string()).unwrap_or_default()),
            ("tags", crate::props::join_list(&e.tags, "; ")),
        ];
        values(&mut w, &fixed, &node_props, "p", &e.props)?;
        spell(&mut w, e.start, e.end)?;
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    w.write_event(Event::End(BytesEnd::new("nodes")))?;
    w.write_event(Event::Start(BytesStart::new("edges")))?;
    let ids = |list: &[EntityId]| g.ids(list).join("; ");
    for (n, &r) in sel.relations.iter().enumerate() {
        let rel = g.relation(r);
        let id = n.to_string();
        let weight = rel.weight.map(format_float);
        let mut attrs = vec![
            ("id", id.as_str()),
            ("source", g.entity(rel.from).id.as_str()),
            ("target", g.entity(rel.to).id.as_str()),
            ("label", g.label(rel, true)),
        ];
        if let Some(w) = &weight {
            attrs.push(("weight", w.as_str()));
        }
        w.write_event(Event::Start(element("edge", &attrs)))?;
        let (date, period) = match rel.when {
            Some(When::Date(d)) => (d.to_string(), String::new()),
            Some(When::Period(p)) => (String::new(), p.to_string()),
            None => (String::new(), String::new()),
        };
        let fixed = [
            ("type", rel.rel_type.to_string()),
            ("status", rel.status.as_str().to_string()),
            ("claimed_by", ids(&rel.claimed_by)),
            ("denied_by", ids(&rel.denied_by)),
            ("doubted_by", ids(&rel.doubted_by)),
            ("retracted_by", ids(&rel.retracted_by)),
            ("date", date),
            ("period", period),
            ("source", rel.source.id.to_string()),
            ("section", rel.source.section.to_string()),
            ("note", rel.note.clone()),
            ("relation_id", rel.id.to_string()),
        ];
        values(&mut w, &fixed, &edge_props, "p", &rel.props)?;
        match rel.when {
            Some(When::Date(d)) => spell(&mut w, Some(d), Some(d))?,
            Some(When::Period(p)) => spell(&mut w, p.start, p.end)?,
            None => {}
        }
        w.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    w.write_event(Event::End(BytesEnd::new("edges")))?;
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("gexf")))
}

/// The selection as a GEXF 1.3 document.
pub fn write(index: &Index, sel: &Selection, out: &mut Sink) {
    // An I/O error is kept by the sink.
    let _ = write_xml(index, sel, Writer::new_with_indent(&mut *out, b' ', 2));
    out.push('\n');
}
