//! `linkchart serve`: loads the graph once and serves the explorer (see
//! [`crate::serve`]) until Ctrl-C, printing its URL.

use std::io::Write;

use super::Context;
use crate::cli::ServeArgs;
use crate::error::Error;
use crate::index::Index;
use crate::output::Output;
use crate::serve::{self, Config};
use crate::words::plural;

pub fn run(ctx: &Context, args: &ServeArgs) -> Result<Output, Error> {
    let loaded = ctx.load()?;
    let (entities, relations) = (loaded.graph.entities.len(), loaded.graph.relations.len());
    let index = Index::new(loaded.graph);
    let config = Config {
        bind: args.bind,
        port: args.port,
        open: args.open,
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, not on loopback: anyone who can reach this machine can read the whole graph",
            args.bind
        );
    }
    serve::run(index, &config, |url| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "linkchart explorer at {url} ({entities} entit{}, {relations} relation{}); Ctrl-C stops it",
            if entities == 1 { "y" } else { "ies" },
            plural(relations)
        );
        let _ = out.flush();
    })?;
    Ok(Output {
        stderr: "stopped\n".to_string(),
        ..Output::default()
    })
}
