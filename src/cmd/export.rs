//! `linkchart export`: the graph or a selection of it in another format, to
//! stdout or atomically to a file (a temporary file in the same directory,
//! then a rename). `csv` writes two files into a directory.

use std::io::Write;
use std::path::Path;

use crate::Output;
use crate::cli::{DotStyleArgs, ExportFormat, SelectArgs};
use crate::error::Error;
use crate::export;
use crate::index::Index;
use crate::select::{self, Selection};

/// The text of one export.
pub fn text(
    index: &Index,
    format: ExportFormat,
    sel: &Selection,
    style: &DotStyleArgs,
) -> Result<String, Error> {
    Ok(match format {
        ExportFormat::Dot => export::dot::render(index, sel, style),
        ExportFormat::Json => export::json::to_text(&export::json::selection(&index.graph, sel)),
        ExportFormat::Graphml => export::graphml::render(index, sel),
        ExportFormat::Mermaid => export::mermaid::render(index, sel),
        ExportFormat::Cypher => export::neo4j::cypher(index, sel),
        ExportFormat::Csv => {
            return Err(Error::Usage(
                "csv writes nodes.csv and relationships.csv: name a directory with -o DIR"
                    .to_string(),
            ));
        }
    })
}

pub fn run(
    index: &Index,
    format: ExportFormat,
    path: Option<&Path>,
    select_args: &SelectArgs,
    style: &DotStyleArgs,
    output: &mut Output,
) -> Result<(), Error> {
    let sel = select::select(index, select_args)?;
    if format == ExportFormat::Csv {
        let Some(dir) = path else {
            return Err(Error::Usage(
                "csv writes nodes.csv and relationships.csv: name a directory with -o DIR"
                    .to_string(),
            ));
        };
        let (nodes, relationships) = export::neo4j::csv(index, &sel).map_err(|e| Error::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        write_atomic(&dir.join("nodes.csv"), nodes.as_bytes())?;
        write_atomic(&dir.join("relationships.csv"), relationships.as_bytes())?;
        output.stderr = format!(
            "wrote {} ({} entities) and {} ({} relations)\n",
            dir.join("nodes.csv").display(),
            sel.entities.len(),
            dir.join("relationships.csv").display(),
            sel.relations.len()
        );
        return Ok(());
    }
    let text = text(index, format, &sel, style)?;
    deliver(text, path, output)
}

/// Text to stdout, or atomically to `path` with a note on stderr.
pub fn deliver(text: String, path: Option<&Path>, output: &mut Output) -> Result<(), Error> {
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
    // A temporary file is private (0600); the result should read like any
    // file the user writes: keep an existing file's mode, else rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
