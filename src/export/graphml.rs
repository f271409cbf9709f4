//! GraphML with a typed `<key>` for every attribute, as Gephi, Cytoscape,
//! yEd and networkx read it. Written with quick-xml, which escapes text and
//! attribute values. Lists (aliases, claimants) are joined with "; ".

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::index::Index;
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
const EDGE_KEYS: [&str; 12] = [
    "id",
    "type",
    "label",
    "status",
    "claimed_by",
    "denied_by",
    "date",
    "period",
    "source",
    "section",
    "note",
    "derived",
];

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> Event<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, *v));
    }
    Event::Start(e)
}

fn data(w: &mut Writer<Vec<u8>>, key: &str, value: &str) -> std::io::Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    w.write_event(start("data", &[("key", key)]))?;
    w.write_event(Event::Text(BytesText::new(value)))?;
    w.write_event(Event::End(BytesEnd::new("data")))
}

fn write(index: &Index, sel: &Selection) -> std::io::Result<Vec<u8>> {
    let g = &index.graph;
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
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
            let ty = if *key == "derived" {
                "boolean"
            } else {
                "string"
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
    w.write_event(start(
        "graph",
        &[("id", "linkchart"), ("edgedefault", "directed")],
    ))?;
    for &i in &sel.entities {
        let e = g.entity(i);
        w.write_event(start("node", &[("id", e.id.as_str())]))?;
        data(&mut w, "n_name", &e.name)?;
        data(&mut w, "n_kind", &e.kind)?;
        data(&mut w, "n_aliases", &e.aliases.join("; "))?;
        data(&mut w, "n_description", &e.description)?;
        data(
            &mut w,
            "n_start",
            &e.start.map(|d| d.to_string()).unwrap_or_default(),
        )?;
        data(
            &mut w,
            "n_end",
            &e.end.map(|d| d.to_string()).unwrap_or_default(),
        )?;
        data(&mut w, "n_tags", &e.tags.join("; "))?;
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    let names = |list: &[crate::model::EntityId]| {
        list.iter()
            .map(|&i| g.entity(i).id.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    for &r in &sel.relations {
        let rel = g.relation(r);
        w.write_event(start(
            "edge",
            &[
                ("id", rel.id.as_str()),
                ("source", &g.entity(rel.from).id),
                ("target", &g.entity(rel.to).id),
            ],
        ))?;
        data(&mut w, "e_id", &rel.id)?;
        data(&mut w, "e_type", &rel.rel_type)?;
        data(&mut w, "e_label", g.label(rel, true))?;
        data(&mut w, "e_status", rel.status.as_str())?;
        data(&mut w, "e_claimed_by", &names(&rel.claimed_by))?;
        data(&mut w, "e_denied_by", &names(&rel.denied_by))?;
        match rel.when {
            Some(When::Date(d)) => data(&mut w, "e_date", &d.to_string())?,
            Some(When::Period(p)) => data(&mut w, "e_period", &p.to_string())?,
            None => {}
        }
        data(&mut w, "e_source", &rel.source.id)?;
        data(&mut w, "e_section", &rel.source.section)?;
        data(&mut w, "e_note", &rel.note)?;
        data(&mut w, "e_derived", "false")?;
        w.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

pub fn render(index: &Index, sel: &Selection) -> String {
    // Writing into a Vec cannot fail; quick-xml output is UTF-8.
    let bytes = write(index, sel).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
