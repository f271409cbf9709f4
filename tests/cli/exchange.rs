//! The field's exchange formats read by their real clients: the
//! `followthemoney` package validates the FtM export, networkx reads the
//! GEXF export, and the `cytoscape` npm package (under node) loads the
//! Cytoscape.js export. Each runs on the shipped graph, the hostile names
//! and a graph with attributes; each client's view is compared with
//! linkchart's own JSON export.

use std::path::Path;
use std::process::Command;

use crate::interop::{have, python};
use crate::{repo, succeed, workspace};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// (working directory, arguments that name the graph)
fn graphs() -> Vec<(tempfile::TempDir, Vec<String>)> {
    let shipped = tempfile::tempdir().unwrap();
    let g = repo().join("graph").display().to_string();
    vec![
        (shipped, vec!["--graph".to_string(), g]),
        (workspace(Some("tricky")), Vec::new()),
        (workspace(Some("attributes")), Vec::new()),
    ]
}

fn export(cwd: &Path, base: &[String], format: &str) -> String {
    let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
    args.extend(["export", "--format", format]);
    succeed(cwd, &args)
}

fn run(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&String::from_utf8(out.stdout).unwrap())
}

#[test]
fn followthemoney_validates_the_ftm_export() {
    if !have(
        "the followthemoney package",
        Command::new(python()).args(["-c", "import followthemoney"]),
    ) {
        return;
    }
    for (dir, base) in graphs() {
        let ours = json(&export(dir.path(), &base, "json"));
        let file = dir.path().join("export.ftm.json");
        std::fs::write(&file, export(dir.path(), &base, "ftm")).unwrap();
        let read = run(Command::new(python())
            .arg(repo().join("tests/interop/ftm_validate.py"))
            .arg(&file));
        assert_eq!(read["problems"], serde_json::json!([]), "{base:?}");
        let entities = ours["entities"].as_array().unwrap();
        assert_eq!(read["entities"], entities.len());
        assert_eq!(read["links"], ours["relations"].as_array().unwrap().len());
        for e in entities {
            // FtM's name type joins lines and drops invisible characters
            // (zero-width joiners, direction marks); the exact name rides in
            // `linkchart` (the round trip in roundtrip.rs proves it comes back).
            let name = e["name"].as_str().unwrap();
            let visible: String = name
                .chars()
                .filter(|c| !matches!(*c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF))
                .collect();
            let joined = visible.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(read["names"][e["id"].as_str().unwrap()], joined.as_str());
        }
    }
}

#[test]
fn networkx_reads_the_gexf_export() {
    if !have(
        "networkx",
        Command::new(python()).args(["-c", "import networkx"]),
    ) {
        return;
    }
    for (dir, base) in graphs() {
        let ours = json(&export(dir.path(), &base, "json"));
        let file = dir.path().join("export.gexf");
        std::fs::write(&file, export(dir.path(), &base, "gexf")).unwrap();
        let read = run(Command::new(python())
            .arg(repo().join("tests/interop/gexf_networkx.py"))
            .arg(&file));
        let entities = ours["entities"].as_array().unwrap();
        let relations = ours["relations"].as_array().unwrap();
        assert_eq!(read["nodes"], entities.len());
        assert_eq!(read["edges"], relations.len());
        assert_eq!(read["directed"], true);
        for e in entities {
            let id = e["id"].as_str().unwrap();
            assert_eq!(read["labels"][id], e["name"], "label of {id}");
            assert_eq!(read["kinds"][id], e["kind"]);
        }
        for r in relations {
            let id = r["id"].as_str().unwrap();
            assert_eq!(read["statuses"][id], r["status"], "status of {id}");
            let spells = &read["spells"][id];
            assert_eq!(
                spells.is_null(),
                r.get("date").is_none() && r.get("period").is_none(),
                "spells of {id}: {spells}"
            );
            if let Some(w) = r.get("weight") {
                assert_eq!(read["weights"][id].as_f64(), w.as_f64());
            }
        }
    }
}

#[test]
fn cytoscape_loads_the_cytoscape_export() {
    let script = repo().join("tests/interop/cytoscape_load.js");
    let modules = repo().join("tests/interop/node_modules/cytoscape");
    if !have("node", Command::new("node").arg("--version")) {
        return;
    }
    if !modules.exists() {
        have(
            "the cytoscape npm package in tests/interop/node_modules",
            &mut Command::new("false"),
        );
        return;
    }
    for (dir, base) in graphs() {
        let ours = json(&export(dir.path(), &base, "json"));
        let file = dir.path().join("export.cy.json");
        std::fs::write(&file, export(dir.path(), &base, "cytoscape")).unwrap();
        let read = run(Command::new("node").arg(&script).arg(&file));
        let entities = ours["entities"].as_array().unwrap();
        let relations = ours["relations"].as_array().unwrap();
        assert_eq!(read["nodes"], entities.len());
        assert_eq!(read["edges"], relations.len());
        for e in entities {
            let id = e["id"].as_str().unwrap();
            assert_eq!(read["labels"][id], e["name"]);
            assert_ne!(
                read["colors"][id], "rgb(153,153,153)",
                "{id} has its kind's colour"
            );
        }
        for r in relations {
            let id = r["id"].as_str().unwrap();
            assert_eq!(read["statuses"][id], r["status"]);
            let line = match r["status"].as_str().unwrap() {
                "alleged" => "dashed",
                "disputed" => "dotted",
                _ => "solid",
            };
            assert_eq!(read["lines"][id], line, "line of {id}");
        }
    }
}

#[test]
fn mermaid_draws_the_mermaid_export() {
    // The mermaid package itself parses and draws the export in headless
    // Chromium; every entity's name (lines joined, as the export writes it)
    // comes back as the text of a drawn node.
    let library = repo().join("tests/interop/node_modules/mermaid/dist/mermaid.min.js");
    if !have(
        "playwright and chromium",
        Command::new(python()).args([
            "-c",
            "import playwright, shutil; assert shutil.which('chromium')",
        ]),
    ) || !(library.exists()
        || have(
            "the mermaid npm package in tests/interop/node_modules",
            &mut Command::new("false"),
        ))
    {
        return;
    }
    // The whole shipped graph is over Mermaid's default limit of 500 edges
    // (a reader would export a selection of it): the fixtures only.
    for (dir, base) in graphs().into_iter().skip(1) {
        let ours = json(&export(dir.path(), &base, "json"));
        let file = dir.path().join("export.mmd");
        std::fs::write(&file, export(dir.path(), &base, "mermaid")).unwrap();
        let drawn = run(Command::new(python())
            .arg(repo().join("tests/interop/mermaid_render.py"))
            .arg(&file)
            .arg(&library));
        assert_eq!(drawn["parsed"], true, "{base:?}: {}", drawn["error"]);
        let labels: Vec<&str> = drawn["labels"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l.as_str())
            .collect();
        for e in ours["entities"].as_array().unwrap() {
            let name = e["name"].as_str().unwrap();
            let joined = name.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                labels.iter().any(|l| *l == joined),
                "{base:?}: {joined:?} is not drawn"
            );
        }
    }
}
