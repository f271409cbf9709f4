//! The last layer of loading: warnings that need the whole graph (entities
//! nobody links, aliases that are another entity's name, relations stated
//! twice), then the canonical order (entities by id, relations by ends, type
//! and time), duplicate removal and relation ids. The same files in any
//! order give the same graph.

use std::collections::HashMap;

use super::raw::Locate;
use super::validate::{CheckedRelation, Validated};
use crate::diag::Diagnostic;
use crate::model::{Entity, EntityId, Graph, Relation, Schema, Status};
use crate::suggest;
use crate::when::DayRange;

/// Builds the graph (when there is a schema) and the warnings.
pub fn finish(v: Validated, loc: &dyn Locate, diagnostics: &mut Vec<Diagnostic>) -> Option<Graph> {
    warn_unlinked_and_aliases(&v, loc, diagnostics);
    let Validated {
        schema,
        sources,
        entities,
        mut relations,
        ..
    } = v;
    // Entities sorted by id; relation ends remapped to the sorted order.
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by(|&a, &b| entities[a].raw.value.id.cmp(&entities[b].raw.value.id));
    let mut new_index = vec![EntityId(u32::MAX); entities.len()];
    for (n, &old) in order.iter().enumerate() {
        new_index[old] = n.into();
    }
    for r in &mut relations {
        let rel = &mut r.relation;
        rel.from = new_index[rel.from.index()];
        rel.to = new_index[rel.to.index()];
        for i in rel
            .claimed_by
            .iter_mut()
            .chain(rel.denied_by.iter_mut())
            .chain(rel.doubted_by.iter_mut())
            .chain(rel.retracted_by.iter_mut())
        {
            *i = new_index[i.index()];
        }
    }
    let mut slots: Vec<Option<_>> = entities.into_iter().map(Some).collect();
    let entities: Vec<Entity> = order
        .iter()
        .filter_map(|&i| slots[i].take())
        .map(|e| {
            let raw = e.raw.value;
            Entity {
                id: raw.id,
                name: raw.name,
                kind: raw.kind,
                aliases: raw.aliases,
                description: raw.description,
                start: e.start,
                end: e.end,
                tags: raw.tags,
                props: raw.props,
            }
        })
        .collect();
    let relations = sort_and_dedupe(relations, loc, diagnostics);
    let relations = with_ids(relations, &entities);
    let schema: Schema = schema?;
    Some(Graph {
        schema,
        sources,
        entities,
        relations,
    })
}

fn warn_unlinked_and_aliases(v: &Validated, loc: &dyn Locate, diagnostics: &mut Vec<Diagnostic>) {
    let literal = |file: usize, index: usize, field: &str, needle: &str| {
        let within = loc.field(file, index, field);
        loc.literal(file, &within, needle).unwrap_or(within)
    };
    let by_id: HashMap<&str, usize> = v
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.raw.value.id.as_str(), i))
        .collect();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, e) in v.entities.iter().enumerate() {
        by_name
            .entry(suggest::normalize(&e.raw.value.name))
            .or_insert(i);
    }
    for (i, e) in v.entities.iter().enumerate() {
        let (file, index, raw) = (e.raw.file, e.raw.index, &e.raw.value);
        if !v.involved[i] {
            diagnostics.push(
                Diagnostic::warning(
                    file,
                    literal(file, index, "id", &raw.id),
                    format!("entity \"{}\" takes part in no relation", raw.id),
                )
                .label("nothing links to or from this entity")
                .help("add the relation the source gives for it, or remove it"),
            );
        }
        // Typed exactly, an id wins over every name: an entity whose name
        // or alias is another's id cannot be found by it.
        for (field, text) in
            std::iter::once(("name", &raw.name)).chain(raw.aliases.iter().map(|a| ("aliases", a)))
        {
            if let Some(&other) = by_id.get(text.trim())
                && other != i
            {
                let o = &v.entities[other].raw;
                diagnostics.push(
                    Diagnostic::warning(
                        file,
                        literal(file, index, field, text),
                        format!(
                            "{} \"{text}\" of \"{}\" is the id of another entity",
                            if field == "name" { "name" } else { "alias" },
                            raw.id
                        ),
                    )
                    .label("looking this up finds the other entity")
                    .related(
                        o.file,
                        literal(o.file, o.index, "id", &o.value.id),
                        "that entity's id",
                    )
                    .help(format!(
                        "typed exactly, \"{text}\" is read as the id of \"{}\"; rename one of them",
                        o.value.id
                    )),
                );
            }
        }
        for alias in &raw.aliases {
            if let Some(&other) = by_name.get(&suggest::normalize(alias))
                && other != i
            {
                let o = &v.entities[other].raw;
                diagnostics.push(
                    Diagnostic::warning(
                        file,
                        literal(file, index, "aliases", alias),
                        format!(
                            "alias \"{alias}\" of \"{}\" is the name of \"{}\"",
                            raw.id, o.value.id
                        ),
                    )
                    .label("this alias")
                    .related(
                        o.file,
                        literal(o.file, o.index, "name", &o.value.name),
                        "that entity's name",
                    )
                    .help(format!(
                        "looking up \"{alias}\" finds \"{}\"; drop the alias or merge the entities",
                        o.value.id
                    )),
                );
            }
        }
    }
}

/// Relations in canonical order, each stated once (a repeat is a warning).
fn sort_and_dedupe(
    mut relations: Vec<CheckedRelation>,
    loc: &dyn Locate,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Relation> {
    // Entities are sorted by id, so comparing indices compares ids; types by
    // their alphabetical rank. At a million relations (many sharing a hub as
    // `from`) comparing numbers first, and strings only on ties, matters.
    let ranks: HashMap<String, u32> = {
        let mut names: Vec<&str> = relations
            .iter()
            .map(|r| r.relation.rel_type.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .enumerate()
            .map(|(n, t)| (t.to_string(), n as u32))
            .collect()
    };
    for r in &mut relations {
        r.type_rank = ranks[r.relation.rel_type.as_str()];
    }
    type Key = (EntityId, u32, EntityId, Option<DayRange>, Status);
    fn key(r: &CheckedRelation) -> Key {
        (
            r.relation.from,
            r.type_rank,
            r.relation.to,
            r.relation.when.map(|w| w.days()),
            r.relation.status,
        )
    }
    relations.sort_unstable_by(|x, y| {
        key(x)
            .cmp(&key(y))
            .then_with(|| x.relation.source.cmp(&y.relation.source))
            .then_with(|| x.relation.note.cmp(&y.relation.note))
            .then_with(|| x.relation.claimed_by.cmp(&y.relation.claimed_by))
            .then_with(|| (x.file, x.index).cmp(&(y.file, y.index)))
    });
    for pair in relations.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        if first.relation == second.relation {
            diagnostics.push(
                Diagnostic::warning(
                    second.file,
                    loc.record(second.file, second.index),
                    "the same relation is stated twice",
                )
                .label("repeats an earlier relation")
                .related(
                    first.file,
                    loc.record(first.file, first.index),
                    "first stated here",
                ),
            );
        }
    }
    let mut sorted: Vec<Relation> = relations.into_iter().map(|r| r.relation).collect();
    sorted.dedup();
    sorted
}

/// `from/type/to`, with `/2`, `/3` … for further relations of the same type
/// between the same ends.
fn with_ids(mut relations: Vec<Relation>, entities: &[Entity]) -> Vec<Relation> {
    let mut i = 0;
    while i < relations.len() {
        let mut j = i;
        while j < relations.len()
            && relations[j].from == relations[i].from
            && relations[j].to == relations[i].to
            && relations[j].rel_type == relations[i].rel_type
        {
            j += 1;
        }
        for (n, k) in (i..j).enumerate() {
            let r = &relations[k];
            let base = format!(
                "{}/{}/{}",
                entities[r.from.index()].id,
                r.rel_type,
                entities[r.to.index()].id
            );
            relations[k].id = if n == 0 {
                base
            } else {
                format!("{base}/{}", n + 1)
            };
        }
        i = j;
    }
    relations
}
