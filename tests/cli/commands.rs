//! The commands' output on the base fixture: cards, stats, JSON export,
//! determinism, pipes, completions and atomic output files.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::{run_case, run_in, workspace};

#[test]
fn check_counts() {
    let run = run_case(None, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn show_card() {
    let run = run_case(None, &["show", "isi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn show_json() {
    let run = run_case(None, &["show", "hamid gul", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn stats_text_and_json() {
    let run = run_case(None, &["stats"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("stats_text", run.stdout);
    let run = run_case(None, &["stats", "--format", "json", "--top", "3"]);
    insta::assert_snapshot!("stats_json", run.stdout);
}

#[test]
fn export_json_follows_the_contract() {
    let run = run_case(None, &["export", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let relations = v["relations"].as_array().unwrap();
    // Stored relations only: the two claims give derived edges, not relations.
    assert_eq!(relations.len(), 7);
    for r in relations {
        for key in [
            "id",
            "from",
            "to",
            "type",
            "status",
            "claimed_by",
            "source",
            "note",
        ] {
            assert!(r.get(key).is_some(), "relation lacks {key}: {r}");
        }
    }
    let parallel: Vec<&str> = relations
        .iter()
        .filter(|r| r["from"] == "isi" && r["to"] == "taliban")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        parallel,
        ["isi/supported/taliban", "isi/supported/taliban/2"]
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn output_does_not_depend_on_file_order() {
    // Same relations, split into two files in the opposite order.
    let a = workspace(None);
    let b = workspace(None);
    let all = std::fs::read_to_string(a.path().join("graph/relations/all.ron")).unwrap();
    let items: Vec<&str> = all
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split("\n    (")
        .collect();
    let (first, second) = items.split_at(items.len() / 2);
    std::fs::remove_file(b.path().join("graph/relations/all.ron")).unwrap();
    let reversed = |parts: &[&str]| {
        let mut parts: Vec<String> = parts
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("    ({}", p.trim_start_matches("    (")))
            .collect();
        parts.reverse();
        format!("[\n{}\n]\n", parts.join("\n"))
    };
    std::fs::write(b.path().join("graph/relations/z.ron"), reversed(first)).unwrap();
    std::fs::write(b.path().join("graph/relations/a.ron"), reversed(second)).unwrap();
    let x = run_in(a.path(), &["export", "--format", "json"]);
    let y = run_in(b.path(), &["export", "--format", "json"]);
    assert_eq!(y.code, 0, "{}", y.stderr);
    assert_eq!(x.stdout, y.stdout);
}

#[test]
fn export_to_file_is_written_whole() {
    let dir = workspace(None);
    let run = run_in(
        dir.path(),
        &["export", "--format", "json", "-o", "out.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    let stdout = run_in(dir.path(), &["export", "--format", "json"]).stdout;
    assert_eq!(written, stdout);
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn export_to_missing_directory_fails_cleanly() {
    let dir = workspace(None);
    let run = run_in(
        dir.path(),
        &["export", "--format", "json", "-o", "nowhere/out.json"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: nowhere/out.json: "),
        "{}",
        run.stderr
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = workspace(None);
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkchart"))
        .args(["export", "--format", "json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let run = run_case(None, &["show"]);
    assert_eq!(run.code, 2);
    let run = run_case(None, &["frobnicate"]);
    assert_eq!(run.code, 2);
}

#[test]
fn completions_for_bash() {
    let run = run_case(None, &["completions", "bash"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("linkchart"));
}

#[test]
fn embedded_graph_is_used_outside_a_graph_directory() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["show", "ISI"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Inter-Services Intelligence\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn linkchart_graph_variable_is_honoured() {
    let dir = workspace(None);
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_linkchart"))
        .args(["show", "zia khan"])
        .current_dir(elsewhere.path())
        .env("LINKCHART_GRAPH", dir.path().join("graph"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let run = run_case(None, &["show", "isi"]);
    assert!(!run.stdout.contains('\x1b'));
    let run = run_case(None, &["--color", "always", "show", "isi"]);
    assert!(run.stdout.contains("\x1b[32mestablished"), "{}", run.stdout);
}
