//! `linkchart render -o chart.svg|png`: draw a selection in-process; the
//! format comes from `--format` or the file's extension; writes are atomic.

use std::path::Path;

use crate::Output;
use crate::cli::{DotStyleArgs, Engine, ImageFormat, SelectArgs};
use crate::cmd::export::write_atomic;
use crate::error::Error;
use crate::index::Index;
use crate::{export, render, select};

fn format_of(path: &Path, explicit: Option<ImageFormat>) -> Result<ImageFormat, Error> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => Ok(ImageFormat::Svg),
        Some("png") => Ok(ImageFormat::Png),
        Some("pdf") => Ok(ImageFormat::Pdf),
        _ => Err(Error::Usage(format!(
            "cannot tell the image format of {}: use a .svg, .png or .pdf name, or --format",
            path.display()
        ))),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    index: &Index,
    path: &Path,
    format: Option<ImageFormat>,
    engine: Engine,
    with_system_dot: bool,
    select_args: &SelectArgs,
    style: &DotStyleArgs,
    output: &mut Output,
) -> Result<(), Error> {
    let format = format_of(path, format)?;
    let sel = select::select(index, select_args)?;
    let dot = export::dot::render(index, &sel, style);
    let bytes = if with_system_dot {
        let name = match format {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
            ImageFormat::Pdf => "pdf",
        };
        render::system(&dot, engine.name(), name)?
    } else {
        let svg = render::svg(&dot, engine.name())?;
        match format {
            ImageFormat::Svg => svg.into_bytes(),
            ImageFormat::Png => render::png(&svg)?,
            ImageFormat::Pdf => {
                return Err(Error::Usage(
                    "PDF needs Graphviz: add --with-system-dot (with `dot` installed), or write .svg or .png".to_string(),
                ));
            }
        }
    };
    write_atomic(path, &bytes)?;
    output.stderr = format!(
        "wrote {} ({} entities, {} relations)\n",
        path.display(),
        sel.entities.len(),
        sel.relations.len()
    );
    Ok(())
}
