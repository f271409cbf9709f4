//! `linkchart render -o chart.svg|png`: draw a selection in-process; the
//! format comes from `--format` or the file's extension; writes are atomic.

use std::io::IsTerminal;

use super::Context;
use crate::cli::RenderArgs;
use crate::error::Error;
use crate::export::dot;
use crate::output::{Output, write_atomic};
use crate::query::select::{SelectSpec, select};
use crate::render::{self, ImageFormat};

pub fn run(ctx: &Context, args: &RenderArgs) -> Result<Output, Error> {
    let path = &args.output;
    let format = match args.format.or_else(|| ImageFormat::of_path(path)) {
        Some(format) => format,
        None => {
            return Err(Error::Usage(format!(
                "cannot tell the image format of {}: use a .svg, .png or .pdf name, or --format",
                path.display()
            )));
        }
    };
    // Refuse what cannot be written before any work.
    crate::output::output_target(path)?;
    let index = ctx.index()?;
    let sel = select(index, &SelectSpec::from(&args.select).resolve(index)?)?;
    let edges = sel.relations.len() + sel.derived.len();
    render::check_size(sel.entities.len(), edges, args.engine, args.force, "render")?;
    let chart = dot::render(index, &sel, &(&args.style).into());
    // Large layouts take seconds: say so on a terminal.
    let spinner =
        (sel.entities.len() + edges > 200 && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_message(format!(
                "laying out {} entities and {edges} edges with {}…",
                sel.entities.len(),
                args.engine.name()
            ));
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
    let bytes = if args.with_system_dot {
        render::system(&chart, args.engine, format)
    } else {
        render::image(&chart, args.engine, format)
    };
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    write_atomic(path, &bytes?)?;
    Ok(Output {
        stderr: format!(
            "wrote {} ({} entities, {} relations)\n",
            path.display(),
            sel.entities.len(),
            sel.relations.len()
        ),
        ..Output::default()
    })
}
