//! `path`, `neighbors`, `common` and `timeline`: snapshots of real questions
//! on the shipped graph, and their errors on the fixture.

use std::path::Path;

use crate::{Run, run_case, run_in};

fn shipped(args: &[&str]) -> Run {
    let graph = Path::new(env!("CARGO_MANIFEST_DIR")).join("graph");
    let mut all = vec!["--graph", graph.to_str().unwrap()];
    all.extend_from_slice(args);
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all)
}

fn ok(run: Run) -> String {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn isi_to_osama_bin_laden() {
    insta::assert_snapshot!(ok(shipped(&["path", "ISI", "Osama bin Laden"])));
}

#[test]
fn isi_to_osama_bin_laden_established_only() {
    insta::assert_snapshot!(ok(shipped(&[
        "path",
        "ISI",
        "Osama bin Laden",
        "--status",
        "established"
    ])));
}

#[test]
fn director_general_to_militant_group() {
    insta::assert_snapshot!(ok(shipped(&[
        "path",
        "Hamid Gul",
        "Taliban",
        "--limit",
        "3"
    ])));
}

#[test]
fn cia_to_taliban() {
    insta::assert_snapshot!(ok(shipped(&[
        "path",
        "CIA",
        "Taliban",
        "--k",
        "3",
        "--explain-score"
    ])));
}

#[test]
fn cia_to_taliban_reported_or_better() {
    insta::assert_snapshot!(ok(shipped(&[
        "path", "CIA", "Taliban", "--status", "reported", "--limit", "2"
    ])));
}

#[test]
fn path_json_follows_the_contract() {
    let out = ok(shipped(&[
        "path",
        "Hamid Gul",
        "Osama bin Laden",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["from"]["id"], "hamid-gul");
    assert_eq!(v["to"]["id"], "osama-bin-laden");
    let route = &v["routes"][0];
    for key in ["length", "score", "entities", "steps"] {
        assert!(route.get(key).is_some(), "route lacks {key}");
    }
    let relation = &route["steps"][0]["relations"][0];
    for key in [
        "id",
        "type",
        "label",
        "direction",
        "status",
        "claimed_by",
        "source",
    ] {
        assert!(
            relation.get(key).is_some(),
            "relation lacks {key}: {relation}"
        );
    }
}

#[test]
fn same_answer_every_time() {
    let a = shipped(&["path", "CIA", "Taliban", "--k", "5", "--format", "json"]);
    let b = shipped(&["path", "CIA", "Taliban", "--k", "5", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn no_route_says_which_filter_blocked_it() {
    let run = run_case(
        None,
        &["path", "hamid gul", "taliban", "--status", "established"],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr,
        "no route from Hamid Gul to Taliban using only established relations; without that restriction 1 route exists, shortest 2 steps\n"
    );
}

#[test]
fn no_route_within_the_hop_bound() {
    let run = run_case(None, &["path", "hamid gul", "india", "--max-hops", "1"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "no route from Hamid Gul to India within 1 step; the shortest has 2 steps (try --max-hops 2)\n"
    );
}

#[test]
fn not_connected_at_all() {
    let dir = crate::workspace(Some("warnings"));
    let run = run_in(dir.path(), &["path", "lonely entity", "isi"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "Lonely Entity and Inter-Services Intelligence are not connected in this graph\n"
    );
}

#[test]
fn derived_edges_follow_accusations_and_can_be_left_out() {
    // India is linked to the graph only as a claimant.
    let run = run_case(None, &["path", "india", "taliban"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Inter-Services Intelligence accuses India")
            || run
                .stdout
                .contains("India accuses Inter-Services Intelligence"),
        "{}",
        run.stdout
    );
    let run = run_case(None, &["path", "india", "taliban", "--no-derived"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("without derived accused-by edges"),
        "{}",
        run.stderr
    );
}

#[test]
fn path_errors() {
    let run = run_case(None, &["path", "isi", "ISI"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("same entity"), "{}", run.stderr);
    let run = run_case(None, &["path", "isi", "talibn"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean"), "{}", run.stderr);
    let run = run_case(None, &["path", "isi", "taliban", "--types", "suported"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean \"supported\""),
        "{}",
        run.stderr
    );
    let run = run_case(None, &["path", "isi", "taliban", "--during", "1990..1980"]);
    assert_eq!(
        run.code, 1,
        "an inverted period matches nothing: {}",
        run.stderr
    );
    let run = run_case(None, &["path", "isi", "taliban", "--during", "nineteen"]);
    assert_eq!(run.code, 2);
    let run = run_case(None, &["path", "isi", "taliban", "--avoid", "taliban"]);
    assert_eq!(run.code, 2);
}

#[test]
fn during_keeps_overlapping_relations() {
    let run = run_case(None, &["path", "hamid gul", "cia", "--during", "1988"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = run_case(
        None,
        &["path", "hamid gul", "cia", "--during", "1995..2000"],
    );
    assert_eq!(run.code, 1);
}

#[test]
fn neighbors_common_timeline() {
    insta::assert_snapshot!(
        "neighbors",
        ok(run_case(None, &["neighbors", "isi", "--depth", "2"]))
    );
    insta::assert_snapshot!("common", ok(run_case(None, &["common", "cia", "india"])));
    insta::assert_snapshot!("timeline", ok(run_case(None, &["timeline", "isi"])));
}

/// Every surface words a claim the same way: who claims it, who withdrew
/// it, who denies it and who only doubts it.
#[test]
fn claims_read_the_same_on_every_surface() {
    let dir = crate::workspace(Some("claims"));
    let run = |args: &[&str]| {
        let run = crate::run_in(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run.stdout
    };
    let wanted = "disputed: claimed by India; claimed, then retracted, by Hamid Gul; denied by Central Intelligence Agency; doubted by Pakistan";
    let text = run(&["path", "cia", "taliban"]);
    assert!(text.contains(wanted), "{text}");
    insta::assert_snapshot!("claims_text", text);
    let json = run(&["path", "cia", "taliban", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let relations = v["routes"][0]["steps"][0]["relations"].as_array().unwrap();
    let disputed = relations
        .iter()
        .find(|r| r["status"] == "disputed")
        .unwrap();
    assert_eq!(disputed["retracted_by"], serde_json::json!(["hamid-gul"]));
    assert_eq!(disputed["doubted_by"], serde_json::json!(["pakistan"]));
    assert!(disputed["detail"].as_str().unwrap().starts_with(wanted));
    insta::assert_snapshot!("claims_json", json);
    let dot = run(&["export", "--format", "dot", "--route", "cia", "taliban"]);
    assert!(dot.contains(wanted), "{dot}");
    let md = run(&["report", "cia", "taliban", "--format", "md"]);
    assert!(md.contains(&wanted.replace("disputed: ", "")), "{md}");
    let card = run(&["show", "hamid-gul"]);
    assert!(
        card.contains("claimed, then retracted: Central Intelligence Agency supported Taliban"),
        "{card}"
    );
    let alone = run(&["path", "zia-khan", "cia"]);
    assert!(
        alone.contains("disputed: claimed, then retracted, by Zia Rahman"),
        "{alone}"
    );
}

/// Notes keep an answer from being misread: a hub on every route, stronger
/// evidence one step further, fewer routes than asked for.
#[test]
fn notes_name_hubs_stronger_evidence_and_missing_routes() {
    let dir = crate::workspace(Some("hubs"));
    let run = |args: &[&str]| {
        let run = crate::run_in(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run.stdout
    };
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&run(&[args, &["--format", "json"][..]].concat())).unwrap()
    };
    // Alice and Bob share only Hubland (23 neighbours); a route avoiding it exists.
    let text = run(&["path", "alice", "bob"]);
    assert!(
        text.contains("Note: No specific link: every shortest route runs through Hubland (linked to 24 entities); the best route avoiding every hub has 3 steps: Alice → Carol → Dave → Bob."),
        "{text}"
    );
    let v = json(&["path", "alice", "bob"]);
    assert_eq!(v["notes"][0]["kind"], "hubs");
    assert_eq!(v["notes"][0]["hubs"][0]["id"], "hubland");
    assert_eq!(
        v["notes"][0]["route"]["entities"],
        serde_json::json!(["alice", "carol", "dave", "bob"])
    );
    // --avoid-hubs asks for that route directly.
    let v = json(&["path", "alice", "bob", "--avoid-hubs"]);
    assert_eq!(
        v["routes"][0]["entities"],
        serde_json::json!(["alice", "carol", "dave", "bob"])
    );
    // An allegation links Xavier to Yusuf; an established route is one step longer.
    let v = json(&["path", "xavier", "yusuf"]);
    assert_eq!(v["notes"][0]["kind"], "stronger", "{v}");
    assert_eq!(
        v["notes"][0]["route"]["entities"],
        serde_json::json!(["xavier", "zoe", "yusuf"])
    );
    // Five routes asked for, fewer exist within two steps.
    let v = json(&["path", "alice", "bob", "--k", "5", "--max-hops", "2"]);
    let fewer = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "fewer")
        .unwrap();
    assert_eq!(
        fewer["text"],
        "Only 1 route of the 5 asked for within 2 steps (raise --max-hops for longer ones)."
    );
    insta::assert_snapshot!("notes_text", text);
}

#[test]
fn connecting_network_of_three() {
    insta::assert_snapshot!(ok(shipped(&[
        "connect",
        "Hamid Gul",
        "Osama bin Laden",
        "CIA"
    ])));
}

#[test]
fn connecting_network_gaps_and_errors() {
    // Joined within six steps; not within one.
    let far = shipped(&["connect", "Hamid Gul", "Osama bin Laden", "--max-hops", "1"]);
    assert_eq!(far.code, 1, "{}", far.stderr);
    assert_eq!(far.stdout, "");
    assert!(
        far.stderr.contains(
            "no two of Hameed Gul and Osama bin Laden are connected within 1 step (try a larger --max-hops)"
        ),
        "{}",
        far.stderr
    );
    // A named entity that cannot join is a gap; the rest still answer.
    let gap = shipped(&[
        "connect",
        "ISI",
        "CIA",
        "election-1990-gul-rigging-believers",
        "--max-hops",
        "1",
    ]);
    assert_eq!(gap.code, 0, "{}", gap.stderr);
    assert!(
        gap.stderr
            .contains("could not be joined to the others within 1 step"),
        "{}",
        gap.stderr
    );
    let json: serde_json::Value = serde_json::from_str(&ok(shipped(&[
        "connect", "ISI", "CIA", "Taliban", "--format", "json",
    ])))
    .unwrap();
    assert_eq!(json["gaps"], serde_json::json!([]));
    assert_eq!(json["steps"].as_array().unwrap().len(), 2);
    // Usage errors.
    let once = shipped(&["connect", "ISI"]);
    assert_eq!(once.code, 2);
    let twice = shipped(&["connect", "ISI", "Inter-Services Intelligence"]);
    assert_eq!(twice.code, 2);
    assert!(twice.stderr.contains("named twice"), "{}", twice.stderr);
    let avoided = shipped(&["connect", "ISI", "CIA", "--avoid", "CIA"]);
    assert_eq!(avoided.code, 2);
    assert!(
        avoided.stderr.contains("one of the entities to connect"),
        "{}",
        avoided.stderr
    );
}

/// Twenty-five questions an analyst of the ISI would ask, answered on the
/// shipped graph: the best route of each, with every relation behind it.
/// A change to the graph or the ranking that changes an answer shows here.
#[test]
fn analyst_questions() {
    const QUESTIONS: [(&str, &str); 25] = [
        ("Hamid Gul", "Osama bin Laden"),
        ("ISI", "Taliban"),
        ("ISI", "Lashkar-e-Taiba"),
        ("ISI", "2008 Mumbai attacks"),
        ("CIA", "Haqqani network"),
        ("Pervez Musharraf", "Osama bin Laden"),
        ("ISI", "Khalistan movement"),
        ("Ziauddin Butt", "Nawaz Sharif"),
        ("Abu Zubaydah", "FBI"),
        ("Benazir Bhutto", "ISI"),
        ("Saleem Shahzad", "ISI"),
        ("Research and Analysis Wing", "ISI"),
        ("Ashfaq Parvez Kayani", "Osama bin Laden"),
        ("ISI", "Hizbul Mujahideen"),
        ("Jaish-e-Mohammed", "Hamid Gul"),
        ("Khalid Sheikh Mohammed", "ISI"),
        ("Ramzi bin al-Shibh", "CIA"),
        ("ISI", "Kashmir insurgency"),
        ("Faiz Hameed", "Imran Khan"),
        ("ISI", "Jaish-ul-Adl"),
        ("Uzair Baloch", "ISI"),
        ("Raymond Davis", "ISI"),
        ("Operation Cyclone", "MI6"),
        ("Ahmed Omar Saeed Sheikh", "Daniel Pearl"),
        ("Xun Wang", "ISI"),
    ];
    let mut all = String::new();
    for (from, to) in QUESTIONS {
        all += &format!("## How is {from} connected to {to}?\n\n");
        all += &ok(shipped(&["path", from, to, "--limit", "1"]));
        all += "\n";
    }
    insta::assert_snapshot!(all);
}
