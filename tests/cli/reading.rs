//! Reading a graph directory: nothing loops, nothing is skipped in silence.
//! Links to directories are not followed; every file under `entities/` and
//! `relations/` that is not loaded, and every `.ron` file at the root other
//! than the schema and the sources, is named in a warning; something named
//! `*.ron` that is not a file is an error.

use std::time::{Duration, Instant};

use crate::{run_in, workspace};

#[cfg(unix)]
#[test]
fn links_to_directories_cannot_make_the_walk_loop() {
    let dir = workspace(None);
    let g = dir.path().join("graph");
    std::os::unix::fs::symlink("..", g.join("entities/up")).unwrap();
    std::os::unix::fs::symlink("..", g.join("relations/up")).unwrap();
    std::os::unix::fs::symlink(".", g.join("relations/self")).unwrap();
    let started = Instant::now();
    let run = run_in(dir.path(), &["check"]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("ok: 9 entities, 7 relations"),
        "{}",
        run.stdout
    );
    for link in ["entities/up", "relations/up", "relations/self"] {
        assert!(
            run.stderr.contains(&format!(
                "warning: graph/{link} is not loaded: it is a symbolic link to a directory"
            )),
            "{link} in\n{}",
            run.stderr
        );
    }
    assert!(run.stdout.contains(", 3 warnings\n"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn links_to_files_are_followed() {
    let dir = workspace(None);
    let g = dir.path().join("graph");
    std::fs::rename(g.join("relations/all.ron"), dir.path().join("kept.ron")).unwrap();
    std::os::unix::fs::symlink("../../kept.ron", g.join("relations/all.ron")).unwrap();
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("ok: 9 entities, 7 relations"),
        "{}",
        run.stdout
    );
}

#[test]
fn files_that_are_not_loaded_are_named() {
    let dir = workspace(None);
    let g = dir.path().join("graph");
    let extra = "[ (from: \"zia-khan\", to: \"isi\", type: \"headed\", status: established, source: (id: \"notes\", section: \"one\")) ]";
    for name in [
        "relations/upper.RON",
        "relations/backup.ron.txt",
        "relations/noextension",
        "entities/notes.md",
        "relations.ron",
    ] {
        std::fs::write(g.join(name), extra).unwrap();
    }
    // Hidden files that are not .ron are passed over quietly.
    std::fs::write(g.join("relations/.gitkeep"), "").unwrap();
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
    assert!(run.stdout.contains(", 5 warnings\n"), "{}", run.stdout);
    // Every command says so, not only check.
    let run = run_in(dir.path(), &["show", "isi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("graph/relations/upper.RON is not loaded"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_directory_named_ron_is_an_error() {
    let dir = workspace(None);
    std::fs::create_dir(dir.path().join("graph/relations/more.ron")).unwrap();
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: graph/relations/more.ron: is a directory; a name ending in .ron must be a file of records\n"
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_never_read() {
    let dir = workspace(None);
    let fifo = dir.path().join("graph/relations/pipe.ron");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipping: mkfifo is not available");
        return;
    }
    let started = Instant::now();
    let run = run_in(dir.path(), &["check"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: graph/relations/pipe.ron: is a named pipe, not a file\n"
    );
    std::fs::remove_file(&fifo).unwrap();
    std::process::Command::new("mkfifo")
        .arg(dir.path().join("graph/relations/pipe"))
        .status()
        .unwrap();
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("graph/relations/pipe is not loaded: it is a named pipe, not a file"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_lists_every_file_it_read() {
    let graph = crate::repo().join("graph");
    let run = run_in(
        crate::repo(),
        &["--graph", graph.to_str().unwrap(), "check"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stdout.lines();
    let ok = lines.next().unwrap();
    let read = lines.next().unwrap();
    let files: Vec<&str> = lines.collect();
    assert_eq!(read, format!("read {} files:", files.len()));
    let total = |what: &str| -> usize {
        files
            .iter()
            .filter_map(|l| l.strip_suffix(&format!(" {what}")))
            .map(|l| l.rsplit(' ').next().unwrap().parse::<usize>().unwrap())
            .sum()
    };
    let (entities, relations) = (total("entities"), total("relations"));
    assert!(entities > 0 && relations > 0, "{}", run.stdout);
    assert!(
        ok.starts_with(&format!("ok: {entities} entities, {relations} relations")),
        "{}",
        run.stdout
    );
    assert!(
        files
            .iter()
            .any(|l| l.contains("schema.ron") && l.ends_with("relation types"))
    );
}
