//! The serialisable shapes shared by every JSON answer: an entity, a short
//! reference to one, and a stored relation with ids in place of indices.
//! They borrow from the graph, so an answer costs no copies of its strings.
//! The field order is the documented JSON contract (README.md).

use serde::Serialize;

use crate::model::{Entity, EntityId, Graph, Relation, SourceRef, Status};
use crate::props::PropsView;
use crate::when::When;

/// `{"id": …, "name": …}`.
#[derive(Debug, Clone, Serialize)]
pub struct EntityRef<'g> {
    pub id: &'g str,
    pub name: &'g str,
}

impl<'g> EntityRef<'g> {
    pub fn of(graph: &'g Graph, e: EntityId) -> Self {
        let entity = graph.entity(e);
        EntityRef {
            id: &entity.id,
            name: &entity.name,
        }
    }
}

/// An entity in full.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView<'g> {
    pub id: &'g str,
    pub name: &'g str,
    pub kind: &'g str,
    pub aliases: &'g [String],
    pub description: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub tags: &'g [String],
    /// Attributes, when there are any.
    #[serde(skip_serializing_if = "props_empty")]
    pub props: PropsView<'g>,
}

fn props_empty(p: &PropsView) -> bool {
    p.0.is_empty()
}

impl<'g> EntityView<'g> {
    pub fn of(e: &'g Entity) -> Self {
        EntityView {
            id: &e.id,
            name: &e.name,
            kind: &e.kind,
            aliases: &e.aliases,
            description: &e.description,
            start: e.start.map(|d| d.to_string()),
            end: e.end.map(|d| d.to_string()),
            tags: &e.tags,
            props: PropsView(&e.props),
        }
    }
}

/// `date` or `period` (or neither), flattened into the object that holds it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WhenView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
}

impl WhenView {
    pub fn of(when: Option<When>) -> Self {
        match when {
            Some(When::Date(d)) => WhenView {
                date: Some(d.to_string()),
                period: None,
            },
            Some(When::Period(p)) => WhenView {
                date: None,
                period: Some(p.to_string()),
            },
            None => WhenView::default(),
        }
    }
}

/// A stored relation, with entity ids for its ends and parties. Serialised
/// with `date` or `period` among its own fields (see the `Serialize` impl).
#[derive(Debug, Clone)]
pub struct RelationView<'g> {
    pub id: &'g str,
    pub from: &'g str,
    pub to: &'g str,
    pub rel_type: &'g str,
    pub status: Status,
    pub claimed_by: Vec<&'g str>,
    pub denied_by: Vec<&'g str>,
    pub doubted_by: Vec<&'g str>,
    pub retracted_by: Vec<&'g str>,
    pub when: WhenView,
    pub source: &'g SourceRef,
    pub note: &'g str,
    pub weight: Option<f64>,
    pub props: PropsView<'g>,
}

/// Written out rather than derived: a derived `#[serde(flatten)]` for the
/// date makes serde write the whole object as a map through a buffer, which
/// took a third of the time of a JSON export of a million relations. The
/// fields and their order are the JSON contract's.
impl Serialize for RelationView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("RelationView", 15)?;
        m.serialize_field("id", self.id)?;
        m.serialize_field("from", self.from)?;
        m.serialize_field("to", self.to)?;
        m.serialize_field("type", self.rel_type)?;
        m.serialize_field("status", &self.status)?;
        m.serialize_field("claimed_by", &self.claimed_by)?;
        m.serialize_field("denied_by", &self.denied_by)?;
        m.serialize_field("doubted_by", &self.doubted_by)?;
        m.serialize_field("retracted_by", &self.retracted_by)?;
        match &self.when.date {
            Some(date) => m.serialize_field("date", date)?,
            None => m.skip_field("date")?,
        }
        match &self.when.period {
            Some(period) => m.serialize_field("period", period)?,
            None => m.skip_field("period")?,
        }
        m.serialize_field("source", self.source)?;
        m.serialize_field("note", self.note)?;
        match self.weight {
            Some(weight) => m.serialize_field("weight", &weight)?,
            None => m.skip_field("weight")?,
        }
        if props_empty(&self.props) {
            m.skip_field("props")?;
        } else {
            m.serialize_field("props", &self.props)?;
        }
        m.end()
    }
}

impl<'g> RelationView<'g> {
    pub fn of(graph: &'g Graph, r: &'g Relation) -> Self {
        RelationView {
            id: &r.id,
            from: &graph.entity(r.from).id,
            to: &graph.entity(r.to).id,
            rel_type: &r.rel_type,
            status: r.status,
            claimed_by: graph.ids(&r.claimed_by),
            denied_by: graph.ids(&r.denied_by),
            doubted_by: graph.ids(&r.doubted_by),
            retracted_by: graph.ids(&r.retracted_by),
            when: WhenView::of(r.when),
            source: &r.source,
            note: &r.note,
            weight: r.weight,
            props: PropsView(&r.props),
        }
    }
}
