//! The data of an interactive chart, for the explorer page and the
//! self-contained HTML export: the entities with positions from
//! [`crate::layout`] and their kind's shape and colour, and every relation
//! and derived edge among them with its style (as in the DOT export), its
//! time span in years (for the time slider) and the same evidence sentence
//! as the terminal. The page filters and draws; it never words evidence.

use std::collections::HashMap;

use indexmap::IndexMap;

use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::dot::status_style;
use crate::index::{Edge, Index, Side, entity_of, node};
use crate::layout::{EDGE_LENGTH, Place, layout};
use crate::model::{EntityId, Status};
use crate::present;
use crate::query::Evidence;
use crate::query::view::WhenView;
use crate::style::Style;
use crate::when::When;

const PLAIN: Style = Style { color: false };

/// A Graphviz colour name as CSS knows it (Graphviz's `gray50` is not CSS).
fn css(color: &'static str) -> &'static str {
    match color {
        "gray50" => "#7f7f7f",
        other => other,
    }
}

/// Where a chart's entities go: fixed positions of entities already drawn,
/// and routes to lay out from left to right.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub fixed: HashMap<EntityId, (f64, f64)>,
    /// Entity sequences; each is hinted along a row.
    pub routes: Vec<Vec<EntityId>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartView<'g> {
    pub nodes: Vec<NodeView<'g>>,
    pub edges: Vec<EdgeView<'g>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeView<'g> {
    pub id: &'g str,
    pub name: &'g str,
    pub kind: &'g str,
    pub description: &'g str,
    /// Distinct neighbours in the whole graph (derived edges included): the
    /// page shows how many are not drawn yet.
    pub neighbours: usize,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EdgeView<'g> {
    /// Unique within the chart.
    pub key: String,
    /// The relation's id; for a derived edge, the claim's.
    pub id: &'g str,
    pub from: &'g str,
    pub to: &'g str,
    #[serde(rename = "type")]
    pub rel_type: &'g str,
    pub label: &'g str,
    pub status: Status,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    #[serde(flatten)]
    pub when: WhenView,
    /// First and last year the relation may cover; `null` for an open end
    /// or no date.
    pub years: [Option<i32>; 2],
    pub dated: bool,
    /// DOT's line style and colour for the status.
    pub style: &'static str,
    pub color: &'static str,
    /// "Hamid Gul headed Inter-Services Intelligence".
    pub sentence: String,
    /// Status with claimants, date and citation, as the terminal prints it.
    pub detail: String,
    pub note: &'g str,
}

fn years(when: Option<When>) -> [Option<i32>; 2] {
    match when {
        None => [None, None],
        Some(w) => {
            let ((y0, _, _), (y1, _, _)) = w.days();
            [
                (y0 != i32::MIN).then_some(y0),
                (y1 != i32::MAX).then_some(y1),
            ]
        }
    }
}

/// The edge of the index as a chart edge, read from its source to its target.
pub fn edge_view(index: &Index, e: EdgeIndex) -> EdgeView<'_> {
    let g = &index.graph;
    let (a, b) = index.ends(e);
    let edge = index.edge(e);
    let rel = index.relation(edge.relation());
    let (sentence, detail) = present::edge_sentence(
        index,
        Evidence {
            edge: e,
            forward: true,
        },
        a,
        b,
        PLAIN,
    );
    let (style, color, label, rel_type, key) = match edge {
        Edge::Relation(_) => {
            let (style, color) = status_style(rel.status);
            (
                style,
                css(color),
                g.label(rel, true),
                rel.rel_type.as_str(),
                rel.id.to_string(),
            )
        }
        Edge::AccusedBy { .. } => (
            "dotted",
            "firebrick",
            "accused by",
            crate::query::filter::ACCUSED_BY,
            format!("accused-by:{}>{}", rel.id, g.entity(b).id),
        ),
    };
    EdgeView {
        key,
        id: &rel.id,
        from: &g.entity(a).id,
        to: &g.entity(b).id,
        rel_type,
        label,
        status: rel.status,
        derived: edge.is_derived(),
        when: WhenView::of(rel.when),
        years: years(rel.when),
        dated: rel.when.is_some(),
        style,
        color,
        sentence,
        detail,
        note: &rel.note,
    }
}

/// Every edge of the index among `entities` (sorted, each once), in edge order.
pub fn edges_among(index: &Index, entities: &[EntityId]) -> Vec<EdgeIndex> {
    let mut edges: Vec<EdgeIndex> = entities
        .iter()
        .flat_map(|&e| index.net.edges(node(e)))
        .filter(|edge| entities.binary_search(&entity_of(edge.target())).is_ok())
        .map(|edge| edge.id())
        .collect();
    edges.sort_unstable();
    edges
}

/// The chart of `entities` (sorted, each once) with these edges among
/// them, and a position for each entity.
pub fn chart<'g>(
    index: &'g Index,
    entities: &[EntityId],
    edges: &[EdgeIndex],
    placement: &Placement,
) -> ChartView<'g> {
    let g = &index.graph;
    let at: HashMap<EntityId, usize> = entities.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let mut pairs = Vec::with_capacity(edges.len());
    let mut views = Vec::with_capacity(edges.len());
    for &e in edges {
        let (a, b) = index.ends(e);
        if let (Some(&i), Some(&j)) = (at.get(&a), at.get(&b)) {
            pairs.push((i, j));
            views.push(edge_view(index, e));
        }
    }
    let edges = views;
    let mut places = vec![Place::Free; entities.len()];
    for (&e, &(x, y)) in &placement.fixed {
        if let Some(&i) = at.get(&e) {
            places[i] = Place::Fixed(x, y);
        }
    }
    for (lane, route) in placement.routes.iter().enumerate() {
        let Some(&first) = route.first() else {
            continue;
        };
        let (x0, y0) = placement.fixed.get(&first).copied().unwrap_or((0.0, 0.0));
        // Lanes alternate below and above the first route's row.
        let offset = if lane % 2 == 1 { 1.0 } else { -1.0 } * lane.div_ceil(2) as f64;
        for (step, e) in route.iter().enumerate() {
            if let Some(&i) = at.get(e)
                && places[i] == Place::Free
            {
                places[i] = Place::Hint(
                    x0 + step as f64 * EDGE_LENGTH * 1.4,
                    y0 + offset * EDGE_LENGTH * 0.7,
                );
            }
        }
    }
    // About as wide as the page draws each label (12px, at most 32 characters).
    let sizes: Vec<(f64, f64)> = entities
        .iter()
        .map(|&e| {
            let chars = g.entity(e).name.chars().count().min(32) as f64;
            (chars * 7.0 + 24.0, 30.0)
        })
        .collect();
    let positions = layout(entities.len(), &pairs, &places, &sizes);
    let adjacency = index.adjacency();
    let nodes = entities
        .iter()
        .zip(positions)
        .map(|(&i, (x, y))| {
            let e = g.entity(i);
            NodeView {
                id: &e.id,
                name: &e.name,
                kind: &e.kind,
                description: &e.description,
                neighbours: adjacency.of(i, Side::Both).len(),
                x,
                y,
            }
        })
        .collect();
    ChartView { nodes, edges }
}

/// The kinds, statuses and styles a page needs for its legend and filters.
#[derive(Debug, Clone, Serialize)]
pub struct Legend<'g> {
    pub kinds: Vec<KindView<'g>>,
    pub statuses: Vec<StatusView>,
    pub derived: StatusView,
    /// The earliest and latest year any relation or entity mentions.
    pub years: [Option<i32>; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct KindView<'g> {
    pub kind: &'g str,
    pub label: &'g str,
    pub shape: &'g str,
    pub color: &'g str,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub status: &'static str,
    pub style: &'static str,
    pub color: &'static str,
    pub meaning: &'static str,
}

pub fn legend(index: &Index) -> Legend<'_> {
    let g = &index.graph;
    let mut low: Option<i32> = None;
    let mut high: Option<i32> = None;
    let mut see = |y: i32| {
        low = Some(low.map_or(y, |l| l.min(y)));
        high = Some(high.map_or(y, |h| h.max(y)));
    };
    for r in &g.relations {
        for y in years(r.when).into_iter().flatten() {
            see(y);
        }
    }
    for e in &g.entities {
        for d in [e.start, e.end].into_iter().flatten() {
            see(d.year);
        }
    }
    Legend {
        kinds: g
            .schema
            .kinds
            .iter()
            .map(|(k, def)| KindView {
                kind: k,
                label: &def.label,
                shape: &def.shape,
                color: &def.color,
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|&s| {
                let (style, color) = status_style(s);
                StatusView {
                    status: s.as_str(),
                    style,
                    color: css(color),
                    meaning: s.meaning(),
                }
            })
            .collect(),
        derived: StatusView {
            status: "accused by (derived)",
            style: "dotted",
            color: "firebrick",
            meaning: "derived from an accusation: the accused, linked to who accuses it",
        },
        years: [low, high],
    }
}

/// An entity card (the `show --format json` contract) with, for the page,
/// the terminal's words added: each relation gets `other` (the entity at
/// the other end), `sentence` (read from this entity) and `detail` (status
/// with claimants, date, citation); each claim gets `role`, `sentence` and
/// `detail`; the entity gets `kind_label`.
pub fn card_json(index: &Index, entity: EntityId) -> serde_json::Value {
    use serde_json::json;
    let g = &index.graph;
    let card = crate::query::card::card(index, entity);
    let mut value = serde_json::to_value(card.view(index)).unwrap_or_default();
    let name = &g.entity(entity).name;
    value["entity"]["kind_label"] = json!(g.kind_label(&g.entity(entity).kind));
    for (i, seen) in card.relations.iter().enumerate() {
        let rel = g.relation(seen.relation);
        let other = g.entity(seen.other);
        let item = &mut value["relations"][i];
        item["other"] = json!({"id": other.id, "name": other.name, "kind": other.kind});
        item["sentence"] = json!(format!(
            "{name} {} {}",
            g.label(rel, seen.outgoing),
            other.name
        ));
        item["detail"] = json!(present::evidence(g, rel, PLAIN));
    }
    for (i, &r) in card.claims.iter().enumerate() {
        let rel = g.relation(r);
        let role = if rel.denied_by.contains(&entity) {
            "denies"
        } else if rel.doubted_by.contains(&entity) {
            "doubts"
        } else {
            "claims"
        };
        let item = &mut value["claims"][i];
        item["role"] = json!(role);
        item["sentence"] = json!(format!(
            "{} {} {}",
            g.entity(rel.from).name,
            g.label(rel, true),
            g.entity(rel.to).name
        ));
        item["detail"] = json!(present::evidence(g, rel, PLAIN));
    }
    value
}

/// The path JSON contract (every relation already carries the terminal's
/// words for it, `sentence` and `detail`) plus `names`, the name of every
/// entity on a route, and `no_route`, why there is none, when given.
/// Written straight out: building a JSON value tree first and then writing
/// it was a quarter of the path endpoint's time.
#[derive(Serialize)]
pub struct PathJson<'a, 'g> {
    #[serde(flatten)]
    answer: &'a crate::query::path::PathAnswer<'g>,
    names: IndexMap<&'g str, &'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_route: Option<String>,
}

pub fn path_json<'a, 'g>(
    index: &'g Index,
    answer: &'a crate::query::path::PathAnswer<'g>,
) -> PathJson<'a, 'g> {
    let mut names = IndexMap::new();
    for route in &answer.routes {
        for &e in &route.route.entities {
            let entity = index.entity(e);
            names.insert(entity.id.as_str(), entity.name.as_str());
        }
    }
    PathJson {
        answer,
        names,
        no_route: None,
    }
}
