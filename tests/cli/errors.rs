//! One fixture per kind of error in a graph file; each message is a snapshot.

use crate::run_case;

fn check_fails(case: &str) -> String {
    let run = run_case(Some(case), &["check"]);
    assert_eq!(run.code, 2, "{case}: exit code\n{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "{case}: nothing on stdout, got {}",
        run.stdout
    );
    run.stderr
}

macro_rules! error_cases {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let case = stringify!($name).replace('_', "-");
            insta::assert_snapshot!(stringify!($name), check_fails(&case));
        }
    )*};
}

error_cases!(
    syntax_error,
    unknown_field,
    unknown_kind,
    unknown_type,
    unknown_status,
    duplicate_id,
    dangling_reference,
    unknown_source,
    unknown_section,
    claim_without_claimant,
    contested_claims,
    inverted_period,
    impossible_date,
    date_and_period,
    kind_not_allowed,
);

#[test]
fn every_error_in_a_file_is_reported_in_one_run() {
    let stderr = check_fails("many-errors");
    for expected in [
        "unknown entity \"talibn\"",
        "unknown relation type \"suported\"",
        "alleged relation without a claimant",
        "period ends before it starts",
        "unknown field `notes`",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    insta::assert_snapshot!(stderr);
}

#[test]
fn warnings_do_not_fail_check() {
    let run = run_case(Some("warnings"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_self_loop_is_a_warning_kept_out_of_routes() {
    let run = run_case(Some("self-loop"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
    // Kept in the data: the card shows it, the export lists it.
    let show = run_case(Some("self-loop"), &["show", "isi", "--format", "json"]);
    assert!(
        show.stdout.contains("\"isi/supported/isi\""),
        "{}",
        show.stdout
    );
    let export = run_case(Some("self-loop"), &["export", "--format", "json"]);
    assert!(export.stdout.contains("\"isi/supported/isi\""));
    // Never a step of a route.
    let path = run_case(
        Some("self-loop"),
        &["path", "isi", "taliban", "--k", "5", "--format", "json"],
    );
    assert_eq!(path.code, 0, "{}", path.stderr);
    assert!(
        !path.stdout.contains("isi/supported/isi"),
        "{}",
        path.stdout
    );
}

#[test]
fn other_commands_refuse_a_broken_graph() {
    let run = run_case(Some("dangling-reference"), &["show", "isi"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("graph/relations/extra.ron:2:12"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = crate::run_in(dir.path(), &["--graph", "no/such/dir", "check"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: graph directory no/such/dir: no such directory\n"
    );
}

#[test]
fn empty_graph_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("graph")).unwrap();
    let run = crate::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("graph directory graph: has no schema.ron"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_graph_with_no_entities_loads() {
    let dir = crate::workspace(None);
    std::fs::write(dir.path().join("graph/entities/people.ron"), "[]").unwrap();
    std::fs::write(dir.path().join("graph/entities/bodies.ron"), "[]").unwrap();
    std::fs::write(
        dir.path().join("graph/relations/all.ron"),
        "// none yet\n[\n]\n",
    )
    .unwrap();
    let run = crate::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("ok: 0 entities, 0 relations"),
        "{}",
        run.stdout
    );
    let run = crate::run_in(dir.path(), &["show", "isi"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no entity named \"isi\""),
        "{}",
        run.stderr
    );
}

#[test]
fn non_utf8_file_names_the_file() {
    let dir = crate::workspace(None);
    std::fs::write(
        dir.path().join("graph/entities/bad.ron"),
        b"[ (id: \"\xff\") ]",
    )
    .unwrap();
    let run = crate::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("graph/entities/bad.ron: not UTF-8"),
        "{}",
        run.stderr
    );
}
