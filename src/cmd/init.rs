//! `linkchart init DIR`: a new graph to fill in, which `check` accepts as
//! it is. Written beside DIR and renamed into place.

use super::Context;
use crate::cli::InitArgs;
use crate::error::Error;
use crate::import::NewFile;
use crate::output::Output;

pub fn run(_: &Context, args: &InitArgs) -> Result<Output, Error> {
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "{} exists and is not empty; choose a new directory",
            dir.display()
        )));
    }
    let files: Vec<NewFile> = crate::init::files()
        .into_iter()
        .map(|(path, text)| NewFile::ready(path, text))
        .collect();
    crate::import::write_new_dir(dir, &files)?;
    let d = dir.display();
    Ok(Output {
        stderr: format!(
            "created the graph {d}\n\
             next: describe your source in {d}/sources.ron, add entities and relations,\n\
             and run `linkchart --graph {d} check` (or import data: `linkchart import csv FILE… --into {d}`)\n"
        ),
        ..Output::default()
    })
}
