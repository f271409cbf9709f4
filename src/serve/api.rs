//! The JSON API: one endpoint per question, each a function from the index
//! and the request's parameters to a [`Reply`]. Every answer is the library's
//! answer serialised, the same JSON as the command line's `--format json`
//! (the path answer adds `total`, `truncated`, and per relation the
//! terminal's `sentence` and `detail`). [`ENDPOINTS`] lists them with their
//! parameters; `GET /api` serves that list.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::Limits;
use super::params::{FILTERS, Params, too_many};
use super::reply::{ApiError, Reply};
use crate::export::chart::{
    Placement, card_json, chart as chart_of, edges_among, legend, path_json,
};
use crate::export::report::{ReportFormat, report as report_of};
use crate::export::{self, Exported, Format};
use crate::index::Index;
use crate::model::EntityId;
use crate::query::common::common as common_of;
use crate::query::connect::{ConnectSpec, connect as connect_of};
use crate::query::neighbourhood::neighbourhood;
use crate::query::path::DEFAULT_MAX_HOPS;
use crate::query::path::answer as path_answer;
use crate::query::search::search as search_of;
use crate::query::select::{Scope, ScopeSpec, network_gaps, select};
use crate::query::stats::stats as stats_of;
use crate::query::strongest::strongest_first;
use crate::query::timeline::timeline as timeline_of;
use crate::query::why::why_no_route;
use crate::render::{self, Engine};

type Answer = Result<Reply, ApiError>;

/// One endpoint: its path, the parameters it takes and how it answers.
pub struct Endpoint {
    pub path: &'static str,
    pub params: &'static [&'static str],
    /// Runs under the server's limit on concurrent heavy work.
    pub heavy: bool,
    pub answer: fn(&Index, &Params, &Limits) -> Answer,
    pub about: &'static str,
}

/// Every endpoint, in the order the README documents them.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        path: "/api",
        params: &[],
        heavy: false,
        answer: about,
        about: "this list",
    },
    Endpoint {
        path: "/api/meta",
        params: &[],
        heavy: false,
        answer: meta,
        about: "kinds with their shape and colour, statuses with their line style, the years the graph spans, the server's limits",
    },
    Endpoint {
        path: "/api/search",
        params: &["q", "limit"],
        heavy: false,
        answer: search,
        about: "entities whose name, alias, id or description match q, best first (as `search --format json`)",
    },
    Endpoint {
        path: "/api/card",
        params: &["name"],
        heavy: false,
        answer: card,
        about: "an entity card: the entity and its relations grouped by type (as `show --format json`)",
    },
    Endpoint {
        path: "/api/neighbours",
        params: &[
            "name",
            "depth",
            "directed",
            "limit",
            "offset",
            "avoid",
            "kinds",
            "types",
            "status",
            "during",
            "no-derived",
            "tags",
            "where",
        ],
        heavy: true,
        answer: neighbours,
        about: "entities within depth steps, by distance (as `neighbors --format json`); with limit, each level holds its strongest entities and says how many it holds back",
    },
    Endpoint {
        path: "/api/path",
        params: &[
            "from",
            "to",
            "k",
            "max-hops",
            "via",
            "weighted",
            "avoid",
            "kinds",
            "types",
            "status",
            "during",
            "no-derived",
            "tags",
            "where",
            "directed",
            "rank",
            "limit",
        ],
        heavy: true,
        answer: path,
        about: "how from is connected to to: ranked routes with the evidence of each step (as `path --format json`); no route gives `routes: []` and `no_route`, the reason",
    },
    Endpoint {
        path: "/api/connect",
        params: &[
            "name",
            "max-hops",
            "avoid",
            "kinds",
            "types",
            "status",
            "during",
            "no-derived",
            "tags",
            "where",
        ],
        heavy: true,
        answer: connect,
        about: "the smallest network joining every name (repeat name, 2 to 12), with the evidence of each step (as `connect --format json`); `gaps` lists the names that cannot be joined and `gap_note` says why (`no_route` when none can be joined)",
    },
    Endpoint {
        path: "/api/common",
        params: &[
            "a",
            "b",
            "avoid",
            "kinds",
            "types",
            "status",
            "during",
            "no-derived",
            "tags",
            "where",
        ],
        heavy: true,
        answer: common,
        about: "entities linked to both a and b, with both relations (as `common --format json`)",
    },
    Endpoint {
        path: "/api/timeline",
        params: &["name"],
        heavy: false,
        answer: timeline,
        about: "an entity's relations in date order (as `timeline --format json`)",
    },
    Endpoint {
        path: "/api/stats",
        params: &["top"],
        heavy: false,
        answer: stats,
        about: "counts by kind, type and status and the most connected entities (as `stats --format json`)",
    },
    Endpoint {
        path: "/api/chart",
        params: &["ids", "pos", "route"],
        heavy: true,
        answer: chart,
        about: "the page's chart of the entities in ids: every relation and derived edge among them, styled, with its sentence, and positions (pos pins entities already drawn: id:x:y,…; route lays an id sequence left to right)",
    },
    Endpoint {
        path: "/api/export",
        params: &[
            "format",
            "file",
            "engine",
            "download",
            "around",
            "depth",
            "from",
            "to",
            "ids",
            "k",
            "max-hops",
            "via",
            "weighted",
            "avoid",
            "kinds",
            "types",
            "status",
            "during",
            "no-derived",
            "tags",
            "where",
            "cluster",
            "rankdir",
            "legend",
        ],
        heavy: true,
        answer: export_selection,
        about: "a selection (around+depth, from+to, ids, or the whole graph) in any export format, or drawn as svg or png",
    },
    Endpoint {
        path: "/api/report",
        params: &[
            "format",
            "download",
            "around",
            "depth",
            "from",
            "to",
            "ids",
            "k",
            "max-hops",
            "via",
            "weighted",
            "avoid",
            "kinds",
            "types",
            "status",
            "during",
            "no-derived",
            "tags",
            "where",
        ],
        heavy: true,
        answer: report,
        about: "the HTML (or md) report on a selection, as `report` writes it",
    },
];

fn resolve(index: &Index, name: &str) -> Result<EntityId, ApiError> {
    index
        .resolve(name)
        .map_err(|e| ApiError::from_error(index, e))
}

fn lib<T>(index: &Index, r: Result<T, crate::error::Error>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::from_error(index, e))
}

fn about(_: &Index, _: &Params, _: &Limits) -> Answer {
    let list: Vec<Value> = ENDPOINTS
        .iter()
        .map(|e| json!({"path": e.path, "params": e.params, "about": e.about}))
        .collect();
    Ok(Reply::json(&json!({"endpoints": list, "filters": FILTERS})))
}

fn meta(index: &Index, _: &Params, limits: &Limits) -> Answer {
    #[derive(Serialize)]
    struct Meta<'g> {
        entities: usize,
        relations: usize,
        #[serde(flatten)]
        legend: crate::export::chart::Legend<'g>,
        relation_types: Vec<&'g str>,
        export_formats: Vec<&'static str>,
        limits: &'g Limits,
    }
    let g = &index.graph;
    let mut export_formats: Vec<&'static str> = Format::ALL.iter().map(|f| f.name()).collect();
    export_formats.extend(["svg", "png"]);
    Ok(Reply::json(&Meta {
        entities: g.entities.len(),
        relations: g.relations.len(),
        legend: legend(index),
        relation_types: g
            .schema
            .relation_types
            .keys()
            .map(String::as_str)
            .chain(std::iter::once(crate::query::filter::ACCUSED_BY))
            .collect(),
        export_formats,
        limits,
    }))
}

fn search(index: &Index, p: &Params, _: &Limits) -> Answer {
    let q = p.required("q")?;
    let limit = p.number("limit", Some(20), 1, 200)?.unwrap_or(20);
    let answer = search_of(index, q, limit);
    if answer.total > 0 {
        return Ok(Reply::json(&answer));
    }
    // Nothing matched: offer the closest spellings, as the command line does.
    let mut json = serde_json::to_value(&answer).unwrap_or_default();
    json["did_you_mean"] = index
        .closest(q, 5)
        .into_iter()
        .map(|i| {
            let e = index.entity(i);
            json!({"id": e.id, "name": e.name, "kind": e.kind, "description": e.description})
        })
        .collect();
    Ok(Reply::json(&json))
}

fn card(index: &Index, p: &Params, _: &Limits) -> Answer {
    let entity = resolve(index, p.required("name")?)?;
    Ok(Reply::json(&card_json(index, entity)))
}

fn timeline(index: &Index, p: &Params, _: &Limits) -> Answer {
    let entity = resolve(index, p.required("name")?)?;
    Ok(Reply::json(&timeline_of(index, entity).view(index)))
}

fn stats(index: &Index, p: &Params, _: &Limits) -> Answer {
    let top = p.number("top", Some(10), 0, 1000)?.unwrap_or(10);
    Ok(Reply::json(&stats_of(index, top)))
}

fn neighbours(index: &Index, p: &Params, limits: &Limits) -> Answer {
    let start = resolve(index, p.required("name")?)?;
    let depth = p
        .number("depth", Some(1), 1, limits.max_depth)?
        .unwrap_or(1);
    let walk = p.walk()?;
    let limit = p.number("limit", None, 1, limits.max_selection)?;
    let offset = p.number("offset", Some(0), 0, usize::MAX)?.unwrap_or(0);
    let filter = lib(index, p.filter()?.resolve(index))?;
    let mut around = neighbourhood(index, &filter, walk, start, depth);
    let Some(limit) = limit else {
        if around.len() > limits.max_selection {
            return Err(too_many(around.len(), limits).with(
                "help",
                json!("give \"limit\" to see the strongest entities of each level"),
            ));
        }
        return Ok(Reply::json(
            &serde_json::to_value(around.view(index)).unwrap_or_default(),
        ));
    };
    // Capped: each level keeps its strongest entities, strongest first, and
    // says how many it holds back. Only those shown are put into JSON (a
    // hub's first level can hold thousands).
    let mut counts = Vec::with_capacity(around.levels.len());
    for d in 0..around.levels.len() {
        let order = strongest_first(index, &around, d);
        let total = order.len();
        let mut level = std::mem::take(&mut around.levels[d]);
        let shown: Vec<_> = order
            .iter()
            .skip(offset)
            .take(limit)
            .map(|&i| std::mem::take(&mut level[i]))
            .collect();
        counts.push((total, total.saturating_sub(offset + shown.len())));
        around.levels[d] = shown;
    }
    let mut json = serde_json::to_value(around.view(index)).unwrap_or_default();
    if let Some(levels) = json["levels"].as_array_mut() {
        for (level, (total, held_back)) in levels.iter_mut().zip(counts) {
            level["total"] = json!(total);
            level["held_back"] = json!(held_back);
        }
    }
    Ok(Reply::json(&json))
}

fn path(index: &Index, p: &Params, limits: &Limits) -> Answer {
    let (from, to) = (p.required("from")?, p.required("to")?);
    let spec = p.route(from, to, limits, p.walk()?, p.rank()?)?;
    let limit = p.number("limit", Some(10), 1, 100)?.unwrap_or(10);
    let query = lib(index, spec.resolve(index))?;
    // The routes with the notes that keep them from being misread (hubs,
    // stronger evidence, fewer routes than asked).
    let (answer, view) = path_answer(index, &query, limit);
    let mut json = path_json(index, &view);
    if answer.routes.is_empty() {
        json.no_route = Some(why_no_route(index, &query));
    }
    Ok(Reply::json(&json))
}

/// At most this many names in one connecting network.
const MAX_CONNECT_NAMES: usize = 12;

fn connect(index: &Index, p: &Params, limits: &Limits) -> Answer {
    let names = p.repeated("name");
    if names.len() < 2 || names.len() > MAX_CONNECT_NAMES {
        return Err(ApiError::bad_request(format!(
            "\"name\" must be given 2 to {MAX_CONNECT_NAMES} times (got {})",
            names.len()
        )));
    }
    let spec = ConnectSpec {
        names,
        filter: p.filter()?,
        max_hops: p
            .number("max-hops", Some(DEFAULT_MAX_HOPS), 1, limits.max_hops)?
            .unwrap_or(DEFAULT_MAX_HOPS),
    };
    let request = lib(index, spec.resolve(index))?;
    let network = connect_of(index, &request);
    let mut json = serde_json::to_value(network.view(index)).unwrap_or_default();
    // Why some (or all) could not be joined, in the terminal's words.
    if !network.gaps.is_empty() {
        let key = if network.steps.is_empty() {
            "no_route"
        } else {
            "gap_note"
        };
        json[key] = json!(network_gaps(index, &network, request.max_hops));
    }
    Ok(Reply::json(&json))
}

fn common(index: &Index, p: &Params, _: &Limits) -> Answer {
    let a = resolve(index, p.required("a")?)?;
    let b = resolve(index, p.required("b")?)?;
    if a == b {
        return Err(ApiError::bad_request(
            "\"a\" and \"b\" are the same entity; name two different entities",
        ));
    }
    let filter = lib(index, p.filter()?.resolve(index))?;
    Ok(Reply::json(&common_of(index, &filter, a, b).view(index)))
}

/// `id:x:y` pairs, comma-separated.
fn positions(index: &Index, p: &Params) -> Result<HashMap<EntityId, (f64, f64)>, ApiError> {
    let mut fixed = HashMap::new();
    for item in p.list("pos") {
        let mut parts = item.rsplitn(3, ':');
        let (y, x, id) = (parts.next(), parts.next(), parts.next());
        let parsed = match (id, x.map(str::parse::<f64>), y.map(str::parse::<f64>)) {
            (Some(id), Some(Ok(x)), Some(Ok(y))) if x.is_finite() && y.is_finite() => {
                Some((id, x, y))
            }
            _ => None,
        };
        let Some((id, x, y)) = parsed else {
            return Err(ApiError::bad_request(format!(
                "parameter \"pos\" has \"{item}\": expected id:x:y with x and y numbers"
            )));
        };
        fixed.insert(resolve(index, id)?, (x, y));
    }
    Ok(fixed)
}

fn chart(index: &Index, p: &Params, limits: &Limits) -> Answer {
    let names = p.list("ids");
    if names.is_empty() {
        return Err(ApiError::bad_request("parameter \"ids\" is required"));
    }
    if names.len() > limits.max_selection {
        return Err(too_many(names.len(), limits));
    }
    let mut entities = names
        .iter()
        .map(|n| resolve(index, n))
        .collect::<Result<Vec<_>, _>>()?;
    entities.sort_unstable();
    entities.dedup();
    let mut placement = Placement {
        fixed: positions(index, p)?,
        routes: Vec::new(),
    };
    for route in p.repeated("route") {
        let ids = route
            .split(',')
            .map(|n| resolve(index, n.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        placement.routes.push(ids);
    }
    let edges = edges_among(index, &entities);
    Ok(Reply::json(&chart_of(index, &entities, &edges, &placement)))
}

/// The selection an export or report asks for, within the server's limits.
fn selection(
    index: &Index,
    p: &Params,
    limits: &Limits,
    most: usize,
) -> Result<crate::query::select::Selection, ApiError> {
    let spec = p.selection(limits)?;
    if spec.scope == ScopeSpec::Whole && index.graph.entities.len() > most {
        return Err(too_many(index.graph.entities.len(), limits).with(
            "help",
            json!("select part of the graph with around, from and to, or ids"),
        ));
    }
    let scope: Scope = lib(index, spec.resolve(index))?;
    let sel = lib(index, select(index, &scope))?;
    if sel.entities.len() > most {
        return Err(ApiError::too_large(format!(
            "the selection holds {} entities; the server's limit for this is {most}: lower the depth, add filters or choose fewer",
            sel.entities.len()
        )));
    }
    Ok(sel)
}

/// A file name for a download: what was selected, and the format.
fn file_name(p: &Params, extension: &str) -> String {
    let part = |name: &str| p.one(name).ok().flatten().map(str::to_string);
    let stem = match (part("around"), part("from"), part("to")) {
        (Some(a), _, _) => a,
        (_, Some(f), Some(t)) => format!("{f}-to-{t}"),
        _ if !p.list("ids").is_empty() => "view".to_string(),
        _ => "graph".to_string(),
    };
    let stem: String = stem
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .take(60)
        .collect();
    format!("linkchart-{stem}.{extension}")
}

fn export_selection(index: &Index, p: &Params, limits: &Limits) -> Answer {
    let mut choices: Vec<(&str, Option<Format>)> =
        Format::ALL.iter().map(|&f| (f.name(), Some(f))).collect();
    choices.extend([("svg", None), ("png", None)]);
    let Some(format) = p.choice("format", &choices)? else {
        let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
        return Err(ApiError::bad_request(format!(
            "parameter \"format\" is required: one of {}",
            names.join(", ")
        )));
    };
    let image = p.one("format")?.unwrap_or_default().to_ascii_lowercase();
    let dot_options = p.dot_options()?;
    let engine = p
        .choice("engine", &Engine::ALL.map(|e| (e.name(), e)))?
        .unwrap_or_default();
    let download = p.flag("download")?;
    let most = if format.is_none() {
        limits.max_render
    } else {
        limits.max_selection
    };
    let sel = selection(index, p, limits, most)?;
    let reply = match format {
        None => {
            let dot = export::dot::render(index, &sel, &dot_options);
            let svg = lib(index, render::svg(&dot, engine))?;
            if image == "png" {
                Reply::document("image/png", lib(index, render::png(&svg))?)
            } else {
                Reply::document("image/svg+xml", svg)
            }
        }
        Some(format) => match export::export(index, &sel, format, &dot_options) {
            // The page's own policy (in the file, by hash) narrows this one.
            Exported::Text(text) if format == Format::Html => Reply::document(content_type(format), text)
                .with_policy("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; frame-ancestors 'none'"),
            Exported::Text(text) => Reply::document(content_type(format), text),
            Exported::Files(files) => {
                let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
                let Some(wanted) = p.one("file")? else {
                    return Err(ApiError::bad_request(format!(
                        "{} is several files: add \"file\", one of {}",
                        format.name(),
                        names.join(", ")
                    )));
                };
                match files.into_iter().find(|(n, _)| *n == wanted) {
                    Some((name, text)) => {
                        let reply = Reply::document("text/csv; charset=utf-8", text);
                        return Ok(if download {
                            reply.named(name.to_string())
                        } else {
                            reply
                        });
                    }
                    None => {
                        return Err(ApiError::bad_request(format!(
                            "parameter \"file\" is \"{wanted}\": expected one of {}",
                            names.join(", ")
                        )));
                    }
                }
            }
        },
    };
    Ok(if download {
        reply.named(file_name(p, &image))
    } else {
        reply
    })
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Graphml => "application/xml; charset=utf-8",
        Format::Html => "text/html; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

fn report(index: &Index, p: &Params, limits: &Limits) -> Answer {
    let format = p
        .choice(
            "format",
            &[("html", ReportFormat::Html), ("md", ReportFormat::Markdown)],
        )?
        .unwrap_or_default();
    let sel = selection(index, p, limits, limits.max_render)?;
    let subject = match p.one("around")? {
        Some(name) if !name.trim().is_empty() => Some(resolve(index, name)?),
        _ => None,
    };
    let text = lib(index, report_of(index, &sel, subject, format))?;
    let (content_type, extension) = match format {
        ReportFormat::Html => ("text/html; charset=utf-8", "html"),
        ReportFormat::Markdown => ("text/markdown; charset=utf-8", "md"),
    };
    // The report's own policy: its inline styles, nothing else.
    let reply = Reply::document(content_type, text).with_policy(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    );
    Ok(if p.flag("download")? {
        reply.named(file_name(p, extension))
    } else {
        reply
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::params::ROUTE;

    /// An endpoint that takes one filter takes them all, and one that takes
    /// a route parameter takes every one: `Params::filter` and
    /// `Params::route` read them all, and a name left out of a list would be
    /// refused as unknown.
    #[test]
    fn filtered_endpoints_take_every_filter_and_route_parameter() {
        for e in ENDPOINTS {
            for (group, first) in [(FILTERS, "avoid"), (ROUTE, "via")] {
                if e.params.contains(&first) {
                    for name in group {
                        assert!(e.params.contains(name), "{} lacks {name}", e.path);
                    }
                }
            }
        }
    }
}
