//! A request's query string turned, once, into the library's request types
//! (`FilterSpec`, `RouteSpec`, `SelectSpec`, `DotOptions`), the same ones
//! the command line builds from its flags. Parameters are named as the
//! command line's options (`max-hops`, `no-derived`, …); an unknown name, a
//! repeated single value or a value out of range is a 400 with the reason.

use crate::export::{Cluster, DotOptions, RankDir};
use crate::model::Status;
use crate::query::Walk;
use crate::query::filter::FilterSpec;
use crate::query::path::{DEFAULT_MAX_HOPS, Rank, RouteSpec};
use crate::query::select::{ScopeSpec, SelectSpec};
use crate::suggest::did_you_mean;

use super::Limits;
use super::reply::ApiError;

/// The filter parameters every filtered endpoint takes.
pub const FILTERS: &[&str] = &[
    "avoid",
    "kinds",
    "types",
    "status",
    "during",
    "no-derived",
    "tags",
    "where",
];

/// The route parameters of `path` and of route selections.
pub const ROUTE: &[&str] = &["k", "max-hops", "via", "weighted"];

/// A parsed query string: its pairs in order, checked against the names an
/// endpoint accepts.
#[derive(Debug, Clone)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(message)
}

impl Params {
    /// Parses `raw` and refuses any name not in `accepted`.
    pub fn parse(raw: Option<&str>, accepted: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for (name, _) in &pairs {
            if !accepted.contains(&name.as_str()) {
                let mut message = format!("unknown parameter \"{name}\"");
                if let Some(help) = did_you_mean(name, accepted.iter().copied()) {
                    message.push_str(&format!(": {help}"));
                }
                if accepted.is_empty() {
                    message.push_str("; this endpoint takes no parameters");
                } else {
                    message.push_str(&format!("; this endpoint takes {}", accepted.join(", ")));
                }
                return Err(bad(message));
            }
        }
        Ok(Params { pairs })
    }

    fn all<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> + use<'s> {
        let name = name.to_string();
        self.pairs
            .iter()
            .filter(move |(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter given at most once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.all(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(bad(format!("parameter \"{name}\" is given more than once")));
        }
        Ok(first)
    }

    /// A parameter that must be given, and not empty.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        match self.one(name)? {
            Some(v) if !v.trim().is_empty() => Ok(v),
            Some(_) => Err(bad(format!("parameter \"{name}\" is empty"))),
            None => Err(bad(format!("parameter \"{name}\" is required"))),
        }
    }

    /// Every value of a repeatable parameter (names may hold commas).
    pub fn repeated(&self, name: &str) -> Vec<String> {
        self.all(name)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
            .collect()
    }

    /// A comma-separated list, possibly repeated.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.all(name)
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// A whole number in `min..=max`, or `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: Option<usize>,
        min: usize,
        max: usize,
    ) -> Result<Option<usize>, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(default);
        };
        let range = || format!("expected a whole number from {min} to {max}");
        let n: usize = text
            .trim()
            .parse()
            .map_err(|_| bad(format!("parameter \"{name}\" is \"{text}\": {}", range())))?;
        if n < min || n > max {
            return Err(bad(format!(
                "parameter \"{name}\" is {n}: {}{}",
                range(),
                if n > max { " (the server's limit)" } else { "" }
            )));
        }
        Ok(Some(n))
    }

    /// A yes/no parameter: absent is no; `true`, `1`, `yes`, `on` or empty
    /// is yes; `false`, `0`, `no`, `off` is no.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.one(name)?.map(str::trim) {
            None => Ok(false),
            Some("" | "true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(other) => Err(bad(format!(
                "parameter \"{name}\" is \"{other}\": expected true or false"
            ))),
        }
    }

    /// One of a fixed set of words.
    pub fn choice<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(None);
        };
        if let Some((_, v)) = choices.iter().find(|(k, _)| k.eq_ignore_ascii_case(text)) {
            return Ok(Some(*v));
        }
        let names: Vec<&str> = choices.iter().map(|(k, _)| *k).collect();
        let mut message = format!(
            "parameter \"{name}\" is \"{text}\": expected one of {}",
            names.join(", ")
        );
        if let Some(help) = did_you_mean(text, names.iter().copied()) {
            message.push_str(&format!("; {help}"));
        }
        Err(bad(message))
    }

    pub fn status(&self) -> Result<Option<Status>, ApiError> {
        let choices: Vec<(&str, Status)> = Status::ALL.iter().map(|&s| (s.as_str(), s)).collect();
        self.choice("status", &choices)
    }

    pub fn walk(&self) -> Result<Walk, ApiError> {
        Ok(if self.flag("directed")? {
            Walk::Directed
        } else {
            Walk::Undirected
        })
    }

    /// The filters, as `FilterSpec` (names are resolved by the library).
    pub fn filter(&self) -> Result<FilterSpec, ApiError> {
        Ok(FilterSpec {
            avoid: self.repeated("avoid"),
            kinds: self.list("kinds"),
            types: self.list("types"),
            weakest: self.status()?,
            during: self
                .one("during")?
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            no_derived: self.flag("no-derived")?,
            tags: self.list("tags"),
            conditions: self.repeated("where"),
        })
    }

    /// A route request from `from`, `to` and the route and filter parameters.
    pub fn route(
        &self,
        from: &str,
        to: &str,
        limits: &Limits,
        walk: Walk,
        rank: Rank,
    ) -> Result<RouteSpec, ApiError> {
        Ok(RouteSpec {
            from: from.to_string(),
            to: to.to_string(),
            via: self.repeated("via"),
            filter: self.filter()?,
            walk,
            max_hops: self
                .number("max-hops", Some(DEFAULT_MAX_HOPS), 1, limits.max_hops)?
                .unwrap_or(DEFAULT_MAX_HOPS),
            k: self.number("k", None, 1, limits.max_k)?,
            rank,
            avoid_hubs: self.flag("avoid-hubs")?,
            weighted: self.flag("weighted")?,
        })
    }

    pub fn rank(&self) -> Result<Rank, ApiError> {
        Ok(self
            .choice("rank", &[("cost", Rank::Cost), ("hops", Rank::Hops)])?
            .unwrap_or_default())
    }

    /// What an export, report or chart shows: `around` (with `depth`), a
    /// route (`from` and `to`, with the route parameters), or the whole
    /// graph; narrowed by the filters.
    pub fn selection(&self, limits: &Limits) -> Result<SelectSpec, ApiError> {
        let around = self.one("around")?.filter(|a| !a.trim().is_empty());
        let from = self.one("from")?.filter(|a| !a.trim().is_empty());
        let to = self.one("to")?.filter(|a| !a.trim().is_empty());
        let scope = match (around, from, to) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(bad(
                    "give either \"around\" or \"from\" and \"to\", not both",
                ));
            }
            (Some(name), None, None) => ScopeSpec::Around {
                name: name.to_string(),
                depth: self
                    .number("depth", Some(1), 0, limits.max_depth)?
                    .unwrap_or(1),
            },
            (None, Some(from), Some(to)) => {
                ScopeSpec::Routes(self.route(from, to, limits, Walk::Undirected, Rank::Cost)?)
            }
            (None, Some(_), None) => return Err(bad("parameter \"to\" is required with \"from\"")),
            (None, None, Some(_)) => return Err(bad("parameter \"from\" is required with \"to\"")),
            (None, None, None) => {
                let ids = self.list("ids");
                if ids.is_empty() {
                    ScopeSpec::Whole
                } else {
                    if ids.len() > limits.max_selection {
                        return Err(too_many(ids.len(), limits));
                    }
                    ScopeSpec::Entities(ids)
                }
            }
        };
        Ok(SelectSpec {
            scope,
            filter: self.filter()?,
        })
    }

    /// How DOT is laid out: `cluster`, `rankdir`, `legend`.
    pub fn dot_options(&self) -> Result<DotOptions, ApiError> {
        let cluster = self.choice(
            "cluster",
            &[
                ("kind", Some(Cluster::Kind)),
                ("country", Some(Cluster::Country)),
                ("none", None),
            ],
        )?;
        let rankdir = self.choice("rankdir", &RankDir::ALL.map(|r| (r.name(), r)))?;
        let legend = match self.one("legend")? {
            None => true,
            Some(_) => self.flag("legend")?,
        };
        Ok(DotOptions {
            cluster: cluster.flatten(),
            rankdir: rankdir.unwrap_or_default(),
            legend,
        })
    }
}

/// A selection over the size limit.
pub fn too_many(n: usize, limits: &Limits) -> ApiError {
    ApiError::too_large(format!(
        "the selection holds {n} entities; the server's limit is {}: choose fewer, lower the depth or add filters",
        limits.max_selection
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str, accepted: &[&str]) -> Result<Params, ApiError> {
        Params::parse(Some(q), accepted)
    }

    #[test]
    fn unknown_names_are_refused_with_a_suggestion() {
        let err = parse("max-hop=3", &["k", "max-hops"]).unwrap_err();
        assert_eq!(err.status.as_u16(), 400);
        assert!(
            err.message().contains("did you mean \"max-hops\""),
            "{}",
            err.message()
        );
    }

    #[test]
    fn numbers_are_checked_against_their_range() {
        let p = parse("k=0&depth=x", &["k", "depth"]).unwrap();
        assert!(
            p.number("k", None, 1, 10)
                .unwrap_err()
                .message()
                .contains("from 1 to 10")
        );
        assert!(
            p.number("depth", None, 0, 3)
                .unwrap_err()
                .message()
                .contains("\"x\"")
        );
    }

    #[test]
    fn lists_split_on_commas_and_names_do_not() {
        let p = parse("kinds=person,agency&via=A%2C+B&via=C", &["kinds", "via"]).unwrap();
        assert_eq!(p.list("kinds"), ["person", "agency"]);
        assert_eq!(p.repeated("via"), ["A, B", "C"]);
    }

    #[test]
    fn a_single_value_given_twice_is_refused() {
        let p = parse("status=alleged&status=reported", &["status"]).unwrap();
        assert!(p.status().is_err());
    }
}
