//! Checking relations: every reference resolved to an entity, the type and
//! the kinds it allows, claims with their claimants (and who contests them),
//! the date or period, and the cited source and section.

use std::sync::Mutex;

use compact_str::CompactString;

use super::raw::{Locate, Located, RawEntity, RawRelation};
use super::validate::{CheckedRelation, Checker};
use crate::diag::Diagnostic;
use crate::model::{EntityId, Relation, Schema, Source, Status};
use crate::suggest::{self, did_you_mean};
use crate::when::{Date, Period, When};

/// The context every relation is checked in; shared by the threads.
struct Scope<'a> {
    entities: &'a [Located<RawEntity>],
    at: foldhash::HashMap<&'a str, usize>,
    schema: Option<&'a Schema>,
    sources: &'a [Source],
    /// Every (source, section) pair sources.ron lists.
    sections: foldhash::HashSet<(&'a str, &'a str)>,
}

pub fn relations(
    c: &mut Checker,
    raw: Vec<Vec<Located<RawRelation>>>,
    entities: &[Located<RawEntity>],
    schema: Option<&Schema>,
    sources: &[Source],
) -> (Vec<CheckedRelation>, Vec<bool>) {
    // Looked up for every end and party of a million relations: foldhash
    // (string hashing and comparing were a third of this layer's profile).
    let at: foldhash::HashMap<&str, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.value.id.as_str(), i))
        .collect();
    let sections = sources
        .iter()
        .flat_map(|s| s.sections.iter().map(|x| (s.id.as_str(), x.id.as_str())))
        .collect();
    let scope = Scope {
        entities,
        at,
        schema,
        sources,
        sections,
    };
    // The lists are checked on all cores, each by one thread keeping its
    // own diagnostics, and joined in input order, which gives what one
    // thread checking them in turn would. Each list's raw relations are let
    // go as soon as it is checked and appended: the whole list is reserved
    // up front but its pages are only touched as they are filled, so the
    // raw and the checked relations are never all held at once.
    let lists = pieces(raw);
    let mut checked = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    let lists: Vec<_> = lists.into_iter().map(Mutex::new).collect();
    let loc = c.loc;
    let mut involved = vec![false; entities.len()];
    super::runs::streamed(
        &lists,
        |list| {
            let list = std::mem::take(&mut *list.lock().unwrap_or_else(|e| e.into_inner()));
            check_run(loc, &scope, list)
        },
        |_, run| {
            checked.extend(run.checked);
            c.diagnostics.extend(run.diagnostics);
            for (all, mine) in involved.iter_mut().zip(run.involved) {
                *all |= mine;
            }
        },
    );
    (checked, involved)
}

/// The lists as jobs for the cores: short lists (under
/// [`super::runs::PARALLEL_FROM`] in all) as one, checked on the calling
/// thread; a list longer than a core's equal share cut into shares, so one
/// long list (an import's) is still checked on every core, at the price of
/// copying its tail.
fn pieces<T>(lists: Vec<Vec<T>>) -> Vec<Vec<T>> {
    let total: usize = lists.iter().map(Vec::len).sum();
    if total < super::runs::PARALLEL_FROM {
        let mut lists = lists.into_iter();
        let mut one = lists.next().unwrap_or_default();
        for list in lists {
            one.extend(list);
        }
        return vec![one];
    }
    let share = super::runs::runs(total).first().map_or(total, |r| r.len());
    let mut out = Vec::with_capacity(lists.len());
    for mut list in lists {
        let mut cut = Vec::new();
        while list.len() > share {
            cut.push(list.split_off(list.len() - share));
        }
        out.push(list);
        out.extend(cut.into_iter().rev());
    }
    out
}

/// What checking one run of relations gave.
struct Run {
    checked: Vec<CheckedRelation>,
    diagnostics: Vec<Diagnostic>,
    involved: Vec<bool>,
}

fn check_run(loc: &dyn Locate, scope: &Scope, raw: Vec<Located<RawRelation>>) -> Run {
    let mut c = Checker {
        loc,
        diagnostics: Vec::new(),
    };
    let mut suggester = None;
    let mut involved = vec![false; scope.entities.len()];
    // Collected in place: a checked relation is no larger than a raw one,
    // so the raw run's buffer is reused (a second buffer was a third of a
    // gigabyte at a million relations).
    let checked: Vec<CheckedRelation> = raw
        .into_iter()
        .filter_map(|r| {
            let relation = relation(&mut c, scope, &mut suggester, &r, &mut involved)?;
            Some(CheckedRelation {
                relation: finish_relation(relation, r.value),
                file: r.file,
                index: r.index,
            })
        })
        .collect();
    Run {
        checked,
        diagnostics: c.diagnostics,
        involved,
    }
}

/// The resolved parts of one relation, before its strings are moved in.
struct Parts {
    from: usize,
    to: usize,
    claimed_by: Vec<usize>,
    denied_by: Vec<usize>,
    doubted_by: Vec<usize>,
    retracted_by: Vec<usize>,
    when: Option<When>,
}

/// Moves the raw relation's strings into the resolved relation: at a million
/// relations copies add up.
fn finish_relation(p: Parts, raw: RawRelation) -> Relation {
    let ids = |v: Vec<usize>| v.into_iter().map(EntityId::from).collect();
    Relation {
        id: Default::default(),
        from: p.from.into(),
        to: p.to.into(),
        rel_type: raw.rel_type,
        status: raw.status,
        claimed_by: ids(p.claimed_by),
        denied_by: ids(p.denied_by),
        doubted_by: ids(p.doubted_by),
        retracted_by: ids(p.retracted_by),
        when: p.when,
        source: raw.source,
        note: raw.note,
        weight: raw.weight,
        props: raw.props,
    }
}

/// Checks one relation; its parts when it has no error.
fn relation<'a>(
    c: &mut Checker,
    s: &Scope<'a>,
    suggester: &mut Option<suggest::Suggester<'a>>,
    r: &Located<RawRelation>,
    involved: &mut [bool],
) -> Option<Parts> {
    let raw = &r.value;
    let mut end_of = |c: &mut Checker, field: &str, id: &str| -> Option<usize> {
        if let Some(&i) = s.at.get(id) {
            return Some(i);
        }
        // Folding a quarter of a million ids for suggestions costs more
        // than checking a clean graph's ids: only once one is unknown.
        let suggester = suggester.get_or_insert_with(|| {
            let mut ids: Vec<&str> = s.at.keys().copied().collect();
            ids.sort_unstable();
            suggest::Suggester::new(ids)
        });
        c.push(
            Diagnostic::error(
                r.file,
                c.literal(r, field, id),
                format!("unknown entity \"{id}\" in `{field}`"),
            )
            .label("no entity has this id")
            .help_opt(suggester.did_you_mean(id)),
        );
        None
    };
    let from = end_of(c, "from", &raw.from);
    let to = end_of(c, "to", &raw.to);
    let mut ok = true;
    let mut people = |c: &mut Checker, field: &str, ids: &[CompactString]| -> Vec<usize> {
        let found: Vec<usize> = ids.iter().filter_map(|id| end_of(c, field, id)).collect();
        ok &= found.len() == ids.len();
        found
    };
    let claimed_by = people(c, "claimed_by", &raw.claimed_by);
    let denied_by = people(c, "denied_by", &raw.denied_by);
    let doubted_by = people(c, "doubted_by", &raw.doubted_by);
    let retracted_by = people(c, "retracted_by", &raw.retracted_by);
    ok &= claims_ok(c, r);
    if let (Some(f), Some(t)) = (from, to)
        && f == t
    {
        // Kept in the data and the exports; routes never use it.
        c.push(
            Diagnostic::warning(
                r.file,
                c.field(r, "to"),
                format!("relation links \"{}\" to itself", raw.from),
            )
            .label("`to` is the same entity as `from`")
            .help(
                "a route never passes through a relation to itself; check that both ends are right",
            ),
        );
    }
    ok &= type_ok(c, s, r, from, to);
    ok &= super::validate::check_prop_keys(c, r, &crate::props::RELATION_FIELDS);
    if let Some(w) = raw.weight
        && !(w.is_finite() && w >= 0.0)
    {
        c.push(
            Diagnostic::error(r.file, c.field(r, "weight"), "invalid weight")
                .label("expected a number zero or above")
                .help("a weight is the cost of following this relation in `path --weighted`"),
        );
        ok = false;
    }
    let when = when_of(c, r);
    let cited = &raw.source;
    ok &= s
        .sections
        .contains(&(cited.id.as_str(), cited.section.as_str()))
        || source_ok(c, s.sources, r);
    ok &= super::validate::text_ok(c, r, "note", "the note", &raw.note, true);
    for &i in claimed_by.iter().chain(&denied_by).chain(&doubted_by) {
        involved[i] = true;
    }
    let (from, to) = (from?, to?);
    involved[from] = true;
    involved[to] = true;
    if !ok {
        return None;
    }
    Some(Parts {
        from,
        to,
        claimed_by,
        denied_by,
        doubted_by,
        retracted_by,
        when: when.ok()?,
    })
}

/// Claims name who makes them; a dispute names who contests it; only a
/// claimant can retract.
fn claims_ok(c: &mut Checker, r: &Located<RawRelation>) -> bool {
    let raw = &r.value;
    let mut ok = true;
    for id in &raw.retracted_by {
        if !raw.claimed_by.contains(id) {
            c.push(
                Diagnostic::error(
                    r.file,
                    c.literal(r, "retracted_by", id),
                    format!("\"{id}\" retracts a claim it does not make"),
                )
                .label("not in `claimed_by`")
                .help("a party can only retract its own claim: add it to `claimed_by` too"),
            );
            ok = false;
        }
    }
    let contested =
        !(raw.denied_by.is_empty() && raw.doubted_by.is_empty() && raw.retracted_by.is_empty());
    if raw.status == Status::Disputed && !contested {
        c.push(
            Diagnostic::error(
                r.file,
                c.field(r, "status"),
                "disputed relation that nobody contests",
            )
            .label("a dispute needs a party that denies, doubts or retracts the claim")
            .help("name them in `denied_by`, `doubted_by` or `retracted_by`, or make the relation `alleged`"),
        );
        ok = false;
    } else if raw.status != Status::Disputed && contested {
        let field = if !raw.denied_by.is_empty() {
            "denied_by"
        } else if !raw.doubted_by.is_empty() {
            "doubted_by"
        } else {
            "retracted_by"
        };
        c.push(
            Diagnostic::error(
                r.file,
                c.field(r, field),
                format!(
                    "a contested claim must be `disputed`, not `{}`",
                    raw.status.as_str()
                ),
            )
            .label("this party contests the claim")
            .help("set `status: disputed`, or drop this field"),
        );
        ok = false;
    }
    if raw.status.is_claim() && raw.claimed_by.is_empty() {
        c.push(
            Diagnostic::error(
                r.file,
                c.field(r, "status"),
                format!("{} relation without a claimant", raw.status.as_str()),
            )
            .label("an accusation must say who makes it")
            .help("add `claimed_by: [\"entity-id\"]` naming who makes the claim"),
        );
        ok = false;
    }
    ok
}

/// The type exists and allows the kinds at both ends.
fn type_ok(
    c: &mut Checker,
    s: &Scope,
    r: &Located<RawRelation>,
    from: Option<usize>,
    to: Option<usize>,
) -> bool {
    let raw = &r.value;
    let Some(schema) = s.schema else {
        return true;
    };
    let Some(def) = schema.relation_types.get(raw.rel_type.as_str()) else {
        let help = if raw.rel_type == "accused-by" || raw.rel_type == "alleged" {
            Some("an accusation is not a type: use the accused act as `type`, `status: alleged` and the accusers in `claimed_by`".to_string())
        } else {
            did_you_mean(
                &raw.rel_type,
                schema.relation_types.keys().map(String::as_str),
            )
        };
        c.push(
            Diagnostic::error(
                r.file,
                c.literal(r, "type", &raw.rel_type),
                format!("unknown relation type \"{}\"", raw.rel_type),
            )
            .label("expected a relation type from schema.ron")
            .help_opt(help),
        );
        return false;
    };
    let mut ok = true;
    for (end, allowed, index) in [("from", &def.from, from), ("to", &def.to, to)] {
        let Some(i) = index else { continue };
        let entity = &s.entities[i].value;
        let kind = &entity.kind;
        if !allowed.is_empty() && !allowed.iter().any(|k| k == kind) {
            let id = &entity.id;
            c.push(
                Diagnostic::error(
                    r.file,
                    c.literal(r, end, id),
                    format!(
                        "\"{}\" cannot have an entity of kind \"{kind}\" at its `{end}` end",
                        raw.rel_type
                    ),
                )
                .label(format!("\"{id}\" is of kind \"{kind}\""))
                .help(format!("schema.ron allows: {}", allowed.join(", "))),
            );
            ok = false;
        }
    }
    ok
}

/// The relation's date or period; Err after a diagnostic.
fn when_of(c: &mut Checker, r: &Located<RawRelation>) -> Result<Option<When>, ()> {
    let raw = &r.value;
    match (&raw.date, &raw.period) {
        (Some(_), Some(_)) => {
            c.push(
                Diagnostic::error(
                    r.file,
                    c.field(r, "period"),
                    "a relation has either `date` or `period`, not both",
                )
                .label("second time given here")
                .help("keep `period` for a span of time, `date` for a point"),
            );
            Err(())
        }
        (Some(text), None) => match Date::parse(text) {
            Ok(d) => Ok(Some(When::Date(d))),
            Err(err) => {
                let hint = text
                    .contains("..")
                    .then(|| "a span of time goes in `period`, not `date`".to_string());
                c.push(
                    Diagnostic::error(r.file, c.field(r, "date"), "invalid date")
                        .label(format!("expected {}", err.0))
                        .help_opt(hint),
                );
                Err(())
            }
        },
        (None, Some(text)) => match Period::parse(text) {
            Ok(p) if p.is_inverted() => {
                c.push(
                    Diagnostic::error(r.file, c.field(r, "period"), "period ends before it starts")
                        .label(format!(
                            "{} is before {}",
                            p.end.map(|d| d.to_string()).unwrap_or_default(),
                            p.start.map(|d| d.to_string()).unwrap_or_default()
                        ))
                        .help("write the earlier date first: \"START..END\""),
                );
                Err(())
            }
            Ok(p) => Ok(Some(When::Period(p))),
            Err(err) => {
                c.push(
                    Diagnostic::error(r.file, c.field(r, "period"), "invalid period")
                        .label(format!("expected {}", err.0)),
                );
                Err(())
            }
        },
        (None, None) => Ok(None),
    }
}

/// The cited source and section exist (the slow way, with the diagnostic
/// when they do not).
fn source_ok(c: &mut Checker, sources: &[Source], r: &Located<RawRelation>) -> bool {
    let cited = &r.value.source;
    match sources.iter().find(|s| s.id == cited.id) {
        None => {
            c.push(
                Diagnostic::error(
                    r.file,
                    c.literal(r, "source", &cited.id),
                    format!("unknown source \"{}\"", cited.id),
                )
                .label("expected a source id from sources.ron")
                .help_opt(did_you_mean(
                    &cited.id,
                    sources.iter().map(|s| s.id.as_str()),
                )),
            );
            false
        }
        Some(source) if !source.sections.iter().any(|s| s.id == cited.section) => {
            c.push(
                Diagnostic::error(
                    r.file,
                    c.literal(r, "source", &cited.section),
                    format!(
                        "unknown section \"{}\" of source \"{}\"",
                        cited.section, source.id
                    ),
                )
                .label("expected a section id listed for this source in sources.ron")
                .help_opt(did_you_mean(
                    &cited.section,
                    source.sections.iter().map(|s| s.id.as_str()),
                )),
            );
            false
        }
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;
    use crate::load::runs::{PARALLEL_FROM, runs};

    #[test]
    fn pieces_keep_the_order_and_cut_only_long_lists() {
        let numbered = |lens: &[usize]| -> Vec<Vec<usize>> {
            let mut next = 0;
            lens.iter()
                .map(|&n| {
                    next += n;
                    (next - n..next).collect()
                })
                .collect()
        };
        let flat = |lists: &[Vec<usize>]| lists.concat();

        // Short in all: one list, whatever the files.
        let small = numbered(&[3, 0, 5, 2]);
        assert_eq!(pieces(small.clone()), vec![flat(&small)]);

        // Long: every list at most a core's share, the order unchanged.
        let total = 3 * PARALLEL_FROM;
        let share = runs(total)[0].len();
        let lens = [10, total - 10 - 7, 7];
        let cut = pieces(numbered(&lens));
        assert_eq!(flat(&cut), (0..total).collect::<Vec<_>>());
        assert!(cut.iter().all(|p| p.len() <= share));
        // Lists within a share are left whole, not merged or cut.
        assert_eq!(cut.first().map(Vec::len), Some(10));
        assert_eq!(cut.last().map(Vec::len), Some(7));
    }
}
