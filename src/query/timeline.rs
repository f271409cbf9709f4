//! An entity's relations, and the claims it makes, denies or doubts, in
//! date order (a period open at the start placed by its end); undated ones
//! follow in graph order.

use serde::Serialize;

use super::view::{EntityRef, RelationView};
use crate::index::Index;
use crate::model::{EntityId, RelationId};

#[derive(Debug, Clone)]
pub struct Timeline {
    pub entity: EntityId,
    pub relations: Vec<RelationId>,
}

pub fn timeline(index: &Index, entity: EntityId) -> Timeline {
    let g = &index.graph;
    let mut relations: Vec<RelationId> = index.relations_of(entity);
    relations.extend(index.claims_with_party(entity));
    relations.sort_unstable();
    relations.dedup();
    // Stable sort: dated first in time order, undated after, in graph order.
    relations.sort_by(|&a, &b| match (g.relation(a).when, g.relation(b).when) {
        (Some(x), Some(y)) => x.timeline_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Timeline { entity, relations }
}

/// The timeline JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView<'g> {
    pub entity: EntityRef<'g>,
    pub relations: Vec<RelationView<'g>>,
}

impl Timeline {
    pub fn view<'g>(&self, index: &'g Index) -> TimelineView<'g> {
        let g = &index.graph;
        TimelineView {
            entity: EntityRef::of(g, self.entity),
            relations: self
                .relations
                .iter()
                .map(|&r| RelationView::of(g, g.relation(r)))
                .collect(),
        }
    }
}
