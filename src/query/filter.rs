//! Which relations and entities a query may use: [`FilterSpec`] as a user
//! gives it (names as typed), [`Filter`] once resolved against the graph.
//! A filter can say in words what each of its restrictions does and give
//! itself back without one, which is how "why is there no route?" relaxes a
//! query.

use indexmap::IndexSet;

use crate::error::Error;
use crate::index::{Edge, Index};
use crate::model::{EntityId, Relation, Status};
use crate::props::Condition;
use crate::suggest::did_you_mean;
use crate::when::{Date, Period, When};

/// The label of derived edges, usable in `types`.
pub const ACCUSED_BY: &str = "accused-by";

/// A set of entities kept as a sorted list. A route search that avoids
/// every hub asks it at each step and copies its filter for every variant
/// of the query (the hubs note, the stronger-evidence note): a list of
/// thousands is one allocation to copy and a binary search to ask, where a
/// B-tree set is hundreds of nodes to copy and pointers to follow.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntitySet(Vec<EntityId>);

impl EntitySet {
    pub fn contains(&self, e: &EntityId) -> bool {
        self.0.binary_search(e).is_ok()
    }

    pub fn insert(&mut self, e: EntityId) {
        if let Err(at) = self.0.binary_search(&e) {
            self.0.insert(at, e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// In id order.
    pub fn iter(&self) -> impl Iterator<Item = &EntityId> {
        self.0.iter()
    }

    pub fn retain(&mut self, keep: impl FnMut(&EntityId) -> bool) {
        self.0.retain(keep);
    }
}

impl FromIterator<EntityId> for EntitySet {
    fn from_iter<I: IntoIterator<Item = EntityId>>(items: I) -> Self {
        let mut set = EntitySet::default();
        set.extend(items);
        set
    }
}

impl Extend<EntityId> for EntitySet {
    fn extend<I: IntoIterator<Item = EntityId>>(&mut self, more: I) {
        self.0.extend(more);
        // The hubs come in id order: then there is nothing to sort.
        if !self.0.is_sorted() {
            self.0.sort_unstable();
        }
        self.0.dedup();
    }
}

/// Filter options as given: entity names, kinds, types and a period as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterSpec {
    pub avoid: Vec<String>,
    pub kinds: Vec<String>,
    pub types: Vec<String>,
    /// Weakest evidence allowed.
    pub weakest: Option<Status>,
    /// `1979..1989`, `1994..`, `..2001` or a single date.
    pub during: Option<String>,
    pub no_derived: bool,
    /// Entities carrying any of these tags (endpoints exempt in routes).
    pub tags: Vec<String>,
    /// Attribute conditions, `key=value` and the like (see [`crate::props::Condition`]).
    pub conditions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Entity kinds allowed as intermediates (endpoints are always allowed).
    pub kinds: Option<IndexSet<String>>,
    /// Relation types allowed (`accused-by` names derived edges).
    pub types: Option<IndexSet<String>>,
    /// Weakest status allowed; `None` allows all.
    pub weakest: Option<Status>,
    /// Only relations whose date or period overlaps this span.
    pub during: Option<When>,
    /// Leave derived `accused-by` edges out.
    pub no_derived: bool,
    /// Entities a route must not pass through (with every hub avoided it
    /// holds thousands, and it is asked at every step).
    pub avoid: EntitySet,
    /// The query's endpoints, exempt from `kinds`.
    pub endpoints: Vec<EntityId>,
    /// Entities must carry one of these tags.
    pub tags: Option<IndexSet<String>>,
    /// Conditions on entities' attributes.
    pub entity_where: Vec<Condition>,
    /// Conditions on relations' attributes (and `weight`).
    pub relation_where: Vec<Condition>,
}

/// One restriction of a filter, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    Status,
    Types,
    Kinds,
    During,
    NoDerived,
    Avoid,
    Tags,
    EntityWhere,
    RelationWhere,
}

/// Parses `1979..1989`, `1994..`, `..2001` or a single date.
pub fn parse_during(text: &str) -> Result<When, Error> {
    let parsed = if text.contains("..") {
        Period::parse(text).map(When::Period)
    } else {
        Date::parse(text).map(When::Date)
    };
    parsed.map_err(|e| Error::InvalidFilter {
        what: "--during",
        value: text.to_string(),
        help: Some(e.0),
        known: Vec::new(),
    })
}

fn check_names<'a>(
    wanted: &[String],
    known: impl Iterator<Item = &'a str> + Clone,
    what: &'static str,
) -> Result<IndexSet<String>, Error> {
    let mut out = IndexSet::new();
    for w in wanted {
        if !known.clone().any(|k| k == w) {
            return Err(Error::InvalidFilter {
                what,
                value: w.clone(),
                help: did_you_mean(w, known.clone()),
                known: known.clone().map(str::to_string).collect(),
            });
        }
        out.insert(w.clone());
    }
    Ok(out)
}

impl FilterSpec {
    /// Checks every name against the graph and the schema (with did-you-mean).
    pub fn resolve(&self, index: &Index) -> Result<Filter, Error> {
        let schema = &index.graph.schema;
        let kinds = if self.kinds.is_empty() {
            None
        } else {
            Some(check_names(
                &self.kinds,
                schema.kinds.keys().map(String::as_str),
                "kind",
            )?)
        };
        let types = if self.types.is_empty() {
            None
        } else {
            let known = schema
                .relation_types
                .keys()
                .map(String::as_str)
                .chain(std::iter::once(ACCUSED_BY));
            Some(check_names(&self.types, known, "relation type")?)
        };
        let mut avoid = EntitySet::default();
        for name in &self.avoid {
            avoid.insert(index.resolve(name)?);
        }
        let tags = if self.tags.is_empty() {
            None
        } else {
            let known: IndexSet<&str> = index
                .graph
                .entities
                .iter()
                .flat_map(|e| e.tags.iter().map(String::as_str))
                .collect();
            Some(check_names(&self.tags, known.iter().copied(), "tag")?)
        };
        let (entity_where, relation_where) = resolve_conditions(index, &self.conditions)?;
        Ok(Filter {
            kinds,
            types,
            weakest: self.weakest,
            during: self.during.as_deref().map(parse_during).transpose()?,
            no_derived: self.no_derived,
            avoid,
            endpoints: Vec::new(),
            tags,
            entity_where,
            relation_where,
        })
    }
}

/// Splits `--where` conditions into those on entities and those on
/// relations, by which records have the key (`entity.KEY` and
/// `relation.KEY` say it outright); a key nobody has is an error with a
/// did-you-mean.
fn resolve_conditions(
    index: &Index,
    given: &[String],
) -> Result<(Vec<Condition>, Vec<Condition>), Error> {
    let mut entity_keys: IndexSet<&str> = IndexSet::new();
    let mut relation_keys: IndexSet<&str> = IndexSet::new();
    if !given.is_empty() {
        for e in &index.graph.entities {
            entity_keys.extend(e.props.keys().map(String::as_str));
        }
        for r in &index.graph.relations {
            relation_keys.extend(r.props.keys().map(String::as_str));
        }
        relation_keys.insert("weight");
    }
    let (mut on_entities, mut on_relations) = (Vec::new(), Vec::new());
    for text in given {
        let mut c = Condition::parse(text).map_err(|e| Error::InvalidFilter {
            what: "--where",
            value: text.clone(),
            help: Some(e),
            known: Vec::new(),
        })?;
        if let Some(key) = c.key.strip_prefix("entity.") {
            c.key = key.to_string();
            on_entities.push(c);
        } else if let Some(key) = c.key.strip_prefix("relation.") {
            c.key = key.to_string();
            on_relations.push(c);
        } else {
            let (e, r) = (
                entity_keys.contains(c.key.as_str()),
                relation_keys.contains(c.key.as_str()),
            );
            match (e, r) {
                (true, false) => on_entities.push(c),
                (false, true) => on_relations.push(c),
                (true, true) => {
                    return Err(Error::InvalidFilter {
                        what: "attribute",
                        value: c.key.clone(),
                        help: Some(format!(
                            "both entities and relations have it: write entity.{0} or relation.{0}",
                            c.key
                        )),
                        known: Vec::new(),
                    });
                }
                (false, false) => {
                    let mut known: Vec<&str> =
                        entity_keys.iter().chain(&relation_keys).copied().collect();
                    known.sort_unstable();
                    known.dedup();
                    return Err(Error::InvalidFilter {
                        what: "attribute",
                        value: c.key.clone(),
                        help: did_you_mean(&c.key, known.iter().copied()),
                        known: known.into_iter().map(str::to_string).collect(),
                    });
                }
            }
        }
    }
    Ok((on_entities, on_relations))
}

impl Filter {
    /// True when nothing is filtered out (endpoints do not matter then).
    pub fn is_open(&self) -> bool {
        self.keeps_every_edge()
            && self.kinds.is_none()
            && self.avoid.is_empty()
            && self.tags.is_none()
            && self.entity_where.is_empty()
    }

    /// True when no relation or edge is filtered out (entities may be).
    pub fn keeps_every_edge(&self) -> bool {
        self.weakest.is_none() && !self.no_derived && self.edges_by_status_only()
    }

    /// True when edges are filtered by status and derivation at most, which
    /// the index answers without reading relations.
    pub fn edges_by_status_only(&self) -> bool {
        self.types.is_none() && self.during.is_none() && self.relation_where.is_empty()
    }

    /// Whether an entity passes the entity conditions (kinds aside).
    pub fn entity_matches(&self, e: &crate::model::Entity) -> bool {
        self.tags
            .as_ref()
            .is_none_or(|tags| e.tags.iter().any(|t| tags.contains(t)))
            && self.entity_where.iter().all(|c| c.matches(&e.props))
    }

    /// Whether a stored relation passes, counted as `type_name`.
    pub fn relation_ok(&self, rel: &Relation, type_name: &str) -> bool {
        if let Some(types) = &self.types
            && !types.contains(type_name)
        {
            return false;
        }
        if let Some(weakest) = self.weakest
            && rel.status > weakest
        {
            return false;
        }
        if let Some(during) = &self.during {
            match &rel.when {
                Some(when) if when.overlaps(during) => {}
                _ => return false,
            }
        }
        self.relation_where.iter().all(|c| {
            if c.key == "weight" && !rel.props.contains_key("weight") {
                let w = rel.weight.map(crate::props::PropValue::Float);
                c.matches_value(w.as_ref())
            } else {
                c.matches(&rel.props)
            }
        })
    }

    pub fn edge_ok(&self, index: &Index, edge: Edge) -> bool {
        match edge {
            Edge::Relation(r) => {
                let rel = index.relation(r);
                self.relation_ok(rel, &rel.rel_type)
            }
            Edge::AccusedBy { claim } => {
                !self.no_derived && self.relation_ok(index.relation(claim), ACCUSED_BY)
            }
        }
    }

    pub fn node_ok(&self, index: &Index, node: EntityId) -> bool {
        if self.endpoints.contains(&node) {
            return true;
        }
        if self.avoid.contains(&node) {
            return false;
        }
        if self.kinds.is_none() && self.tags.is_none() && self.entity_where.is_empty() {
            return true;
        }
        let e = index.entity(node);
        match &self.kinds {
            Some(kinds) if !kinds.contains(e.kind.as_str()) => false,
            _ => self.entity_matches(e),
        }
    }

    /// The active restrictions, each with words for "no route …" messages.
    pub fn describe(&self, index: &Index) -> Vec<(Restriction, String)> {
        let join = |set: &IndexSet<String>| set.iter().cloned().collect::<Vec<_>>().join(", ");
        let mut out = Vec::new();
        if let Some(s) = self.weakest {
            let allowed: Vec<&str> = Status::ALL
                .iter()
                .filter(|x| **x <= s)
                .map(|x| x.as_str())
                .collect();
            out.push((
                Restriction::Status,
                format!("using only {} relations", allowed.join(" or ")),
            ));
        }
        if let Some(types) = &self.types {
            out.push((
                Restriction::Types,
                format!("using only {} relations", join(types)),
            ));
        }
        if let Some(kinds) = &self.kinds {
            out.push((
                Restriction::Kinds,
                format!("passing only through {} entities", join(kinds)),
            ));
        }
        if let Some(d) = &self.during {
            out.push((
                Restriction::During,
                format!("using only relations dated within {d}"),
            ));
        }
        if self.no_derived {
            out.push((
                Restriction::NoDerived,
                "without derived accused-by edges".to_string(),
            ));
        }
        if !self.avoid.is_empty() {
            let names: Vec<&str> = self
                .avoid
                .iter()
                .map(|&e| index.entity(e).name.as_str())
                .collect();
            out.push((Restriction::Avoid, format!("avoiding {}", names.join(", "))));
        }
        if let Some(tags) = &self.tags {
            out.push((
                Restriction::Tags,
                format!("passing only through entities tagged {}", join(tags)),
            ));
        }
        let conditions = |list: &[Condition]| {
            list.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.entity_where.is_empty() {
            out.push((
                Restriction::EntityWhere,
                format!(
                    "passing only through entities where {}",
                    conditions(&self.entity_where)
                ),
            ));
        }
        if !self.relation_where.is_empty() {
            out.push((
                Restriction::RelationWhere,
                format!(
                    "using only relations where {}",
                    conditions(&self.relation_where)
                ),
            ));
        }
        out
    }

    /// The same filter without one restriction.
    pub fn without(&self, r: Restriction) -> Filter {
        let mut f = self.clone();
        match r {
            Restriction::Status => f.weakest = None,
            Restriction::Types => f.types = None,
            Restriction::Kinds => f.kinds = None,
            Restriction::During => f.during = None,
            Restriction::NoDerived => f.no_derived = false,
            Restriction::Avoid => f.avoid.clear(),
            Restriction::Tags => f.tags = None,
            Restriction::EntityWhere => f.entity_where.clear(),
            Restriction::RelationWhere => f.relation_where.clear(),
        }
        f
    }

    /// The same filter without any restriction (endpoints kept).
    pub fn opened(&self) -> Filter {
        Filter {
            endpoints: self.endpoints.clone(),
            ..Filter::default()
        }
    }
}
