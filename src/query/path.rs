//! "How is X connected to Y?": a route [`Query`] (from a [`RouteSpec`] of
//! names as a user gives them), [`find`] for the ranked routes, and the
//! serialisable [`PathAnswer`] that is the path JSON contract.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::Serialize;

use super::notes::{NoteView, notes};
use super::rank::{self, Score};
use super::routes::{ENUMERATION_CAP, Space, all_shortest, k_best};
use super::view::{EntityRef, WhenView};
use super::{Evidence, Filter, FilterSpec, Route, Step, Walk, steps_of};
use crate::error::Error;
use crate::index::{Edge, Index};
use crate::model::{EntityId, SourceRef, Status};

/// How routes are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rank {
    /// Hops, then a cost that grows with hub degree and weak evidence.
    #[default]
    Cost,
    /// Hop count only.
    Hops,
}

/// The default longest route, in steps.
pub const DEFAULT_MAX_HOPS: usize = 6;

/// A route query as a user gives it: entities by name.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteSpec {
    pub from: String,
    pub to: String,
    /// Entities to pass through, in order.
    pub via: Vec<String>,
    pub filter: FilterSpec,
    pub walk: Walk,
    pub max_hops: usize,
    /// `None`: all shortest routes; `Some(k)`: the k best loopless routes.
    pub k: Option<usize>,
    pub rank: Rank,
    /// Cheapest by relation weight instead of fewest steps.
    pub weighted: bool,
    /// Never pass through a hub (other than the ends and stops).
    pub avoid_hubs: bool,
}

/// What a path query asks, resolved against the graph.
#[derive(Debug, Clone)]
pub struct Query {
    pub from: EntityId,
    pub to: EntityId,
    /// Entities the route must pass through, in order.
    pub via: Vec<EntityId>,
    pub filter: Filter,
    pub walk: Walk,
    pub max_hops: usize,
    /// `None`: all shortest routes; `Some(k)`: the k best loopless routes.
    pub k: Option<usize>,
    pub rank: Rank,
    /// Cheapest by relation weight (see [`super::weighted`]).
    pub weighted: bool,
}

impl RouteSpec {
    /// Resolves every name and checks the options make sense together.
    pub fn resolve(&self, index: &Index) -> Result<Query, Error> {
        let from = index.resolve(&self.from)?;
        let to = index.resolve(&self.to)?;
        if from == to {
            return Err(Error::Usage(format!(
                "FROM and TO are the same entity ({}); name two different entities",
                index.entity(from).id
            )));
        }
        let mut via = Vec::new();
        for name in &self.via {
            let v = index.resolve(name)?;
            if v == from || v == to || via.contains(&v) {
                return Err(Error::Usage(format!(
                    "--via {name}: {} is already on the route",
                    index.entity(v).id
                )));
            }
            via.push(v);
        }
        let mut filter = self.filter.resolve(index)?;
        for &e in [from, to].iter().chain(&via) {
            if filter.avoid.contains(&e) {
                return Err(Error::Usage(format!(
                    "--avoid {}: the route must pass through it",
                    index.entity(e).id
                )));
            }
        }
        if self.k == Some(0) {
            return Err(Error::Usage("--k must be at least 1".to_string()));
        }
        if self.avoid_hubs {
            let ends: Vec<EntityId> = [from, to].into_iter().chain(via.iter().copied()).collect();
            filter
                .avoid
                .extend(super::notes::all_hubs_but_ends(index, &ends));
        }
        Ok(Query {
            from,
            to,
            via,
            filter,
            walk: self.walk,
            max_hops: self.max_hops,
            k: self.k,
            rank: self.rank,
            weighted: self.weighted,
        })
    }
}

/// The routes, best first, and whether enumeration was cut short.
#[derive(Debug, Clone)]
pub struct Answer {
    pub routes: Vec<Route>,
    pub truncated: bool,
}

fn segment(index: &Index, q: &Query, s: EntityId, t: EntityId) -> (Vec<Vec<EntityId>>, bool) {
    if q.weighted {
        return super::weighted::routes(index, &q.filter, q.walk, s, t, q.k);
    }
    match q.k {
        None => all_shortest(index, &q.filter, q.walk, s, t, q.max_hops),
        Some(k) => {
            let cost = |u: EntityId, v: EntityId| {
                rank::step_units(index, &q.filter, q.walk, q.rank == Rank::Hops, t, u, v)
            };
            let space = Space {
                index,
                filter: &q.filter,
                walk: q.walk,
            };
            k_best(space, s, t, k, q.max_hops, &cost)
        }
    }
}

/// Runs a path query.
pub fn find(index: &Index, q: &Query) -> Answer {
    let mut filter = q.filter.clone();
    filter.endpoints = [q.from, q.to]
        .into_iter()
        .chain(q.via.iter().copied())
        .collect();
    let q = Query {
        filter,
        ..q.clone()
    };
    let stops: Vec<EntityId> = std::iter::once(q.from)
        .chain(q.via.iter().copied())
        .chain(std::iter::once(q.to))
        .collect();
    let mut truncated = false;
    let mut paths: Vec<Vec<EntityId>> = vec![vec![q.from]];
    for w in stops.windows(2) {
        let (parts, cut) = segment(index, &q, w[0], w[1]);
        truncated |= cut;
        let mut joined = Vec::new();
        'outer: for head in &paths {
            for part in &parts {
                let mut p = head.clone();
                p.extend(part.iter().skip(1));
                if (q.weighted || p.len() - 1 <= q.max_hops) && is_simple(&p) {
                    if joined.len() == ENUMERATION_CAP {
                        truncated = true;
                        break 'outer;
                    }
                    joined.push(p);
                }
            }
        }
        paths = joined;
        if paths.is_empty() {
            break;
        }
    }
    if stops.len() > 2 && q.k.is_none() && !q.weighted {
        // Through via points, keep the shortest combined routes only.
        let min = paths.iter().map(Vec::len).min().unwrap_or(0);
        paths.retain(|p| p.len() == min);
    }
    let mut routes: Vec<Route> = paths
        .into_iter()
        .map(|entities| {
            let steps = steps_of(index, &q.filter, q.walk, &entities);
            let mut score = rank::score(index, &entities, &steps);
            if q.weighted {
                score.weight = Some(super::weighted::route_weight(index, &steps));
            }
            Route {
                entities,
                steps,
                score,
            }
        })
        .collect();
    if q.weighted {
        routes.sort_by(|a, b| {
            let (x, y) = (a.score.weight.unwrap_or(0.0), b.score.weight.unwrap_or(0.0));
            let by_weight = if super::weighted::same_cost(x, y) {
                std::cmp::Ordering::Equal
            } else {
                x.total_cmp(&y)
            };
            by_weight
                .then(a.hops().cmp(&b.hops()))
                .then_with(|| a.entities.cmp(&b.entities))
        });
        if stops.len() > 2
            && q.k.is_none()
            && let Some(best) = routes.first().and_then(|r| r.score.weight)
        {
            routes.retain(|r| super::weighted::same_cost(r.score.weight.unwrap_or(0.0), best));
        }
        if let Some(k) = q.k {
            routes.truncate(k);
        }
        return Answer { routes, truncated };
    }
    // Entity ids order like the ids' text (entities are sorted by id).
    routes.sort_by(|a, b| {
        let by_rank = match q.rank {
            Rank::Hops => a.hops().cmp(&b.hops()),
            Rank::Cost => a
                .hops()
                .cmp(&b.hops())
                .then(a.score.total().total_cmp(&b.score.total())),
        };
        by_rank.then_with(|| a.entities.cmp(&b.entities))
    });
    if let Some(k) = q.k {
        routes.truncate(k);
    }
    Answer { routes, truncated }
}

fn is_simple(path: &[EntityId]) -> bool {
    let mut seen = HashSet::with_capacity(path.len());
    path.iter().all(|v| seen.insert(*v))
}

/// The path JSON contract: the ends and the routes shown, each step with
/// every relation behind it, read in the direction of travel.
#[derive(Debug, Clone, Serialize)]
pub struct PathAnswer<'g> {
    pub from: EntityRef<'g>,
    pub to: EntityRef<'g>,
    pub routes: Vec<RouteView<'g>>,
    /// Routes found in all (more than `routes` when limited).
    pub total: usize,
    /// Enumeration stopped at the cap: there may be more.
    pub truncated: bool,
    /// What to tell beside the routes (hubs, stronger evidence, fewer than
    /// asked); see [`super::notes`].
    pub notes: Vec<NoteView<'g>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteView<'g> {
    pub length: usize,
    /// The cost, rounded to three decimals.
    pub score: f64,
    /// With `--weighted`: the sum of the steps' relation weights.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    pub entities: Vec<&'g str>,
    pub steps: Vec<StepView<'g>>,
    /// The route itself, for text.
    #[serde(skip)]
    pub route: Route,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView<'g> {
    pub from: &'g str,
    pub to: &'g str,
    pub relations: Vec<EvidenceView<'g>>,
}

/// One relation (or derived edge) on a step.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView<'g> {
    pub id: Cow<'g, str>,
    #[serde(rename = "type")]
    pub rel_type: &'g str,
    pub label: &'g str,
    /// `forward` when the relation points the way the route walks.
    pub direction: &'static str,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<bool>,
    /// For a derived edge: the id of the claim it comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<&'g str>,
    pub claimed_by: Vec<&'g str>,
    pub denied_by: Vec<&'g str>,
    pub doubted_by: Vec<&'g str>,
    pub retracted_by: Vec<&'g str>,
    #[serde(flatten)]
    pub when: WhenView,
    pub source: &'g SourceRef,
    /// The relation in words, read in the direction of travel, as every
    /// front end shows it.
    pub sentence: String,
    /// Its evidence in words: status with who claims, denies or doubts,
    /// time and citation.
    pub detail: String,
}

impl<'g> EvidenceView<'g> {
    pub fn of(index: &'g Index, ev: Evidence, from: EntityId, to: EntityId) -> Self {
        let g = &index.graph;
        let edge = index.edge(ev.edge);
        let rel = index.relation(edge.relation());
        let direction = if ev.forward { "forward" } else { "backward" };
        let (sentence, detail) =
            crate::present::edge_sentence(index, ev, from, to, crate::style::Style::PLAIN);
        let (id, rel_type, label, derived, claim) = match edge {
            Edge::Relation(_) => (
                Cow::Borrowed(rel.id.as_str()),
                rel.rel_type.as_str(),
                g.label(rel, ev.forward),
                None,
                None,
            ),
            Edge::AccusedBy { .. } => (
                Cow::Owned(format!("accused-by:{}", rel.id)),
                super::filter::ACCUSED_BY,
                if ev.forward {
                    "is accused by"
                } else {
                    "accuses"
                },
                Some(true),
                Some(rel.id.as_str()),
            ),
        };
        EvidenceView {
            id,
            rel_type,
            label,
            direction,
            status: rel.status,
            derived,
            claim,
            claimed_by: g.ids(&rel.claimed_by),
            denied_by: g.ids(&rel.denied_by),
            doubted_by: g.ids(&rel.doubted_by),
            retracted_by: g.ids(&rel.retracted_by),
            when: WhenView::of(rel.when),
            source: &rel.source,
            sentence,
            detail,
        }
    }
}

impl<'g> StepView<'g> {
    pub fn of(index: &'g Index, step: &Step) -> Self {
        let g = &index.graph;
        StepView {
            from: &g.entity(step.from).id,
            to: &g.entity(step.to).id,
            relations: step
                .evidence
                .iter()
                .map(|&ev| EvidenceView::of(index, ev, step.from, step.to))
                .collect(),
        }
    }
}

impl<'g> RouteView<'g> {
    pub fn of(index: &'g Index, route: &Route) -> Self {
        RouteView {
            length: route.hops(),
            score: rounded(&route.score),
            weight: route.score.weight,
            entities: index.graph.ids(&route.entities),
            steps: route.steps.iter().map(|s| StepView::of(index, s)).collect(),
            route: route.clone(),
        }
    }
}

fn rounded(score: &Score) -> f64 {
    (score.total() * 1000.0).round() / 1000.0
}

impl Answer {
    /// The answer to show: the ends and at most `limit` routes.
    pub fn view<'g>(&self, index: &'g Index, q: &Query, limit: usize) -> PathAnswer<'g> {
        let g = &index.graph;
        PathAnswer {
            from: EntityRef::of(g, q.from),
            to: EntityRef::of(g, q.to),
            routes: self
                .routes
                .iter()
                .take(limit)
                .map(|r| RouteView::of(index, r))
                .collect(),
            total: self.routes.len(),
            truncated: self.truncated,
            notes: Vec::new(),
        }
    }
}

/// The whole answer to a route query: the routes (at most `limit`) and the
/// notes that keep it from being misread.
pub fn answer<'g>(index: &'g Index, q: &Query, limit: usize) -> (Answer, PathAnswer<'g>) {
    let found = find(index, q);
    let mut view = found.view(index, q, limit);
    view.notes = notes(index, q, &found)
        .iter()
        .map(|n| n.view(index))
        .collect();
    (found, view)
}
