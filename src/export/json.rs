//! The JSON contract (documented in README.md): entities and stored relations,
//! sorted by id, with `from`/`to` as entity ids. Derived `accused-by` edges are
//! not relations and are not listed.

use serde_json::{Map, Value, json};

use crate::model::{Entity, Graph, Relation};
use crate::when::When;

pub fn entity(e: &Entity) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(e.id));
    m.insert("name".into(), json!(e.name));
    m.insert("kind".into(), json!(e.kind));
    m.insert("aliases".into(), json!(e.aliases));
    m.insert("description".into(), json!(e.description));
    if let Some(d) = e.start {
        m.insert("start".into(), json!(d.to_string()));
    }
    if let Some(d) = e.end {
        m.insert("end".into(), json!(d.to_string()));
    }
    m.insert("tags".into(), json!(e.tags));
    Value::Object(m)
}

pub fn relation(graph: &Graph, r: &Relation) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(r.id));
    m.insert("from".into(), json!(graph.entity(r.from).id));
    m.insert("to".into(), json!(graph.entity(r.to).id));
    m.insert("type".into(), json!(r.rel_type));
    m.insert("status".into(), json!(r.status));
    m.insert("claimed_by".into(), json!(graph.ids(&r.claimed_by)));
    m.insert("denied_by".into(), json!(graph.ids(&r.denied_by)));
    match r.when {
        Some(When::Date(d)) => {
            m.insert("date".into(), json!(d.to_string()));
        }
        Some(When::Period(p)) => {
            m.insert("period".into(), json!(p.to_string()));
        }
        None => {}
    }
    m.insert(
        "source".into(),
        json!({ "id": r.source.id, "section": r.source.section }),
    );
    m.insert("note".into(), json!(r.note));
    Value::Object(m)
}

/// The selected entities and stored relations.
pub fn selection(graph: &Graph, sel: &crate::select::Selection) -> Value {
    json!({
        "entities": sel.entities.iter().map(|&i| entity(&graph.entities[i])).collect::<Vec<_>>(),
        "relations": sel.relations.iter().map(|&r| relation(graph, &graph.relations[r])).collect::<Vec<_>>(),
    })
}

/// Pretty JSON with a final newline.
pub fn to_text(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
