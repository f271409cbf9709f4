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

/// Tags, attribute keys and weights: what `--tag`, `--where` and
/// `--weighted` can use.
#[test]
fn stats_list_tags_attributes_and_weights() {
    let run = run_case(Some("attributes"), &["stats", "--top", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("stats_attributes_text", run.stdout);
    let run = run_case(
        Some("attributes"),
        &["stats", "--format", "json", "--top", "0"],
    );
    insta::assert_snapshot!("stats_attributes_json", run.stdout);
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

#[test]
fn load_cache_is_used_and_never_trusted_over_the_files() {
    let dir = workspace(None);
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();
    let env = [("LINKCHART_CACHE_DIR", cache_dir)];
    let first = crate::run_with_env(dir.path(), &["export", "--format", "json"], &env);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let cached: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1, "one cache file per graph");
    let second = crate::run_with_env(dir.path(), &["export", "--format", "json"], &env);
    assert_eq!(
        first.stdout, second.stdout,
        "the cached graph is the same graph"
    );

    // A changed file misses the cache, and replaces the old entry.
    let people = dir.path().join("graph/entities/people.ron");
    let text = std::fs::read_to_string(&people)
        .unwrap()
        .replace("A general who led the agency.", "Changed.");
    std::fs::write(&people, text).unwrap();
    let third = crate::run_with_env(dir.path(), &["show", "hamid gul"], &env);
    assert!(third.stdout.contains("Changed."), "{}", third.stdout);
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 1);

    // A damaged cache file is ignored.
    for entry in std::fs::read_dir(cache.path()).unwrap() {
        std::fs::write(entry.unwrap().path(), b"not a graph").unwrap();
    }
    let fourth = crate::run_with_env(dir.path(), &["show", "hamid gul"], &env);
    assert_eq!(fourth.code, 0, "{}", fourth.stderr);
    assert_eq!(fourth.stdout, third.stdout);

    // A broken graph is never cached, and --no-cache writes nothing.
    let empty = tempfile::tempdir().unwrap();
    let env = [("LINKCHART_CACHE_DIR", empty.path().to_str().unwrap())];
    crate::run_with_env(dir.path(), &["--no-cache", "check"], &env);
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[test]
fn generate_writes_a_graph_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &[
            "generate",
            "--entities",
            "300",
            "--relations",
            "1200",
            "--seed",
            "9",
            "--files",
            "3",
            "-o",
            "gen",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = run_in(dir.path(), &["--graph", "gen", "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("ok: 300 entities, 1200 relations"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.lines().next().unwrap().ends_with(", 0 warnings"),
        "{}",
        run.stdout
    );
    let again = tempfile::tempdir().unwrap();
    run_in(
        again.path(),
        &[
            "generate",
            "--entities",
            "300",
            "--relations",
            "1200",
            "--seed",
            "9",
            "--files",
            "3",
            "-o",
            "gen",
        ],
    );
    let a = run_in(
        dir.path(),
        &["--graph", "gen", "export", "--format", "json"],
    )
    .stdout;
    let b = run_in(
        again.path(),
        &["--graph", "gen", "export", "--format", "json"],
    )
    .stdout;
    assert_eq!(a, b, "same seed, same graph");
    let run = run_in(
        dir.path(),
        &[
            "generate",
            "--entities",
            "300",
            "--relations",
            "1200",
            "-o",
            "gen",
        ],
    );
    assert_eq!(run.code, 2, "refuses to overwrite");
    let run = run_in(
        dir.path(),
        &[
            "generate",
            "--entities",
            "1",
            "--relations",
            "0",
            "-o",
            "tiny",
        ],
    );
    assert_eq!(run.code, 2);
}

#[test]
fn batch_pairs_one_json_object_per_line() {
    let dir = workspace(None);
    std::fs::write(
        dir.path().join("pairs.tsv"),
        "hamid gul\ttaliban\n# a comment\nisi\tnobody\nno tab here\ncia\tindia\n",
    )
    .unwrap();
    let run = run_in(dir.path(), &["path", "--pairs", "pairs.tsv"]);
    assert_eq!(run.code, 2, "two lines could not be answered");
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["routes"][0]["length"], 2);
    assert!(lines[0]["elapsed_us"].is_u64());
    assert_eq!(lines[0]["line"], 1);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("no entity named"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["error"], "expected FROM<TAB>TO");
    assert_eq!(lines[3]["line"], 5);
    assert!(
        run.stderr
            .contains("2 lines of pairs.tsv could not be answered"),
        "{}",
        run.stderr
    );
}
