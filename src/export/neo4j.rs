//! The way out to a Cypher engine when a graph outgrows one machine:
//! Neo4j's bulk-import CSV layout (`nodes.csv`, `relationships.csv`, with
//! `:ID`, `:LABEL`, `:START_ID`, `:END_ID` and `:TYPE` headers; written with
//! the csv crate) and a Cypher script that recreates the graph idempotently
//! with MERGE.
//!
//! Relationship types become upper snake case (`member-of` → `MEMBER_OF`),
//! node labels `Entity` plus the kind in upper camel case. Lists are joined
//! with `;`, Neo4j's array delimiter for `string[]` columns. In the script,
//! every string is a single-quoted Cypher literal with `\` and `'` escaped
//! (see [`literal`]).

use std::fmt::Write;

use crate::export::graphml::prop_keys;
use crate::export::sink::{self, Sink};
use crate::index::Index;
use crate::props::{Props, format_float};
use crate::query::select::Selection;
use crate::when::When;

/// `member-of` → `MEMBER_OF`.
pub fn rel_type(t: &str) -> String {
    t.replace('-', "_").to_uppercase()
}

/// `militant-group` → `MilitantGroup`.
pub fn label(kind: &str) -> String {
    kind.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn when_columns(when: Option<When>) -> (String, String) {
    match when {
        Some(When::Date(d)) => (d.to_string(), String::new()),
        Some(When::Period(p)) => (String::new(), p.to_string()),
        None => (String::new(), String::new()),
    }
}

pub const NODE_HEADER: [&str; 9] = [
    "id:ID",
    "name",
    "kind",
    "aliases:string[]",
    "description",
    "start",
    "end",
    "tags:string[]",
    ":LABEL",
];
pub const REL_HEADER: [&str; 16] = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "id",
    "type",
    "status",
    "claimed_by:string[]",
    "denied_by:string[]",
    "doubted_by:string[]",
    "retracted_by:string[]",
    "date",
    "period",
    "source",
    "section",
    "note",
    "weight:float",
];

/// Attribute columns, typed for Neo4j (`rank:int`, `share:float`,
/// `active:boolean`; text and dates as strings).
fn prop_columns<'a>(keys: &'a [(String, &'static str)]) -> impl Iterator<Item = String> + 'a {
    keys.iter().map(|(k, ty)| match *ty {
        "long" => format!("{k}:int"),
        "double" => format!("{k}:float"),
        "boolean" => format!("{k}:boolean"),
        _ => k.clone(),
    })
}

fn prop_cells(keys: &[(String, &'static str)], props: &Props) -> Vec<String> {
    keys.iter()
        .map(|(k, _)| props.get(k).map(|v| v.to_string()).unwrap_or_default())
        .collect()
}

/// The files of the CSV layout, in the order they are written.
pub const FILES: [&str; 2] = ["nodes.csv", "relationships.csv"];

/// `nodes.csv`, one record at a time; every record has the header's length.
pub fn write_nodes(index: &Index, sel: &Selection, out: &mut Sink) {
    // An I/O error is kept by the sink.
    let _ = nodes(index, sel, out);
}

/// `relationships.csv`, one record at a time.
pub fn write_relationships(index: &Index, sel: &Selection, out: &mut Sink) {
    let _ = relationships(index, sel, out);
}

fn nodes(index: &Index, sel: &Selection, out: &mut Sink) -> Result<(), csv::Error> {
    let g = &index.graph;
    let node_props = prop_keys(sel.entities.iter().map(|&i| &g.entity(i).props));
    let mut nodes = csv::Writer::from_writer(out);
    nodes.write_record(
        NODE_HEADER
            .iter()
            .map(|s| s.to_string())
            .chain(prop_columns(&node_props)),
    )?;
    for &i in &sel.entities {
        let e = g.entity(i);
        let mut record: Vec<String> = vec![
            e.id.to_string(),
            e.name.to_string(),
            e.kind.to_string(),
            crate::props::join_list(&e.aliases, ";"),
            e.description.clone(),
            e.start.map(|d| d.to_string()).unwrap_or_default(),
            e.end.map(|d| d.to_string()).unwrap_or_default(),
            crate::props::join_list(&e.tags, ";"),
            format!("Entity;{}", label(&e.kind)),
        ];
        record.extend(prop_cells(&node_props, &e.props));
        nodes.write_record(&record)?;
    }
    nodes.flush()?;
    Ok(())
}

fn relationships(index: &Index, sel: &Selection, out: &mut Sink) -> Result<(), csv::Error> {
    let g = &index.graph;
    let edge_props = prop_keys(sel.relations.iter().map(|&r| &g.relation(r).props));
    let mut rels = csv::Writer::from_writer(out);
    rels.write_record(
        REL_HEADER
            .iter()
            .map(|s| s.to_string())
            .chain(prop_columns(&edge_props)),
    )?;
    let ids = |list: &[crate::model::EntityId]| g.ids(list).join(";");
    for &r in &sel.relations {
        let rel = g.relation(r);
        let (date, period) = when_columns(rel.when);
        let mut record: Vec<String> = vec![
            g.entity(rel.from).id.to_string(),
            g.entity(rel.to).id.to_string(),
            rel_type(&rel.rel_type),
            rel.id.to_string(),
            rel.rel_type.to_string(),
            rel.status.as_str().to_string(),
            ids(&rel.claimed_by),
            ids(&rel.denied_by),
            ids(&rel.doubted_by),
            ids(&rel.retracted_by),
            date,
            period,
            rel.source.id.to_string(),
            rel.source.section.to_string(),
            rel.note.clone(),
            rel.weight.map(format_float).unwrap_or_default(),
        ];
        record.extend(prop_cells(&edge_props, &rel.props));
        rels.write_record(&record)?;
    }
    rels.flush()?;
    Ok(())
}

/// A single-quoted Cypher string literal. Only `\\` and `'` are escaped:
/// line breaks and tabs stay as they are, since engines disagree on `\n`
/// (Neo4j reads a line break, kuzu an `n`) but all read a raw line break in a
/// literal as itself. A statement can therefore span lines; each ends with
/// `;` outside any literal.
pub fn literal(text: &str) -> String {
    Lit(text).to_string()
}

/// [`literal`] as it is written: runs of text between the characters that
/// need a backslash go out whole, with nothing built (at a million
/// relations, building each literal as a string, character by character,
/// was most of the script's time).
struct Lit<'a>(&'a str);

impl std::fmt::Display for Lit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_char('\'')?;
        let mut rest = self.0;
        while let Some(at) = rest.find(['\\', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_char('\\')?;
            f.write_str(&rest[at..=at])?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)?;
        f.write_char('\'')
    }
}

/// A script that creates or updates the selection in Neo4j; running it
/// twice leaves the same graph.
pub fn cypher(index: &Index, sel: &Selection, t: &mut Sink) {
    let g = &index.graph;
    t.push_str(
        "// Written by linkchart. Idempotent: MERGE on ids, SET for properties.\n\
         CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;\n",
    );
    // On all cores, in order (each statement depends only on its record).
    sink::write_each(t, &sel.entities, |_, &i, t| {
        let e = g.entity(i);
        let _ = writeln!(
            t,
            "MERGE (e:Entity {{id: {}}}) SET e.name = {}, e.kind = {}, e.description = {}, e.aliases = {}{};",
            Lit(&e.id),
            Lit(&e.name),
            Lit(&e.kind),
            Lit(&e.description),
            Lit(&crate::props::join_list(&e.aliases, ";")),
            cypher_props("e", None, &e.props),
        );
    });
    let ids = |list: &[crate::model::EntityId]| g.ids(list).join(";");
    sink::write_each(t, &sel.relations, |_, &r, t| {
        let rel = g.relation(r);
        let (date, period) = when_columns(rel.when);
        let _ = writeln!(
            t,
            "MATCH (a:Entity {{id: {}}}), (b:Entity {{id: {}}}) MERGE (a)-[r:{} {{id: {}}}]->(b) SET r.status = {}, r.claimed_by = {}, r.denied_by = {}, r.doubted_by = {}, r.retracted_by = {}, r.date = {}, r.period = {}, r.source = {}, r.section = {}, r.note = {}{};",
            Lit(&g.entity(rel.from).id),
            Lit(&g.entity(rel.to).id),
            rel_type(&rel.rel_type),
            Lit(&rel.id),
            Lit(rel.status.as_str()),
            Lit(&ids(&rel.claimed_by)),
            Lit(&ids(&rel.denied_by)),
            Lit(&ids(&rel.doubted_by)),
            Lit(&ids(&rel.retracted_by)),
            Lit(&date),
            Lit(&period),
            Lit(&rel.source.id),
            Lit(&rel.source.section),
            Lit(&rel.note),
            cypher_props("r", rel.weight, &rel.props),
        );
    });
}

/// `, r.weight = 2.0, r.`role` = 'chair'` for a SET clause.
fn cypher_props(var: &str, weight: Option<f64>, props: &Props) -> String {
    let mut out = String::new();
    if let Some(w) = weight {
        let _ = write!(out, ", {var}.weight = {}", format_float(w));
    }
    for (k, v) in props {
        let value = match v {
            crate::props::PropValue::Bool(b) => b.to_string(),
            crate::props::PropValue::Int(n) => n.to_string(),
            crate::props::PropValue::Float(x) => format_float(*x),
            other => literal(&other.to_string()),
        };
        let _ = write!(out, ", {var}.`{}` = {value}", k.replace('`', "``"));
    }
    out
}
