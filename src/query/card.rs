//! An entity card: what the entity is, its relations as they read from it
//! (incoming ones with their inverse labels), grouped by type in schema
//! order and within a type by time, and the claims it makes, denies or
//! doubts about others.

use serde::Serialize;

use super::view::{EntityView, RelationView};
use crate::index::Index;
use crate::model::{EntityId, RelationId};

/// One relation as seen from the card's entity.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub relation: RelationId,
    /// The entity is the relation's `from`.
    pub outgoing: bool,
    pub other: EntityId,
}

#[derive(Debug, Clone)]
pub struct Card {
    pub entity: EntityId,
    pub relations: Vec<Seen>,
    pub claims: Vec<RelationId>,
}

pub fn card(index: &Index, entity: EntityId) -> Card {
    let g = &index.graph;
    let type_order = |t: &str| {
        g.schema
            .relation_types
            .get_index_of(t)
            .unwrap_or(usize::MAX)
    };
    let mut relations: Vec<Seen> = index
        .relations_of(entity)
        .into_iter()
        .filter_map(|r| {
            let rel = g.relation(r);
            rel.other_end(entity).map(|other| Seen {
                relation: r,
                outgoing: rel.from == entity,
                other,
            })
        })
        .collect();
    relations.sort_by(|a, b| {
        let (ra, rb) = (g.relation(a.relation), g.relation(b.relation));
        (type_order(&ra.rel_type), !a.outgoing)
            .cmp(&(type_order(&rb.rel_type), !b.outgoing))
            .then_with(|| match (ra.when, rb.when) {
                (Some(x), Some(y)) => x.timeline_cmp(&y),
                (x, y) => y.is_some().cmp(&x.is_some()),
            })
            .then_with(|| g.entity(a.other).name.cmp(&g.entity(b.other).name))
    });
    let claims = index.claims_with_party(entity);
    Card {
        entity,
        relations,
        claims,
    }
}

/// The entity card JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct CardView<'g> {
    pub entity: EntityView<'g>,
    pub relations: Vec<SeenView<'g>>,
    pub claims: Vec<RelationView<'g>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeenView<'g> {
    #[serde(flatten)]
    pub relation: RelationView<'g>,
    /// `outgoing` when the entity is the relation's `from`.
    pub direction: &'static str,
    /// The label as it reads from the entity.
    pub label: &'g str,
}

impl Card {
    pub fn view<'g>(&self, index: &'g Index) -> CardView<'g> {
        let g = &index.graph;
        CardView {
            entity: EntityView::of(g.entity(self.entity)),
            relations: self
                .relations
                .iter()
                .map(|s| {
                    let rel = g.relation(s.relation);
                    SeenView {
                        relation: RelationView::of(g, rel),
                        direction: if s.outgoing { "outgoing" } else { "incoming" },
                        label: g.label(rel, s.outgoing),
                    }
                })
                .collect(),
            claims: self
                .claims
                .iter()
                .map(|&r| RelationView::of(g, g.relation(r)))
                .collect(),
        }
    }
}
