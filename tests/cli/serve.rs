//! The explorer's HTTP API, asked without a socket: the router is called
//! directly (tower's `oneshot`) over fixture graphs and the shipped graph.
//! Every endpoint answers the same JSON as the command line's `--format
//! json`; every error has its status and its reason; the guard refuses
//! foreign hosts and origins; nothing but GET is answered. One test runs
//! the real `linkchart serve` on a free port and stops it with Ctrl-C.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

use linkchart::index::Index;
use linkchart::serve::api::ENDPOINTS;
use linkchart::serve::{App, Limits, router};

use crate::{repo, run_in, workspace};

const HOST: &str = "127.0.0.1:7878";

fn app_with(graph: &Path, limits: Limits) -> Router {
    let loaded = linkchart::load::load_graph(Some(graph), false).expect("the graph loads");
    let index = Arc::new(Index::new(loaded.graph));
    router(Arc::new(App::new(index, limits, HOST.parse().unwrap())))
}

fn shipped() -> Router {
    app_with(&repo().join("graph"), Limits::default())
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8")
    }

    fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

fn send(app: &Router, request: Request<Body>) -> Answer {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    })
}

fn get(app: &Router, uri: &str) -> Answer {
    send(
        app,
        Request::get(uri)
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap(),
    )
}

fn ok(app: &Router, uri: &str) -> Value {
    let answer = get(app, uri);
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
    answer.json()
}

/// The CLI's JSON for the same question.
fn cli_json(graph: &Path, args: &[&str]) -> Value {
    let g = graph.to_str().unwrap();
    let mut all = vec!["--graph", g];
    all.extend(args);
    let run = run_in(repo(), &all);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// Each URI's answer holds what the command line prints for its arguments.
fn answer_as_the_cli(app: &Router, graph: &Path, cases: &[(&str, &[&str])]) {
    for (uri, args) in cases {
        let api = ok(app, uri);
        let cli = cli_json(graph, args);
        assert!(
            contains(&api, &cli),
            "{uri} differs from {args:?}:\n{api}\n{cli}"
        );
    }
}

/// True when every field of `cli` is in `api` with the same value (the API
/// may add fields, never change one).
fn contains(api: &Value, cli: &Value) -> bool {
    match (api, cli) {
        (Value::Object(a), Value::Object(c)) => c
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| contains(av, v))),
        (Value::Array(a), Value::Array(c)) => {
            a.len() == c.len() && a.iter().zip(c).all(|(x, y)| contains(x, y))
        }
        (a, c) => a == c,
    }
}

#[test]
fn every_endpoint_answers_the_same_json_as_the_command_line() {
    let app = shipped();
    let graph = repo().join("graph");
    let cases: &[(&str, &[&str])] = &[
        (
            "/api/search?q=hamid+gul",
            &["search", "hamid", "gul", "--format", "json"],
        ),
        (
            "/api/card?name=hamid+gul",
            &["show", "hamid gul", "--format", "json"],
        ),
        (
            "/api/path?from=hamid+gul&to=Osama+bin+Laden",
            &["path", "hamid gul", "Osama bin Laden", "--format", "json"],
        ),
        (
            "/api/path?from=isi&to=taliban&k=5&max-hops=4&status=reported&no-derived=true&rank=hops&limit=3",
            &[
                "path",
                "isi",
                "taliban",
                "--k",
                "5",
                "--max-hops",
                "4",
                "--status",
                "reported",
                "--no-derived",
                "--rank",
                "hops",
                "--limit",
                "3",
                "--format",
                "json",
            ],
        ),
        (
            "/api/path?from=cia&to=taliban&via=isi&kinds=agency,militant-group&during=1979..2001&directed=false",
            &[
                "path",
                "cia",
                "taliban",
                "--via",
                "isi",
                "--kinds",
                "agency,militant-group",
                "--during",
                "1979..2001",
                "--format",
                "json",
            ],
        ),
        (
            "/api/neighbours?name=hamid+gul&depth=2",
            &["neighbors", "hamid gul", "--depth", "2", "--format", "json"],
        ),
        (
            "/api/common?a=isi&b=cia&status=alleged",
            &[
                "common", "isi", "cia", "--status", "alleged", "--format", "json",
            ],
        ),
        (
            "/api/timeline?name=isi",
            &["timeline", "isi", "--format", "json"],
        ),
        (
            "/api/stats?top=5",
            &["stats", "--top", "5", "--format", "json"],
        ),
    ];
    answer_as_the_cli(&app, &graph, cases);
}

/// `tags`, `where` and `weighted` on a graph that has tags, attributes and
/// weights: each endpoint that takes them answers as the command line does
/// with `--tag`, `--where` and `--weighted`, and each changes the answer.
#[test]
fn tags_conditions_and_weights_answer_as_the_command_line() {
    let dir = workspace(Some("attributes"));
    let graph = dir.path().join("graph");
    let app = app_with(&graph, Limits::default());
    let cases: &[(&str, &[&str])] = &[
        (
            "/api/path?from=ahmed-shuja-pasha&to=faraway&weighted=true",
            &[
                "path",
                "ahmed-shuja-pasha",
                "faraway",
                "--weighted",
                "--format",
                "json",
            ],
        ),
        (
            "/api/path?from=durrani&to=faraway&where=weight%3E%3D1",
            &[
                "path",
                "durrani",
                "faraway",
                "--where",
                "weight>=1",
                "--format",
                "json",
            ],
        ),
        (
            "/api/neighbours?name=isi&where=nationality%3DPK",
            &[
                "neighbors",
                "isi",
                "--where",
                "nationality=PK",
                "--format",
                "json",
            ],
        ),
        (
            "/api/common?a=isi&b=faraway&tags=director-general",
            &[
                "common",
                "isi",
                "faraway",
                "--tag",
                "director-general",
                "--format",
                "json",
            ],
        ),
        (
            "/api/connect?name=durrani&name=ahmed-shuja-pasha&name=faraway&where=weight%3E%3D1",
            &[
                "connect",
                "durrani",
                "ahmed-shuja-pasha",
                "faraway",
                "--where",
                "weight>=1",
                "--format",
                "json",
            ],
        ),
        (
            "/api/export?format=json&where=nationality%3DPK&tags=director-general",
            &[
                "export",
                "--format",
                "json",
                "--where",
                "nationality=PK",
                "--tag",
                "director-general",
            ],
        ),
        (
            "/api/stats?top=3",
            &["stats", "--top", "3", "--format", "json"],
        ),
    ];
    answer_as_the_cli(&app, &graph, cases);

    let lengths = |uri: &str| -> Vec<u64> {
        ok(&app, uri)["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["length"].as_u64().unwrap())
            .collect()
    };
    // Two steps through the ISI (2.5 + 4), or three that cost 4.5.
    let pasha = "/api/path?from=ahmed-shuja-pasha&to=faraway";
    assert_eq!(lengths(pasha), [2]);
    assert_eq!(lengths(&format!("{pasha}&weighted=true")), [3, 3]);
    let cheapest = ok(&app, &format!("{pasha}&weighted=true"));
    assert_eq!(cheapest["routes"][0]["weight"], 4.5);
    // Only director-generals in between: the ISI is not one.
    let tagged = ok(&app, &format!("{pasha}&tags=director-general"));
    assert_eq!(tagged["routes"], serde_json::json!([]));
    assert!(
        tagged["no_route"]
            .as_str()
            .unwrap()
            .contains("tagged director-general"),
        "{tagged}"
    );
    // The direct relation has no weight, so `weight>=1` goes round by the ISI.
    let durrani = "/api/path?from=durrani&to=faraway";
    assert_eq!(lengths(durrani), [1]);
    assert_eq!(lengths(&format!("{durrani}&where=weight%3E%3D1")), [2]);
    let common = ok(&app, "/api/common?a=isi&b=faraway&tags=director-general");
    let ids: Vec<&str> = common["common"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["durrani"], "{common}");

    // What the page offers comes from the stats.
    let stats = ok(&app, "/api/stats?top=0");
    assert_eq!(
        stats["by_tag"],
        serde_json::json!({"director-general": 3, "army": 1})
    );
    assert_eq!(stats["weighted_relations"], 3);
    assert_eq!(stats["entity_attributes"]["nationality"], 3);
    assert_eq!(stats["relation_attributes"]["role"], 2);

    // Their errors, on this graph.
    let cases = [
        (
            "/api/path?from=durrani&to=faraway&where=rnk%3E%3D3",
            "unknown attribute \"rnk\"; did you mean \"rank\"?",
        ),
        (
            "/api/path?from=durrani&to=faraway&where=%3D3",
            "invalid \"where\" \"=3\": expected KEY=VALUE",
        ),
        ("/api/path?from=durrani&to=faraway&where=role", ""),
        (
            "/api/neighbours?name=isi&tags=army,dg",
            "unknown tag \"dg\"",
        ),
        (
            "/api/export?format=json&around=isi&where=order%3E%3D1&where=%3E3",
            "invalid \"where\" \">3\"",
        ),
        (
            "/api/path?from=durrani&to=faraway&weighted=maybe",
            "parameter \"weighted\" is \"maybe\": expected true or false",
        ),
        (
            "/api/path?from=durrani&to=faraway&weighted=true&weighted=false",
            "more than once",
        ),
    ];
    for (uri, reason) in cases {
        let answer = get(&app, uri);
        if reason.is_empty() {
            assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
            continue;
        }
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            answer.text()
        );
        assert!(
            answer.error().contains(reason),
            "{uri}: \"{}\" does not say {reason}",
            answer.error()
        );
    }
    let unknown_tag = get(&app, "/api/neighbours?name=isi&tags=army,dg").json();
    assert_eq!(
        unknown_tag["known"],
        serde_json::json!(["director-general", "army"])
    );
}

#[test]
fn the_path_answer_carries_the_terminal_sentences() {
    let app = shipped();
    let api = ok(&app, "/api/path?from=hamid+gul&to=Osama+bin+Laden");
    let graph = repo().join("graph");
    let run = run_in(
        repo(),
        &[
            "--graph",
            graph.to_str().unwrap(),
            "path",
            "hamid gul",
            "Osama bin Laden",
        ],
    );
    let mut sentences = 0;
    for route in api["routes"].as_array().unwrap() {
        for step in route["steps"].as_array().unwrap() {
            for rel in step["relations"].as_array().unwrap() {
                let sentence = rel["sentence"].as_str().unwrap();
                let detail = rel["detail"].as_str().unwrap();
                assert!(
                    run.stdout
                        .contains(&format!("• {sentence}\n      {detail}\n")),
                    "{sentence} / {detail} is not what the terminal says:\n{}",
                    run.stdout
                );
                sentences += 1;
            }
        }
    }
    assert!(sentences > 1);
    assert_eq!(api["names"]["isi"], "Inter-Services Intelligence");
    assert!(api["total"].as_u64().unwrap() >= 1);
    assert_eq!(api["truncated"], false);
}

#[test]
fn no_route_is_an_answer_with_the_reason() {
    let app = shipped();
    let api = ok(
        &app,
        "/api/path?from=hamid+gul&to=Osama+bin+Laden&status=established&max-hops=2",
    );
    assert_eq!(api["routes"], Value::Array(Vec::new()));
    let why = api["no_route"].as_str().unwrap();
    assert!(why.starts_with("no route from"), "{why}");
}

#[test]
fn unknown_names_answer_404_with_did_you_mean() {
    let app = shipped();
    for uri in [
        "/api/card?name=hamid+gull",
        "/api/path?from=hamid+gull&to=isi",
        "/api/path?from=isi&to=osama+bin+ladn",
        "/api/path?from=isi&to=taliban&via=hamid+gull",
        "/api/neighbours?name=hamid+gull",
        "/api/timeline?name=hamid+gull",
        "/api/common?a=hamid+gull&b=isi",
        "/api/chart?ids=isi,hamid-gull",
        "/api/export?format=dot&around=hamid+gull",
    ] {
        let answer = get(&app, uri);
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{uri}: {}",
            answer.text()
        );
        let json = answer.json();
        assert!(answer.error().starts_with("no entity named"), "{uri}");
        let ids: Vec<&str> = json["did_you_mean"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&"hamid-gul") || ids.contains(&"osama-bin-laden"),
            "{uri}: {ids:?}"
        );
    }
    // Search never fails for want of a match: it offers the close spellings.
    let json = ok(&app, "/api/search?q=zzqqxx");
    assert_eq!(json["total"], 0, "{json}");
    assert!(json["did_you_mean"].is_array(), "{json}");
}

#[test]
fn ambiguous_names_list_the_candidates() {
    let dir = workspace(None);
    let app = app_with(&dir.path().join("graph"), Limits::default());
    let answer = get(&app, "/api/card?name=zia");
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    let ids: Vec<String> = answer.json()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["zia-khan", "zia-rahman"]);
}

#[test]
fn bad_parameters_answer_400_with_the_reason() {
    let app = shipped();
    let cases = [
        ("/api/path?from=isi", "\"to\" is required"),
        ("/api/path?from=isi&to=", "\"to\" is empty"),
        ("/api/path?from=isi&to=isi", "same entity"),
        ("/api/path?from=isi&to=cia&k=0", "from 1 to 50"),
        ("/api/path?from=isi&to=cia&k=51", "the server's limit"),
        ("/api/path?from=isi&to=cia&k=two", "\"two\""),
        ("/api/path?from=isi&to=cia&max-hops=11", "from 1 to 10"),
        (
            "/api/path?from=isi&to=cia&status=rumoured",
            "expected one of established",
        ),
        (
            "/api/path?from=isi&to=cia&status=aleged",
            "did you mean \"alleged\"",
        ),
        (
            "/api/path?from=isi&to=cia&kinds=persn",
            "did you mean \"person\"",
        ),
        ("/api/path?from=isi&to=cia&types=fundd", "\"funded\""),
        (
            "/api/path?from=isi&to=cia&tags=diretor-general",
            "did you mean \"director-general\"",
        ),
        (
            "/api/report?around=isi&where=founded%3E%3D1990",
            "unknown attribute \"founded\"",
        ),
        (
            "/api/path?from=isi&to=cia&during=19x9",
            "invalid \"during\"",
        ),
        (
            "/api/path?from=isi&to=cia&directed=maybe",
            "expected true or false",
        ),
        (
            "/api/path?from=isi&to=cia&rank=best",
            "expected one of cost, hops",
        ),
        ("/api/path?from=isi&to=cia&via=isi", "already on the route"),
        (
            "/api/path?from=isi&to=cia&avoid=cia",
            "must pass through it",
        ),
        (
            "/api/path?from=isi&to=cia&max-hop=3",
            "did you mean \"max-hops\"",
        ),
        (
            "/api/path?from=isi&to=cia&status=alleged&status=reported",
            "more than once",
        ),
        ("/api/neighbours?name=isi&depth=4", "from 1 to 3"),
        ("/api/neighbours?name=isi&limit=0", "from 1 to"),
        ("/api/search", "\"q\" is required"),
        ("/api/search?q=isi&limit=100000", "from 1 to 200"),
        ("/api/common?a=isi&b=isi", "same entity"),
        ("/api/stats?top=-1", "\"-1\""),
        ("/api/meta?x=1", "takes no parameters"),
        ("/api/chart", "\"ids\" is required"),
        ("/api/chart?ids=isi&pos=isi:1", "expected id:x:y"),
        ("/api/chart?ids=isi&pos=isi:nan:1", "expected id:x:y"),
        ("/api/export", "\"format\" is required"),
        ("/api/export?format=pdf", "expected one of dot"),
        ("/api/export?format=csv&around=isi", "add \"file\""),
        (
            "/api/export?format=csv&around=isi&file=x.csv",
            "expected one of nodes.csv",
        ),
        (
            "/api/export?format=dot&around=isi&from=isi&to=cia",
            "not both",
        ),
        ("/api/export?format=dot&from=isi", "\"to\" is required"),
        ("/api/export?format=dot&around=isi&depth=9", "from 0 to 3"),
        (
            "/api/export?format=svg&around=isi&engine=twopi",
            "expected one of dot",
        ),
        (
            "/api/report?format=pdf&around=isi",
            "expected one of html, md",
        ),
    ];
    for (uri, reason) in cases {
        let answer = get(&app, uri);
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            answer.text()
        );
        assert!(
            answer.error().contains(reason),
            "{uri}: \"{}\" does not say {reason}",
            answer.error()
        );
        assert_eq!(answer.header("content-type"), "application/json");
    }
}

#[test]
fn selections_over_the_limit_answer_422() {
    let limits = Limits {
        max_selection: 5,
        max_render: 3,
        ..Limits::default()
    };
    let app = app_with(&repo().join("graph"), limits);
    for uri in [
        "/api/export?format=json",
        "/api/export?format=json&around=isi",
        "/api/export?format=svg&around=hamid-gul&depth=2",
        "/api/report?around=isi",
        "/api/neighbours?name=isi",
        "/api/chart?ids=a,b,c,d,e,f",
        "/api/export?format=json&ids=a,b,c,d,e,f",
    ] {
        let answer = get(&app, uri);
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            answer.text()
        );
        assert!(
            answer.error().contains("limit"),
            "{uri}: {}",
            answer.error()
        );
    }
    // With a cap, a hub's neighbourhood is within the limit.
    let capped = ok(&app, "/api/neighbours?name=isi&limit=5");
    assert_eq!(capped["levels"][0]["entities"].as_array().unwrap().len(), 5);
}

#[test]
fn a_request_over_the_time_budget_answers_503_and_the_next_is_answered() {
    let slow = app_with(
        &repo().join("graph"),
        Limits {
            budget: Duration::ZERO,
            ..Limits::default()
        },
    );
    let answer = get(&slow, "/api/path?from=isi&to=taliban&k=50&max-hops=10");
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.text()
    );
    assert_eq!(answer.header("retry-after"), "1");
    assert!(answer.error().contains("busy"), "{}", answer.error());
    // Work that has started and outlasts the budget is abandoned: laying
    // out ISI's 246 neighbours takes several times 100 ms.
    let short = app_with(
        &repo().join("graph"),
        Limits {
            budget: Duration::from_millis(100),
            ..Limits::default()
        },
    );
    let answer = get(&short, "/api/export?format=svg&around=isi");
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.text()
    );
    assert!(answer.error().contains("budget"), "{}", answer.error());
    let app = shipped();
    ok(&app, "/api/path?from=isi&to=taliban&k=50&max-hops=10");
}

#[test]
fn a_hub_shows_its_strongest_neighbours_first_and_counts_the_rest() {
    let app = shipped();
    let all = ok(&app, "/api/neighbours?name=isi");
    let total = all["levels"][0]["entities"].as_array().unwrap().len();
    assert!(total > 20);
    let first = ok(&app, "/api/neighbours?name=isi&limit=10");
    let level = &first["levels"][0];
    assert_eq!(level["entities"].as_array().unwrap().len(), 10);
    assert_eq!(level["total"], total);
    assert_eq!(level["held_back"], total - 10);
    let next = ok(&app, "/api/neighbours?name=isi&limit=10&offset=10");
    assert_eq!(next["levels"][0]["held_back"], total - 20);
    let a: Vec<&Value> = level["entities"].as_array().unwrap().iter().collect();
    let b: Vec<&Value> = next["levels"][0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert!(a.iter().all(|x| !b.contains(x)), "pages overlap");
    // The strongest first: the first page's links to ISI are established.
    let card = ok(&app, "/api/card?name=isi");
    for e in &a {
        let id = e["id"].as_str().unwrap();
        let strongest = card["relations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["other"]["id"] == id)
            .map(|r| r["status"].as_str().unwrap())
            .any(|s| s == "established");
        assert!(strongest, "{id} is shown before established neighbours");
    }
}

#[test]
fn the_chart_keeps_pinned_entities_where_they_are() {
    let app = shipped();
    let first = ok(&app, "/api/chart?ids=isi,hamid-gul");
    let pos = |chart: &Value, id: &str| -> (f64, f64) {
        let n = chart["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        (n["x"].as_f64().unwrap(), n["y"].as_f64().unwrap())
    };
    let (ix, iy) = pos(&first, "isi");
    let (hx, hy) = pos(&first, "hamid-gul");
    let uri = format!(
        "/api/chart?ids=isi,hamid-gul,cia,taliban,osama-bin-laden&pos=isi:{ix}:{iy},hamid-gul:{hx}:{hy}"
    );
    let second = ok(&app, &uri);
    assert_eq!(pos(&second, "isi"), (ix, iy));
    assert_eq!(pos(&second, "hamid-gul"), (hx, hy));
    assert_eq!(second["nodes"].as_array().unwrap().len(), 5);
    // Same request, same answer.
    assert_eq!(ok(&app, &uri), second);
    // Every edge carries its style, years and the terminal's sentence.
    for e in second["edges"].as_array().unwrap() {
        assert!(["solid", "dashed", "dotted"].contains(&e["style"].as_str().unwrap()));
        assert!(!e["sentence"].as_str().unwrap().is_empty());
        assert!(!e["detail"].as_str().unwrap().is_empty());
    }
}

#[test]
fn exports_come_in_every_format() {
    let app = shipped();
    for format in [
        "dot", "json", "graphml", "mermaid", "cypher", "html", "svg", "png",
    ] {
        let answer = get(
            &app,
            &format!("/api/export?format={format}&from=hamid+gul&to=Osama+bin+Laden&download=1"),
        );
        assert_eq!(answer.status, StatusCode::OK, "{format}: {}", answer.text());
        assert!(
            answer
                .header("content-disposition")
                .contains(&format!("linkchart-hamid-gul-to-osama-bin-laden.{format}")),
            "{format}: {}",
            answer.header("content-disposition")
        );
        assert!(!answer.body.is_empty());
    }
    let csv = get(&app, "/api/export?format=csv&ids=isi,cia&file=nodes.csv");
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().starts_with("id:ID"), "{}", csv.text());
    let json = ok(
        &app,
        "/api/export?format=json&ids=isi,cia,taliban&status=established",
    );
    assert_eq!(json["entities"].as_array().unwrap().len(), 3);
    for r in json["relations"].as_array().unwrap() {
        assert_eq!(r["status"], "established");
    }
    let report = get(&app, "/api/report?from=hamid+gul&to=Osama+bin+Laden");
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.header("content-type").starts_with("text/html"));
    assert!(report.text().contains("<h2>Routes</h2>"));
    assert!(
        report
            .header("content-security-policy")
            .contains("default-src 'none'")
    );
    let md = get(&app, "/api/report?around=isi&format=md");
    assert!(
        md.text()
            .starts_with("# Inter-Services Intelligence: entity report")
    );
}

#[test]
fn the_guard_refuses_other_hosts_and_origins() {
    let app = shipped();
    let request = |host: Option<&str>, origin: Option<&str>| {
        let mut r = Request::get("/api/stats");
        if let Some(h) = host {
            r = r.header(header::HOST, h);
        }
        if let Some(o) = origin {
            r = r.header(header::ORIGIN, o);
        }
        send(&app, r.body(Body::empty()).unwrap())
    };
    for host in [
        "evil.example:7878",
        "127.0.0.1.nip.io:7878",
        "localhost:80",
        "127.0.0.1",
    ] {
        let answer = request(Some(host), None);
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{host}");
        assert!(answer.error().contains("DNS rebinding"));
    }
    assert_eq!(request(None, None).status, StatusCode::FORBIDDEN);
    for host in ["127.0.0.1:7878", "localhost:7878", "[::1]:7878"] {
        assert_eq!(request(Some(host), None).status, StatusCode::OK, "{host}");
    }
    assert_eq!(
        request(Some(HOST), Some("http://evil.example")).status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        request(Some(HOST), Some("null")).status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        request(Some(HOST), Some("http://127.0.0.1:7878")).status,
        StatusCode::OK
    );
}

#[test]
fn nothing_but_get_is_answered() {
    let app = shipped();
    for endpoint in ENDPOINTS {
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let answer = send(
                &app,
                Request::builder()
                    .method(method)
                    .uri(endpoint.path)
                    .header(header::HOST, HOST)
                    .body(Body::from("{}"))
                    .unwrap(),
            );
            assert_eq!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {}",
                endpoint.path
            );
        }
    }
}

#[test]
fn every_response_carries_the_security_headers() {
    let app = shipped();
    let page = get(&app, "/");
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    let policy = page.header("content-security-policy");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe"), "{policy}");
    assert!(page.text().contains("<script src=\"/app.js\""));
    for (uri, kind) in [("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let answer = get(&app, uri);
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.header("content-type").starts_with(kind));
    }
    for uri in ["/", "/api/stats", "/api/nope", "/nope"] {
        let answer = get(&app, uri);
        assert_eq!(answer.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(answer.header("x-frame-options"), "DENY", "{uri}");
        assert!(
            !answer.header("content-security-policy").is_empty(),
            "{uri}"
        );
    }
    assert_eq!(get(&app, "/nope").status, StatusCode::NOT_FOUND);
    let missing = get(&app, "/api/nope");
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.error().contains("GET /api lists them"));
}

#[test]
fn the_endpoint_list_and_meta_describe_the_api() {
    let app = shipped();
    let list = ok(&app, "/api");
    let paths: Vec<&str> = list["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    for endpoint in ENDPOINTS {
        assert!(paths.contains(&endpoint.path));
        // Every endpoint is in the README's table.
        let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
        assert!(
            readme.contains(&format!("`{}`", endpoint.path)),
            "{} is not documented",
            endpoint.path
        );
    }
    let meta = ok(&app, "/api/meta");
    assert!(
        meta["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kind"] == "person" && k["shape"] == "ellipse")
    );
    assert_eq!(meta["statuses"][2]["style"], "dashed");
    assert!(meta["years"][0].as_i64().unwrap() < meta["years"][1].as_i64().unwrap());
    assert_eq!(meta["limits"]["max_k"], 50);
}

#[test]
fn hostile_names_come_back_whole_as_data() {
    let dir = workspace(Some("tricky"));
    let app = app_with(&dir.path().join("graph"), Limits::default());
    let json = ok(&app, "/api/search?q=script");
    assert_eq!(json["matches"][0]["name"], "<script>alert('x')</script>");
    let chart = ok(
        &app,
        "/api/chart?ids=markup,quoted,newline,emoji,urdu,backslash",
    );
    let names: Vec<&str> = chart["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    for name in [
        "Osama \"bin\" Laden",
        "C:\\Users\\agent",
        "Line one\nLine two",
        "Spy 🕵️ Network 🔥",
    ] {
        assert!(names.contains(&name), "{name}: {names:?}");
    }
    let card = ok(&app, "/api/card?name=markup");
    assert_eq!(card["entity"]["name"], "<script>alert('x')</script>");
}

#[test]
fn serve_prints_its_url_answers_and_stops_on_ctrl_c() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let dir = workspace(None);
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkchart"))
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .env("LINKCHART_CACHE", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET /api/card?name=hamid%20gul HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"name\":\"Hamid Gul\""));
    // Ctrl-C: the server stops cleanly and says so.
    let pid = child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn serve_warns_off_loopback_and_explains_a_busy_port() {
    let dir = workspace(None);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let run = run_in(dir.path(), &["serve", "--port", &port]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is in use"), "{}", run.stderr);
    let run = run_in(dir.path(), &["serve", "--bind", "0.0.0.0", "--port", &port]);
    assert!(
        run.stderr.contains("warning: listening on 0.0.0.0"),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &["serve", "--bind", "localhost"]);
    assert_eq!(run.code, 2);
}

/// Playwright (in `.venv`, installed by `.ci/run`) and the system Chromium.
fn browser() -> Option<std::path::PathBuf> {
    let python = crate::interop::python();
    crate::interop::have(
        "Playwright and chromium",
        std::process::Command::new(&python).args([
            "-c",
            "import playwright, shutil; assert shutil.which('chromium')",
        ]),
    )
    .then_some(python)
}

fn run_script(python: &Path, args: &[&str]) {
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/interop/explorer_browser.py"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the browser test failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
}

/// Runs `linkchart serve` on `graph` (any free port) while `visit` is given
/// its URL, and stops it with Ctrl-C afterwards, whether `visit` passed or not.
fn with_server(graph: &Path, visit: impl FnOnce(&str) + std::panic::UnwindSafe) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkchart"))
        .args(["--graph", graph.to_str().unwrap(), "serve", "--port", "0"])
        .env("LINKCHART_CACHE", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    let result = std::panic::catch_unwind(|| visit(&url));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn a_browser_walks_the_explorer_scenario() {
    let Some(python) = browser() else { return };
    let shot = tempfile::NamedTempFile::with_suffix(".png").unwrap();
    with_server(&repo().join("graph"), |url| {
        run_script(&python, &["served", url, shot.path().to_str().unwrap()]);
    });
}

#[test]
fn a_browser_uses_the_tags_where_and_weighted_controls() {
    let Some(python) = browser() else { return };
    let dir = workspace(Some("attributes"));
    with_server(&dir.path().join("graph"), |url| {
        run_script(&python, &["filters", url]);
    });
}

#[test]
fn a_browser_opens_the_self_contained_html_from_disk() {
    let Some(python) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hamid-gul.html");
    let graph = repo().join("graph");
    crate::succeed(
        repo(),
        &[
            "--graph",
            graph.to_str().unwrap(),
            "export",
            "--format",
            "html",
            "--route",
            "hamid gul",
            "Osama bin Laden",
            "--k",
            "3",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    run_script(&python, &["file", file.to_str().unwrap()]);
}

#[test]
fn the_connecting_network_answers_like_the_command_line() {
    let app = shipped();
    let api = ok(
        &app,
        "/api/connect?name=Hamid+Gul&name=Osama+bin+Laden&name=CIA",
    );
    let graph = repo().join("graph");
    let cli: Value = serde_json::from_str(
        &run_in(
            repo(),
            &[
                "--graph",
                graph.to_str().unwrap(),
                "connect",
                "Hamid Gul",
                "Osama bin Laden",
                "CIA",
                "--format",
                "json",
            ],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(api, cli);
    // A name that cannot join is a gap, with the reason.
    let gap = ok(
        &app,
        "/api/connect?name=isi&name=cia&name=election-1990-gul-rigging-believers&max-hops=1",
    );
    assert_eq!(
        gap["gaps"],
        serde_json::json!([["election-1990-gul-rigging-believers"]])
    );
    assert!(
        gap["gap_note"]
            .as_str()
            .unwrap()
            .contains("could not be joined")
    );
    // One name, or an unknown one, is the caller's mistake.
    let one = get(&app, "/api/connect?name=isi");
    assert_eq!(one.status, StatusCode::BAD_REQUEST, "{}", one.text());
    let unknown = get(&app, "/api/connect?name=isi&name=Hamid+Gull");
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text());
}
