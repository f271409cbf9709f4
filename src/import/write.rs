//! Raw records written back as RON, one record a line, in the layout the
//! shipped graph uses; a loaded graph's records written the same way
//! straight from the graph ([`EntityLine`], [`RelationLine`]: no copy of a
//! million records), or turned back into raw records; new
//! kinds, relation types and sources added to a schema or sources file's text
//! without disturbing what a curator wrote there (comments included).

use std::borrow::Cow;
use std::fmt::Write;

use compact_str::CompactString;

use crate::load::raw::{RawEntity, RawRelation};
use crate::load::scan;
use crate::model::{
    Entity, EntityId, Graph, KindDef, Relation, RelationTypeDef, Source, SourceRef, Status,
};
use crate::props::{PropValue, Props};
use crate::when::When;

/// The bytes that can start a character [`string`] escapes.
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0x7f] = true;
    table[0xc2] = true;
    table
};

/// A RON string literal: quotes, backslashes and control characters
/// escaped; everything else (any script, emoji) written as it is.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    // Runs of plain text are copied whole; only a byte that may start a
    // character to escape is looked at closely. Control characters are
    // U+0000–U+001F, U+007F and U+0080–U+009F, the last encoded 0xC2 0x80–0x9F;
    // every byte looked for here starts a character.
    let bytes = text.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !MAY_ESCAPE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or_default();
        if !(c == '"' || c == '\\' || c.is_control()) {
            i += 1;
            continue;
        }
        out.push_str(&text[plain..i]);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
        i += c.len_utf8();
        plain = i;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

fn quoted(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    string(&mut s, text);
    s
}

fn list<S: AsRef<str>>(out: &mut String, field: &str, items: &[S]) {
    if items.is_empty() {
        return;
    }
    out.push_str(", ");
    out.push_str(field);
    out.push_str(": [");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        string(out, item.as_ref());
    }
    out.push(']');
}

fn opt(out: &mut String, field: &str, value: &Option<Cow<str>>) {
    if let Some(v) = value {
        out.push_str(", ");
        out.push_str(field);
        out.push_str(": ");
        string(out, v);
    }
}

/// A number as [`crate::props::format_float`] writes it, without a string
/// of its own.
fn float(out: &mut String, x: f64) {
    let start = out.len();
    let _ = write!(out, "{x:?}");
    if x.is_finite() && !out[start..].contains(['.', 'e', 'E']) {
        out.push_str(".0");
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
        PropValue::Float(x) => float(out, *x),
        PropValue::Date(d) => string(out, &d.to_string()),
        PropValue::Text(t) => string(out, t),
    }
}

/// What a line of an entity file says, borrowed from a raw record or from
/// a loaded graph's entity: a graph of a million records is written
/// without a copy of it.
pub struct EntityLine<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    aliases: &'a [String],
    description: &'a str,
    start: Option<Cow<'a, str>>,
    end: Option<Cow<'a, str>>,
    tags: &'a [String],
    props: &'a Props,
}

impl<'a> From<&'a RawEntity> for EntityLine<'a> {
    fn from(e: &'a RawEntity) -> Self {
        EntityLine {
            id: &e.id,
            name: &e.name,
            kind: &e.kind,
            aliases: &e.aliases,
            description: &e.description,
            start: e.start.as_deref().map(Cow::Borrowed),
            end: e.end.as_deref().map(Cow::Borrowed),
            tags: &e.tags,
            props: &e.props,
        }
    }
}

impl<'a> From<&'a Entity> for EntityLine<'a> {
    /// The entity as [`raw_entity`] gives it back.
    fn from(e: &'a Entity) -> Self {
        EntityLine {
            id: &e.id,
            name: &e.name,
            kind: &e.kind,
            aliases: &e.aliases,
            description: &e.description,
            start: e.start.map(|d| Cow::Owned(d.to_string())),
            end: e.end.map(|d| Cow::Owned(d.to_string())),
            tags: &e.tags,
            props: &e.props,
        }
    }
}

/// One entity as a line of an entity file.
pub fn entity<'a>(out: &mut String, e: impl Into<EntityLine<'a>>) {
    let e = e.into();
    out.push_str("    (id: ");
    string(out, e.id);
    out.push_str(", name: ");
    string(out, e.name);
    out.push_str(", kind: ");
    string(out, e.kind);
    list(out, "aliases", e.aliases);
    if !e.description.is_empty() {
        out.push_str(", description: ");
        string(out, e.description);
    }
    opt(out, "start", &e.start);
    opt(out, "end", &e.end);
    list(out, "tags", e.tags);
    props(out, e.props);
    out.push_str("),\n");
}

/// What a line of a relation file says, borrowed from a raw record or from
/// a loaded graph's relation (its ends and parties by their ids).
pub struct RelationLine<'a> {
    from: &'a str,
    to: &'a str,
    rel_type: &'a str,
    status: Status,
    claimed_by: Vec<&'a str>,
    denied_by: Vec<&'a str>,
    doubted_by: Vec<&'a str>,
    retracted_by: Vec<&'a str>,
    date: Option<Cow<'a, str>>,
    period: Option<Cow<'a, str>>,
    source: &'a SourceRef,
    note: &'a str,
    weight: Option<f64>,
    props: &'a Props,
}

impl<'a> From<&'a RawRelation> for RelationLine<'a> {
    fn from(r: &'a RawRelation) -> Self {
        let ids = |list: &'a [CompactString]| -> Vec<&'a str> {
            list.iter().map(|s| s.as_str()).collect()
        };
        RelationLine {
            from: &r.from,
            to: &r.to,
            rel_type: &r.rel_type,
            status: r.status,
            claimed_by: ids(&r.claimed_by),
            denied_by: ids(&r.denied_by),
            doubted_by: ids(&r.doubted_by),
            retracted_by: ids(&r.retracted_by),
            date: r.date.as_deref().map(Cow::Borrowed),
            period: r.period.as_deref().map(Cow::Borrowed),
            source: &r.source,
            note: &r.note,
            weight: r.weight,
            props: &r.props,
        }
    }
}

/// Every entity's id of a graph, side by side in one buffer. A million
/// relation lines name their ends in no order; reading each id from here
/// rather than from its entity (a pointer to follow, somewhere else in
/// memory every time) halves the cost of writing them.
pub struct EntityIds {
    text: String,
    /// Where each entity's id ends in `text`.
    ends: Vec<usize>,
}

impl EntityIds {
    pub fn new(g: &Graph) -> EntityIds {
        let mut text = String::with_capacity(g.entities.len() * 12);
        let mut ends = Vec::with_capacity(g.entities.len());
        for e in &g.entities {
            text.push_str(&e.id);
            ends.push(text.len());
        }
        EntityIds { text, ends }
    }

    pub fn get(&self, id: EntityId) -> &str {
        let i = id.index();
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

impl<'a> RelationLine<'a> {
    /// A loaded relation, its ends and parties named from `ids` (the
    /// graph's [`EntityIds`]).
    pub fn of(ids: &'a EntityIds, r: &'a Relation) -> Self {
        let id = |i: EntityId| ids.get(i);
        let ids = |list: &'a [EntityId]| -> Vec<&'a str> { list.iter().map(|&i| id(i)).collect() };
        let (date, period) = match r.when {
            Some(When::Date(d)) => (Some(Cow::Owned(d.to_string())), None),
            Some(When::Period(p)) => (None, Some(Cow::Owned(p.to_string()))),
            None => (None, None),
        };
        RelationLine {
            from: id(r.from),
            to: id(r.to),
            rel_type: &r.rel_type,
            status: r.status,
            claimed_by: ids(&r.claimed_by),
            denied_by: ids(&r.denied_by),
            doubted_by: ids(&r.doubted_by),
            retracted_by: ids(&r.retracted_by),
            date,
            period,
            source: &r.source,
            note: &r.note,
            weight: r.weight,
            props: &r.props,
        }
    }
}

/// One relation as a line of a relation file.
pub fn relation<'a>(out: &mut String, r: impl Into<RelationLine<'a>>) {
    let r = r.into();
    out.push_str("    (from: ");
    string(out, r.from);
    out.push_str(", to: ");
    string(out, r.to);
    out.push_str(", type: ");
    string(out, r.rel_type);
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
        string(out, r.note);
    }
    if let Some(w) = r.weight {
        out.push_str(", weight: ");
        float(out, w);
    }
    props(out, r.props);
    out.push_str("),\n");
}

/// A whole entity file.
pub fn entity_file<'a, E: Into<EntityLine<'a>>>(
    header: &str,
    entities: impl ExactSizeIterator<Item = E>,
) -> String {
    let mut out = String::with_capacity(entities.len() * 120 + 100);
    let _ = writeln!(out, "// {header}\n[");
    for e in entities {
        entity(&mut out, e);
    }
    out.push_str("]\n");
    out
}

/// A whole relation file.
pub fn relation_file<'a, R: Into<RelationLine<'a>>>(
    header: &str,
    relations: impl ExactSizeIterator<Item = R>,
) -> String {
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

/// A loaded relation as a raw record, its ends and parties named from
/// `ids` (the graph's [`EntityIds`]).
pub fn raw_relation(ids: &EntityIds, r: &crate::model::Relation) -> RawRelation {
    RelationLine::of(ids, r).into()
}

impl From<RelationLine<'_>> for RawRelation {
    fn from(r: RelationLine<'_>) -> Self {
        let ids = |list: Vec<&str>| list.into_iter().map(CompactString::from).collect();
        RawRelation {
            from: r.from.into(),
            to: r.to.into(),
            rel_type: r.rel_type.into(),
            status: r.status,
            claimed_by: ids(r.claimed_by),
            denied_by: ids(r.denied_by),
            doubted_by: ids(r.doubted_by),
            retracted_by: ids(r.retracted_by),
            date: r.date.map(CompactString::from),
            period: r.period.map(CompactString::from),
            source: r.source.clone(),
            note: r.note.to_string(),
            weight: r.weight,
            props: r.props.clone(),
        }
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

    /// Every character written as the plain per-character rule says.
    #[test]
    fn strings_escape_as_the_rule_says() {
        let rule = |text: &str| {
            let mut out = String::from('"');
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        };
        let mut all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        all.push_str("a\"b\\c\u{85}\u{9f}\u{a0}£é🕵️\u{202e}\u{7f}\u{0}z");
        for text in [all.as_str(), "", "plain", "\u{85}", "£", "\u{c2}\u{80}"] {
            assert_eq!(quoted(text), rule(text), "{text:?}");
        }
    }

    #[test]
    fn numbers_write_as_format_float_does() {
        for x in [
            0.0,
            -0.0,
            1.0,
            2.5,
            1e21,
            1e-7,
            123456789.0,
            f64::NAN,
            f64::INFINITY,
        ] {
            let mut out = String::from("x");
            float(&mut out, x);
            assert_eq!(out, format!("x{}", crate::props::format_float(x)));
        }
    }

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

    /// A loaded graph's records are written as the raw records made from
    /// them would be.
    #[test]
    fn graph_records_write_as_their_raw_records() {
        let mut g = crate::load::load(crate::load::embedded_inputs())
            .expect("the built-in graph loads")
            .graph;
        let date = crate::when::Date::parse("~1999-01").unwrap();
        g.entities[0]
            .props
            .insert("since".into(), PropValue::Date(date));
        g.entities[0].props.insert("rank".into(), PropValue::Int(3));
        g.relations[0]
            .props
            .insert("share".into(), PropValue::Float(0.5));
        g.relations[0]
            .props
            .insert("note \"x\"".into(), PropValue::Text("a\tb".into()));
        g.relations[0].weight = Some(2.0);
        assert!(g.entities.iter().any(|e| e.start.is_some()));
        assert!(
            g.relations
                .iter()
                .any(|r| matches!(r.when, Some(When::Date(_))))
        );
        assert!(
            g.relations
                .iter()
                .any(|r| matches!(r.when, Some(When::Period(_))))
        );
        assert!(g.relations.iter().any(|r| !r.denied_by.is_empty()));
        for e in &g.entities {
            let (mut a, mut b) = (String::new(), String::new());
            entity(&mut a, &raw_entity(e));
            entity(&mut b, e);
            assert_eq!(a, b);
        }
        let ids = EntityIds::new(&g);
        for r in &g.relations {
            let (mut a, mut b) = (String::new(), String::new());
            relation(&mut a, &raw_relation(&ids, r));
            relation(&mut b, RelationLine::of(&ids, r));
            assert_eq!(a, b);
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
