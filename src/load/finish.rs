//! The last layer of loading: warnings that need the whole graph (entities
//! nobody links, aliases that are another entity's name, relations stated
//! twice), then the canonical order (entities by id, relations by ends, type
//! and time), duplicate removal and relation ids. The same files in any
//! order give the same graph.

use compact_str::CompactString;

use super::raw::{Locate, Located, RawEntity};
use super::validate::{CheckedRelation, Validated};
use crate::diag::Diagnostic;
use crate::model::{Entity, EntityId, Graph, Relation, Schema, Status};
use crate::suggest;
use crate::when::DayRange;

/// Builds the graph (when there is a schema) and the warnings.
pub fn finish(v: Validated, loc: &dyn Locate, diagnostics: &mut Vec<Diagnostic>) -> Option<Graph> {
    let Validated {
        schema,
        sources,
        mut entities,
        mut dates,
        relations,
        involved,
    } = v;
    let large = entities.len() + relations.len() >= super::runs::PARALLEL_FROM;
    // The warnings read the entities as validated; meanwhile the relations
    // are put in order (their ends renumbered for the entities' order by
    // id), on another core once the graph is large. Each half keeps its own
    // diagnostics, appended in this order whichever finishes first.
    let warn = || {
        let mut found = Vec::new();
        warn_unlinked_and_aliases(&entities, &involved, loc, &mut found);
        found
    };
    let place = || {
        let mut order: Vec<usize> = (0..entities.len()).collect();
        order.sort_by(|&a, &b| entities[a].value.id.cmp(&entities[b].value.id));
        let mut found = Vec::new();
        let relations = sort_and_dedupe(renumbered(relations, &order), loc, &mut found);
        (order, relations, found)
    };
    let (warnings, (mut order, relations, repeats)) = if large {
        std::thread::scope(|s| {
            let warnings = s.spawn(warn);
            let placed = place();
            let warnings = warnings
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (warnings, placed)
        })
    } else {
        (warn(), place())
    };
    diagnostics.extend(warnings);
    diagnostics.extend(repeats);
    // Moved into their places, then into entities in the same buffer: no
    // second list of a quarter of a million entities.
    permute(&mut dates, &mut order.clone());
    permute(&mut entities, &mut order);
    let entities: Vec<Entity> = entities
        .into_iter()
        .zip(dates)
        .map(|(e, [start, end])| {
            let raw = e.value;
            Entity {
                id: raw.id,
                name: raw.name,
                kind: raw.kind,
                aliases: raw.aliases,
                description: raw.description,
                start,
                end,
                tags: raw.tags,
                props: raw.props,
            }
        })
        .collect();
    let relations = with_ids(relations, &entities);
    let schema: Schema = schema?;
    Some(Graph {
        schema,
        sources,
        entities,
        relations,
    })
}

/// The relations with their ends and parties renumbered for the entities
/// in `order` (the entity at `order[n]` becomes entity `n`).
fn renumbered(mut relations: Vec<CheckedRelation>, order: &[usize]) -> Vec<CheckedRelation> {
    let mut new_index = vec![EntityId(u32::MAX); order.len()];
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
    relations
}

fn warn_unlinked_and_aliases(
    entities: &[Located<RawEntity>],
    involved: &[bool],
    loc: &dyn Locate,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let literal = |file: usize, index: usize, field: &str, needle: &str| {
        let within = loc.field(file, index, field);
        loc.literal(file, &within, needle).unwrap_or(within)
    };
    let by_id: foldhash::HashMap<&str, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.value.id.as_str(), i))
        .collect();
    let mut by_name: foldhash::HashMap<String, usize> =
        foldhash::HashMapExt::with_capacity(entities.len());
    for (i, e) in entities.iter().enumerate() {
        by_name
            .entry(suggest::normalize(&e.value.name))
            .or_insert(i);
    }
    for (i, e) in entities.iter().enumerate() {
        let (file, index, raw) = (e.file, e.index, &e.value);
        if !involved[i] {
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
        for (field, text) in std::iter::once(("name", raw.name.as_str()))
            .chain(raw.aliases.iter().map(|a| ("aliases", a.as_str())))
        {
            if let Some(&other) = by_id.get(text.trim())
                && other != i
            {
                let o = &entities[other];
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
                let o = &entities[other];
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
///
/// A relation is a few hundred bytes: sorting them in place moved each one
/// some twenty times and compared strings on every step. Instead each gets a
/// small key of numbers (ends, type rank, days, status), the keys are
/// sorted with the relation's index (strings compared only on ties), and
/// the relations are moved once, into their places.
fn sort_and_dedupe(
    mut relations: Vec<CheckedRelation>,
    loc: &dyn Locate,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Relation> {
    // Entities are sorted by id, so comparing indices compares ids; types by
    // their alphabetical rank.
    // Positions as u32 (the loader numbers relations in u32): the keys are
    // a million at a time, and live beside the relations.
    type Key = (EntityId, u32, EntityId, Option<DayRange>, Status);
    let mut keyed: Vec<(Key, u32)> = {
        let distinct: foldhash::HashSet<&str> = relations
            .iter()
            .map(|r| r.relation.rel_type.as_str())
            .collect();
        let mut names: Vec<&str> = distinct.into_iter().collect();
        names.sort_unstable();
        let ranks: foldhash::HashMap<&str, u32> = names
            .into_iter()
            .enumerate()
            .map(|(n, t)| (t, n as u32))
            .collect();
        relations
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let r = &r.relation;
                let key = (
                    r.from,
                    ranks[r.rel_type.as_str()],
                    r.to,
                    r.when.map(|w| w.days()),
                    r.status,
                );
                (key, i as u32)
            })
            .collect()
    };
    keyed.sort_unstable_by(|(kx, x), (ky, y)| {
        kx.cmp(ky).then_with(|| {
            let (x, y) = (&relations[*x as usize], &relations[*y as usize]);
            x.relation
                .source
                .cmp(&y.relation.source)
                .then_with(|| x.relation.note.cmp(&y.relation.note))
                .then_with(|| x.relation.claimed_by.cmp(&y.relation.claimed_by))
                .then_with(|| (x.file, x.index).cmp(&(y.file, y.index)))
        })
    });
    // A repeat has its predecessor's key and equals it.
    let mut repeat = vec![false; keyed.len()];
    for (n, pair) in keyed.windows(2).enumerate() {
        let ((k1, i1), (k2, i2)) = (&pair[0], &pair[1]);
        let (first, second) = (&relations[*i1 as usize], &relations[*i2 as usize]);
        if k1 == k2 && first.relation == second.relation {
            repeat[n + 1] = true;
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
    let mut order: Vec<usize> = keyed.into_iter().map(|(_, i)| i as usize).collect();
    permute(&mut relations, &mut order);
    let mut at = 0;
    relations.retain(|_| {
        at += 1;
        !repeat[at - 1]
    });
    // In place: the checked relations' buffer is reused.
    relations.into_iter().map(|r| r.relation).collect()
}

/// Puts `items[order[k]]` at `k` for every `k`, by following the cycles of
/// the permutation (each item moves once; no second vector). `order` is
/// used up.
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            // Position `at` takes its item; the item that started the cycle
            // travels on to `from`.
            items.swap(at, from);
            at = from;
        }
    }
}

/// `from/type/to`, with `/2`, `/3` … for further relations of the same type
/// between the same ends. A million ids are a million small strings to
/// build, so the sorted list is numbered in runs on all cores, each run
/// starting where a group of same-ended relations starts.
fn with_ids(mut relations: Vec<Relation>, entities: &[Entity]) -> Vec<Relation> {
    let same_group =
        |a: &Relation, b: &Relation| a.from == b.from && a.to == b.to && a.rel_type == b.rel_type;
    let mut starts: Vec<usize> = super::runs::runs(relations.len())
        .into_iter()
        .map(|run| {
            let mut at = run.start;
            while at > 0 && at < relations.len() && same_group(&relations[at - 1], &relations[at]) {
                at += 1;
            }
            at
        })
        .collect();
    starts.dedup();
    let mut runs = Vec::with_capacity(starts.len());
    let mut rest = relations.as_mut_slice();
    let mut taken = 0;
    for &end in starts.iter().skip(1) {
        let (run, after) = rest.split_at_mut(end - taken);
        runs.push(run);
        rest = after;
        taken = end;
    }
    runs.push(rest);
    super::runs::in_order(runs, |run| number(run, entities, same_group));
    relations
}

/// Gives each relation of `run` its id; `run` starts a group.
fn number(
    run: &mut [Relation],
    entities: &[Entity],
    same_group: impl Fn(&Relation, &Relation) -> bool,
) {
    use std::fmt::Write;
    let mut n = 0;
    for k in 0..run.len() {
        n = if k > 0 && same_group(&run[k - 1], &run[k]) {
            n + 1
        } else {
            1
        };
        let r = &run[k];
        let (from, to) = (&entities[r.from.index()].id, &entities[r.to.index()].id);
        let mut id = CompactString::with_capacity(from.len() + r.rel_type.len() + to.len() + 12);
        id.push_str(from);
        id.push('/');
        id.push_str(&r.rel_type);
        id.push('/');
        id.push_str(to);
        if n > 1 {
            let _ = write!(id, "/{n}");
        }
        run[k].id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::{permute, with_ids};
    use crate::model::Entity;
    use crate::model::fixture::{person, relation};

    #[test]
    fn ids_are_numbered_within_groups_across_the_runs() {
        let entities: Vec<Entity> = ["a", "b", "c"].into_iter().map(person).collect();
        // Sorted groups whose sizes put run boundaries inside groups, one
        // group longer than a run, and single relations between them.
        let groups = [
            (0, "met", 1, 1),
            (0, "met", 2, 12_345),
            (0, "paid", 2, 1),
            (1, "met", 0, 30_001),
            (1, "met", 2, 2),
            (2, "met", 0, 7_000),
            (2, "paid", 1, 1),
        ];
        let mut relations = Vec::new();
        let mut expected = Vec::new();
        for (from, rel_type, to, size) in groups {
            for n in 1..=size {
                relations.push(relation(from, rel_type, to, "x"));
                let base = format!(
                    "{}/{rel_type}/{}",
                    entities[from as usize].id, entities[to as usize].id
                );
                expected.push(if n == 1 { base } else { format!("{base}/{n}") });
            }
        }
        let ids: Vec<String> = with_ids(relations, &entities)
            .into_iter()
            .map(|r| r.id.into())
            .collect();
        assert_eq!(ids.len(), expected.len());
        assert!(
            ids == expected,
            "first difference at {:?}",
            ids.iter().zip(&expected).position(|(a, b)| a != b)
        );
    }

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        // Every permutation of five items, against building a new vector.
        let mut orders = vec![vec![]];
        for n in 0..5 {
            orders = orders
                .into_iter()
                .flat_map(|o: Vec<usize>| {
                    (0..=n).map(move |at| {
                        let mut o = o.clone();
                        o.insert(at, n);
                        o
                    })
                })
                .collect();
        }
        assert_eq!(orders.len(), 120);
        for order in orders {
            let items: Vec<char> = "abcde".chars().collect();
            let expected: Vec<char> = order.iter().map(|&i| items[i]).collect();
            let mut got = items.clone();
            permute(&mut got, &mut order.clone());
            assert_eq!(got, expected, "order {order:?}");
        }
    }
}
