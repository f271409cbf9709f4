//! The format-agnostic layer of loading: resolve every reference of the raw
//! records and check them against the schema, the sources and the rules of
//! the format (claims name claimants, dates parse, periods run forwards …).
//! Every problem becomes a [`Diagnostic`] pointing at the field that causes
//! it, through whatever [`Locate`] the input format provides.

use std::ops::Range;

use super::raw::{Locate, Located, RawEntity, RawGraph};
use crate::diag::Diagnostic;
use crate::model::{Relation, Schema, Source};
use crate::props::{ENTITY_FIELDS, Props};
use crate::suggest::{self, did_you_mean};
use crate::text::{describe, first_forbidden};
use crate::when::Date;

/// A relation with its ends resolved to positions in
/// [`Validated::entities`], and where it was written.
pub struct CheckedRelation {
    pub relation: Relation,
    pub file: usize,
    pub index: usize,
}

/// What validation leaves for the last layer.
pub struct Validated {
    pub schema: Option<Schema>,
    pub sources: Vec<Source>,
    /// Entities with distinct ids, in input order (duplicates dropped):
    /// the raw records themselves, kept in their own list (a second list
    /// of checked entities was 60 MB beside them at a quarter of a million).
    pub entities: Vec<Located<RawEntity>>,
    /// Each entity's start and end, parsed.
    pub dates: Vec<[Option<Date>; 2]>,
    /// Relations without errors.
    pub relations: Vec<CheckedRelation>,
    /// Entities named by some relation (as an end or a party).
    pub involved: Vec<bool>,
}

/// Collects diagnostics and finds spans.
pub struct Checker<'a> {
    pub loc: &'a dyn Locate,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// The span of a record's field.
    pub fn field<T>(&self, r: &Located<T>, field: &str) -> Range<usize> {
        self.loc.field(r.file, r.index, field)
    }

    /// The span of `needle` written inside a record's field (or of the field).
    pub fn literal<T>(&self, r: &Located<T>, field: &str, needle: &str) -> Range<usize> {
        let within = self.field(r, field);
        self.loc.literal(r.file, &within, needle).unwrap_or(within)
    }
}

/// A text field with a character no graph text may hold (see
/// [`crate::text`]) is an error pointing at the character; `lines` allows
/// tabs and line breaks. True when the text is clean.
pub fn text_ok<T>(
    c: &mut Checker,
    r: &Located<T>,
    field: &str,
    what: &str,
    value: &str,
    lines: bool,
) -> bool {
    let Some((_, bad)) = first_forbidden(value, lines) else {
        return true;
    };
    let within = c.field(r, field);
    let span = c.loc.character(r.file, &within, bad).unwrap_or(within);
    c.push(control_character(r.file, span, what, bad, lines));
    false
}

fn control_character(
    file: usize,
    span: Range<usize>,
    what: &str,
    bad: char,
    lines: bool,
) -> Diagnostic {
    Diagnostic::error(
        file,
        span,
        format!("{what} holds {}, a control character", describe(bad)),
    )
    .label("not allowed in a graph's text")
    .help(if lines {
        "remove it: text may hold tabs and line breaks but no other control characters, which would reach terminals as escape sequences and break XML exports"
    } else {
        "remove it: this field holds no control characters, not even tabs or line breaks"
    })
}

pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Checks everything, keeping what can be kept.
pub fn validate(raw: RawGraph, c: &mut Checker) -> Validated {
    let schema = raw.schema.map(|s| {
        check_schema(c, &s);
        s.value
    });
    let sources = sources(c, raw.sources);
    let (entities, dates) = entities(c, raw.entities, schema.as_ref());
    let (relations, involved) =
        super::relations::relations(c, raw.relations, &entities, schema.as_ref(), &sources);
    Validated {
        schema,
        sources,
        entities,
        dates,
        relations,
        involved,
    }
}

fn check_schema(c: &mut Checker, located: &Located<Schema>) {
    let (file, schema) = (located.file, &located.value);
    let whole = c.loc.whole(file);
    let literal = |c: &Checker, within: &Range<usize>, key: &str| {
        c.loc.literal(file, within, key).unwrap_or(within.clone())
    };
    let clean = |c: &mut Checker, what: &str, value: &str, lines: bool| {
        if let Some((_, bad)) = first_forbidden(value, lines) {
            let span = c.loc.character(file, &whole, bad).unwrap_or(0..0);
            c.push(control_character(file, span, what, bad, lines));
        }
    };
    for kind in schema.kinds.values() {
        clean(c, "a kind's label", &kind.label, true);
        clean(c, "a kind's shape", &kind.shape, false);
        clean(c, "a kind's colour", &kind.color, false);
    }
    for def in schema.relation_types.values() {
        clean(c, "a relation type's label", &def.label, true);
        clean(c, "a relation type's inverse", &def.inverse, true);
    }
    for key in schema.kinds.keys() {
        if !is_slug(key) {
            let span = literal(c, &whole, key);
            c.push(
                Diagnostic::error(file, span, format!("invalid kind name \"{key}\""))
                    .label("expected a slug: lower-case letters, digits and single dashes"),
            );
        }
    }
    for (key, def) in &schema.relation_types {
        let span = literal(c, &whole, key);
        if !is_slug(key) {
            c.push(
                Diagnostic::error(
                    file,
                    span.clone(),
                    format!("invalid relation type name \"{key}\""),
                )
                .label("expected a slug: lower-case letters, digits and single dashes"),
            );
        }
        if key == "accused-by" {
            c.push(
                Diagnostic::error(file, span.clone(), "\"accused-by\" is reserved")
                    .label("derived from alleged and disputed relations, never stored")
                    .help("remove this type; store the accusation as a relation with `status: alleged`"),
            );
        }
        for kind in def.from.iter().chain(&def.to) {
            if !schema.kinds.contains_key(kind) {
                // The kind's first quoted occurrence after the type's key.
                let at = literal(c, &(span.end..whole.end), kind);
                c.push(
                    Diagnostic::error(
                        file,
                        at,
                        format!("relation type \"{key}\" names an unknown kind \"{kind}\""),
                    )
                    .label("not a key of `kinds`")
                    .help_opt(did_you_mean(kind, schema.kinds.keys().map(String::as_str))),
                );
            }
        }
    }
}

fn sources(c: &mut Checker, raw: Vec<Located<Source>>) -> Vec<Source> {
    let mut sources: Vec<Source> = Vec::new();
    for located in raw {
        let s = &located.value;
        if let Some(first) = sources.iter().find(|o| o.id == s.id) {
            let span = c.literal(&located, "id", &s.id);
            c.push(
                Diagnostic::error(
                    located.file,
                    span,
                    format!("duplicate source id \"{}\"", first.id),
                )
                .label("defined again here"),
            );
            continue;
        }
        let mut clean = text_ok(c, &located, "id", "a source's id", &s.id, false);
        clean &= text_ok(c, &located, "title", "a source's title", &s.title, true);
        clean &= text_ok(c, &located, "kind", "a source's kind", &s.kind, false);
        if let Some(file) = &s.file {
            clean &= text_ok(c, &located, "file", "a source's file", file, false);
        }
        if let Some(url) = &s.url {
            clean &= text_ok(c, &located, "url", "a source's url", url, false);
        }
        for section in &s.sections {
            clean &= text_ok(
                c,
                &located,
                "sections",
                "a section's id",
                &section.id,
                false,
            );
            clean &= text_ok(
                c,
                &located,
                "sections",
                "a section's title",
                &section.title,
                true,
            );
        }
        if !clean {
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for section in &s.sections {
            if seen.contains(&section.id.as_str()) {
                let within = c.field(&located, "sections");
                // Point at the second occurrence of the section id.
                let second = c
                    .loc
                    .literal(located.file, &within, &section.id)
                    .and_then(|first| {
                        c.loc
                            .literal(located.file, &(first.end..within.end), &section.id)
                    })
                    .unwrap_or(within);
                c.push(
                    Diagnostic::error(
                        located.file,
                        second,
                        format!(
                            "duplicate section id \"{}\" in source \"{}\"",
                            section.id, s.id
                        ),
                    )
                    .label("defined again here"),
                );
            }
            seen.push(&section.id);
        }
        sources.push(located.value);
    }
    sources
}

fn entities(
    c: &mut Checker,
    mut raw: Vec<Located<RawEntity>>,
    schema: Option<&Schema>,
) -> (Vec<Located<RawEntity>>, Vec<[Option<Date>; 2]>) {
    // Whether each record is kept (a repeated id is not), and the dates of
    // those kept.
    let mut keep = vec![true; raw.len()];
    let mut kept_dates = Vec::with_capacity(raw.len());
    // foldhash, sized once: SipHash and growing took a tenth of this at a
    // quarter of a million entities.
    let mut at: foldhash::HashMap<&str, usize> = foldhash::HashMapExt::with_capacity(raw.len());
    for (k, e) in raw.iter().enumerate() {
        let id = &e.value.id;
        // Finding a span reads the file's text: only for a diagnostic.
        let id_span = |c: &Checker| c.literal(e, "id", id);
        if id.is_empty() {
            c.push(
                Diagnostic::error(e.file, id_span(c), "empty entity id")
                    .label("expected a slug: lower-case letters, digits and single dashes")
                    .help("an id names the entity in relations, e.g. \"hamid-gul\" for Hamid Gul"),
            );
        } else if !is_slug(id) {
            let suggestion = suggest::normalize(id).replace(' ', "-");
            c.push(
                Diagnostic::error(e.file, id_span(c), format!("invalid entity id \"{id}\""))
                    .label("expected a slug: lower-case letters, digits and single dashes")
                    .help_opt(is_slug(&suggestion).then(|| format!("try \"{suggestion}\""))),
            );
        }
        if let Some(&first) = at.get(id.as_str()) {
            let f = &raw[first];
            let first_span = c.literal(f, "id", id);
            c.push(
                Diagnostic::error(e.file, id_span(c), format!("duplicate entity id \"{id}\""))
                    .label("defined again here")
                    .related(f.file, first_span, "first defined here")
                    .help("merge the two entries, or give one of them a different id"),
            );
            keep[k] = false;
            continue;
        }
        at.insert(id.as_str(), k);
        let raw = &e.value;
        text_ok(c, e, "name", "the name", &raw.name, true);
        for alias in &raw.aliases {
            text_ok(c, e, "aliases", "an alias", alias, true);
        }
        text_ok(
            c,
            e,
            "description",
            "the description",
            &raw.description,
            true,
        );
        for tag in &raw.tags {
            text_ok(c, e, "tags", "a tag", tag, false);
        }
        if e.value.name.trim().is_empty() {
            c.push(
                Diagnostic::error(e.file, c.field(e, "name"), "empty entity name")
                    .label("expected the entity's name"),
            );
        }
        if let Some(schema) = schema
            && !schema.kinds.contains_key(e.value.kind.as_str())
        {
            let kind = &e.value.kind;
            let help = did_you_mean(kind, schema.kinds.keys().map(String::as_str)).or_else(|| {
                Some(format!(
                    "the kinds are: {}",
                    schema.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
                ))
            });
            c.push(
                Diagnostic::error(
                    e.file,
                    c.literal(e, "kind", kind),
                    format!("unknown entity kind \"{kind}\""),
                )
                .label("expected a kind from schema.ron")
                .help_opt(help),
            );
        }
        check_prop_keys(c, e, &ENTITY_FIELDS);
        let mut dates = [None, None];
        for (slot, field, value) in [(0, "start", &e.value.start), (1, "end", &e.value.end)] {
            if let Some(text) = value {
                match Date::parse(text) {
                    Ok(d) => dates[slot] = Some(d),
                    Err(err) => c.push(
                        Diagnostic::error(
                            e.file,
                            c.field(e, field),
                            format!("invalid {field} date"),
                        )
                        .label(format!("expected {}", err.0)),
                    ),
                }
            }
        }
        if let [Some(start), Some(end)] = dates
            && end.last_day() < start.first_day()
        {
            c.push(
                Diagnostic::error(
                    e.file,
                    c.field(e, "end"),
                    format!("entity \"{id}\" ends before it starts"),
                )
                .label(format!("{end} is before the start, {start}")),
            );
        }
        kept_dates.push(dates);
    }
    drop(at);
    let mut k = 0;
    raw.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    (raw, kept_dates)
}

/// What a record with attributes offers for checking them.
pub trait HasProps {
    fn props(&self) -> &Props;
}

impl HasProps for RawEntity {
    fn props(&self) -> &Props {
        &self.props
    }
}

impl HasProps for super::raw::RawRelation {
    fn props(&self) -> &Props {
        &self.props
    }
}

/// Attribute keys are not empty and do not repeat one of the record's fields.
pub fn check_prop_keys<T: HasProps>(c: &mut Checker, r: &Located<T>, fields: &[&str]) -> bool {
    let mut ok = true;
    for key in r.value.props().keys() {
        let problem = if key.trim().is_empty() {
            Some("an attribute needs a name".to_string())
        } else if fields.contains(&key.as_str()) {
            Some(format!("\"{key}\" is a field, not an attribute"))
        } else {
            None
        };
        if let Some(message) = problem {
            c.push(
                Diagnostic::error(r.file, c.literal(r, "props", key), message)
                    .label("in `props`")
                    .help(format!(
                        "give the attribute another name; these are fields: {}",
                        fields.join(", ")
                    )),
            );
            ok = false;
        }
    }
    ok
}
