//! Every export read by its real client: Graphviz `dot` for DOT, networkx
//! for GraphML, kuzu (an embedded Cypher engine) for the Neo4j CSV files and
//! Cypher script, headless Chromium for the HTML report.
//!
//! `.ci/run` installs all of them. Outside CI a missing client skips its test
//! with a note on stderr; under CI (`CI` set) a missing client fails it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{repo, succeed, workspace};

/// Whether the client is here; panics under CI when it is not.
pub fn have(what: &str, probe: &mut Command) -> bool {
    let ok = probe.output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{what} is missing: .ci/run installs it");
        }
        // Straight to stderr, past the harness's capture, so the skip shows.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping: {what} is not installed (run .ci/run to install it)"
        );
    }
    ok
}

pub fn python() -> PathBuf {
    let venv = repo().join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// A temporary directory holding the base fixture plus the hostile names as `graph/`.
fn tricky() -> tempfile::TempDir {
    workspace(Some("tricky"))
}

fn linkchart(cwd: &Path, args: &[&str]) -> String {
    succeed(cwd, args)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// What `dot` keeps of a DOT string: `\"` becomes `"`, other escapes stay.
fn as_dot_attribute(name: &str) -> String {
    name.replace('\\', "\\\\").replace('\n', "\\n")
}

#[test]
fn graphviz_dot_reads_every_dot_export() {
    if !have("Graphviz dot", Command::new("dot").arg("-V")) {
        return;
    }
    let dir = tricky();
    let shipped = repo().join("graph");
    let shipped = shipped.to_str().unwrap();
    let cases: Vec<(PathBuf, Vec<&str>)> = vec![
        (dir.path().to_path_buf(), vec!["export", "--format", "dot"]),
        (
            dir.path().to_path_buf(),
            vec![
                "export",
                "--format",
                "dot",
                "--cluster",
                "kind",
                "--rankdir",
                "TB",
            ],
        ),
        (
            dir.path().to_path_buf(),
            vec!["export", "--format", "dot", "--cluster", "country"],
        ),
        (
            dir.path().to_path_buf(),
            vec!["path", "quoted", "emoji", "--format", "dot"],
        ),
        (
            repo().to_path_buf(),
            vec!["--graph", shipped, "export", "--format", "dot"],
        ),
        (
            repo().to_path_buf(),
            vec![
                "--graph",
                shipped,
                "export",
                "--format",
                "dot",
                "--route",
                "ISI",
                "Osama bin Laden",
                "--k",
                "5",
            ],
        ),
    ];
    for (cwd, args) in cases {
        let dot = linkchart(&cwd, &args);
        let out = Command::new("dot")
            .arg("-Tjson")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(dot.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        assert!(
            out.status.success(),
            "dot rejected {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let layout = json(&String::from_utf8(out.stdout).unwrap());
        // Every entity comes back whole: one node per id, with its name as
        // label (shortened when long) and the whole name in the tooltip.
        let nodes: Vec<&serde_json::Value> = layout["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| {
                o.get("nodes").is_none()
                    && o["name"]
                        .as_str()
                        .is_some_and(|n| !n.starts_with("legend:"))
            })
            .collect();
        let field = |key: &str| -> std::collections::HashMap<String, String> {
            nodes
                .iter()
                .map(|o| {
                    (
                        o["name"].as_str().unwrap().to_string(),
                        o[key].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        };
        let (labels, tooltips) = (field("label"), field("tooltip"));
        let mut json_args: Vec<&str> = args.iter().copied().filter(|a| *a != "dot").collect();
        if let Some(i) = json_args.iter().position(|a| *a == "--format") {
            json_args.insert(i + 1, "json");
        }
        json_args.retain(|a| !["--cluster", "kind", "country", "--rankdir", "TB"].contains(a));
        if json_args.contains(&"path") {
            continue; // path JSON has another shape; its entities are checked by count below
        }
        let export = json(&linkchart(&cwd, &json_args));
        let entities = export["entities"].as_array().unwrap();
        assert_eq!(labels.len(), entities.len(), "{args:?}: node count");
        for e in entities {
            let id = e["id"].as_str().unwrap();
            let name = e["name"].as_str().unwrap();
            // Long names are drawn shortened; the label is exactly that.
            let label = linkchart::export::dot::short_label(name);
            assert_eq!(
                labels.get(id).map(String::as_str),
                Some(as_dot_attribute(&label).as_str()),
                "{args:?}: label of {id}"
            );
            if label != name {
                assert!(
                    tooltips[id].starts_with(&format!("{}: ", as_dot_attribute(name))),
                    "{args:?}: tooltip of {id}"
                );
            }
        }
    }
}

#[test]
fn networkx_reads_the_graphml_export() {
    if !have(
        "networkx",
        Command::new(python()).args(["-c", "import networkx"]),
    ) {
        return;
    }
    for (cwd, graph) in [
        (tricky().keep(), None),
        (repo().to_path_buf(), Some(repo().join("graph"))),
    ] {
        let mut base: Vec<String> = Vec::new();
        if let Some(g) = &graph {
            base.extend(["--graph".to_string(), g.display().to_string()]);
        }
        let args = |extra: &[&str]| -> Vec<String> {
            base.iter()
                .cloned()
                .chain(extra.iter().map(|s| s.to_string()))
                .collect()
        };
        let export = json(&linkchart(
            &cwd,
            &args(&["export", "--format", "json"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        ));
        let file = tempfile::NamedTempFile::new().unwrap();
        let graphml = linkchart(
            &cwd,
            &args(&["export", "--format", "graphml"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        std::fs::write(file.path(), graphml).unwrap();
        let out = Command::new(python())
            .arg(repo().join("tests/interop/graphml_networkx.py"))
            .arg(file.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "networkx: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read = json(&String::from_utf8(out.stdout).unwrap());
        let entities = export["entities"].as_array().unwrap();
        let relations = export["relations"].as_array().unwrap();
        assert_eq!(read["nodes"], entities.len());
        assert_eq!(read["edges"], relations.len());
        assert_eq!(read["directed"], true);
        for e in entities {
            assert_eq!(
                read["names"][e["id"].as_str().unwrap()],
                e["name"],
                "name of {}",
                e["id"]
            );
            assert_eq!(read["kinds"][e["id"].as_str().unwrap()], e["kind"]);
        }
        for r in relations {
            assert_eq!(
                read["statuses"][r["id"].as_str().unwrap()],
                r["status"],
                "status of {}",
                r["id"]
            );
        }
    }
}

#[test]
fn kuzu_loads_the_neo4j_exports_and_agrees_on_shortest_routes() {
    if !have("kuzu", Command::new(python()).args(["-c", "import kuzu"])) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let graph = repo().join("graph");
    let g = graph.to_str().unwrap();
    let csv_dir = work.path().join("csv");
    linkchart(
        repo(),
        &[
            "--graph",
            g,
            "export",
            "--format",
            "csv",
            "-o",
            csv_dir.to_str().unwrap(),
        ],
    );
    let cypher = work.path().join("graph.cypher");
    linkchart(
        repo(),
        &[
            "--graph",
            g,
            "export",
            "--format",
            "cypher",
            "-o",
            cypher.to_str().unwrap(),
        ],
    );
    let export = json(&linkchart(
        repo(),
        &["--graph", g, "export", "--format", "json"],
    ));
    for (from, to) in [
        ("hamid-gul", "osama-bin-laden"),
        ("cia", "taliban"),
        ("asim-malik", "haqqani-network"),
        // Three shortest routes of three steps.
        ("benazir-bhutto", "osama-bin-laden"),
    ] {
        let route = json(&linkchart(
            repo(),
            &[
                "--graph",
                g,
                "path",
                from,
                to,
                "--no-derived",
                "--max-hops",
                "12",
                "--limit",
                "1000",
                "--format",
                "json",
            ],
        ));
        let ours = route["routes"][0]["length"].as_u64().unwrap();
        let db = tempfile::tempdir_in(work.path()).unwrap();
        let out = Command::new(python())
            .arg(repo().join("tests/interop/neo4j_kuzu.py"))
            .args([
                csv_dir.as_os_str(),
                cypher.as_os_str(),
                db.path().as_os_str(),
            ])
            .args([from, to])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kuzu: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read = json(&String::from_utf8(out.stdout).unwrap());
        let n = export["entities"].as_array().unwrap().len();
        let m = export["relations"].as_array().unwrap().len();
        assert_eq!(read["bulk_nodes"], n);
        assert_eq!(read["bulk_relationships"], m);
        assert_eq!(
            read["script_nodes"], n,
            "the Cypher script, run twice, leaves each entity once"
        );
        assert_eq!(read["script_relationships"], m);
        assert_eq!(
            read["shortest"], ours,
            "{from} -> {to}: kuzu and linkchart disagree"
        );
        // Every shortest route, the README's Cypher equivalent of `path`.
        let mut all: Vec<Vec<String>> = route["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["entities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e.as_str().unwrap().to_string())
                    .collect()
            })
            .collect();
        all.sort();
        assert_eq!(route["total"].as_u64(), Some(all.len() as u64));
        let theirs: Vec<Vec<String>> =
            serde_json::from_value(read["all_shortest"].clone()).unwrap();
        assert_eq!(
            theirs, all,
            "{from} -> {to}: kuzu's ALL SHORTEST routes and linkchart's differ"
        );
        let name = export["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == from)
            .unwrap()["name"]
            .clone();
        assert_eq!(read["name"], name);
        assert_eq!(read["script_name"], name);
    }
}

#[test]
fn chromium_opens_the_html_report() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(chromium) = chromium else {
        have("headless Chromium", &mut Command::new("chromium"));
        return;
    };
    let dir = tricky();
    let report = dir.path().join("report.html");
    linkchart(
        dir.path(),
        &["report", "newline", "emoji", "-o", "report.html"],
    );
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let profile = tempfile::tempdir().unwrap();
    let user_data = format!("--user-data-dir={}", profile.path().display());
    let url = format!("file://{}", report.display());
    let dom = Command::new(chromium)
        .args(flags)
        .arg(&user_data)
        .args(["--virtual-time-budget=2000", "--dump-dom"])
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<svg"), "the chart is missing");
    assert!(!dom.contains("<script"), "a name became a script element");
    assert!(
        !dom.contains("<title>pwned</title>"),
        "an event handler in a description ran"
    );
    assert!(
        dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;")
            || dom.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "the hostile name is not shown as text"
    );
    let shot = dir.path().join("report.png");
    let out = Command::new(chromium)
        .args(flags)
        .arg(&user_data)
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,1600")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).expect("a screenshot was written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

/// The headless browser, if installed (a failure under CI when it is not).
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        have("headless Chromium", &mut Command::new("chromium"));
    }
    found
}

/// The DOM Chromium builds from a local file.
fn chromium_dom(chromium: &str, file: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Chromium parses SVG and GraphML as XML and shows a `parsererror` for
/// anything that is not well-formed; every drawing and XML export of the
/// hostile names must parse.
#[test]
fn chromium_parses_every_xml_output_of_hostile_names() {
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tricky();
    let outputs: Vec<(&str, Vec<&str>)> = vec![
        ("whole.svg", vec!["render", "-o", "whole.svg"]),
        (
            "sfdp.svg",
            vec![
                "render",
                "--engine",
                "sfdp",
                "--cluster",
                "kind",
                "-o",
                "sfdp.svg",
            ],
        ),
        (
            "route.svg",
            vec!["render", "--route", "pipes", "formula", "-o", "route.svg"],
        ),
        (
            "around.svg",
            vec!["render", "--around", "long-name", "-o", "around.svg"],
        ),
        (
            "graph.xml",
            vec!["export", "--format", "graphml", "-o", "graph.xml"],
        ),
    ];
    for (file, args) in outputs {
        linkchart(dir.path(), &args);
        let dom = chromium_dom(chromium, &dir.path().join(file));
        assert!(
            !dom.contains("parsererror"),
            "{file} is not well-formed XML:\n{dom}"
        );
        assert!(
            dom.contains("<svg") || dom.contains("<graphml"),
            "{file}: {dom}"
        );
        assert!(
            !dom.contains("<script"),
            "{file}: a name became a script element"
        );
    }
    // The report around the long name and the DOT break-out is whole too.
    linkchart(
        dir.path(),
        &[
            "report",
            "dot-breakout",
            "--depth",
            "2",
            "-o",
            "report.html",
        ],
    );
    let dom = chromium_dom(chromium, &dir.path().join("report.html"));
    assert!(dom.contains("<svg"), "the chart is missing");
    assert!(!dom.contains("<script"), "a name became a script element");
    assert!(dom.contains("\"]; evil [label=\"pwned\"]; x ["), "{dom}");
}

#[test]
fn kuzu_reads_hostile_names_exactly() {
    if !have("kuzu", Command::new(python()).args(["-c", "import kuzu"])) {
        return;
    }
    let dir = tricky();
    let work = tempfile::tempdir().unwrap();
    let csv_dir = work.path().join("csv");
    let cypher = work.path().join("graph.cypher");
    linkchart(
        dir.path(),
        &["export", "--format", "csv", "-o", csv_dir.to_str().unwrap()],
    );
    linkchart(
        dir.path(),
        &[
            "export",
            "--format",
            "cypher",
            "-o",
            cypher.to_str().unwrap(),
        ],
    );
    let export = json(&linkchart(dir.path(), &["export", "--format", "json"]));
    let db = tempfile::tempdir_in(work.path()).unwrap();
    let out = Command::new(python())
        .arg(repo().join("tests/interop/neo4j_kuzu.py"))
        .args([
            csv_dir.as_os_str(),
            cypher.as_os_str(),
            db.path().as_os_str(),
        ])
        .args(["quoted", "formula"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kuzu: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = json(&String::from_utf8(out.stdout).unwrap());
    let entities = export["entities"].as_array().unwrap();
    assert_eq!(read["bulk_nodes"], entities.len());
    assert_eq!(read["script_nodes"], entities.len());
    for e in entities {
        let id = e["id"].as_str().unwrap();
        // Formula text (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`) comes back as
        // written: the Neo4j files are for databases, not spreadsheets.
        assert_eq!(read["names"][id], e["name"], "bulk import: name of {id}");
        assert_eq!(read["script_names"][id], e["name"], "script: name of {id}");
    }
    for r in export["relations"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let note = r["note"].as_str().unwrap_or_default();
        let got = |key: &str| read[key][id].as_str().unwrap_or_default().to_string();
        assert_eq!(got("notes"), note, "bulk import: note of {id}");
        assert_eq!(got("script_notes"), note, "script: note of {id}");
    }
}

/// `connect` on random connected graphs, against networkx's Steiner tree
/// approximation with unit costs: never more steps than networkx needs.
#[test]
fn connecting_networks_are_no_larger_than_networkx_steiner_trees() {
    if !have(
        "networkx",
        Command::new(python()).args(["-c", "import networkx"]),
    ) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    // A small deterministic generator (splitmix64), so the cases never change.
    let mut state = 7u64;
    let mut next = |n: u64| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    };
    for case in 0..25 {
        let n = 12 + next(30);
        let mut edges: std::collections::BTreeSet<(u64, u64)> = Default::default();
        // A random tree keeps the graph connected; then some extra edges.
        for v in 1..n {
            let u = next(v);
            edges.insert((u.min(v), u.max(v)));
        }
        for _ in 0..n {
            let (a, b) = (next(n), next(n));
            if a != b {
                edges.insert((a.min(b), a.max(b)));
            }
        }
        let mut terminals: Vec<u64> = Vec::new();
        while terminals.len() < 3 + (case % 4) as usize {
            let t = next(n);
            if !terminals.contains(&t) {
                terminals.push(t);
            }
        }
        let dir = work.path().join(format!("case{case}"));
        std::fs::create_dir_all(dir.join("entities")).unwrap();
        std::fs::create_dir_all(dir.join("relations")).unwrap();
        std::fs::write(
            dir.join("schema.ron"),
            r##"Schema(kinds: {"thing": (label: "Thing", shape: "box", color: "#eeeeee")}, relation_types: {"linked": (label: "linked to", inverse: "linked to", symmetric: true)})"##,
        )
        .unwrap();
        std::fs::write(
            dir.join("sources.ron"),
            r#"[(id: "s", title: "Random", kind: "test", sections: [(id: "all", title: "All")])]"#,
        )
        .unwrap();
        let entities: Vec<String> = (0..n)
            .map(|i| format!(r#"(id: "n{i}", name: "Node {i}", kind: "thing", description: "")"#))
            .collect();
        std::fs::write(
            dir.join("entities/all.ron"),
            format!("[{}]", entities.join(",\n")),
        )
        .unwrap();
        let relations: Vec<String> = edges
            .iter()
            .map(|(a, b)| {
                format!(r#"(from: "n{a}", to: "n{b}", type: "linked", status: established, source: (id: "s", section: "all"))"#)
            })
            .collect();
        std::fs::write(
            dir.join("relations/all.ron"),
            format!("[{}]", relations.join(",\n")),
        )
        .unwrap();
        let mut args = vec![
            "--graph".to_string(),
            dir.display().to_string(),
            "connect".to_string(),
        ];
        args.extend(terminals.iter().map(|t| format!("n{t}")));
        args.extend(["--max-hops", "60", "--format", "json"].map(String::from));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let network = json(&linkchart(work.path(), &argv));
        assert!(
            network["gaps"].as_array().unwrap().is_empty(),
            "case {case}: gaps in a connected graph"
        );
        ours.push(network["steps"].as_array().unwrap().len());
        cases.push(serde_json::json!({
            "edges": edges.iter().map(|(a, b)| [a, b]).collect::<Vec<_>>(),
            "terminals": terminals,
        }));
    }
    let file = work.path().join("cases.json");
    std::fs::write(&file, serde_json::to_string(&cases).unwrap()).unwrap();
    let out = Command::new(python())
        .arg(repo().join("tests/interop/steiner_networkx.py"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "networkx: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<usize> = serde_json::from_slice(&out.stdout).unwrap();
    for (case, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        assert!(o <= t, "case {case}: linkchart {o} steps, networkx {t}");
    }
    eprintln!("connect: linkchart {ours:?}, networkx {theirs:?}");
}
