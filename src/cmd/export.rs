//! `linkchart export`: the graph or a selection of it in another format, to
//! stdout or atomically to a file; formats of several files (`csv`) go into
//! a directory, all replaced or none. Every format is written as it is made (see
//! [`crate::export`]): a whole graph of a million relations goes to disk
//! without a second copy of it in memory.

use super::Context;
use crate::cli::ExportArgs;
use crate::error::Error;
use crate::export::sink::Sink;
use crate::export::{DotOptions, write};
use crate::output::{Output, write_atomic_all, write_atomic_with};
use crate::query::select::{SelectSpec, select};

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let sel = select(index, &SelectSpec::from(&args.select).resolve(index)?)?;
    let format = args.format;
    let style: DotOptions = (&args.style).into();
    let part = |part: usize| {
        let (sel, style) = (&sel, &style);
        move |out: &mut dyn std::io::Write| {
            let mut sink = Sink::new(out);
            write(index, sel, format, style, part, &mut sink);
            sink.finish()
        }
    };
    let files = format.files();
    if files.is_empty() {
        return match &args.output {
            None => ctx.stream(part(0)),
            Some(path) => {
                write_atomic_with(path, part(0))?;
                Ok(Output {
                    stderr: format!("wrote {}\n", path.display()),
                    ..Output::default()
                })
            }
        };
    }
    let Some(dir) = &args.output else {
        return Err(Error::Usage(format!(
            "{} writes {}: name a directory with -o DIR",
            format.name(),
            files.join(" and ")
        )));
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // All files or none: a directory never holds the nodes of one export
    // beside the relationships of another.
    let wrote: Vec<_> = files.iter().map(|name| dir.join(name)).collect();
    write_atomic_all(&wrote, |n, out| part(n)(out))?;
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
