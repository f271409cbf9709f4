//! FollowTheMoney entity lines (Aleph, OpenSanctions, `export --format
//! ftm`): one JSON object per line. Things (`Person`, `Organization`,
//! `Company`, `PublicBody`, `LegalEntity`, `Event`, …) become entities, the
//! link schemata ([`crate::export::ftm::LINKS`]: `Ownership`,
//! `Directorship`, `Membership`, `Employment`, `Family`, `Associate`,
//! `Representation`, `UnknownLink` …) relations with their dates, `role` and
//! `publisher`/`sourceUrl` as the cited source. A `linkchart` object beside
//! `properties` (written by linkchart's own export) is read first. Other FtM
//! properties are kept as attributes, several values joined with `; `.

use serde_json::{Map, Value};

use super::build::{Builder, InEntity, InRelation, InSource, Place, date_cell};
use super::ids::slugify;
use super::locate::{FileSpans, RecordSpans};
use crate::diag::{Diagnostic, SourceFiles};
use crate::export::ftm::{LINKS, kind_of_schema};
use crate::props::{PropValue, Props};

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

/// An attribute value from linkchart's own JSON (`props` in the object).
fn prop_value(v: &Value) -> Option<PropValue> {
    match v {
        Value::Bool(b) => Some(PropValue::Bool(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(PropValue::Int)
            .or_else(|| n.as_f64().map(PropValue::Float)),
        Value::String(s) => Some(PropValue::from_text(s)),
        _ => None,
    }
}

fn context_props(v: Option<&Value>) -> Props {
    let mut props = Props::new();
    if let Some(Value::Object(map)) = v {
        for (k, v) in map {
            if let Some(p) = prop_value(v) {
                props.insert(k.clone(), p);
            }
        }
    }
    props
}

/// FtM properties not used for a field, as attributes.
fn other_props(properties: &Map<String, Value>, used: &[&str], reserved: &[&str]) -> Props {
    let mut props = Props::new();
    for (k, v) in properties {
        if used.contains(&k.as_str()) {
            continue;
        }
        let values = strings(Some(v));
        if values.is_empty() {
            continue;
        }
        let key = if reserved.contains(&k.as_str()) {
            format!("ftm_{k}")
        } else {
            k.clone()
        };
        props.insert(key, PropValue::from_text(&values.join("; ")));
    }
    props
}

/// Reads one file of FtM entity lines into the builder.
// The error stops the whole import and is made once per run: its size is
// of no consequence.
#[allow(clippy::result_large_err)]
pub fn read(
    builder: &mut Builder,
    files: &SourceFiles,
    file: usize,
) -> Result<FileSpans, Diagnostic> {
    let content = files.text(file);
    let mut records = Vec::new();
    let mut offset = 0;
    for (n, raw_line) in content.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| {
            let col = e.column().saturating_sub(1);
            let at = start + line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
            Diagnostic::error(file, at..at + 1, format!("invalid JSON: {e}"))
                .label("here")
                .help("FollowTheMoney files hold one JSON object per line")
        })?;
        let index = records.len();
        records.push(RecordSpans {
            span: start..start + line.len(),
            fields: Vec::new(),
        });
        let place = Place {
            file,
            index,
            line: n + 1,
        };
        let Value::Object(obj) = value else {
            builder.skip(place, "not a JSON object");
            continue;
        };
        let id = text(obj.get("id")).unwrap_or_default();
        let Some(schema) = text(obj.get("schema")) else {
            builder.skip(place, "no `schema`");
            continue;
        };
        let empty = Map::new();
        let properties = obj
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let ours = obj.get("linkchart").and_then(Value::as_object);
        if let Some(link) = LINKS.iter().find(|l| l.schema == schema) {
            relation(builder, place, link, properties, ours);
            continue;
        }
        let names = strings(properties.get("name"));
        if names.is_empty() && ours.is_none() {
            builder.skip(
                place,
                format!("FtM {schema} without a name: not an entity or a link linkchart imports"),
            );
            continue;
        }
        entity(builder, place, id, &schema, properties, ours, names);
    }
    Ok(FileSpans::Explicit { records })
}

fn entity(
    builder: &mut Builder,
    place: Place,
    id: String,
    schema: &str,
    properties: &Map<String, Value>,
    ours: Option<&Map<String, Value>>,
    names: Vec<String>,
) {
    let mut names = names.into_iter();
    let name = names.next().unwrap_or_else(|| id.clone());
    let name = ours.and_then(|o| text(o.get("name"))).unwrap_or(name);
    let e = match ours {
        Some(o) => InEntity {
            input_id: id,
            name,
            kind: text(o.get("kind")).unwrap_or_else(|| kind_of_schema(schema)),
            aliases: strings(o.get("aliases")),
            description: text(o.get("description")).unwrap_or_default(),
            start: text(o.get("start")),
            end: text(o.get("end")),
            tags: strings(o.get("tags")),
            props: context_props(o.get("props")),
        },
        None => {
            let mut aliases: Vec<String> = names.collect();
            for p in ["alias", "weakAlias", "previousName"] {
                for a in strings(properties.get(p)) {
                    if a != name && !aliases.contains(&a) {
                        aliases.push(a);
                    }
                }
            }
            let first = |props: &[&str]| {
                props
                    .iter()
                    .find_map(|p| strings(properties.get(*p)).into_iter().next())
                    .and_then(|d| date_cell(&d))
            };
            let used = [
                "name",
                "alias",
                "weakAlias",
                "previousName",
                "description",
                "keywords",
                "birthDate",
                "deathDate",
                "incorporationDate",
                "dissolutionDate",
                "startDate",
                "endDate",
            ];
            InEntity {
                input_id: id,
                name,
                kind: kind_of_schema(schema),
                aliases,
                description: strings(properties.get("description")).join("\n"),
                start: first(&["birthDate", "incorporationDate", "startDate"]),
                end: first(&["deathDate", "dissolutionDate", "endDate"]),
                tags: strings(properties.get("keywords")),
                props: other_props(properties, &used, &crate::props::ENTITY_FIELDS),
            }
        }
    };
    builder.entity(e, place);
}

fn relation(
    builder: &mut Builder,
    place: Place,
    link: &crate::export::ftm::Link,
    properties: &Map<String, Value>,
    ours: Option<&Map<String, Value>>,
) {
    let end = |p: &str| strings(properties.get(p)).into_iter().next();
    let (Some(from), Some(to)) = (end(link.source), end(link.target)) else {
        builder.skip(
            place,
            format!(
                "{} without `{}` or `{}`",
                link.schema, link.source, link.target
            ),
        );
        return;
    };
    let first = |p: &str| strings(properties.get(p)).into_iter().next();
    let publisher = first("publisher");
    let url = first("sourceUrl");
    let r = match ours {
        Some(o) => {
            let source = o.get("source").and_then(Value::as_object);
            InRelation {
                from,
                to,
                rel_type: text(o.get("type")).unwrap_or_else(|| link.rel_type.to_string()),
                status: text(o.get("status")).unwrap_or_default().into(),
                claimed_by: strings(o.get("claimed_by")),
                denied_by: strings(o.get("denied_by")),
                doubted_by: strings(o.get("doubted_by")),
                retracted_by: strings(o.get("retracted_by")),
                date: text(o.get("date")),
                period: text(o.get("period")),
                source: source.map(|s| InSource {
                    id: text(s.get("id")).unwrap_or_default(),
                    section: text(s.get("section")).unwrap_or_default(),
                    title: publisher.clone(),
                    section_title: first("summary"),
                    url: url.clone(),
                }),
                note: text(o.get("note")).unwrap_or_default(),
                weight: o.get("weight").map(|w| w.to_string()),
                props: context_props(o.get("props")),
                type_label: (link.schema == "UnknownLink")
                    .then(|| first("role"))
                    .flatten(),
            }
        }
        None => {
            let date = first("date").and_then(|d| date_cell(&d));
            let (s, e) = (
                first("startDate").and_then(|d| date_cell(&d)),
                first("endDate").and_then(|d| date_cell(&d)),
            );
            let period = (date.is_none() && (s.is_some() || e.is_some()))
                .then(|| format!("{}..{}", s.unwrap_or_default(), e.unwrap_or_default()));
            let source = publisher
                .clone()
                .or_else(|| url.as_ref().map(|u| host(u)))
                .map(|p| InSource {
                    id: slugify(&p),
                    section: "main".to_string(),
                    title: Some(p),
                    section_title: Some("Main".to_string()),
                    url: None,
                });
            let used = [
                link.source,
                link.target,
                "date",
                "startDate",
                "endDate",
                "publisher",
                "description",
            ];
            InRelation {
                from,
                to,
                rel_type: link.rel_type.to_string(),
                date,
                period,
                source,
                note: strings(properties.get("description")).join("\n"),
                props: other_props(properties, &used, &crate::props::RELATION_FIELDS),
                ..InRelation::default()
            }
        }
    };
    builder.relation(r, place);
}

/// `https://www.example.org/a/b` → `www.example.org`.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}
