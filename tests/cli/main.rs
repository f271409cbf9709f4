//! Integration tests: the real `linkchart` binary over fixture graphs in
//! `tests/fixtures/`. A case directory holds only the files that differ from
//! `tests/fixtures/base/`; the harness lays the two over each other in a
//! temporary `graph/` and runs the binary from its parent, so messages show
//! stable paths like `graph/relations/extra.ron`. Every test that runs the
//! binary runs it through this harness, including the interop tests, where
//! each export's real client reads it.

mod cache;
mod classic;
mod commands;
mod errors;
mod examples;
mod exchange;
mod exports;
mod files;
mod interop;
mod lookup;
mod mutation;
mod path;
mod reading;
mod roundtrip;
mod serve;

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The repository's root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary directory holding `graph/`: the base fixture plus `case`.
pub fn workspace(case: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), &dir.path().join("graph"));
    if let Some(case) = case {
        copy_tree(&fixtures().join(case), &dir.path().join("graph"));
    }
    dir
}

/// Runs the binary in `cwd` with no colour, no inherited graph settings and
/// no load cache (tests of the cache set their own).
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    run_with_env(cwd, args, &[("LINKCHART_CACHE", "off")])
}

pub fn run_with_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkchart"));
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("LINKCHART_GRAPH")
        .env_remove("LINKCHART_CACHE_DIR")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("the linkchart binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs the binary and returns its stdout, failing the test unless it exits 0.
pub fn succeed(cwd: &Path, args: &[&str]) -> String {
    let run = run_in(cwd, args);
    assert_eq!(run.code, 0, "linkchart {args:?}: {}", run.stderr);
    run.stdout
}

/// Runs the binary against the base fixture (plus `case`).
pub fn run_case(case: Option<&str>, args: &[&str]) -> Run {
    let dir = workspace(case);
    run_in(dir.path(), args)
}
