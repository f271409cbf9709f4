//! What an export or render draws: the whole graph, the neighbourhood of an
//! entity, or the routes between two entities — narrowed by the same
//! filters as the path command. One type for every format.

use std::collections::BTreeSet;

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::cli::SelectArgs;
use crate::cmd::filters;
use crate::error::Error;
use crate::index::{Edge, Index};
use crate::query::routes::{self, Query};
use crate::query::{Filter, Route, Walk, neighbours};

/// The entities and edges to draw, each sorted (by entity id / edge index),
/// so every format writes them in the same order.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub entities: Vec<usize>,
    /// Stored relations (indices into `Graph::relations`).
    pub relations: Vec<usize>,
    /// Derived accused-by edges, drawn by diagrams but never exported as
    /// relations.
    pub derived: Vec<EdgeIndex>,
    /// The routes when the selection came from `--route`.
    pub routes: Vec<Route>,
    /// A title for diagrams and reports.
    pub title: String,
}

impl Selection {
    pub fn contains(&self, entity: usize) -> bool {
        self.entities.binary_search(&entity).is_ok()
    }

    /// The kinds of the selected entities, each once, in schema order (for legends).
    pub fn kinds<'g>(&self, graph: &'g crate::model::Graph) -> Vec<&'g str> {
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

fn edges_among(index: &Index, filter: &Filter, entities: &[usize]) -> (Vec<usize>, Vec<EdgeIndex>) {
    let set: BTreeSet<usize> = entities.iter().copied().collect();
    let mut relations = Vec::new();
    let mut derived = Vec::new();
    for &e in entities {
        for edge in index.net.edges(NodeIndex::new(e)) {
            if !set.contains(&edge.target().index()) || !filter.edge_ok(index, edge.weight()) {
                continue;
            }
            match edge.weight() {
                Edge::Relation(r) => relations.push(*r),
                Edge::AccusedBy { .. } => derived.push(edge.id()),
            }
        }
    }
    relations.sort_unstable();
    derived.sort_unstable();
    (relations, derived)
}

/// Builds the selection the command line asks for.
pub fn select(index: &Index, args: &SelectArgs) -> Result<Selection, Error> {
    let g = &index.graph;
    let mut filter = filters::build(index, &args.filters)?;
    if let Some(name) = &args.around {
        let start = index.resolve(name)?;
        filter.endpoints = vec![start];
        let mut seen = BTreeSet::from([start]);
        let mut frontier = vec![start];
        for _ in 0..args.depth {
            let mut next = Vec::new();
            for &u in &frontier {
                for &v in neighbours(index, &filter, Walk::Undirected, u, false).iter() {
                    let v = v as usize;
                    if seen.insert(v) {
                        next.push(v);
                    }
                }
            }
            frontier = next;
        }
        let entities: Vec<usize> = seen.into_iter().collect();
        let (relations, derived) = edges_among(index, &filter, &entities);
        let title = format!(
            "{} and its neighbourhood ({} step{})",
            g.entity(start).name,
            args.depth,
            crate::plural(args.depth)
        );
        return Ok(Selection {
            entities,
            relations,
            derived,
            routes: Vec::new(),
            title,
        });
    }
    if let [from, to] = args.route.as_slice() {
        let path_args = crate::cli::PathArgs {
            from: Some(from.clone()),
            to: Some(to.clone()),
            pairs: None,
            directed: false,
            route_options: args.route_options.clone(),
            filters: args.filters.clone(),
            rank: crate::cli::Rank::Cost,
            explain_score: false,
            limit: usize::MAX,
            format: crate::cli::PathFormat::Text,
        };
        let query: Query = crate::cmd::path::query_of(index, &path_args)?;
        let answer = routes::find(index, &query);
        if answer.routes.is_empty() {
            return Err(Error::Usage(format!(
                "--route: no route from {} to {} with these options (try `linkchart path` to see why)",
                g.entity(query.from).name,
                g.entity(query.to).name
            )));
        }
        return Ok(from_routes(index, &query, answer.routes));
    }
    // The whole graph; --kinds keeps entities of those kinds.
    let entities: Vec<usize> = (0..g.entities.len())
        .filter(|&i| {
            filter
                .kinds
                .as_ref()
                .is_none_or(|k| k.contains(&g.entities[i].kind))
                && !filter.avoid.contains(&i)
        })
        .collect();
    let (relations, derived) = edges_among(index, &filter, &entities);
    // Entities left without any edge by the relation filters are not drawn;
    // --kinds alone keeps every entity of those kinds.
    let entities = if (Filter {
        kinds: None,
        ..filter.clone()
    })
    .is_open()
    {
        entities
    } else {
        let mut linked = BTreeSet::new();
        for &r in &relations {
            linked.insert(g.relations[r].from);
            linked.insert(g.relations[r].to);
        }
        for &e in &derived {
            let (a, b) = index.net.edge_endpoints(e).expect("edge of the index");
            linked.insert(a.index());
            linked.insert(b.index());
        }
        linked.into_iter().collect()
    };
    Ok(Selection {
        entities,
        relations,
        derived,
        routes: Vec::new(),
        title: "Entity graph".to_string(),
    })
}

/// The entities and steps of some routes.
pub fn from_routes(index: &Index, query: &Query, routes: Vec<Route>) -> Selection {
    let g = &index.graph;
    let entities: BTreeSet<usize> = routes
        .iter()
        .flat_map(|r| r.entities.iter().copied())
        .collect();
    let mut relations = BTreeSet::new();
    let mut derived = BTreeSet::new();
    for step in routes.iter().flat_map(|r| &r.steps) {
        for ev in &step.evidence {
            match index.net[ev.edge] {
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
        title: format!(
            "How {} is connected to {}",
            g.entity(query.from).name,
            g.entity(query.to).name
        ),
    }
}
