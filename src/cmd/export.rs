//! `linkchart export`: write the graph in another format, to stdout or
//! atomically to a file (a temporary file in the same directory, then rename).

use std::io::Write;
use std::path::Path;

use crate::Output;
use crate::cli::ExportFormat;
use crate::error::Error;
use crate::export;
use crate::index::Index;

pub fn run(
    index: &Index,
    format: ExportFormat,
    path: Option<&Path>,
    output: &mut Output,
) -> Result<(), Error> {
    let text = match format {
        ExportFormat::Json => export::json::to_text(&export::json::graph(&index.graph)),
    };
    match path {
        None => output.stdout = text,
        Some(path) => {
            write_atomic(path, text.as_bytes())?;
            output.stderr = format!("wrote {}\n", path.display());
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` so that readers see the old file or the whole new
/// one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
