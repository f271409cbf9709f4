//! `linkchart check`: the graph loaded (errors never reach here); print the
//! counts and every file read with what it held on stdout, and any warnings
//! on stderr. `check` always parses the files, never the load cache.

use super::Context;
use crate::cli::CheckArgs;
use crate::error::Error;
use crate::load::{Loaded, Role};
use crate::model::Status;
use crate::output::Output;
use crate::words::plural;

/// Every file read, one per line, with what it held.
fn files_read(loaded: &Loaded) -> String {
    let g = &loaded.graph;
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let width = loaded
        .contents
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut t = format!("read {}:\n", count(loaded.contents.len(), "file", "files"));
    for f in &loaded.contents {
        let held = match f.role {
            Role::Schema => format!(
                "{}, {}",
                count(g.schema.kinds.len(), "kind", "kinds"),
                count(
                    g.schema.relation_types.len(),
                    "relation type",
                    "relation types"
                )
            ),
            Role::Sources => count(f.records, "source", "sources"),
            Role::Entities => count(f.records, "entity", "entities"),
            Role::Relations => count(f.records, "relation", "relations"),
        };
        t += &format!("  {:<width$}  {held}\n", f.name);
    }
    t
}

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
    let w = loaded.warnings.len() + ctx.skipped();
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
    output.stdout += &files_read(&loaded);
    Ok(output)
}
