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

/// The source text lives outside the repository, in ../shared/sources/. On
/// a clone with nothing beside it the tests that need it skip with a note;
/// under CI (the `CI` variable set) its absence is a failure.
fn source_text() -> Option<String> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/sources/inter-services-intelligence.txt");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("the source text is needed at {}: {e}", path.display())
        }
        Err(e) => {
            // Straight to stderr: the test harness would swallow eprintln!
            // of a passing test, and the note is for the person running it.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: skipped, the source text is not at {} ({e}); with CI set this fails",
                path.display()
            );
            None
        }
    }
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
    let Some(text) = source_text() else { return };
    let source = words(&text);
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
    let Some(text) = source_text() else { return };
    let source = words(&text);
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
        .filter_map(|r| r.when.map(|w| (g.entity(r.from).id.to_string(), w)))
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
        for name in std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str)) {
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
fn source_sections_with_text(text: &str) -> Vec<String> {
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
    let Some(text) = source_text() else { return };
    for heading in source_sections_with_text(&text)
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

/// The audit's rules, one test per kind of error it found (graph/README.md,
/// "Audit"). First: an alias is a spelling the source uses, so a search for
/// what a reader saw in the text finds the entity; the exceptions say why.
#[test]
fn aliases_are_spellings_the_source_uses() {
    const NOT_IN_TEXT: &[(&str, &str, &str)] = &[(
        "hamid-gul",
        "Hamid Gul",
        "the usual English spelling; the text only writes Hameed Gul",
    )];
    let Some(text) = source_text() else { return };
    let source = format!(" {} ", normalize(&text));
    let g = shipped().graph;
    let mut missing = Vec::new();
    for e in &g.entities {
        for alias in &e.aliases {
            let listed = NOT_IN_TEXT
                .iter()
                .any(|(id, a, _)| *id == e.id && a == alias);
            // Also as a possessive: "Imran Khan's" folds to "imran khans".
            let folded = normalize(alias);
            let found =
                source.contains(&format!(" {folded} ")) || source.contains(&format!(" {folded}s "));
            if found == listed {
                missing.push(format!(
                    "{}: \"{alias}\" {}",
                    e.id,
                    if listed {
                        "is in the text now: drop it from NOT_IN_TEXT"
                    } else {
                        "is not a spelling the source uses"
                    }
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The years of a date or period: (approximate, year).
fn years_of(text: &str) -> Vec<(bool, u32)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let end = (i..bytes.len())
                .find(|&j| !bytes[j].is_ascii_digit())
                .unwrap_or(bytes.len());
            if end - i == 4 && (i == 0 || bytes[i - 1] != b'-') {
                out.push((i > 0 && bytes[i - 1] == b'~', text[i..end].parse().unwrap()));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// No invented dates: every year of a date, period, start or end is one the
/// source gives, or an approximate bound of a decade it names ("the 1980s"
/// is `~1980..~1989`).
#[test]
fn every_year_of_a_date_is_one_the_source_gives() {
    let Some(text) = source_text() else { return };
    let mut years = BTreeSet::new();
    let mut decades = BTreeSet::new();
    for (at, _) in text.char_indices() {
        let rest = &text[at..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let starts = at == 0 || !text[..at].ends_with(|c: char| c.is_ascii_digit());
        if starts && digits == 4 {
            let year: u32 = rest[..4].parse().unwrap();
            years.insert(year);
            if rest[4..].starts_with('s') && year.is_multiple_of(10) {
                decades.insert(year / 10);
            }
        }
    }
    assert!(years.contains(&1948) && decades.contains(&198));
    let g = shipped().graph;
    let dated = g
        .relations
        .iter()
        .filter_map(|r| r.when.map(|w| (r.id.clone(), w.to_string())))
        .chain(g.entities.iter().flat_map(|e| {
            [e.start, e.end]
                .into_iter()
                .flatten()
                .map(|d| (e.id.clone(), d.to_string()))
        }));
    let mut invented = Vec::new();
    for (id, when) in dated {
        for (approximate, year) in years_of(&when) {
            if !(years.contains(&year) || approximate && decades.contains(&(year / 10))) {
                invented.push(format!("{id}: {when} ({year} is not in the source)"));
            }
        }
    }
    assert!(invented.is_empty(), "{}", invented.join("\n"));
}

#[test]
fn years_are_read_from_dates_and_periods() {
    assert_eq!(years_of("2002-03-28"), vec![(false, 2002)]);
    assert_eq!(years_of("~1980..~1989"), vec![(true, 1980), (true, 1989)]);
    assert_eq!(years_of("..2001-10"), vec![(false, 2001)]);
}

/// A stand-in claimant ("unnamed believers in …") stands for the unnamed
/// people behind one claim. It may link only the parties of the claims it
/// makes, and only parties already linked directly: a route through it
/// never joins two entities the source does not relate.
#[test]
fn stand_in_claimants_join_nothing_new() {
    let g = shipped().graph;
    let mut linked: BTreeSet<(usize, usize)> = BTreeSet::new();
    for r in &g.relations {
        linked.insert((r.from.index(), r.to.index()));
        linked.insert((r.to.index(), r.from.index()));
    }
    let mut wrong = Vec::new();
    let stand_ins = g
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.tags.iter().any(|t| t == "unnamed-claimant"));
    let mut count = 0;
    for (i, e) in stand_ins {
        count += 1;
        let mut parties = BTreeSet::new();
        for r in &g.relations {
            let voices = r
                .claimed_by
                .iter()
                .chain(&r.denied_by)
                .chain(&r.doubted_by)
                .chain(&r.retracted_by);
            if voices.map(|v| v.index()).any(|v| v == i) {
                parties.insert(r.from.index());
                parties.insert(r.to.index());
            }
        }
        if parties.is_empty() {
            wrong.push(format!("{}: a stand-in that claims nothing", e.id));
        }
        let neighbours: BTreeSet<usize> = g
            .relations
            .iter()
            .filter_map(|r| match (r.from.index(), r.to.index()) {
                (f, t) if f == i => Some(t),
                (f, t) if t == i => Some(f),
                _ => None,
            })
            .collect();
        for &n in &neighbours {
            if !parties.contains(&n) {
                wrong.push(format!(
                    "{} is linked to {}, a party of none of its claims",
                    e.id, g.entities[n].id
                ));
            }
            for &m in neighbours.range(n + 1..) {
                if !linked.contains(&(n, m)) {
                    wrong.push(format!(
                        "{} joins {} and {}, which no relation links",
                        e.id, g.entities[n].id, g.entities[m].id
                    ));
                }
            }
        }
    }
    assert!(count >= 10, "only {count} stand-in claimants");
    // Nor does a stand-in become a hub that routes pass through.
    let index = linkchart::index::Index::new(g.clone());
    for (i, e) in g.entities.iter().enumerate() {
        if e.tags.iter().any(|t| t == "unnamed-claimant") && index.is_hub(i.into()) {
            wrong.push(format!("{} is a hub", e.id));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Relations the audit corrected, as they must stay: id, status, claimants,
/// date or period. Each row is one kind of error: status against the
/// source's voice, a wrong claimant, an invented or wrong date, a type
/// stronger than the text.
const AUDITED: &[(&str, &str, &[&str], Option<&str>)] = &[
    // Voice: "widely believed" is an allegation, with a stand-in claimant;
    // the text gives no tenure, so no date.
    (
        "hamid-gul/headed/isi",
        "alleged",
        &["election-1990-gul-rigging-believers"],
        None,
    ),
    (
        "isi/supported/taliban",
        "alleged",
        &["james-forest", "counter-terrorism-organizations"],
        None,
    ),
    ("al-qaeda/targeted/isi", "reported", &["al-qaeda"], None),
    (
        "government-of-pakistan/supported/haqqani-network",
        "disputed",
        &["mike-mullen"],
        None,
    ),
    (
        "isi/cooperated-with/cia/6",
        "established",
        &[],
        Some("2002-03-28"),
    ),
    // Claimants: the one the sentence names.
    (
        "isi/involved-in/al-qaeda-training-camps",
        "alleged",
        &["british-intelligence"],
        Some("2000"),
    ),
    (
        "isi/supported/kashmir-insurgency/2",
        "alleged",
        &["fbi"],
        Some("2011"),
    ),
    (
        "chinese-third-party-distributor/based-in/china",
        "alleged",
        &["xun-wang-indictment"],
        None,
    ),
    (
        "isi/supported/terrorist-groups/3",
        "alleged",
        &["isi-terror-support-allegers"],
        None,
    ),
    (
        "fall-of-kabul-2021/influenced/strategic-depth",
        "alleged",
        &["kabul-fall-isi-gain-viewers"],
        Some("2021"),
    ),
    // Dates: none where a bullet's heading belongs to another sentence; the
    // day the text gives, not a neighbouring one.
    (
        "afghan-heroin-smuggling/targeted/soviet-troops-in-afghanistan",
        "alleged",
        &["b-raman"],
        None,
    ),
    (
        "benazir-bhutto/headed/prime-minister-of-pakistan",
        "established",
        &[],
        None,
    ),
    (
        "imran-khan/stated/pakistan-army",
        "reported",
        &["malik-dogar"],
        None,
    ),
    ("isi/arrested/jean-forlot", "established", &[], Some("1979")),
    (
        "faiz-hameed/headed/isi",
        "established",
        &[],
        Some("2021-10"),
    ),
    // Types no stronger than the text: contact and knowledge, not
    // cooperation or sheltering.
    (
        "isi/in-contact-with/osama-bin-laden",
        "disputed",
        &["stratfor-emails"],
        None,
    ),
    (
        "ashfaq-parvez-kayani/knew-of/osama-bin-laden",
        "disputed",
        &["jamestown-foundation", "jamestown-report-2011"],
        None,
    ),
];

/// Relations the audit removed: links the text does not give.
const REMOVED: &[&str] = &[
    "isi/cooperated-with/osama-bin-laden",
    "ashfaq-parvez-kayani/sheltered/osama-bin-laden",
    "isi/killed/saleem-shahzad",
    "haqqani-network/targeted/kabul",
];

#[test]
fn audited_relations_stay_corrected() {
    let g = shipped().graph;
    let by_id: HashMap<&str, &linkchart::model::Relation> =
        g.relations.iter().map(|r| (r.id.as_str(), r)).collect();
    for (id, status, claimants, when) in AUDITED {
        let r = by_id
            .get(id)
            .unwrap_or_else(|| panic!("{id} is gone; update AUDITED if it was renamed"));
        assert_eq!(
            serde_json::to_value(r.status).unwrap(),
            serde_json::json!(status),
            "{id}: status"
        );
        let ids: Vec<&str> = r
            .claimed_by
            .iter()
            .map(|&c| g.entity(c).id.as_str())
            .collect();
        assert_eq!(&ids, claimants, "{id}: claimed_by");
        assert_eq!(
            r.when.map(|w| w.to_string()).as_deref(),
            *when,
            "{id}: date"
        );
    }
    for id in REMOVED {
        assert!(!by_id.contains_key(id), "{id} is back");
    }
}

/// Every name and alias, as the source spells it, finds its entity.
#[test]
fn every_name_and_alias_finds_its_entity() {
    let index = linkchart::index::Index::new(shipped().graph);
    let g = &index.graph;
    let mut lost = Vec::new();
    for (i, e) in g.entities.iter().enumerate() {
        for text in std::iter::once(e.name.as_str())
            .chain(e.aliases.iter().map(String::as_str))
            .chain([e.id.as_str()])
        {
            match index.resolve(text) {
                Ok(found) if found.index() == i => {}
                Ok(found) => lost.push(format!(
                    "\"{text}\" finds {}, not {}",
                    g.entity(found).id,
                    e.id
                )),
                Err(err) => lost.push(format!("\"{text}\" ({}): {err}", e.id)),
            }
        }
    }
    assert!(lost.is_empty(), "{}", lost.join("\n"));
}
