//! `linkchart report FROM TO` / `linkchart report NAME`: a self-contained
//! brief (see [`crate::export::report`]) to stdout or a file.

use super::Context;
use super::options::route_spec;
use crate::cli::{ReportArgs, RouteOptions};
use crate::error::Error;
use crate::export::report::report;
use crate::output::Output;
use crate::query::path::Rank;
use crate::query::select::{Scope, select};

pub fn run(ctx: &Context, args: &ReportArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let (scope, subject) = match args.names.as_slice() {
        [name] => {
            let entity = index.resolve(name)?;
            let filter = (&args.filters).into();
            let filter = crate::query::FilterSpec::resolve(&filter, index)?;
            (
                Scope::Around {
                    entity,
                    depth: args.depth,
                    filter,
                },
                Some(entity),
            )
        }
        [from, to] => {
            let options = RouteOptions {
                k: args.k,
                ..RouteOptions::default()
            };
            let spec = route_spec(from, to, &options, &args.filters, false, Rank::Cost);
            (Scope::Routes(spec.resolve(index)?), None)
        }
        _ => return Err(Error::Usage("report takes NAME, or FROM TO".to_string())),
    };
    let sel = select(index, &scope)?;
    let text = report(index, &sel, subject, args.format)?;
    Output::deliver(text, args.output.as_deref())
}
