//! Raw records written back as RON, one record a line, in the layout the
//! shipped graph uses; a loaded graph turned back into raw records; new
//! kinds, relation types and sources added to a schema or sources file's text
//! without disturbing what a curator wrote there (comments included).

use std::fmt::Write;

use crate::load::raw::{RawEntity, RawRelation};
use crate::load::scan;
use crate::model::{Graph, KindDef, RelationTypeDef, Source};
use crate::props::{PropValue, Props, format_float};
use crate::when::When;

/// A RON string literal: quotes, backslashes and control characters
/// escaped; everything else (any script, emoji) written as it is.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn quoted(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    string(&mut s, text);
    s
}

fn list(out: &mut String, field: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, ", {field}: [");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        string(out, item);
    }
    out.push(']');
}

fn opt(out: &mut String, field: &str, value: &Option<String>) {
    if let Some(v) = value {
        let _ = write!(out, ", {field}: ");
        string(out, v);
    }
}

/// `{"key": value, …}`.
pub fn props(out: &mut String, props: &Props) {
    if props.is_empty() {
        return;
    }
    out.push_str(", props: {");
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        string(out, k);
        out.push_str(": ");
        value(out, v);
    }
    out.push('}');
}

fn value(out: &mut String, v: &PropValue) {
    match v {
        PropValue::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        PropValue::Int(n) => {
            let _ = write!(out, "{n}");
        }
        PropValue::Float(x) => out.push_str(&format_float(*x)),
        PropValue::Date(d) => string(out, &d.to_string()),
        PropValue::Text(t) => string(out, t),
    }
}

/// One entity as a line of an entity file.
pub fn entity(out: &mut String, e: &RawEntity) {
    out.push_str("    (id: ");
    string(out, &e.id);
    out.push_str(", name: ");
    string(out, &e.name);
    out.push_str(", kind: ");
    string(out, &e.kind);
    list(out, "aliases", &e.aliases);
    if !e.description.is_empty() {
        out.push_str(", description: ");
        string(out, &e.description);
    }
    opt(out, "start", &e.start);
    opt(out, "end", &e.end);
    list(out, "tags", &e.tags);
    props(out, &e.props);
    out.push_str("),\n");
}

/// One relation as a line of a relation file.
pub fn relation(out: &mut String, r: &RawRelation) {
    out.push_str("    (from: ");
    string(out, &r.from);
    out.push_str(", to: ");
    string(out, &r.to);
    out.push_str(", type: ");
    string(out, &r.rel_type);
    out.push_str(", status: ");
    out.push_str(r.status.as_str());
    list(out, "claimed_by", &r.claimed_by);
    list(out, "denied_by", &r.denied_by);
    list(out, "doubted_by", &r.doubted_by);
    list(out, "retracted_by", &r.retracted_by);
    opt(out, "date", &r.date);
    opt(out, "period", &r.period);
    out.push_str(", source: (id: ");
    string(out, &r.source.id);
    out.push_str(", section: ");
    string(out, &r.source.section);
    out.push(')');
    if !r.note.is_empty() {
        out.push_str(", note: ");
        string(out, &r.note);
    }
    if let Some(w) = r.weight {
        let _ = write!(out, ", weight: {}", format_float(w));
    }
    props(out, &r.props);
    out.push_str("),\n");
}

/// A whole entity file.
pub fn entity_file(header: &str, entities: &[RawEntity]) -> String {
    let mut out = String::with_capacity(entities.len() * 120 + 100);
    let _ = writeln!(out, "// {header}\n[");
    for e in entities {
        entity(&mut out, e);
    }
    out.push_str("]\n");
    out
}

/// A whole relation file.
pub fn relation_file(header: &str, relations: &[RawRelation]) -> String {
    let mut out = String::with_capacity(relations.len() * 160 + 100);
    let _ = writeln!(out, "// {header}\n[");
    for r in relations {
        relation(&mut out, r);
    }
    out.push_str("]\n");
    out
}

/// A loaded entity as a raw record.
pub fn raw_entity(e: &crate::model::Entity) -> RawEntity {
    RawEntity {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind.clone(),
        aliases: e.aliases.clone(),
        description: e.description.clone(),
        start: e.start.map(|d| d.to_string()),
        end: e.end.map(|d| d.to_string()),
        tags: e.tags.clone(),
        props: e.props.clone(),
    }
}

/// A loaded relation as a raw record.
pub fn raw_relation(g: &Graph, r: &crate::model::Relation) -> RawRelation {
    let ids = |list: &[crate::model::EntityId]| {
        list.iter()
            .map(|&i| g.entity(i).id.clone())
            .collect::<Vec<_>>()
    };
    let (date, period) = match r.when {
        Some(When::Date(d)) => (Some(d.to_string()), None),
        Some(When::Period(p)) => (None, Some(p.to_string())),
        None => (None, None),
    };
    RawRelation {
        from: g.entity(r.from).id.clone(),
        to: g.entity(r.to).id.clone(),
        rel_type: r.rel_type.clone(),
        status: r.status,
        claimed_by: ids(&r.claimed_by),
        denied_by: ids(&r.denied_by),
        doubted_by: ids(&r.doubted_by),
        retracted_by: ids(&r.retracted_by),
        date,
        period,
        source: r.source.clone(),
        note: r.note.clone(),
        weight: r.weight,
        props: r.props.clone(),
    }
}

pub fn kind_line(key: &str, k: &KindDef) -> String {
    format!(
        "        {}: (label: {}, shape: {}, color: {}),\n",
        quoted(key),
        quoted(&k.label),
        quoted(&k.shape),
        quoted(&k.color)
    )
}

pub fn type_line(key: &str, t: &RelationTypeDef) -> String {
    let mut line = format!(
        "        {}: (label: {}, inverse: {}",
        quoted(key),
        quoted(&t.label),
        quoted(&t.inverse)
    );
    if t.symmetric {
        line.push_str(", symmetric: true");
    }
    if t.accuses {
        line.push_str(", accuses: true");
    }
    for (field, kinds) in [("from", &t.from), ("to", &t.to)] {
        if !kinds.is_empty() {
            let list: Vec<String> = kinds.iter().map(|k| quoted(k)).collect();
            let _ = write!(line, ", {field}: [{}]", list.join(", "));
        }
    }
    line.push_str("),\n");
    line
}

pub fn source_block(s: &Source) -> String {
    let mut out = String::from("    (\n        id: ");
    string(&mut out, &s.id);
    out.push_str(",\n        title: ");
    string(&mut out, &s.title);
    out.push_str(",\n        kind: ");
    string(&mut out, &s.kind);
    out.push_str(",\n");
    for (field, value) in [("file", &s.file), ("url", &s.url)] {
        if let Some(v) = value {
            let _ = write!(out, "        {field}: ");
            string(&mut out, v);
            out.push_str(",\n");
        }
    }
    out.push_str("        sections: [\n");
    for section in &s.sections {
        out.push_str("            (id: ");
        string(&mut out, &section.id);
        out.push_str(", title: ");
        string(&mut out, &section.title);
        out.push_str("),\n");
    }
    out.push_str("        ],\n    ),\n");
    out
}

/// A whole schema file: `header` (comments), then every kind and type.
pub fn schema_file(header: &str, schema: &crate::model::Schema) -> String {
    let mut out = String::from(header);
    out.push_str("Schema(\n    kinds: {\n");
    for (k, d) in &schema.kinds {
        out.push_str(&kind_line(k, d));
    }
    out.push_str("    },\n    relation_types: {\n");
    for (k, t) in &schema.relation_types {
        out.push_str(&type_line(k, t));
    }
    out.push_str("    },\n)\n");
    out
}

/// Inserts `text` before the closing bracket of the value span `value`
/// (a `{…}` map or `[…]` list), after a comma if the last entry lacks one.
fn insert_before_close(source: &str, value: std::ops::Range<usize>, text: &str) -> String {
    let close = value.end - 1;
    let before = source[value.start + 1..close].trim_end();
    let needs_comma = !before.is_empty() && !before.ends_with(',');
    let insert_at = value.start + 1 + before.len();
    let rest = &source[insert_at..];
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest);
    let mut out = String::with_capacity(source.len() + text.len() + 2);
    out.push_str(&source[..insert_at]);
    if needs_comma {
        out.push(',');
    }
    out.push('\n');
    out.push_str(text);
    out.push_str(rest);
    out
}

/// A schema file's text with more kinds and relation types added at the end
/// of their maps. None when the text is not a `Schema( … )`.
pub fn schema_with(
    text: &str,
    kinds: &[(String, KindDef)],
    types: &[(String, RelationTypeDef)],
) -> Option<String> {
    let mut text = text.to_string();
    for (field, lines) in [
        (
            "relation_types",
            types
                .iter()
                .map(|(k, t)| type_line(k, t))
                .collect::<String>(),
        ),
        (
            "kinds",
            kinds
                .iter()
                .map(|(k, d)| kind_line(k, d))
                .collect::<String>(),
        ),
    ] {
        if lines.is_empty() {
            continue;
        }
        let item = scan::top_item(&text).ok()?;
        let span = item.field(field)?.value.clone();
        text = insert_before_close(&text, span, &lines);
    }
    Some(text)
}

/// A sources file's text with more sources added at the end of its list.
pub fn sources_with(text: &str, sources: &[Source]) -> Option<String> {
    if sources.is_empty() {
        return Some(text.to_string());
    }
    let blocks: String = sources.iter().map(source_block).collect();
    let items = scan::list_items(text).ok()?;
    // The list's closing bracket: the last `]` of the file (trailing
    // comments aside), which list_items has checked is there.
    let start = text.find('[')?;
    let end = items.last().map_or(start, |i| i.span.end);
    let close = end + text[end..].find(']')?;
    Some(insert_before_close(text, start..close + 1, &blocks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_parse_back_whole() {
        for text in [
            "plain",
            "Osama \"bin\" Laden",
            "C:\\Users\\",
            "Line one\nLine two\r\n\ttab",
            "\u{202e}reversed\u{0}nul\u{7f}",
            "Spy 🕵️ Network 🔥",
            "انٹر سروسز",
            "=SUM(A1:A9)",
        ] {
            let lit = quoted(text);
            let back: String = ron::from_str(&lit).unwrap_or_else(|e| panic!("{lit}: {e}"));
            assert_eq!(back, text);
        }
    }

    #[test]
    fn additions_keep_the_curators_text() {
        let schema = crate::init::SCHEMA;
        let kind = KindDef {
            label: "Vessel".into(),
            shape: "box".into(),
            color: "#dddddd".into(),
        };
        let t = RelationTypeDef {
            label: "sails for".into(),
            inverse: "has sailing for it".into(),
            symmetric: false,
            accuses: false,
            from: vec![],
            to: vec![],
        };
        let text = schema_with(
            schema,
            &[("vessel".into(), kind)],
            &[("sails-for".into(), t)],
        )
        .unwrap();
        assert!(text.starts_with("// The vocabulary"));
        let parsed: crate::model::Schema = ron::from_str(&text).unwrap();
        assert_eq!(parsed.kinds.last().unwrap().0, "vessel");
        assert_eq!(parsed.relation_types.last().unwrap().0, "sails-for");
        let no_comma = "Schema(kinds: {\"a\": (label: \"A\", shape: \"box\", color: \"#fff\")}, relation_types: {})";
        let text = schema_with(
            no_comma,
            &[(
                "b".into(),
                KindDef {
                    label: "B".into(),
                    shape: "box".into(),
                    color: "#fff".into(),
                },
            )],
            &[],
        )
        .unwrap();
        let parsed: crate::model::Schema = ron::from_str(&text).unwrap();
        assert_eq!(parsed.kinds.len(), 2);
        let sources = sources_with(
            crate::init::SOURCES,
            &[Source {
                id: "x".into(),
                title: "X".into(),
                kind: "import".into(),
                file: Some("x.csv".into()),
                url: None,
                sections: vec![crate::model::Section {
                    id: "rows".into(),
                    title: "Rows".into(),
                }],
            }],
        )
        .unwrap();
        let ron = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let parsed: Vec<Source> = ron.from_str(&sources).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].file.as_deref(), Some("x.csv"));
        let empty: Vec<Source> = ron.from_str(&sources_with("[]", &parsed).unwrap()).unwrap();
        assert_eq!(empty, parsed);
    }
}
