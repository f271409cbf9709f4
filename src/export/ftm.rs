//! FollowTheMoney entity lines (as Aleph and OpenSanctions exchange them):
//! one JSON object per line, entities first, then relations as interval
//! entities.
//!
//! Entities get the FtM schema of their kind ([`schema_of_kind`]): a
//! person is a `Person`, an agency a `PublicBody`, an event an `Event` …,
//! with `name`, `alias`, `description`, `keywords` (tags) and exact dates in
//! the schema's date properties. Relations of types FtM has a schema for
//! become that schema (`owns` → `Ownership`, `member-of` → `Membership` …,
//! when both ends fit its ranges), any other `UnknownLink` with the label as
//! `role`; the cited source is `publisher` (title) and `sourceUrl`, the
//! section `summary`, the note `description`, dates `date` or
//! `startDate`/`endDate`.
//!
//! What FtM has no property for (a name with line breaks, which FtM joins,
//! kind, status and every party to a claim,
//! the source and section ids, approximate dates, weight, attributes) is kept
//! in a `linkchart` object beside `properties`. FtM's own library keeps such
//! extra fields through a load and save (its "context"), and `linkchart
//! import ftm` reads them first, so an export comes back in unchanged.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::export::sink::Sink;
use crate::index::Index;
use crate::model::{Entity, Graph, Relation};
use crate::props::PropsView;
use crate::query::select::Selection;
use crate::query::view::WhenView;

/// An FtM link schema: its name, the property of each end, and the types
/// of schema each end allows.
pub struct Link {
    pub schema: &'static str,
    pub rel_type: &'static str,
    pub source: &'static str,
    pub target: &'static str,
    pub source_range: &'static str,
    pub target_range: &'static str,
}

/// FtM's link schemata with a linkchart relation type of their own.
pub const LINKS: &[Link] = &[
    Link {
        schema: "Ownership",
        rel_type: "owns",
        source: "owner",
        target: "asset",
        source_range: "LegalEntity",
        target_range: "Asset",
    },
    Link {
        schema: "Directorship",
        rel_type: "director-of",
        source: "director",
        target: "organization",
        source_range: "LegalEntity",
        target_range: "Organization",
    },
    Link {
        schema: "Membership",
        rel_type: "member-of",
        source: "member",
        target: "organization",
        source_range: "LegalEntity",
        target_range: "Organization",
    },
    Link {
        schema: "Employment",
        rel_type: "employed-by",
        source: "employee",
        target: "employer",
        source_range: "Person",
        target_range: "Organization",
    },
    Link {
        schema: "Family",
        rel_type: "family-of",
        source: "person",
        target: "relative",
        source_range: "Person",
        target_range: "Person",
    },
    Link {
        schema: "Associate",
        rel_type: "associate-of",
        source: "person",
        target: "associate",
        source_range: "Person",
        target_range: "Person",
    },
    Link {
        schema: "Representation",
        rel_type: "represents",
        source: "agent",
        target: "client",
        source_range: "LegalEntity",
        target_range: "LegalEntity",
    },
    Link {
        schema: "Payment",
        rel_type: "paid",
        source: "payer",
        target: "beneficiary",
        source_range: "LegalEntity",
        target_range: "LegalEntity",
    },
    Link {
        schema: "UnknownLink",
        rel_type: "linked-to",
        source: "subject",
        target: "object",
        source_range: "Thing",
        target_range: "Thing",
    },
    Link {
        schema: "Occupancy",
        rel_type: "holds",
        source: "holder",
        target: "post",
        source_range: "Person",
        target_range: "Position",
    },
    Link {
        schema: "Succession",
        rel_type: "preceded",
        source: "predecessor",
        target: "successor",
        source_range: "LegalEntity",
        target_range: "LegalEntity",
    },
    Link {
        schema: "Debt",
        rel_type: "owes",
        source: "debtor",
        target: "creditor",
        source_range: "LegalEntity",
        target_range: "LegalEntity",
    },
];

/// The generic link, for any other relation type.
pub fn unknown_link() -> &'static Link {
    LINKS
        .iter()
        .find(|l| l.schema == "UnknownLink")
        .expect("listed")
}

/// The FtM schema for an entity kind.
pub fn schema_of_kind(kind: &str) -> &'static str {
    match kind {
        "person" => "Person",
        "company" => "Company",
        "public-body" | "agency" | "government" | "court" | "armed-force" | "unit" | "office"
        | "country" => "PublicBody",
        "organisation" | "organization" | "party" | "militant-group" | "media" | "movement" => {
            "Organization"
        }
        "event" | "conflict" | "operation" => "Event",
        "place" => "Address",
        "document" => "Document",
        _ => "LegalEntity",
    }
}

/// The linkchart kind for an FtM schema (when no `linkchart` object says).
pub fn kind_of_schema(schema: &str) -> String {
    match schema {
        "Person" => "person".to_string(),
        "Company" => "company".to_string(),
        "PublicBody" => "public-body".to_string(),
        "Organization" => "organisation".to_string(),
        "LegalEntity" => "other".to_string(),
        "Event" => "event".to_string(),
        "Address" => "place".to_string(),
        "Document" | "Pages" | "PlainText" | "HyperText" | "Article" => "document".to_string(),
        other => crate::import::build::vocabulary_key(other),
    }
}

/// Whether an entity of this FtM schema fits a property whose range is `range`.
pub fn fits(schema: &str, range: &str) -> bool {
    let ancestors: &[&str] = match schema {
        "Person" => &["Person", "LegalEntity", "Thing"],
        "Company" => &["Company", "Organization", "LegalEntity", "Asset", "Thing"],
        "Organization" => &["Organization", "LegalEntity", "Thing"],
        "PublicBody" => &["PublicBody", "Organization", "LegalEntity", "Thing"],
        "LegalEntity" => &["LegalEntity", "Thing"],
        _ => &["Thing"],
    };
    ancestors.contains(&range)
}

/// The date properties of an FtM schema: (start, end).
fn date_props(schema: &str) -> Option<(&'static str, &'static str)> {
    match schema {
        "Person" => Some(("birthDate", "deathDate")),
        "Company" | "Organization" | "PublicBody" | "LegalEntity" => {
            Some(("incorporationDate", "dissolutionDate"))
        }
        "Event" => Some(("startDate", "endDate")),
        _ => None,
    }
}

/// The relation id as an FtM id (which allows letters, digits, `.` and `-`).
pub fn relation_ftm_id(id: &str) -> String {
    id.replace('/', ".")
}

#[derive(Serialize)]
struct EntityContext<'g> {
    /// The exact name, when FtM's name cleaning would change it.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'g str>,
    kind: &'g str,
    aliases: &'g [String],
    description: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    tags: &'g [String],
    #[serde(skip_serializing_if = "PropsView::is_empty")]
    props: PropsView<'g>,
}

#[derive(Serialize)]
struct SourceContext<'g> {
    id: &'g str,
    section: &'g str,
}

#[derive(Serialize)]
struct RelationContext<'g> {
    #[serde(rename = "type")]
    rel_type: &'g str,
    status: &'static str,
    claimed_by: Vec<&'g str>,
    denied_by: Vec<&'g str>,
    doubted_by: Vec<&'g str>,
    retracted_by: Vec<&'g str>,
    #[serde(flatten)]
    when: WhenView,
    source: SourceContext<'g>,
    note: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
    #[serde(skip_serializing_if = "PropsView::is_empty")]
    props: PropsView<'g>,
}

impl PropsView<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn texts(values: impl IntoIterator<Item = impl Into<String>>) -> Value {
    Value::Array(
        values
            .into_iter()
            .map(|v| Value::String(ftm_text(&v.into())))
            .collect(),
    )
}

/// A text as FtM keeps it: FtM (through the normality package) deletes
/// invisible characters — controls, zero-width spaces and joiners, the
/// left-to-right and right-to-left marks, word joiners, soft hyphens, the
/// byte-order mark — and turns unusual spaces into plain ones. The exact
/// text is in the `linkchart` object.
fn ftm_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c as u32 {
            0x09 | 0x0A | 0x0D => Some(c),
            0x00..=0x1F | 0x7F..=0x9F => None,
            0x200B..=0x200F | 0x061C | 0x2060..=0x2064 | 0x00AD | 0xFEFF => None,
            0x2000..=0x200A | 0x2028 | 0x2029 | 0x0A00 | 0x1680 | 0x202F | 0x205F | 0x3000 => {
                Some(' ')
            }
            _ => Some(c),
        })
        .collect()
}

/// A name as FtM keeps it: besides the cleaning of every text, its name
/// type joins lines and runs of white space into single spaces. The exact
/// name goes into the `linkchart` object.
fn ftm_name(name: &str) -> String {
    ftm_text(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn exact(date: Option<crate::when::Date>) -> Option<String> {
    date.filter(|d| !d.approx).map(|d| d.to_string())
}

fn entity_line(e: &Entity) -> Value {
    let schema = schema_of_kind(&e.kind);
    let mut props = Map::new();
    let name = ftm_name(&e.name);
    props.insert("name".into(), texts([name.as_str()]));
    if !e.aliases.is_empty() {
        props.insert("alias".into(), texts(e.aliases.iter().map(|a| ftm_name(a))));
    }
    if !e.description.is_empty() {
        props.insert("description".into(), texts([e.description.as_str()]));
    }
    if !e.tags.is_empty() {
        props.insert("keywords".into(), texts(e.tags.iter().map(String::as_str)));
    }
    if let Some((start, end)) = date_props(schema) {
        if let Some(d) = exact(e.start) {
            props.insert(start.into(), texts([d]));
        }
        if let Some(d) = exact(e.end) {
            props.insert(end.into(), texts([d]));
        }
    }
    let context = EntityContext {
        name: (name != e.name).then_some(e.name.as_str()),
        kind: &e.kind,
        aliases: &e.aliases,
        description: &e.description,
        start: e.start.map(|d| d.to_string()),
        end: e.end.map(|d| d.to_string()),
        tags: &e.tags,
        props: PropsView(&e.props),
    };
    json!({
        "id": e.id,
        "schema": schema,
        "properties": props,
        "linkchart": context,
    })
}

fn relation_line(g: &Graph, r: &Relation) -> Value {
    let from = g.entity(r.from);
    let to = g.entity(r.to);
    let link = LINKS
        .iter()
        .find(|l| {
            l.rel_type == r.rel_type
                && fits(schema_of_kind(&from.kind), l.source_range)
                && fits(schema_of_kind(&to.kind), l.target_range)
        })
        .unwrap_or_else(unknown_link);
    let mut props = Map::new();
    props.insert(link.source.into(), texts([from.id.as_str()]));
    props.insert(link.target.into(), texts([to.id.as_str()]));
    if link.schema == "UnknownLink" {
        props.insert("role".into(), texts([g.label(r, true)]));
    }
    match r.when {
        Some(crate::when::When::Date(d)) if !d.approx => {
            props.insert("date".into(), texts([d.to_string()]));
        }
        Some(crate::when::When::Period(p)) => {
            if let Some(d) = exact(p.start) {
                props.insert("startDate".into(), texts([d]));
            }
            if let Some(d) = exact(p.end) {
                props.insert("endDate".into(), texts([d]));
            }
        }
        _ => {}
    }
    if let Some(source) = g.sources.iter().find(|s| s.id == r.source.id) {
        props.insert("publisher".into(), texts([source.title.as_str()]));
        if let Some(url) = &source.url {
            props.insert("sourceUrl".into(), texts([url.as_str()]));
        }
    }
    if let Some(title) = g.section_title(&r.source) {
        props.insert("summary".into(), texts([title]));
    }
    if !r.note.is_empty() {
        props.insert("description".into(), texts([r.note.as_str()]));
    }
    let context = RelationContext {
        rel_type: &r.rel_type,
        status: r.status.as_str(),
        claimed_by: g.ids(&r.claimed_by),
        denied_by: g.ids(&r.denied_by),
        doubted_by: g.ids(&r.doubted_by),
        retracted_by: g.ids(&r.retracted_by),
        when: WhenView::of(r.when),
        source: SourceContext {
            id: &r.source.id,
            section: &r.source.section,
        },
        note: &r.note,
        weight: r.weight,
        props: PropsView(&r.props),
    };
    json!({
        "id": relation_ftm_id(&r.id),
        "schema": link.schema,
        "properties": props,
        "linkchart": context,
    })
}

/// The selection as FtM entity lines, one written at a time.
pub fn write(index: &Index, sel: &Selection, out: &mut Sink) {
    let g = &index.graph;
    for &i in &sel.entities {
        // An I/O error is kept by the sink.
        let _ = serde_json::to_writer(&mut *out, &entity_line(g.entity(i)));
        out.push('\n');
    }
    for &r in &sel.relations {
        let _ = serde_json::to_writer(&mut *out, &relation_line(g, g.relation(r)));
        out.push('\n');
    }
}
