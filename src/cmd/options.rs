//! The command line's option groups converted, once, into the library's
//! request types. Nothing here looks at the graph: names are resolved by the
//! library when a request is resolved.

use crate::cli::{DotStyleArgs, FilterArgs, PathArgs, RouteOptions, SelectArgs};
use crate::export::DotOptions;
use crate::query::Walk;
use crate::query::connect::ConnectSpec;
use crate::query::filter::FilterSpec;
use crate::query::path::{Rank, RouteSpec};
use crate::query::select::{ScopeSpec, SelectSpec};

impl From<&FilterArgs> for FilterSpec {
    fn from(a: &FilterArgs) -> Self {
        FilterSpec {
            avoid: a.avoid.clone(),
            kinds: a.kinds.clone(),
            types: a.types.clone(),
            weakest: a.status,
            during: a.during.clone(),
            no_derived: a.no_derived,
            tags: a.tag.clone(),
            conditions: a.conditions.clone(),
        }
    }
}

impl From<&DotStyleArgs> for DotOptions {
    fn from(a: &DotStyleArgs) -> Self {
        DotOptions {
            cluster: a.cluster,
            rankdir: a.rankdir,
            legend: !a.no_legend,
        }
    }
}

/// A route request from FROM, TO and the shared options.
pub fn route_spec(
    from: &str,
    to: &str,
    options: &RouteOptions,
    filters: &FilterArgs,
    directed: bool,
    rank: Rank,
) -> RouteSpec {
    RouteSpec {
        from: from.to_string(),
        to: to.to_string(),
        via: options.via.clone(),
        filter: filters.into(),
        walk: if directed {
            Walk::Directed
        } else {
            Walk::Undirected
        },
        max_hops: options.max_hops,
        k: options.k,
        rank,
        weighted: options.weighted,
        avoid_hubs: options.avoid_hubs,
    }
}

impl PathArgs {
    /// The route request for FROM and TO (given for one query, or by a
    /// line of `--pairs`).
    pub fn spec(&self, from: &str, to: &str) -> RouteSpec {
        route_spec(
            from,
            to,
            &self.route_options,
            &self.filters,
            self.directed,
            self.rank,
        )
    }
}

impl From<&SelectArgs> for SelectSpec {
    fn from(a: &SelectArgs) -> Self {
        let scope = if let Some(name) = &a.around {
            ScopeSpec::Around {
                name: name.clone(),
                depth: a.depth,
            }
        } else if !a.connect.is_empty() {
            ScopeSpec::Connect(ConnectSpec {
                names: a.connect.clone(),
                filter: (&a.filters).into(),
                max_hops: a.route_options.max_hops,
            })
        } else if let [from, to] = a.route.as_slice() {
            ScopeSpec::Routes(route_spec(
                from,
                to,
                &a.route_options,
                &a.filters,
                false,
                Rank::Cost,
            ))
        } else {
            ScopeSpec::Whole
        };
        SelectSpec {
            scope,
            filter: (&a.filters).into(),
        }
    }
}
