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
    invalid_utf8,
    missing_fields,
    empty_id,
    control_characters,
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
fn non_utf8_is_reported_at_its_line_and_column() {
    let dir = crate::workspace(None);
    std::fs::write(
        dir.path().join("graph/entities/bad.ron"),
        b"[\n  (id: \"\xff\") ]",
    )
    .unwrap();
    let run = crate::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("graph/entities/bad.ron:2:9"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("byte 0xFF here is not UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn utf16_is_named() {
    let dir = crate::workspace(None);
    let text: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("[]".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.path().join("graph/entities/wide.ron"), text).unwrap();
    let run = crate::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("graph/entities/wide.ron:1:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("looks like UTF-16"), "{}", run.stderr);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let run = run_case(Some("bom"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
    let run = run_case(Some("bom"), &["show", "agency with a bom"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Agency with a BOM\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn positions_after_a_byte_order_mark_are_not_shifted() {
    let dir = crate::workspace(None);
    std::fs::write(
        dir.path().join("graph/entities/bom.ron"),
        "\u{feff}[(id: \"x\", name: \"X\", kind: \"agnecy\", description: \"\")]",
    )
    .unwrap();
    let run = crate::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    // `"agnecy"` is the 29th character after the mark.
    assert!(
        run.stderr.contains("graph/entities/bom.ron:1:29"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_missing_field_is_reported_in_one_run() {
    let stderr = check_fails("missing-fields");
    assert!(
        stderr.contains("Entity is missing the fields `kind` and `description`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Entity is missing the fields `name`, `kind` and `description`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Relation is missing the fields `type`, `status` and `source`"),
        "{stderr}"
    );
}

#[test]
fn a_misspelt_field_and_a_bad_value_are_both_reported() {
    let dir = crate::workspace(None);
    std::fs::write(
        dir.path().join("graph/relations/extra.ron"),
        "[ (from: \"isi\", to: \"cia\", tpye: \"headed\", status: establishd, claimed_by: \"cia\", source: (id: \"notes\", section: \"one\")) ]",
    )
    .unwrap();
    let run = crate::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    for expected in [
        "unknown field `tpye` in Relation",
        "did you mean \"type\"?",
        "unknown value `establishd`",
        "graph/relations/extra.ron:1:52",
        "graph/relations/extra.ron:1:75",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected:?} in\n{}",
            run.stderr
        );
    }
    // `type` is explained by the misspelling, not reported missing as well.
    assert!(!run.stderr.contains("missing the field"), "{}", run.stderr);
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let stderr = check_fails("control-characters");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        !stderr.contains('\u{7}') && !stderr.contains('\u{8}'),
        "{stderr:?}"
    );
    // The raw escape in the file is shown as a picture in the excerpt.
    assert!(stderr.contains("␛[2J"), "{stderr}");
}

#[test]
fn names_typed_on_the_command_line_are_shown_not_obeyed() {
    let run = run_case(None, &["show", "\u{1b}]0;pwned\u{7}"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(run.stderr.contains("␛]0;pwned␇"), "{}", run.stderr);
}

/// A large graph's relations are checked on all cores, in runs: errors in
/// every run are all reported, in file order, each with its suggestion.
#[test]
fn errors_in_every_run_of_a_large_graph_are_reported_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crate::succeed(
        d,
        &[
            "generate",
            "--entities",
            "3000",
            "--relations",
            "30000",
            "--files",
            "4",
            "--seed",
            "5",
            "-o",
            "g",
        ],
    );
    let relations = d.join("g/relations");
    let mut files: Vec<_> = std::fs::read_dir(&relations)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    // The first relation of each file points at an id no entity has.
    let mut wanted = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let at = text.find("(from: \"e").unwrap() + "(from: \"".len();
        let end = at + text[at..].find('"').unwrap();
        let id = &text[at..end];
        wanted.push((id.replacen('e', "x", 1), id.to_string()));
        let broken = format!("{}x{}", &text[..at], &text[at + 1..]);
        std::fs::write(file, broken).unwrap();
    }
    let run = crate::run_in(d, &["--graph", "g", "--no-cache", "check"]);
    assert_ne!(run.code, 0);
    let mut from = 0;
    for (bad, good) in &wanted {
        let message = format!("unknown entity \"{bad}\" in `from`");
        let at = run.stderr[from..]
            .find(&message)
            .unwrap_or_else(|| panic!("{message} missing or out of order:\n{}", run.stderr));
        from += at;
        let help = run.stderr[from..]
            .lines()
            .find(|l| l.contains("help:"))
            .unwrap_or_default();
        assert!(
            help.contains("did you mean") && help.contains(&format!("\"{good}\"")),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr.matches("unknown entity").count(),
        wanted.len(),
        "{}",
        run.stderr
    );
}
