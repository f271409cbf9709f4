//! Which relations and entities a query may use: [`FilterSpec`] as a user
//! gives it (names as typed), [`Filter`] once resolved against the graph.
//! A filter can say in words what each of its restrictions does and give
//! itself back without one, which is how "why is there no route?" relaxes a
//! query.

use indexmap::IndexSet;

use crate::error::Error;
use crate::index::{Edge, Index};
use crate::model::{EntityId, Relation, Status};
use crate::suggest::did_you_mean;
use crate::when::{Date, Period, When};

/// The label of derived edges, usable in `types`.
pub const ACCUSED_BY: &str = "accused-by";

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
    /// Entities a route must not pass through.
    pub avoid: Vec<EntityId>,
    /// The query's endpoints, exempt from `kinds`.
    pub endpoints: Vec<EntityId>,
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
        let mut avoid = Vec::new();
        for name in &self.avoid {
            let e = index.resolve(name)?;
            if !avoid.contains(&e) {
                avoid.push(e);
            }
        }
        Ok(Filter {
            kinds,
            types,
            weakest: self.weakest,
            during: self.during.as_deref().map(parse_during).transpose()?,
            no_derived: self.no_derived,
            avoid,
            endpoints: Vec::new(),
        })
    }
}

impl Filter {
    /// True when nothing is filtered out (endpoints do not matter then).
    pub fn is_open(&self) -> bool {
        self.kinds.is_none()
            && self.types.is_none()
            && self.weakest.is_none()
            && self.during.is_none()
            && !self.no_derived
            && self.avoid.is_empty()
    }

    /// True when no relation or edge is filtered out (entities may be).
    pub fn keeps_every_edge(&self) -> bool {
        Filter {
            kinds: None,
            ..self.clone()
        }
        .is_open()
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
        true
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
        match &self.kinds {
            Some(kinds) => kinds.contains(&index.entity(node).kind),
            None => true,
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
