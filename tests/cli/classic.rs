//! The four classic networks of `examples/`, each imported with one command
//! from the file it ships in, and `path` checked against networkx on every
//! pair: the shortest route's length and how many shortest routes there are;
//! on Les Misérables also the cheapest route by co-occurrence weight
//! (`--weighted`), how many cheapest routes, and the costs of the five
//! cheapest loopless routes (`--weighted --k 5`) for a sample of pairs.

use std::collections::HashMap;
use std::process::Command;

use crate::interop::{have, python};
use crate::{repo, run_in, succeed};

struct Example {
    name: &'static str,
    /// The import command's arguments after `import`.
    import: &'static [&'static str],
    /// How networkx reads it: ("graphml" | "csv", file).
    networkx: (&'static str, &'static str),
    weighted: bool,
}

const EXAMPLES: &[Example] = &[
    Example {
        name: "florentine",
        import: &[
            "csv",
            "examples/florentine/marriages.csv",
            "--undirected",
            "--kind",
            "family",
            "--type",
            "married-into",
        ],
        networkx: ("csv", "examples/florentine/marriages.csv"),
        weighted: false,
    },
    Example {
        name: "karate",
        import: &[
            "graphml",
            "examples/karate/karate.graphml",
            "--kind",
            "person",
        ],
        networkx: ("graphml", "examples/karate/karate.graphml"),
        weighted: false,
    },
    Example {
        name: "lesmis",
        import: &[
            "graphml",
            "examples/lesmis/lesmis.graphml",
            "--kind",
            "person",
            "--type",
            "appears-with",
        ],
        networkx: ("graphml", "examples/lesmis/lesmis.graphml"),
        weighted: true,
    },
    Example {
        name: "davis",
        import: &[
            "csv",
            "examples/davis/women.csv",
            "examples/davis/events.csv",
            "examples/davis/attended.csv",
        ],
        networkx: ("csv", "examples/davis/attended.csv"),
        weighted: false,
    },
];

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Runs `path --pairs` and returns one answer per line, in order.
fn answers(graph: &str, pairs: &[(String, String)], extra: &[&str]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.tsv");
    let text: String = pairs.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let mut args = vec![
        "--graph",
        graph,
        "path",
        "--pairs",
        file.to_str().unwrap(),
        "--max-hops",
        "20",
    ];
    args.extend(extra);
    if !extra.contains(&"--limit") {
        args.extend(["--limit", "1"]);
    }
    let out = succeed(repo(), &args);
    out.lines().map(json).collect()
}

#[test]
fn path_agrees_with_networkx_on_the_classic_networks() {
    if !have(
        "networkx",
        Command::new(python()).args(["-c", "import networkx"]),
    ) {
        return;
    }
    for ex in EXAMPLES {
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join(ex.name);
        let mut args = vec!["import"];
        args.extend(ex.import);
        args.extend(["-o", out.to_str().unwrap()]);
        let run = run_in(repo(), &args);
        assert_eq!(run.code, 0, "{}: {}", ex.name, run.stderr);
        assert!(
            !run.stderr.contains("skipped"),
            "{}: {}",
            ex.name,
            run.stderr
        );
        let g = out.to_str().unwrap();
        succeed(repo(), &["--graph", g, "check"]);
        // The input's node ids as linkchart's ids.
        let export = json(&succeed(
            repo(),
            &["--graph", g, "export", "--format", "json"],
        ));
        let mut ids: HashMap<String, String> = HashMap::new();
        for e in export["entities"].as_array().unwrap() {
            let id = e["id"].as_str().unwrap().to_string();
            let original = e["props"]["original_id"].as_str().map(str::to_string);
            ids.insert(original.unwrap_or_else(|| id.clone()), id);
        }
        let mut nx = Command::new(python());
        nx.arg(repo().join("tests/interop/classic_networkx.py"))
            .args([ex.networkx.0, ex.networkx.1])
            .current_dir(repo());
        if ex.weighted {
            nx.arg("--weighted");
        }
        let out = nx.output().unwrap();
        assert!(
            out.status.success(),
            "networkx: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = json(&String::from_utf8(out.stdout).unwrap());
        assert_eq!(expected["nodes"], ids.len(), "{}: node count", ex.name);
        assert_eq!(
            expected["edges"],
            export["relations"].as_array().unwrap().len(),
            "{}: edge count",
            ex.name
        );
        let pairs: Vec<&serde_json::Value> = expected["pairs"].as_array().unwrap().iter().collect();
        let ours: Vec<(String, String)> = pairs
            .iter()
            .map(|p| {
                (
                    ids[p["from"].as_str().unwrap()].clone(),
                    ids[p["to"].as_str().unwrap()].clone(),
                )
            })
            .collect();
        let plain = answers(g, &ours, &[]);
        let mut checked = 0;
        for (p, a) in pairs.iter().zip(&plain) {
            assert_eq!(a["routes"][0]["length"], p["length"], "{}: {p}", ex.name);
            assert_eq!(
                a["total"], p["count"],
                "{}: number of shortest routes {p}",
                ex.name
            );
            checked += 1;
        }
        if ex.weighted {
            let cheapest = answers(g, &ours, &["--weighted"]);
            for (p, a) in pairs.iter().zip(&cheapest) {
                assert_eq!(
                    a["routes"][0]["weight"].as_f64(),
                    p["cost"].as_f64(),
                    "{}: cheapest {p}",
                    ex.name
                );
                assert_eq!(
                    a["total"], p["cheapest"],
                    "{}: number of cheapest {p}",
                    ex.name
                );
            }
            let sample: Vec<usize> = (0..pairs.len())
                .filter(|&i| pairs[i].get("k5").is_some())
                .collect();
            let some: Vec<(String, String)> = sample.iter().map(|&i| ours[i].clone()).collect();
            let k5 = answers(g, &some, &["--weighted", "--k", "5", "--limit", "5"]);
            for (&i, a) in sample.iter().zip(&k5) {
                let got: Vec<f64> = a["routes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["weight"].as_f64().unwrap())
                    .collect();
                let want: Vec<f64> = pairs[i]["k5"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_f64().unwrap())
                    .collect();
                assert_eq!(got, want, "{}: 5 cheapest {}", ex.name, pairs[i]);
            }
        }
        assert!(checked > 0);
        eprintln!("{}: {checked} pairs agree with networkx", ex.name);
    }
}
