//! Exports, renders and reports on the fixture with hostile names; the real
//! clients that read them are exercised in tests/interop.rs.

use crate::{repo, run_in, workspace};

fn tricky() -> tempfile::TempDir {
    workspace(Some("tricky"))
}

fn ok(run: crate::Run) -> String {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn every_text_format_is_a_snapshot() {
    let dir = tricky();
    for format in [
        "dot",
        "mermaid",
        "graphml",
        "cypher",
        "json",
        "ftm",
        "gexf",
        "cytoscape",
    ] {
        let out = ok(run_in(dir.path(), &["export", "--format", format]));
        insta::assert_snapshot!(format!("export_{format}"), out);
    }
}

#[test]
fn csv_writes_two_files_into_a_directory() {
    let dir = tricky();
    let run = run_in(dir.path(), &["export", "--format", "csv", "-o", "neo4j"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let nodes = std::fs::read_to_string(dir.path().join("neo4j/nodes.csv")).unwrap();
    let rels = std::fs::read_to_string(dir.path().join("neo4j/relationships.csv")).unwrap();
    assert!(nodes.starts_with(
        "id:ID,name,kind,aliases:string[],description,start,end,tags:string[],:LABEL\n"
    ));
    assert!(rels.starts_with(":START_ID,:END_ID,:TYPE,"));
    insta::assert_snapshot!("csv_nodes", nodes);
    insta::assert_snapshot!("csv_relationships", rels);
    let run = run_in(dir.path(), &["export", "--format", "csv"]);
    assert_eq!(run.code, 2, "csv needs a directory");
}

#[test]
fn selections_narrow_every_format() {
    let dir = tricky();
    let count = |args: &[&str]| -> (usize, usize) {
        let mut all = vec!["export", "--format", "json"];
        all.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&ok(run_in(dir.path(), &all))).unwrap();
        (
            v["entities"].as_array().unwrap().len(),
            v["relations"].as_array().unwrap().len(),
        )
    };
    assert_eq!(count(&[]), (27, 24));
    assert_eq!(count(&["--around", "isi", "--depth", "1"]), (6, 5));
    assert_eq!(count(&["--route", "hamid gul", "taliban"]), (3, 3));
    assert_eq!(count(&["--status", "established"]).1, 15);
    assert_eq!(count(&["--kinds", "person"]), (8, 1));
    assert_eq!(count(&["--types", "headed"]).1, 5);
    assert_eq!(count(&["--during", "1988"]).1, 2);
    let run = run_in(
        dir.path(),
        &["export", "--format", "json", "--route", "isi", "lonely"],
    );
    assert_eq!(run.code, 2);
}

#[test]
fn dot_options_cluster_and_rankdir() {
    let dir = tricky();
    let out = ok(run_in(
        dir.path(),
        &[
            "export",
            "--format",
            "dot",
            "--cluster",
            "kind",
            "--rankdir",
            "TB",
        ],
    ));
    assert!(out.contains("subgraph cluster_0"), "{out}");
    assert!(out.contains("rankdir=\"TB\""));
    let out = ok(run_in(
        dir.path(),
        &[
            "export",
            "--format",
            "dot",
            "--cluster",
            "country",
            "--no-legend",
        ],
    ));
    assert!(out.contains("label=\"Pakistan\""), "{out}");
    assert!(!out.contains("cluster_legend"));
}

#[test]
fn same_export_every_time() {
    let dir = tricky();
    for format in ["dot", "graphml", "mermaid", "cypher"] {
        let a = ok(run_in(dir.path(), &["export", "--format", format]));
        let b = ok(run_in(dir.path(), &["export", "--format", format]));
        assert_eq!(a, b, "{format} is not deterministic");
    }
}

/// Counts the `<g class="node">` groups of an SVG, after checking that it is
/// well-formed XML.
fn svg_nodes(svg: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the SVG is not well-formed XML: {e}"),
        }
    }
    svg.matches(" class=\"node\"").count()
}

#[test]
fn render_svg_has_one_node_per_entity() {
    let dir = tricky();
    let run = run_in(dir.path(), &["render", "-o", "chart.svg", "--no-legend"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(dir.path().join("chart.svg")).unwrap();
    assert_eq!(svg_nodes(&svg), 27);
    for name in [
        "Osama &quot;bin&quot; Laden",
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
        "انٹر سروسز انٹیلی جنس",
    ] {
        let plain = name.replace("&quot;", "\"").replace("&#39;", "'");
        assert!(
            svg.contains(name) || svg.contains(&plain),
            "{name} missing from the SVG"
        );
    }
    let run = run_in(
        dir.path(),
        &[
            "render",
            "-o",
            "route.svg",
            "--route",
            "hamid gul",
            "taliban",
            "--no-legend",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(dir.path().join("route.svg")).unwrap();
    assert_eq!(svg_nodes(&svg), 3);
}

#[test]
fn render_png_and_engines() {
    let dir = tricky();
    let run = run_in(
        dir.path(),
        &["render", "-o", "chart.png", "--engine", "neato"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let png = std::fs::read(dir.path().join("chart.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let run = run_in(dir.path(), &["render", "-o", "chart.gif"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot tell the image format"),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &["render", "-o", "chart.pdf"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--with-system-dot"), "{}", run.stderr);
}

#[test]
fn system_dot_says_how_to_install_when_missing() {
    let dir = tricky();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_linkchart"))
        .args(["render", "-o", "chart.pdf", "--with-system-dot"])
        .current_dir(dir.path())
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(
        !dir.path().join("chart.pdf").exists(),
        "no half-written file"
    );
}

#[test]
fn html_report_escapes_everything() {
    let dir = tricky();
    let html = ok(run_in(dir.path(), &["report", "newline", "emoji"]));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>"), "a name became markup");
    assert!(!html.contains("<img src=x"), "a description became markup");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("<svg"));
    assert!(!html.contains("http://") || html.matches("http://").all(|_| true));
    for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!html.contains(external), "external request: {external}");
    }
    let md = ok(run_in(
        dir.path(),
        &["report", "newline", "emoji", "--format", "md"],
    ));
    assert!(md.contains("```mermaid"));
    assert!(md.contains("&lt;script&gt;"));
    insta::assert_snapshot!("report_md", md);
}

#[test]
fn entity_report() {
    let dir = tricky();
    let html = ok(run_in(dir.path(), &["report", "isi"]));
    assert!(
        html.contains("<h1>Inter-Services Intelligence: entity report</h1>"),
        "{html}"
    );
}

#[test]
fn a_route_selection_without_a_route_finds_nothing_and_says_why() {
    // Same exit code and the same explanation as `path`.
    let args = [
        "--route",
        "hamid-gul",
        "taliban",
        "--status",
        "established",
        "--types",
        "headed",
    ];
    let path = crate::run_case(None, &[&["path"][..], &args[1..3], &args[3..]].concat());
    assert_eq!(path.code, 1, "{}", path.stderr);
    for command in [
        &["export", "--format", "dot"][..],
        &["render", "-o", "x.svg"],
    ] {
        let run = crate::run_case(None, &[command, &args[..]].concat());
        assert_eq!(run.code, 1, "{command:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        assert_eq!(run.stderr, format!("error: {}", path.stderr), "{command:?}");
    }
}

/// Width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let word = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn xml_outputs_of_hostile_names_are_well_formed() {
    let dir = tricky();
    ok(run_in(dir.path(), &["render", "-o", "chart.svg"]));
    ok(run_in(
        dir.path(),
        &["export", "--format", "graphml", "-o", "graph.xml"],
    ));
    for file in ["chart.svg", "graph.xml"] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{file} is not well-formed XML: {e}"),
            }
        }
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
            "{file} holds a control character"
        );
    }
}

#[test]
fn long_names_are_shortened_in_drawings_and_images_are_capped() {
    let dir = tricky();
    let huge = "Fifty thousand characters ".repeat(2000);
    std::fs::write(
        dir.path().join("graph/entities/huge.ron"),
        format!("[ (id: \"huge\", name: \"{huge}\", kind: \"agency\", description: \"\") ]"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("graph/relations/huge.ron"),
        "[ (from: \"huge\", to: \"isi\", type: \"headed\", status: established, source: (id: \"notes\", section: \"one\")) ]",
    )
    .unwrap();
    ok(run_in(
        dir.path(),
        &["render", "--around", "huge", "-o", "huge.png"],
    ));
    let (w, h) = png_size(&std::fs::read(dir.path().join("huge.png")).unwrap());
    // Once a 50,000-character name made a 733,760-pixel-wide image.
    assert!(w < 4000 && h < 4000, "{w}×{h} pixels for one long name");
    ok(run_in(
        dir.path(),
        &["render", "--around", "huge", "-o", "huge.svg"],
    ));
    let svg = std::fs::read_to_string(dir.path().join("huge.svg")).unwrap();
    assert!(
        svg.contains(">Fifty thousand characters<"),
        "the label is wrapped"
    );
    assert!(svg.contains("…"), "the label is cut");
    // The whole chart of every hostile name stays within the caps.
    ok(run_in(
        dir.path(),
        &["render", "--engine", "sfdp", "-o", "all.png"],
    ));
    let (w, h) = png_size(&std::fs::read(dir.path().join("all.png")).unwrap());
    assert!(
        w <= linkchart::render::MAX_SIDE
            && h <= linkchart::render::MAX_SIDE
            && u64::from(w) * u64::from(h) <= linkchart::render::MAX_PIXELS,
        "{w}×{h}"
    );
}

#[test]
fn render_refuses_a_chart_too_large_for_its_engine() {
    let graph = repo().join("graph");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("isi.svg");
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = vec![
            "--graph".into(),
            graph.display().to_string(),
            "render".into(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.extend(["-o".to_string(), target.display().to_string()]);
        v
    };
    let run = |extra: &[&'static str]| {
        let a = args(extra);
        run_in(
            out.path(),
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    let refused = run(&[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(!target.exists(), "nothing is written");
    insta::assert_snapshot!(refused.stderr);
    let refused = run(&["--engine", "neato"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("--engine sfdp"),
        "{}",
        refused.stderr
    );
    // The whole shipped graph fits sfdp's limit and draws in well under a second.
    let drawn = run(&["--engine", "sfdp"]);
    assert_eq!(drawn.code, 0, "{}", drawn.stderr);
    assert!(target.exists());
    // Reports lay out their chart with dot, and say how to narrow them.
    let report = run_in(
        out.path(),
        &[
            "--graph",
            graph.to_str().unwrap(),
            "report",
            "isi",
            "--depth",
            "2",
        ],
    );
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report.stderr.contains("narrow the report"),
        "{}",
        report.stderr
    );
}

#[test]
fn a_succession_is_drawn_in_time_order() {
    // One relation type, dated: the directors-general read left to right
    // from 1948, the undated ones after them.
    let graph = repo().join("graph");
    let out = ok(run_in(
        repo(),
        &[
            "--graph",
            graph.to_str().unwrap(),
            "export",
            "--format",
            "dot",
            "--around",
            "isi",
            "--types",
            "headed",
            "--kinds",
            "person",
        ],
    ));
    let at = |id: &str| {
        out.find(&format!("\n  \"{id}\"["))
            .unwrap_or_else(|| panic!("no node {id}"))
    };
    let order = [
        "walter-cawthorn",
        "shamsur-rahman-kallu",
        "ziauddin-butt",
        "faiz-hameed",
        "nadeem-anjum",
        "asim-malik",
        "hamid-gul",
    ];
    for pair in order.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} after {}", pair[0], pair[1]);
    }
    // Mixed relation types keep the id order.
    let mixed = ok(run_in(
        repo(),
        &[
            "--graph",
            graph.to_str().unwrap(),
            "export",
            "--format",
            "dot",
            "--around",
            "hamid-gul",
        ],
    ));
    let a = mixed
        .find("\n  \"1990-pakistani-general-election\"[")
        .unwrap();
    let b = mixed.find("\n  \"hamid-gul\"[").unwrap();
    assert!(a < b);
}
