//! GraphML as yEd, Gephi, Cytoscape, networkx and igraph write it (read
//! with quick-xml). Nodes become entities and edges relations; `<data>` of
//! a key named like a field (`name`, `label`, `kind`, `type`, `status`,
//! `weight` …) fills that field, yEd's node and edge labels give names and
//! types, and every other key is kept as an attribute, typed by the key's
//! `attr.type`. linkchart's own GraphML export comes back in unchanged.

use std::collections::HashMap;
use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::build::{Builder, InEntity, InRelation, InSource, Place, date_cell};
use super::locate::{FileSpans, RecordSpans};
use crate::diag::{Diagnostic, SourceFiles};
use crate::props::{PropValue, Props, parse_float, parse_int};

#[derive(Debug, Clone, Default)]
struct Key {
    /// `attr.name`, or the id when there is none.
    name: String,
    ty: String,
    default: Option<String>,
    /// yEd's graphics keys: their content is markup, with a label inside.
    graphics: bool,
}

/// A node or edge being read.
#[derive(Debug, Default)]
struct Element {
    is_edge: bool,
    id: String,
    source: String,
    target: String,
    /// Key id → text, in order.
    data: Vec<(String, String)>,
    spans: Vec<(String, Range<usize>)>,
    label: Option<String>,
    start: usize,
    line: usize,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Reads one GraphML file into the builder.
// The error stops the whole import and is made once per run: its size is
// of no consequence.
#[allow(clippy::result_large_err)]
pub fn read(
    builder: &mut Builder,
    files: &SourceFiles,
    file: usize,
) -> Result<FileSpans, Diagnostic> {
    let text = files.text(file);
    let mut reader = Reader::from_str(text);
    let mut keys: HashMap<String, Key> = HashMap::new();
    let mut current_key: Option<String> = None;
    let mut in_default = false;
    let mut stack: Vec<Element> = Vec::new();
    let mut data_key: Option<(String, usize)> = None;
    let mut text_buf = String::new();
    let mut label_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut directed_default: Option<bool> = None;
    let mut any_directed_edge = false;
    let mut elements: Vec<Element> = Vec::new();
    let mut saw_graphml = false;
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(Diagnostic::error(file, at..at + 1, format!("invalid XML: {e}"))
                    .label("here")
                    .help("GraphML is XML: check that every tag is closed and every `&` is written `&amp;`"));
            }
        };
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local(e.name().as_ref().as_bytes()).to_vec();
                if !empty {
                    depth += 1;
                }
                match name.as_slice() {
                    b"graphml" => saw_graphml = true,
                    b"key" => {
                        let id = attr(e, "id").unwrap_or_default();
                        let key = Key {
                            name: attr(e, "attr.name").unwrap_or_else(|| id.clone()),
                            ty: attr(e, "attr.type").unwrap_or_else(|| "string".to_string()),
                            default: None,
                            graphics: attr(e, "yfiles.type").is_some(),
                        };
                        keys.insert(id.clone(), key);
                        if !empty {
                            current_key = Some(id);
                        }
                    }
                    b"default" if current_key.is_some() => {
                        in_default = true;
                        text_buf.clear();
                    }
                    b"graph" if directed_default.is_none() => {
                        directed_default =
                            Some(attr(e, "edgedefault").as_deref() != Some("undirected"));
                    }
                    b"node" | b"edge" => {
                        let is_edge = name == b"edge";
                        if is_edge && attr(e, "directed").as_deref() == Some("true") {
                            any_directed_edge = true;
                        }
                        let el = Element {
                            is_edge,
                            id: attr(e, "id").unwrap_or_default(),
                            source: attr(e, "source").unwrap_or_default(),
                            target: attr(e, "target").unwrap_or_default(),
                            start: before + leading_space(&text[before..after]),
                            line: line_of(text, before + leading_space(&text[before..after])),
                            ..Element::default()
                        };
                        if empty {
                            elements.push(Element { ..el });
                            let last = elements.last_mut().unwrap();
                            let end = after;
                            last.spans.push(("record".to_string(), last.start..end));
                        } else {
                            stack.push(el);
                        }
                    }
                    b"hyperedge" => {
                        let line = line_of(text, before);
                        builder.skip(
                            Place {
                                file,
                                index: 0,
                                line,
                            },
                            "a hyperedge links more than two nodes; linkchart relations link two",
                        );
                    }
                    b"data" if !stack.is_empty() => {
                        let key = attr(e, "key").unwrap_or_default();
                        if empty {
                            if let Some(el) = stack.last_mut() {
                                el.data.push((key, String::new()));
                            }
                        } else {
                            data_key = Some((key, after));
                            text_buf.clear();
                        }
                    }
                    b"NodeLabel" | b"EdgeLabel" if data_key.is_some() && !empty => {
                        label_depth = Some(depth);
                        text_buf.clear();
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                let name = local(e.name().as_ref().as_bytes()).to_vec();
                match name.as_slice() {
                    b"key" => current_key = None,
                    b"default" => {
                        if let Some(id) = &current_key
                            && let Some(k) = keys.get_mut(id)
                        {
                            k.default = Some(text_buf.clone());
                        }
                        in_default = false;
                    }
                    b"NodeLabel" | b"EdgeLabel" if label_depth == Some(depth) => {
                        if let Some(el) = stack.last_mut()
                            && el.label.is_none()
                            && !text_buf.trim().is_empty()
                        {
                            el.label = Some(text_buf.trim().to_string());
                        }
                        label_depth = None;
                    }
                    b"data" => {
                        if let Some((key, start)) = data_key.take() {
                            let graphics = keys.get(&key).is_some_and(|k| k.graphics);
                            if let Some(el) = stack.last_mut()
                                && !graphics
                            {
                                el.spans.push((key.clone(), start..before));
                                el.data.push((key, text_buf.clone()));
                            }
                        }
                    }
                    b"node" | b"edge" => {
                        if let Some(mut el) = stack.pop() {
                            el.spans.push(("record".to_string(), el.start..after));
                            elements.push(el);
                        }
                    }
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if in_default || data_key.is_some() => {
                text_buf.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Event::CData(t) if in_default || data_key.is_some() => {
                text_buf.push_str(&t);
            }
            Event::GeneralRef(r) if in_default || data_key.is_some() => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string),
                };
                match resolved {
                    Some(s) => text_buf.push_str(&s),
                    None => {
                        return Err(Diagnostic::error(
                            file,
                            before..after,
                            format!("unknown XML entity `&{};`", &*r),
                        )
                        .label(
                            "not one of &amp; &lt; &gt; &quot; &apos; or a character reference",
                        ));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_graphml {
        return Err(Diagnostic::error(file, 0..0, "not a GraphML file")
            .label("expected a <graphml> element")
            .help("GraphML files start with <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"));
    }
    builder.undirected = directed_default == Some(false) && !any_directed_edge;

    // Elements in document order: nodes first so edges can name them.
    let mut records: Vec<RecordSpans> = Vec::with_capacity(elements.len());
    for el in elements {
        let index = records.len();
        let span = el
            .spans
            .iter()
            .find(|(k, _)| k == "record")
            .map_or(el.start..el.start, |(_, s)| s.clone());
        let place = Place {
            file,
            index,
            line: el.line,
        };
        // Field values by key name, defaults filled in.
        let domain = if el.is_edge { "edge" } else { "node" };
        let _ = domain;
        let mut values: Vec<(String, String, String)> = Vec::new(); // (name, type, text)
        let mut fields: Vec<(String, Range<usize>)> = Vec::new();
        for (key, value) in &el.data {
            let k = keys.get(key).cloned().unwrap_or(Key {
                name: key.clone(),
                ty: "string".to_string(),
                ..Key::default()
            });
            if let Some((_, s)) = el.spans.iter().find(|(id, _)| id == key) {
                fields.push((k.name.clone(), s.clone()));
            }
            values.push((k.name, k.ty, value.clone()));
        }
        for k in keys.values() {
            if let Some(d) = &k.default
                && !values.iter().any(|(n, _, _)| n == &k.name)
                && !k.graphics
            {
                values.push((k.name.clone(), k.ty.clone(), d.clone()));
            }
        }
        values.sort_by(|a, b| a.0.cmp(&b.0));
        records.push(RecordSpans {
            span: span.clone(),
            fields,
        });
        if el.is_edge {
            edge(builder, el, values, place);
        } else {
            node(builder, el, values, place);
        }
    }
    Ok(FileSpans::Explicit { records })
}

fn leading_space(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

fn typed(ty: &str, text: &str) -> Option<PropValue> {
    if text.is_empty() {
        return None;
    }
    Some(match ty.to_ascii_lowercase().as_str() {
        "int" | "long" => match parse_int(text.trim()) {
            Some(n) => PropValue::Int(n),
            None => PropValue::from_text(text),
        },
        "float" | "double" => match parse_float(text.trim()) {
            Some(x) => PropValue::Float(x),
            None => PropValue::from_text(text),
        },
        "boolean" => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => PropValue::Bool(true),
            "false" | "0" => PropValue::Bool(false),
            _ => PropValue::from_text(text),
        },
        _ => PropValue::from_text(text),
    })
}

fn split(text: &str) -> Vec<String> {
    crate::props::split_list(text)
}

/// Takes the first value among these names (case ignored) out of `values`.
fn take(values: &mut Vec<(String, String, String)>, names: &[&str]) -> Option<String> {
    for name in names {
        if let Some(i) = values
            .iter()
            .position(|(n, _, _)| n.eq_ignore_ascii_case(name))
        {
            return Some(values.remove(i).2);
        }
    }
    None
}

fn props_of(values: Vec<(String, String, String)>, reserved: &[&str]) -> Props {
    let mut props = Props::new();
    for (name, ty, text) in values {
        if name.trim().is_empty() || reserved.contains(&name.as_str()) {
            continue;
        }
        if let Some(v) = typed(&ty, &text) {
            props.insert(name, v);
        }
    }
    props
}

fn node(
    builder: &mut Builder,
    el: Element,
    mut values: Vec<(String, String, String)>,
    place: Place,
) {
    let name = take(&mut values, &["name"])
        .or_else(|| take(&mut values, &["label"]))
        .or(el.label.clone())
        .unwrap_or_default();
    let entity = InEntity {
        input_id: el.id.clone(),
        name,
        kind: take(&mut values, &["kind", "type", "category"]).unwrap_or_default(),
        aliases: take(&mut values, &["aliases"]).map_or(Vec::new(), |a| split(&a)),
        description: take(&mut values, &["description"]).unwrap_or_default(),
        start: take(&mut values, &["start"]).and_then(|d| date_cell(&d)),
        end: take(&mut values, &["end"]).and_then(|d| date_cell(&d)),
        tags: take(&mut values, &["tags"]).map_or(Vec::new(), |t| split(&t)),
        props: props_of(values, &crate::props::ENTITY_FIELDS),
    };
    if el.id.is_empty() {
        builder.skip(place, "a node without an id");
        return;
    }
    builder.entity(entity, place);
}

fn edge(
    builder: &mut Builder,
    el: Element,
    mut values: Vec<(String, String, String)>,
    place: Place,
) {
    // linkchart's own export repeats these; a relation's id and label are
    // made from its ends and type.
    take(&mut values, &["id"]);
    take(&mut values, &["derived"]);
    let (rel_type, type_label) = match take(&mut values, &["type"]) {
        Some(t) => (t, take(&mut values, &["label"])),
        None => (
            take(
                &mut values,
                &["label", "interaction", "relation", "relationship"],
            )
            .or(el.label.clone())
            .unwrap_or_default(),
            None,
        ),
    };
    let source = take(&mut values, &["source"]);
    let section = take(&mut values, &["section"]).unwrap_or_default();
    let relation = InRelation {
        from: el.source.clone(),
        to: el.target.clone(),
        rel_type,
        status: take(&mut values, &["status"]).unwrap_or_default().into(),
        claimed_by: take(&mut values, &["claimed_by"]).map_or(Vec::new(), |t| split(&t)),
        denied_by: take(&mut values, &["denied_by"]).map_or(Vec::new(), |t| split(&t)),
        doubted_by: take(&mut values, &["doubted_by"]).map_or(Vec::new(), |t| split(&t)),
        retracted_by: take(&mut values, &["retracted_by"]).map_or(Vec::new(), |t| split(&t)),
        date: take(&mut values, &["date"]).and_then(|d| date_cell(&d)),
        period: take(&mut values, &["period"]).filter(|p| !p.is_empty()),
        source: source.filter(|s| !s.is_empty()).map(|id| InSource {
            id,
            section,
            ..InSource::default()
        }),
        note: take(&mut values, &["note"]).unwrap_or_default(),
        weight: take(&mut values, &["weight"]),
        props: props_of(values, &crate::props::RELATION_FIELDS),
        type_label,
    };
    if el.source.is_empty() || el.target.is_empty() {
        builder.skip(place, "an edge without a source or target");
        return;
    }
    builder.relation(relation, place);
}
