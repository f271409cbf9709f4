//! `linkchart render -o chart.svg|png`: draw a selection in-process; the
//! format comes from `--format` or the file's extension; writes are atomic.

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
    let index = ctx.index()?;
    let sel = select(index, &SelectSpec::from(&args.select).resolve(index)?)?;
    let chart = dot::render(index, &sel, &(&args.style).into());
    let bytes = if args.with_system_dot {
        render::system(&chart, args.engine, format)?
    } else {
        render::image(&chart, args.engine, format)?
    };
    write_atomic(path, &bytes)?;
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
