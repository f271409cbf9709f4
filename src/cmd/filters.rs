//! Turns the command line's filter options into a [`Filter`], checking every
//! name against the graph and the schema (with did-you-mean).

use std::collections::HashSet;

use crate::cli::FilterArgs;
use crate::error::Error;
use crate::index::Index;
use crate::query::Filter;
use crate::query::filter::{ACCUSED_BY, at_least};
use crate::suggest::did_you_mean;
use crate::when::{Date, Period, When};

fn check_names<'a>(
    wanted: &[String],
    known: impl Iterator<Item = &'a str> + Clone,
    what: &str,
) -> Result<HashSet<String>, Error> {
    let mut out = HashSet::new();
    for w in wanted {
        if !known.clone().any(|k| k == w) {
            let help = did_you_mean(w, known.clone())
                .map(|h| format!("\nhelp: {h}"))
                .unwrap_or_default();
            let all: Vec<&str> = known.clone().collect();
            return Err(Error::Usage(format!(
                "unknown {what} \"{w}\"{help}\nthe {what}s are: {}",
                all.join(", ")
            )));
        }
        out.insert(w.clone());
    }
    Ok(out)
}

/// Parses `1979..1989`, `1994..`, `..2001` or a single date.
pub fn parse_during(text: &str) -> Result<When, Error> {
    let parsed = if text.contains("..") {
        Period::parse(text).map(When::Period)
    } else {
        Date::parse(text).map(When::Date)
    };
    parsed.map_err(|e| Error::Usage(format!("invalid --during \"{text}\": expected {}", e.0)))
}

pub fn build(index: &Index, args: &FilterArgs) -> Result<Filter, Error> {
    let schema = &index.graph.schema;
    let kinds = if args.kinds.is_empty() {
        None
    } else {
        Some(check_names(
            &args.kinds,
            schema.kinds.keys().map(String::as_str),
            "kind",
        )?)
    };
    let types = if args.types.is_empty() {
        None
    } else {
        let known = schema
            .relation_types
            .keys()
            .map(String::as_str)
            .chain(std::iter::once(ACCUSED_BY));
        Some(check_names(&args.types, known, "relation type")?)
    };
    let mut avoid = HashSet::new();
    for name in &args.avoid {
        avoid.insert(index.resolve(name)?);
    }
    Ok(Filter {
        kinds,
        types,
        statuses: args.status.map(at_least),
        during: args.during.as_deref().map(parse_during).transpose()?,
        no_derived: args.no_derived,
        avoid,
        endpoints: Vec::new(),
    })
}

/// Words for the active filters, for "no route …" messages.
pub fn describe(args: &FilterArgs) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(s) = args.status {
        let allowed: Vec<&str> = crate::model::Status::ALL
            .iter()
            .filter(|x| **x <= s)
            .map(|x| x.as_str())
            .collect();
        out.push((
            "status",
            format!("using only {} relations", allowed.join(" or ")),
        ));
    }
    if !args.types.is_empty() {
        out.push((
            "types",
            format!("using only {} relations", args.types.join(", ")),
        ));
    }
    if !args.kinds.is_empty() {
        out.push((
            "kinds",
            format!("passing only through {} entities", args.kinds.join(", ")),
        ));
    }
    if let Some(d) = &args.during {
        out.push(("during", format!("using only relations dated within {d}")));
    }
    if args.no_derived {
        out.push(("no-derived", "without derived accused-by edges".to_string()));
    }
    if !args.avoid.is_empty() {
        out.push(("avoid", format!("avoiding {}", args.avoid.join(", "))));
    }
    out
}

/// The same options with one filter (by its key in [`describe`]) removed.
pub fn without(args: &FilterArgs, key: &str) -> FilterArgs {
    let mut a = args.clone();
    match key {
        "status" => a.status = None,
        "types" => a.types.clear(),
        "kinds" => a.kinds.clear(),
        "during" => a.during = None,
        "no-derived" => a.no_derived = false,
        "avoid" => a.avoid.clear(),
        _ => {}
    }
    a
}
