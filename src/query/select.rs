//! What an export, chart or report shows: the whole graph, the neighbourhood
//! of an entity, or the routes between two entities, narrowed by the same
//! filters as the path query. One [`Selection`] type for every format.

use std::collections::BTreeSet;

use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;

use super::connect::{Connect, ConnectSpec, Network, connect};
use super::neighbourhood::neighbourhood;
use super::path::{Query, RouteSpec, find};
use super::{Filter, FilterSpec, Route, Walk};
use crate::error::Error;
use crate::index::{Edge, Index, entity_of, node};
use crate::model::{EntityId, Graph, RelationId};
use crate::words::{and_list, plural};

/// What to select, as a user gives it.
// Made once per command: the size of the route variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ScopeSpec {
    Whole,
    Around {
        name: String,
        depth: usize,
    },
    /// Routes carry their own filter.
    Routes(RouteSpec),
    /// These entities (by id, name or alias) and what links them.
    Entities(Vec<String>),
    /// A connecting network carries its own filter.
    Connect(ConnectSpec),
}

/// A selection request: the scope and, for `Whole` and `Around`, a filter.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectSpec {
    pub scope: ScopeSpec,
    pub filter: FilterSpec,
}

/// A selection request resolved against the graph.
#[derive(Debug, Clone)]
pub enum Scope {
    Whole(Filter),
    Around {
        entity: EntityId,
        depth: usize,
        filter: Filter,
    },
    Routes(Query),
    /// Sorted, each once.
    Entities {
        entities: Vec<EntityId>,
        filter: Filter,
    },
    Connect(Connect),
}

impl SelectSpec {
    pub fn resolve(&self, index: &Index) -> Result<Scope, Error> {
        Ok(match &self.scope {
            ScopeSpec::Whole => Scope::Whole(self.filter.resolve(index)?),
            ScopeSpec::Around { name, depth } => {
                let filter = self.filter.resolve(index)?;
                Scope::Around {
                    entity: index.resolve(name)?,
                    depth: *depth,
                    filter,
                }
            }
            ScopeSpec::Routes(route) => Scope::Routes(route.resolve(index)?),
            ScopeSpec::Entities(names) => {
                let mut entities = names
                    .iter()
                    .map(|name| index.resolve(name))
                    .collect::<Result<Vec<_>, _>>()?;
                entities.sort_unstable();
                entities.dedup();
                Scope::Entities {
                    entities,
                    filter: self.filter.resolve(index)?,
                }
            }
            ScopeSpec::Connect(spec) => Scope::Connect(spec.resolve(index)?),
        })
    }
}

/// The entities and edges to draw, each sorted (by entity id / edge index),
/// so every format writes them in the same order.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub entities: Vec<EntityId>,
    /// Stored relations.
    pub relations: Vec<RelationId>,
    /// Derived accused-by edges, drawn by diagrams but never exported as
    /// relations.
    pub derived: Vec<EdgeIndex>,
    /// The routes when the selection came from routes.
    pub routes: Vec<Route>,
    /// What to tell beside those routes (see [`super::notes`]).
    pub notes: Vec<super::notes::Note>,
    /// A title for diagrams and reports.
    pub title: String,
}

impl Selection {
    pub fn contains(&self, entity: EntityId) -> bool {
        self.entities.binary_search(&entity).is_ok()
    }

    /// The kinds of the selected entities, each once, in schema order (for legends).
    pub fn kinds<'g>(&self, graph: &'g Graph) -> Vec<&'g str> {
        let mut kinds: Vec<&str> = self
            .entities
            .iter()
            .map(|&i| graph.entity(i).kind.as_str())
            .collect();
        kinds.sort_unstable_by_key(|k| graph.schema.kinds.get_index_of(*k));
        kinds.dedup();
        kinds
    }
}

fn edges_among(
    index: &Index,
    filter: &Filter,
    entities: &[EntityId],
) -> (Vec<RelationId>, Vec<EdgeIndex>) {
    let set: BTreeSet<EntityId> = entities.iter().copied().collect();
    let mut relations = Vec::new();
    let mut derived = Vec::new();
    for &e in entities {
        for edge in index.net.edges(node(e)) {
            if !set.contains(&entity_of(edge.target())) || !filter.edge_ok(index, *edge.weight()) {
                continue;
            }
            match *edge.weight() {
                Edge::Relation(r) => relations.push(r),
                Edge::AccusedBy { .. } => derived.push(edge.id()),
            }
        }
    }
    relations.sort_unstable();
    derived.sort_unstable();
    (relations, derived)
}

/// Builds a selection. Routes that find nothing are an error.
pub fn select(index: &Index, scope: &Scope) -> Result<Selection, Error> {
    let g = &index.graph;
    match scope {
        Scope::Around {
            entity,
            depth,
            filter,
        } => {
            let around = neighbourhood(index, filter, Walk::Undirected, *entity, *depth);
            let entities = around.entities();
            let (relations, derived) = edges_among(index, &around.filter, &entities);
            Ok(Selection {
                entities,
                relations,
                derived,
                routes: Vec::new(),
                notes: Vec::new(),
                title: format!(
                    "{} and its neighbourhood ({} step{})",
                    g.entity(*entity).name,
                    depth,
                    plural(*depth)
                ),
            })
        }
        Scope::Routes(query) => {
            let answer = find(index, query);
            if answer.routes.is_empty() {
                return Err(Error::NoRoute {
                    reason: super::why::why_no_route(index, query),
                });
            }
            let notes = super::notes::notes(index, query, &answer);
            let mut sel = from_routes(index, query, answer.routes);
            sel.notes = notes;
            Ok(sel)
        }
        Scope::Whole(filter) => Ok(whole(index, filter)),
        Scope::Entities { entities, filter } => {
            let (relations, derived) = edges_among(index, filter, entities);
            Ok(Selection {
                entities: entities.clone(),
                relations,
                derived,
                routes: Vec::new(),
                title: format!(
                    "{} selected entit{}",
                    entities.len(),
                    if entities.len() == 1 { "y" } else { "ies" }
                ),
                notes: Vec::new(),
            })
        }
        Scope::Connect(request) => {
            let network = connect(index, request);
            if network.steps.is_empty() {
                return Err(Error::NoRoute {
                    reason: network_gaps(index, &network, request.max_hops),
                });
            }
            Ok(from_network(index, &network))
        }
    }
}

/// "X and Y could not be joined to the others within 6 steps", each group of
/// named entities that reach one another together.
pub fn network_gaps(index: &Index, network: &Network, max_hops: usize) -> String {
    let g = &index.graph;
    let names_of = |group: &[EntityId]| {
        let names: Vec<&str> = group
            .iter()
            .filter(|e| network.terminals.contains(e))
            .map(|&e| g.entity(e).name.as_str())
            .collect();
        and_list(&names)
    };
    if network.steps.is_empty() {
        return format!(
            "no two of {} are connected within {max_hops} step{} (try a larger --max-hops)",
            names_of(&network.terminals),
            plural(max_hops)
        );
    }
    let apart: Vec<String> = network.gaps.iter().map(|group| names_of(group)).collect();
    format!(
        "{} could not be joined to the others within {max_hops} step{} (try a larger --max-hops)",
        apart.join("; "),
        plural(max_hops)
    )
}

/// The entities and steps of a connecting network; named entities that
/// could not be joined are shown on their own.
pub fn from_network(index: &Index, network: &Network) -> Selection {
    let g = &index.graph;
    let mut entities: BTreeSet<EntityId> = network.entities.iter().copied().collect();
    entities.extend(network.gaps.iter().flatten().copied());
    let mut relations = BTreeSet::new();
    let mut derived = BTreeSet::new();
    for ev in network.steps.iter().flat_map(|s| &s.evidence) {
        match index.edge(ev.edge) {
            Edge::Relation(r) => {
                relations.insert(r);
            }
            Edge::AccusedBy { .. } => {
                derived.insert(ev.edge);
            }
        }
    }
    let names: Vec<&str> = network
        .terminals
        .iter()
        .map(|&t| g.entity(t).name.as_str())
        .collect();
    Selection {
        entities: entities.into_iter().collect(),
        relations: relations.into_iter().collect(),
        derived: derived.into_iter().collect(),
        routes: Vec::new(),
        notes: Vec::new(),
        title: format!("Connecting network of {}", and_list(&names)),
    }
}

/// The whole graph; `kinds` keeps entities of those kinds, and entities
/// left without any edge by the relation filters are not drawn.
fn whole(index: &Index, filter: &Filter) -> Selection {
    let g = &index.graph;
    let entities: Vec<EntityId> = g
        .entity_ids()
        .filter(|&i| {
            filter
                .kinds
                .as_ref()
                .is_none_or(|k| k.contains(g.entity(i).kind.as_str()))
                && !filter.avoid.contains(&i)
                && filter.entity_matches(g.entity(i))
        })
        .collect();
    let (relations, derived) = edges_among(index, filter, &entities);
    let entities = if filter.keeps_every_edge() {
        entities
    } else {
        let mut linked = BTreeSet::new();
        for &r in &relations {
            linked.insert(g.relation(r).from);
            linked.insert(g.relation(r).to);
        }
        for &e in &derived {
            let (a, b) = index.ends(e);
            linked.insert(a);
            linked.insert(b);
        }
        linked.into_iter().collect()
    };
    Selection {
        entities,
        relations,
        derived,
        routes: Vec::new(),
        notes: Vec::new(),
        title: "Entity graph".to_string(),
    }
}

/// The entities and steps of some routes.
pub fn from_routes(index: &Index, query: &Query, routes: Vec<Route>) -> Selection {
    let g = &index.graph;
    let entities: BTreeSet<EntityId> = routes
        .iter()
        .flat_map(|r| r.entities.iter().copied())
        .collect();
    let mut relations = BTreeSet::new();
    let mut derived = BTreeSet::new();
    for step in routes.iter().flat_map(|r| &r.steps) {
        for ev in &step.evidence {
            match index.edge(ev.edge) {
                Edge::Relation(r) => {
                    relations.insert(r);
                }
                Edge::AccusedBy { .. } => {
                    derived.insert(ev.edge);
                }
            }
        }
    }
    Selection {
        entities: entities.into_iter().collect(),
        relations: relations.into_iter().collect(),
        derived: derived.into_iter().collect(),
        routes,
        notes: Vec::new(),
        title: format!(
            "How {} is connected to {}",
            g.entity(query.from).name,
            g.entity(query.to).name
        ),
    }
}
