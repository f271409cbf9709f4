//! `linkchart export`: the graph or a selection of it in another format, to
//! stdout or atomically to a file; formats of several files (`csv`) go into
//! a directory.

use super::Context;
use crate::cli::ExportArgs;
use crate::error::Error;
use crate::export::{Exported, export};
use crate::output::{Output, write_atomic};
use crate::query::select::{SelectSpec, select};

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let sel = select(index, &SelectSpec::from(&args.select).resolve(index)?)?;
    match export(index, &sel, args.format, &(&args.style).into()) {
        Exported::Text(text) => Output::deliver(text, args.output.as_deref()),
        Exported::Files(files) => {
            let Some(dir) = &args.output else {
                return Err(Error::Usage(format!(
                    "{} writes {}: name a directory with -o DIR",
                    args.format.name(),
                    files
                        .iter()
                        .map(|(name, _)| *name)
                        .collect::<Vec<_>>()
                        .join(" and ")
                )));
            };
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            let mut wrote = Vec::new();
            for (name, text) in &files {
                let path = dir.join(name);
                write_atomic(&path, text.as_bytes())?;
                wrote.push(path);
            }
            Ok(Output {
                stderr: format!(
                    "wrote {} ({} entities) and {} ({} relations)\n",
                    wrote[0].display(),
                    sel.entities.len(),
                    wrote[1].display(),
                    sel.relations.len()
                ),
                ..Output::default()
            })
        }
    }
}
