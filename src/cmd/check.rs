//! `linkchart check`: the graph loaded (errors never reach here); print the
//! counts on stdout and any warnings on stderr.

use super::Context;
use crate::cli::CheckArgs;
use crate::error::Error;
use crate::model::Status;
use crate::output::Output;
use crate::words::plural;

pub fn run(ctx: &Context, _: &CheckArgs) -> Result<Output, Error> {
    let loaded = ctx.load()?;
    let g = &loaded.graph;
    let mut output = Output::default();
    if !loaded.warnings.is_empty() {
        output.stderr = loaded.files.render(&loaded.warnings, ctx.err_color);
    }
    let by_status: Vec<String> = Status::ALL
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                g.relations.iter().filter(|r| r.status == *s).count(),
                s.as_str()
            )
        })
        .collect();
    let sections: std::collections::BTreeSet<_> = g.relations.iter().map(|r| &r.source).collect();
    let w = loaded.warnings.len();
    output.stdout = format!(
        "ok: {} entit{}, {} relation{} ({}), {} source section{} cited, {w} warning{}\n",
        g.entities.len(),
        if g.entities.len() == 1 { "y" } else { "ies" },
        g.relations.len(),
        plural(g.relations.len()),
        by_status.join(", "),
        sections.len(),
        plural(sections.len()),
        plural(w),
    );
    Ok(output)
}
