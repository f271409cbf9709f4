//! `linkchart search TEXT`: entities ranked by how well their id, name,
//! aliases or description match — whole name first, then prefixes and words,
//! then close spellings, then descriptions.

use serde_json::json;

use crate::Output;
use crate::cli::Format;
use crate::export::json::to_text;
use crate::index::Index;
use crate::style::Style;
use crate::suggest::{compact, normalize, similarity};

/// A match: its score (higher is better) and what it matched on.
struct Hit {
    score: u32,
    entity: usize,
    matched: String,
}

fn score_name(query: &str, name: &str) -> u32 {
    let folded = normalize(name);
    if folded == query || compact(&folded) == compact(query) {
        return 1000;
    }
    if folded.starts_with(query) {
        return 800;
    }
    let words: Vec<&str> = folded.split(' ').collect();
    let query_words: Vec<&str> = query.split(' ').collect();
    if query_words.iter().all(|q| words.contains(q)) {
        return 700;
    }
    if query_words
        .iter()
        .all(|q| words.iter().any(|w| w.starts_with(q)))
    {
        return 600;
    }
    if folded.contains(query) {
        return 500;
    }
    let sim = similarity(query, &folded);
    if sim >= 0.85 { (sim * 450.0) as u32 } else { 0 }
}

pub fn run(
    index: &Index,
    text: &str,
    limit: usize,
    format: Format,
    style: Style,
    output: &mut Output,
) {
    let query = normalize(text);
    let mut hits: Vec<Hit> = Vec::new();
    if !query.is_empty() {
        for (i, e) in index.graph.entities.iter().enumerate() {
            let mut best = Hit {
                score: 0,
                entity: i,
                matched: String::new(),
            };
            let names = std::iter::once(("name", e.name.as_str()))
                .chain(e.aliases.iter().map(|a| ("alias", a.as_str())))
                .chain(std::iter::once(("id", e.id.as_str())));
            for (what, name) in names {
                // A name beats an alias that matches as well.
                let base = score_name(&query, name);
                let score = base * 2 + u32::from(what == "name");
                if base > 0 && score > best.score {
                    best = Hit {
                        score,
                        entity: i,
                        matched: format!("{what}: {name}"),
                    };
                }
            }
            if best.score == 0 {
                let description = normalize(&e.description);
                let words: Vec<&str> = description.split(' ').collect();
                if query
                    .split(' ')
                    .all(|q| words.iter().any(|w| w.starts_with(q)))
                {
                    best = Hit {
                        score: 300,
                        entity: i,
                        matched: "description".into(),
                    };
                }
            }
            if best.score > 0 {
                hits.push(best);
            }
        }
    }
    hits.sort_by(|a, b| {
        b.score.cmp(&a.score).then_with(|| {
            let (x, y) = (index.entity(a.entity), index.entity(b.entity));
            x.name.cmp(&y.name).then(x.id.cmp(&y.id))
        })
    });
    let total = hits.len();
    hits.truncate(limit);
    output.found_nothing = hits.is_empty();
    match format {
        Format::Json => {
            output.stdout = to_text(&json!({
                "query": text,
                "total": total,
                "matches": hits.iter().map(|h| {
                    let e = index.entity(h.entity);
                    json!({"id": e.id, "name": e.name, "kind": e.kind, "description": e.description, "matched": h.matched})
                }).collect::<Vec<_>>(),
            }));
        }
        Format::Text => {
            if hits.is_empty() {
                output.stderr = format!("no entity matches \"{text}\"\n");
                return;
            }
            let mut t = String::new();
            for h in &hits {
                let e = index.entity(h.entity);
                t += &format!(
                    "{}  {}",
                    style.bold(&e.name),
                    style.dim(&format!("{} · {}", e.id, index.graph.kind_label(&e.kind)))
                );
                if !h.matched.starts_with("name") {
                    t += &format!(" {}", style.dim(&format!("({})", h.matched)));
                }
                t += "\n";
                if !e.description.is_empty() {
                    t += &format!("    {}\n", e.description);
                }
            }
            if total > hits.len() {
                t += &style.dim(&format!(
                    "… {} more; use --limit to see them\n",
                    total - hits.len()
                ));
            }
            output.stdout = t;
        }
    }
}
