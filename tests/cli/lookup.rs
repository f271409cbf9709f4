//! Finding entities by what people type: ids, names, aliases, accents,
//! punctuation, misspellings and ambiguous names.

use crate::run_case;

fn shows(query: &str, id: &str) {
    let run = run_case(None, &["show", query]);
    assert_eq!(run.code, 0, "{query}: {}", run.stderr);
    let second = run.stdout.lines().nth(1).unwrap_or_default();
    assert!(
        second.ends_with(&format!("· {id}")),
        "{query} showed {second:?}"
    );
}

#[test]
fn by_id_name_and_alias() {
    shows("isi", "isi");
    shows("ISI", "isi");
    shows("Inter-Services Intelligence", "isi");
    shows("hameed gul", "hamid-gul");
}

#[test]
fn ids_ignore_case_and_dashes_too() {
    // On the shipped graph "MI6" is only the id of the Secret Intelligence
    // Service, and "Kashmir insurgency" only an id.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let graph = root.join("graph");
    for (query, id) in [
        ("MI6", "mi6"),
        ("kashmir insurgency", "kashmir-insurgency"),
        ("Kashmir-Insurgency", "kashmir-insurgency"),
    ] {
        let run = crate::run_in(root, &["--graph", graph.to_str().unwrap(), "show", query]);
        assert_eq!(run.code, 0, "{query}: {}", run.stderr);
        let second = run.stdout.lines().nth(1).unwrap_or_default();
        assert!(
            second.ends_with(&format!("· {id}")),
            "{query} showed {second:?}"
        );
    }
}

#[test]
fn case_dashes_and_punctuation_do_not_matter() {
    shows("inter services intelligence", "isi");
    shows("INTER–SERVICES   intelligence.", "isi");
    shows("interservices intelligence", "isi");
}

#[test]
fn diacritics_do_not_matter() {
    shows("Sirajuddin Haqqani", "sirajuddin");
    shows("sirājuddīn ḥaqqānī", "sirajuddin");
}

#[test]
fn misspelling_suggests_the_closest() {
    let run = run_case(None, &["show", "Hamid Gull"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn unknown_name_without_close_match_points_to_search() {
    let run = run_case(None, &["show", "qqqqqq"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("linkchart search"), "{}", run.stderr);
}

#[test]
fn ambiguous_name_lists_candidates() {
    let run = run_case(None, &["show", "zia"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn search_ranks_names_before_descriptions() {
    let run = run_case(None, &["search", "agency"]);
    assert_eq!(run.code, 0);
    let names: Vec<&str> = run.stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert!(
        names[0].starts_with("Central Intelligence Agency"),
        "{names:?}"
    );
    assert!(
        names.iter().skip(1).all(|l| l.ends_with("(description)")),
        "{names:?}"
    );
}

#[test]
fn search_finds_nothing_with_exit_1() {
    let run = run_case(None, &["search", "xylophone"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_name_without_its_qualifier_finds_the_entity_when_unique() {
    let shows_in = |query: &str, id: &str| {
        let run = run_case(Some("qualified"), &["show", query]);
        assert_eq!(run.code, 0, "{query}: {}", run.stderr);
        let second = run.stdout.lines().nth(1).unwrap_or_default();
        assert!(
            second.ends_with(&format!("· {id}")),
            "{query} showed {second:?}"
        );
    };
    shows_in("Ministry of Intelligence", "moi-iran");
    shows_in("ppg paints trading", "ppg-shanghai");
    // Two entities share the unqualified name: both are offered.
    let run = run_case(Some("qualified"), &["show", "Ministry of the Interior"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("interior-a") && run.stderr.contains("interior-b"),
        "{}",
        run.stderr
    );
}

#[test]
fn search_ranks_by_the_words_that_match() {
    let run = run_case(Some("qualified"), &["search", "jean", "valjean"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Valjean"), "{}", run.stdout);
    // Whole matches still come first.
    let run = run_case(
        Some("qualified"),
        &[
            "search",
            "ministry",
            "of",
            "intelligence",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["matches"][0]["id"], "moi-iran", "{}", run.stdout);
}
