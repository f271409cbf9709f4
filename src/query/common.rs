//! What two entities share: the entities linked directly to both, strongest
//! and most specific first (by the evidence on both sides, then by how few
//! neighbours the shared entity has), with the relations on each side.

use serde::Serialize;

use super::view::{EntityRef, RelationView};
use super::{Evidence, Filter, Walk, evidence, neighbours, rank};
use crate::index::Index;
use crate::model::EntityId;

#[derive(Debug, Clone)]
pub struct Common {
    pub a: EntityId,
    pub b: EntityId,
    /// The filter used, with `a` and `b` as endpoints.
    pub filter: Filter,
    /// Entities linked to both, best first.
    pub shared: Vec<EntityId>,
}

const WALK: Walk = Walk::Undirected;

/// The entities linked to both `a` and `b` under `filter`.
pub fn common(index: &Index, filter: &Filter, a: EntityId, b: EntityId) -> Common {
    let mut filter = filter.clone();
    filter.endpoints = vec![a, b];
    let of_b = neighbours(index, &filter, WALK, b, false);
    let best = |x: EntityId, y: EntityId| {
        evidence(index, &filter, WALK, x, y)
            .iter()
            .map(|ev| rank::edge_weight(index, index.edge(ev.edge)))
            .fold(f64::INFINITY, f64::min)
    };
    let mut shared: Vec<(f64, usize, EntityId)> = neighbours(index, &filter, WALK, a, false)
        .iter()
        .filter(|c| EntityId(**c) != b && of_b.binary_search(c).is_ok())
        .map(|&c| EntityId(c))
        .map(|c| (best(a, c) + best(b, c), index.degree(c), c))
        .collect();
    shared.sort_by(|x, y| {
        x.0.total_cmp(&y.0)
            .then(x.1.cmp(&y.1))
            .then(index.entity(x.2).name.cmp(&index.entity(y.2).name))
    });
    Common {
        a,
        b,
        filter,
        shared: shared.into_iter().map(|(_, _, c)| c).collect(),
    }
}

impl Common {
    /// The evidence between `x` (one of the two) and a shared entity.
    pub fn side(&self, index: &Index, x: EntityId, shared: EntityId) -> Vec<Evidence> {
        evidence(index, &self.filter, WALK, x, shared)
    }

    pub fn view<'g>(&self, index: &'g Index) -> CommonView<'g> {
        let g = &index.graph;
        let side = |x: EntityId, c: EntityId| -> Vec<SideRelation<'g>> {
            self.side(index, x, c)
                .iter()
                .map(|ev| {
                    let edge = index.edge(ev.edge);
                    SideRelation {
                        relation: RelationView::of(g, index.relation(edge.relation())),
                        derived: edge.is_derived().then_some("accused-by"),
                    }
                })
                .collect()
        };
        CommonView {
            a: EntityRef::of(g, self.a),
            b: EntityRef::of(g, self.b),
            common: self
                .shared
                .iter()
                .map(|&c| {
                    let e = g.entity(c);
                    SharedView {
                        id: &e.id,
                        name: &e.name,
                        kind: &e.kind,
                        with_a: side(self.a, c),
                        with_b: side(self.b, c),
                    }
                })
                .collect(),
        }
    }
}

/// The common-neighbours JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct CommonView<'g> {
    pub a: EntityRef<'g>,
    pub b: EntityRef<'g>,
    pub common: Vec<SharedView<'g>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SharedView<'g> {
    pub id: &'g str,
    pub name: &'g str,
    pub kind: &'g str,
    pub with_a: Vec<SideRelation<'g>>,
    pub with_b: Vec<SideRelation<'g>>,
}

/// A relation on one side; a derived edge shows its claim, marked.
#[derive(Debug, Clone, Serialize)]
pub struct SideRelation<'g> {
    #[serde(flatten)]
    pub relation: RelationView<'g>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<&'static str>,
}
