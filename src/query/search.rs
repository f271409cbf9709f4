//! Entities ranked by how well their id, name, aliases or description match
//! what was typed: whole name first, then prefixes and words, then close
//! spellings, then descriptions, then names that hold only some of the
//! words typed (more of them first), so "jean valjean" still finds
//! "Valjean".

use serde::Serialize;

use crate::index::Index;
use crate::model::EntityId;
use crate::suggest::{compact, normalize, similarity};

/// One match, best first in [`SearchAnswer::matches`].
#[derive(Debug, Clone, Serialize)]
pub struct Hit<'g> {
    pub id: &'g str,
    pub name: &'g str,
    pub kind: &'g str,
    pub description: &'g str,
    /// What matched: `name: …`, `alias: …`, `id: …` or `description`.
    pub matched: String,
    #[serde(skip)]
    pub entity: EntityId,
    #[serde(skip)]
    score: u32,
}

/// The search JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct SearchAnswer<'g> {
    pub query: String,
    /// Matches in all, before the limit.
    pub total: usize,
    pub matches: Vec<Hit<'g>>,
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
    if sim >= 0.85 {
        return (sim * 450.0) as u32;
    }
    partial_words(&query_words, &words)
}

/// Below every whole match: the share of the typed words that are words of
/// the name (or start one, from three letters), when at least one of three
/// letters or more is.
fn partial_words(query_words: &[&str], words: &[&str]) -> u32 {
    let hits: Vec<&&str> = query_words
        .iter()
        .filter(|q| {
            words
                .iter()
                .any(|w| w == *q || (q.len() >= 3 && w.starts_with(**q)))
        })
        .collect();
    if hits.iter().any(|q| q.len() >= 3) {
        50 + (99 * hits.len() / query_words.len()) as u32
    } else {
        0
    }
}

/// The best `limit` matches for `text`, and how many there were.
pub fn search<'g>(index: &'g Index, text: &str, limit: usize) -> SearchAnswer<'g> {
    search_filtered(index, text, limit, &super::Filter::default())
}

/// The same, among the entities that pass the filter's tag and attribute
/// conditions (and kinds).
pub fn search_filtered<'g>(
    index: &'g Index,
    text: &str,
    limit: usize,
    filter: &super::Filter,
) -> SearchAnswer<'g> {
    let query = normalize(text);
    let mut hits: Vec<Hit> = Vec::new();
    if !query.is_empty() {
        for (i, e) in index.graph.entities.iter().enumerate() {
            if !filter.entity_matches(e)
                || filter
                    .kinds
                    .as_ref()
                    .is_some_and(|k| !k.contains(e.kind.as_str()))
            {
                continue;
            }
            let mut best: Option<(u32, String)> = None;
            let names = std::iter::once(("name", e.name.as_str()))
                .chain(e.aliases.iter().map(|a| ("alias", a.as_str())))
                .chain(std::iter::once(("id", e.id.as_str())));
            for (what, name) in names {
                // A name beats an alias that matches as well.
                let base = score_name(&query, name);
                let score = base * 2 + u32::from(what == "name");
                if base > 0 && best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, format!("{what}: {name}")));
                }
            }
            // A description holding every word beats a name holding some.
            if best.as_ref().is_none_or(|(score, _)| *score < 300) {
                let description = normalize(&e.description);
                let words: Vec<&str> = description.split(' ').collect();
                if query
                    .split(' ')
                    .all(|q| words.iter().any(|w| w.starts_with(q)))
                {
                    best = Some((300, "description".into()));
                }
            }
            if let Some((score, matched)) = best {
                hits.push(Hit {
                    id: &e.id,
                    name: &e.name,
                    kind: &e.kind,
                    description: &e.description,
                    matched,
                    entity: i.into(),
                    score,
                });
            }
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.name.cmp(b.name).then(a.id.cmp(b.id)))
    });
    let total = hits.len();
    hits.truncate(limit);
    SearchAnswer {
        query: text.to_string(),
        total,
        matches: hits,
    }
}
