//! Curation rules for the shipped ISI graph, beyond what the loader checks:
//! our own words (no run of ten words copied from the source), directors-
//! general in order without overlap, claims with claimants, one entity per
//! name, every section of the source cited, every entity linked.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use linkchart::load::{self, Loaded};
use linkchart::suggest::normalize;
use linkchart::when::When;

fn shipped() -> Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("graph");
    let inputs = load::read_dir(&dir).expect("graph/ reads");
    match load::load(inputs) {
        Ok(loaded) => loaded,
        Err(failed) => panic!("{}", failed.files.render(&failed.diagnostics, false)),
    }
}

/// The source text lives outside the repository, in ../shared/sources/.
fn source_text() -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/sources/inter-services-intelligence.txt");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the source text is needed at {}: {e}", path.display()))
}

fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_shipped_graph_loads_without_warnings() {
    let loaded = shipped();
    let text = loaded.files.render(&loaded.warnings, false);
    assert!(loaded.warnings.is_empty(), "{text}");
}

#[test]
fn descriptions_and_notes_are_in_our_own_words() {
    const RUN: usize = 10;
    let source = words(&source_text());
    let runs: std::collections::HashSet<&[String]> = source.windows(RUN).collect();
    let g = shipped().graph;
    let texts = g
        .entities
        .iter()
        .map(|e| (format!("entity {}", e.id), &e.description))
        .chain(
            g.relations
                .iter()
                .map(|r| (format!("relation {}", r.id), &r.note)),
        );
    let mut copied = Vec::new();
    for (what, text) in texts {
        let w = words(text);
        if let Some(run) = w.windows(RUN).find(|run| runs.contains(run)) {
            copied.push(format!("{what}: \"{}\"", run.join(" ")));
        }
    }
    assert!(
        copied.is_empty(),
        "{} texts copy ten or more words from the source:\n{}",
        copied.len(),
        copied.join("\n")
    );
}

#[test]
fn the_own_words_check_can_fail() {
    // The check above must catch a copied sentence: feed it one.
    let source = words(&source_text());
    let copied =
        words("Its special warfare unit is the Covert Action Division. The Federal Bureau");
    let runs: std::collections::HashSet<&[String]> = source.windows(10).collect();
    assert!(copied.windows(10).any(|run| runs.contains(run)));
}

#[test]
fn directors_general_in_order_without_overlap() {
    let g = shipped().graph;
    let isi =
        linkchart::model::EntityId::from(g.entities.iter().position(|e| e.id == "isi").unwrap());
    let mut terms: Vec<(String, When)> = g
        .relations
        .iter()
        .filter(|r| r.rel_type == "headed" && r.to == isi && g.entity(r.from).kind == "person")
        .filter_map(|r| r.when.map(|w| (g.entity(r.from).id.clone(), w)))
        .collect();
    assert!(terms.len() >= 4, "too few dated terms: {terms:?}");
    // Order by the earliest known bound; an open start sorts by its end.
    let anchor = |w: &When| match w {
        When::Date(d) => d.first_day(),
        When::Period(p) => p.start.or(p.end).map(|d| d.first_day()).unwrap_or_default(),
    };
    terms.sort_by_key(|(_, w)| anchor(w));
    let bounds = |w: &When| match *w {
        When::Date(d) => (Some(d), Some(d)),
        When::Period(p) => (p.start, p.end),
    };
    for pair in terms.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if let ((_, Some(a_end)), (Some(b_start), _)) = (bounds(&a.1), bounds(&b.1)) {
            // Month precision lets one term end in the month the next begins.
            assert!(
                a_end.first_day() <= b_start.last_day(),
                "{} ({}) overlaps {} ({})",
                a.0,
                a.1,
                b.0,
                b.1
            );
        }
    }
    // Every director-general has a headed relation to the ISI.
    for e in g
        .entities
        .iter()
        .filter(|e| e.tags.iter().any(|t| t == "director-general"))
    {
        let i =
            linkchart::model::EntityId::from(g.entities.iter().position(|x| x.id == e.id).unwrap());
        assert!(
            g.relations
                .iter()
                .any(|r| r.from == i && r.to == isi && r.rel_type == "headed"),
            "{} is tagged director-general but never headed the ISI",
            e.id
        );
    }
}

#[test]
fn every_claim_names_its_claimant() {
    let g = shipped().graph;
    for r in &g.relations {
        if r.status.is_claim() {
            assert!(!r.claimed_by.is_empty(), "{} has no claimant", r.id);
        }
        if r.status == linkchart::model::Status::Disputed {
            assert!(
                !r.denied_by.is_empty() || !r.note.is_empty(),
                "{}: disputed without denier or note",
                r.id
            );
        }
    }
}

#[test]
fn no_two_entities_share_a_name_or_alias() {
    let g = shipped().graph;
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut clashes = Vec::new();
    for e in &g.entities {
        let mut own = BTreeSet::new();
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            let key = normalize(name);
            if !own.insert(key.clone()) {
                continue;
            }
            if let Some(other) = seen.insert(key.clone(), &e.id) {
                clashes.push(format!("\"{key}\": {other} and {}", e.id));
            }
        }
    }
    assert!(clashes.is_empty(), "shared names:\n{}", clashes.join("\n"));
}

/// Sections of the source text that have text of their own.
fn source_sections_with_text() -> Vec<String> {
    let text = source_text();
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut has_text = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("==") && t.ends_with("==") {
            if let Some(c) = current.take()
                && has_text
            {
                out.push(c);
            }
            current = Some(t.trim_matches('=').trim().to_string());
            has_text = false;
        } else if !t.is_empty() {
            has_text = true;
        }
    }
    if let Some(c) = current
        && has_text
    {
        out.push(c);
    }
    out
}

#[test]
fn every_section_of_the_source_is_cited() {
    let g = shipped().graph;
    let source = g
        .sources
        .iter()
        .find(|s| s.id == "isi-article")
        .expect("isi-article source");
    let cited: BTreeSet<&str> = g
        .relations
        .iter()
        .map(|r| r.source.section.as_str())
        .collect();
    let uncited: Vec<&str> = source
        .sections
        .iter()
        .map(|s| s.id.as_str())
        .filter(|s| !cited.contains(s))
        .collect();
    assert!(
        uncited.is_empty(),
        "sections no relation cites: {uncited:?}"
    );
    // And every heading of the text with text under it has a section here
    // (apart from the reference lists at the end).
    let skip = [
        "See also",
        "Bibliography",
        "Further reading",
        "External links",
        "References",
    ];
    let titles: Vec<String> = source
        .sections
        .iter()
        .map(|s| normalize(&s.title))
        .collect();
    for heading in source_sections_with_text()
        .iter()
        .filter(|h| !skip.contains(&h.as_str()))
    {
        let h = normalize(heading);
        assert!(
            titles.iter().any(|t| t.ends_with(&h) || t.contains(&h)),
            "the source's section \"{heading}\" has no entry in sources.ron"
        );
    }
}

#[test]
fn every_entity_takes_part_in_a_relation() {
    let g = shipped().graph;
    let mut linked = vec![false; g.entities.len()];
    for r in &g.relations {
        for i in [r.from, r.to]
            .into_iter()
            .chain(r.claimed_by.iter().copied())
            .chain(r.denied_by.iter().copied())
            .chain(r.doubted_by.iter().copied())
        {
            linked[i.index()] = true;
        }
    }
    let lonely: Vec<&str> = g
        .entities
        .iter()
        .zip(&linked)
        .filter(|(_, l)| !**l)
        .map(|(e, _)| e.id.as_str())
        .collect();
    assert!(lonely.is_empty(), "entities in no relation: {lonely:?}");
}

#[test]
fn the_graph_is_big_enough_to_cover_the_source() {
    let g = shipped().graph;
    let by_section: BTreeMap<&str, usize> = g.relations.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.source.section.as_str()).or_default() += 1;
        m
    });
    assert!(g.entities.len() > 250, "{} entities", g.entities.len());
    assert!(g.relations.len() > 500, "{} relations", g.relations.len());
    assert!(by_section.len() >= 30, "{by_section:?}");
}
