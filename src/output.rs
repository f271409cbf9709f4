//! What a command produced and where it goes: [`Output`] holds the text for
//! stdout and the notes for stderr; [`Output::deliver`] sends a document to
//! stdout or, atomically, to a file; [`write_atomic`] is the one way
//! linkchart writes files.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// What a command produced: text for stdout and whether it found anything.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    /// Notes for stderr that are not errors (warnings, "wrote FILE").
    pub stderr: String,
    pub found_nothing: bool,
    /// Part of the input was bad (exit 2) although output was produced.
    pub bad_input: bool,
}

impl Output {
    /// Text for stdout.
    pub fn text(stdout: String) -> Output {
        Output {
            stdout,
            ..Output::default()
        }
    }

    /// A document to stdout, or atomically to `path` with a note on stderr.
    pub fn deliver(text: String, path: Option<&Path>) -> Result<Output, Error> {
        match path {
            None => Ok(Output::text(text)),
            Some(path) => {
                write_atomic(path, text.as_bytes())?;
                Ok(Output {
                    stderr: format!("wrote {}\n", path.display()),
                    ..Output::default()
                })
            }
        }
    }

    /// The exit status: 2 for bad input, 1 when nothing was found, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.bad_input {
            2
        } else if self.found_nothing {
            1
        } else {
            0
        }
    }
}

/// Writes `bytes` to `path` so that readers see the old file or the whole new
/// one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::io(path, e);
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
