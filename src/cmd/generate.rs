//! `linkchart generate`: a synthetic graph in linkchart's format, written
//! into a new directory. The files are written into a temporary directory
//! beside it and renamed into place at the end, so an interrupted run never
//! leaves half a graph. A progress bar shows on a terminal.

use std::io::IsTerminal;
use std::path::Path;

use super::Context;
use crate::cli::GenerateArgs;
use crate::error::Error;
use crate::generate::{self, Params};
use crate::output::Output;

pub fn run(_: &Context, args: &GenerateArgs) -> Result<Output, Error> {
    let params = Params {
        entities: args.entities,
        relations: args.relations,
        seed: args.seed,
        files: args.files,
    };
    let dir = args.output.as_path();
    params.check().map_err(Error::Usage)?;
    let io = |path: &Path, e: std::io::Error| Error::io(path, e);
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "{} exists and is not empty; choose a new directory",
            dir.display()
        )));
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} generating {bar:40} {pos}/{len} items ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let written = generate::generate(&params, |done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    crate::output::remove_stale_temporaries(parent);
    let staging = crate::output::temporary()
        .tempdir_in(parent)
        .map_err(|e| io(parent, e))?;
    crate::output::track_temporary(staging.path());
    generate::write_dir(staging.path(), &written).map_err(|e| io(staging.path(), e))?;
    if dir.exists() {
        std::fs::remove_dir(dir).map_err(|e| io(dir, e))?;
    }
    let staged = staging.keep();
    // A temporary directory is private (0700); the graph is an ordinary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| io(&staged, e))?;
    }
    let renamed = std::fs::rename(&staged, dir);
    crate::output::untrack_temporary(&staged);
    if let Err(e) = renamed {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(io(dir, e));
    }
    Ok(Output {
        stderr: format!(
            "wrote {} ({} entities, {} relations, seed {})\n",
            dir.display(),
            args.entities,
            args.relations,
            args.seed
        ),
        ..Output::default()
    })
}
