//! Which relations and entities a query may use.

use std::collections::HashSet;

use crate::index::{Edge, Index};
use crate::model::{Relation, Status};
use crate::when::When;

/// The label of derived edges, usable in `--types`.
pub const ACCUSED_BY: &str = "accused-by";

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Entity kinds allowed as intermediates (endpoints are always allowed).
    pub kinds: Option<HashSet<String>>,
    /// Relation types allowed (`accused-by` names derived edges).
    pub types: Option<HashSet<String>>,
    /// Statuses allowed; `None` allows all.
    pub statuses: Option<HashSet<Status>>,
    /// Only relations whose date or period overlaps this span.
    pub during: Option<When>,
    /// Leave derived `accused-by` edges out.
    pub no_derived: bool,
    /// Entities a route must not pass through.
    pub avoid: HashSet<usize>,
    /// The query's endpoints, exempt from `kinds`.
    pub endpoints: Vec<usize>,
}

impl Filter {
    /// True when nothing is filtered out (endpoints do not matter then).
    pub fn is_open(&self) -> bool {
        self.kinds.is_none()
            && self.types.is_none()
            && self.statuses.is_none()
            && self.during.is_none()
            && !self.no_derived
            && self.avoid.is_empty()
    }

    fn relation_ok(&self, rel: &Relation, type_name: &str) -> bool {
        if let Some(types) = &self.types
            && !types.contains(type_name)
        {
            return false;
        }
        if let Some(statuses) = &self.statuses
            && !statuses.contains(&rel.status)
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

    pub fn edge_ok(&self, index: &Index, edge: &Edge) -> bool {
        match *edge {
            Edge::Relation(r) => {
                let rel = &index.graph.relations[r];
                self.relation_ok(rel, &rel.rel_type)
            }
            Edge::AccusedBy { claim } => {
                !self.no_derived && self.relation_ok(&index.graph.relations[claim], ACCUSED_BY)
            }
        }
    }

    pub fn node_ok(&self, index: &Index, node: usize) -> bool {
        if self.endpoints.contains(&node) {
            return true;
        }
        if self.avoid.contains(&node) {
            return false;
        }
        match &self.kinds {
            Some(kinds) => kinds.contains(&index.graph.entities[node].kind),
            None => true,
        }
    }
}

/// Statuses at least as strong as `weakest`: `reported` gives established
/// and reported.
pub fn at_least(weakest: Status) -> HashSet<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|s| *s <= weakest)
        .collect()
}
