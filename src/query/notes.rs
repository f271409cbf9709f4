//! What an analyst should be told beside the routes, so that an answer
//! cannot be misread:
//!
//! - **hubs**: every shortest route runs through a hub (see
//!   [`Index::hub_degree`]), so the link may be general rather than
//!   specific; with the best route that avoids every hub, if one exists
//!   within the hop limit;
//! - **stronger**: the best route rests on something weaker than an
//!   established relation, and a route at most one step longer is
//!   established all the way;
//! - **fewer**: fewer routes were found than `k` asked for, within the hop
//!   limit.
//!
//! Each note carries its own words, so every front end says the same.

use serde::Serialize;

use super::path::{Answer, Query, RouteView, find};
use super::view::EntityRef;
use super::{Route, rank};
use crate::index::Index;
use crate::model::{EntityId, Status};
use crate::words::{and_list, plural};

#[derive(Debug, Clone)]
pub enum Note {
    Hubs {
        hubs: Vec<EntityId>,
        avoiding: Option<Route>,
    },
    Stronger {
        route: Route,
    },
    Fewer {
        found: usize,
        asked: usize,
        max_hops: usize,
    },
}

/// The hubs every one of the shortest routes passes through at least one of,
/// most connected first; empty when some shortest route avoids them all.
fn hubs_on_every_route(index: &Index, q: &Query, routes: &[Route]) -> Vec<EntityId> {
    let Some(shortest) = routes.first().map(Route::hops) else {
        return Vec::new();
    };
    let ends: Vec<EntityId> = [q.from, q.to]
        .into_iter()
        .chain(q.via.iter().copied())
        .collect();
    let mut hubs: Vec<EntityId> = Vec::new();
    for route in routes.iter().filter(|r| r.hops() == shortest) {
        let on_route: Vec<EntityId> = route
            .entities
            .iter()
            .copied()
            .filter(|e| !ends.contains(e) && index.is_hub(*e))
            .collect();
        if on_route.is_empty() {
            return Vec::new();
        }
        for e in on_route {
            if !hubs.contains(&e) {
                hubs.push(e);
            }
        }
    }
    hubs.sort_by(|a, b| index.degree(*b).cmp(&index.degree(*a)).then(a.cmp(b)));
    hubs
}

/// Every hub of the graph but the query's own ends and stops.
pub fn all_hubs_but_ends(index: &Index, ends: &[EntityId]) -> Vec<EntityId> {
    index
        .hubs()
        .iter()
        .copied()
        .filter(|e| !ends.contains(e))
        .collect()
}

/// The best single route for a variant of the query.
fn best(index: &Index, q: Query) -> Option<Route> {
    find(index, &Query { k: Some(1), ..q })
        .routes
        .into_iter()
        .next()
}

/// The notes for an answer to `q`.
pub fn notes(index: &Index, q: &Query, answer: &Answer) -> Vec<Note> {
    let mut notes = Vec::new();
    let Some(first) = answer.routes.first() else {
        return notes;
    };
    let hubs = hubs_on_every_route(index, q, &answer.routes);
    if !hubs.is_empty() {
        let ends: Vec<EntityId> = [q.from, q.to]
            .into_iter()
            .chain(q.via.iter().copied())
            .collect();
        let mut filter = q.filter.clone();
        filter.avoid.extend(all_hubs_but_ends(index, &ends));
        let avoiding = best(
            index,
            Query {
                filter,
                ..q.clone()
            },
        );
        notes.push(Note::Hubs { hubs, avoiding });
    }
    let weakest_step = first.score.step_weights.iter().copied().fold(0.0, f64::max);
    let may_be_weaker = q.filter.weakest.is_none_or(|w| w > Status::Established);
    if weakest_step > rank::status_weight(Status::Established) && may_be_weaker {
        let mut filter = q.filter.clone();
        filter.weakest = Some(Status::Established);
        filter.no_derived = true;
        let stronger = best(
            index,
            Query {
                filter,
                max_hops: q.max_hops.min(first.hops() + 1),
                ..q.clone()
            },
        );
        if let Some(route) = stronger
            && !answer.routes.iter().any(|r| r.entities == route.entities)
        {
            notes.push(Note::Stronger { route });
        }
    }
    if let Some(k) = q.k
        && answer.routes.len() < k
        && !answer.truncated
    {
        notes.push(Note::Fewer {
            found: answer.routes.len(),
            asked: k,
            max_hops: q.max_hops,
        });
    }
    notes
}

/// A note as JSON: its kind, its words, and the entities or route it names.
#[derive(Debug, Clone, Serialize)]
pub struct NoteView<'g> {
    /// `hubs`, `stronger` or `fewer`.
    pub kind: &'static str,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hubs: Vec<EntityRef<'g>>,
    /// The route the note points to (avoiding hubs, or stronger).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteView<'g>>,
}

fn route_names(index: &Index, route: &Route) -> String {
    route
        .entities
        .iter()
        .map(|&e| index.entity(e).name.as_str())
        .collect::<Vec<_>>()
        .join(" → ")
}

impl Note {
    pub fn view<'g>(&self, index: &'g Index) -> NoteView<'g> {
        let g = &index.graph;
        match self {
            Note::Hubs { hubs, avoiding } => {
                let named: Vec<String> = hubs
                    .iter()
                    .map(|&h| {
                        format!(
                            "{} (linked to {} entities)",
                            g.entity(h).name,
                            index.degree(h)
                        )
                    })
                    .collect();
                let named: Vec<&str> = named.iter().map(String::as_str).collect();
                let through = if hubs.len() == 1 {
                    named[0].to_string()
                } else {
                    format!("one of {}", and_list(&named).replacen(" and ", " or ", 1))
                };
                let rest = match avoiding {
                    Some(route) => format!(
                        "; the best route avoiding every hub has {} step{}: {}",
                        route.hops(),
                        plural(route.hops()),
                        route_names(index, route)
                    ),
                    None => "; no route avoids the hubs within the hop limit".to_string(),
                };
                NoteView {
                    kind: "hubs",
                    text: format!(
                        "No specific link: every shortest route runs through {through}{rest}."
                    ),
                    hubs: hubs.iter().map(|&h| EntityRef::of(g, h)).collect(),
                    route: avoiding.as_ref().map(|r| RouteView::of(index, r)),
                }
            }
            Note::Stronger { route } => NoteView {
                kind: "stronger",
                text: format!(
                    "Stronger evidence on a route of {} step{}: {}, established at every step (see it with --status established).",
                    route.hops(),
                    plural(route.hops()),
                    route_names(index, route)
                ),
                hubs: Vec::new(),
                route: Some(RouteView::of(index, route)),
            },
            Note::Fewer {
                found,
                asked,
                max_hops,
            } => NoteView {
                kind: "fewer",
                text: format!(
                    "Only {found} route{} of the {asked} asked for within {max_hops} step{} (raise --max-hops for longer ones).",
                    plural(*found),
                    plural(*max_hops)
                ),
                hubs: Vec::new(),
                route: None,
            },
        }
    }
}
