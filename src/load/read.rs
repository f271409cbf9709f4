//! The first layer of loading: which files make up a graph, and their text.
//!
//! A graph directory holds `schema.ron`, `sources.ron` and the `.ron` files
//! under `entities/` and `relations/`; the graph built into the binary holds
//! the same files as they were at build time. [`locate`] picks the
//! graph the documented way (`--graph`, else `./graph`, else
//! `$LINKCHART_GRAPH`, else the built-in one).
//!
//! Nothing is skipped in silence. Every file under `entities/` and
//! `relations/` that is not loaded (`x.RON`, `x.ron.txt`, no extension, a
//! link to a directory, a named pipe) and every `.ron` file at the graph's
//! root other than `schema.ron` and `sources.ron` is named in a
//! [`Skipped`] warning; only hidden files (names starting with `.`) that do
//! not end in `.ron` are passed over quietly, as editors and version control
//! leave them everywhere. Something named `*.ron` that cannot be loaded — a
//! directory, a link to nothing, a device or pipe — is an error.
//!
//! **Symbolic links.** Links to files are followed (a graph may share a file
//! with another through a link). Links to directories are never followed
//! below the graph directory, `entities/` and `relations/` included: a link
//! can point back up (`relations/up -> ..`) and make a walk loop forever, and
//! a graph whose records live elsewhere is clearer with `--graph`. Such a
//! link is named in a warning. The graph directory itself may be a link.
//!
//! **Text.** Files must be UTF-8. A leading byte-order mark is accepted and
//! dropped. A byte that is not UTF-8 is an error at its line and column; the
//! file is still parsed (the bad bytes read as U+FFFD) so that the run
//! reports every other problem too.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::error::Error;

/// What a file holds, from where it sits in the graph directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Schema,
    Sources,
    Entities,
    Relations,
}

impl Role {
    /// A stable number for the role (part of the load cache's key).
    pub fn code(self) -> u8 {
        match self {
            Role::Schema => 0,
            Role::Sources => 1,
            Role::Entities => 2,
            Role::Relations => 3,
        }
    }
}

/// One file of a graph, already read.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path shown in diagnostics.
    pub name: String,
    pub role: Role,
    pub text: String,
    /// Where the text was read from, so that it can be let go once parsed
    /// and read again if a diagnostic needs it (see [`SourceFiles`]).
    ///
    /// [`SourceFiles`]: crate::diag::SourceFiles
    pub path: Option<PathBuf>,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_graph.rs"));
}

/// The name diagnostics give the graph built into the binary.
pub const EMBEDDED: &str = "<embedded>";

/// The shipped graph as it was when the binary was built.
pub fn embedded_inputs() -> Vec<Input> {
    embedded::FILES
        .iter()
        .filter_map(|(path, text)| {
            let role = role_of(Path::new(path))?;
            Some(Input {
                name: format!("{EMBEDDED}/graph/{path}"),
                role,
                text: text.strip_prefix(BOM).unwrap_or(text).to_string(),
                path: None,
            })
        })
        .collect()
}

/// The byte-order mark some editors put at the start of UTF-8 files.
const BOM: char = '\u{feff}';

/// A file or directory in a graph directory that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// A graph directory as read: the files that make up the graph, what was
/// left out, and the diagnostics of text that is not UTF-8 (their `file` is
/// the index in `inputs`).
#[derive(Debug, Default)]
pub struct GraphFiles {
    pub inputs: Vec<Input>,
    pub skipped: Vec<Skipped>,
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Vec<Input>> for GraphFiles {
    fn from(inputs: Vec<Input>) -> Self {
        GraphFiles {
            inputs,
            ..GraphFiles::default()
        }
    }
}

/// The role of a file from its path relative to the graph directory, or
/// None for a file that is not part of the graph.
pub fn role_of(relative: &Path) -> Option<Role> {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    let rest = parts.next();
    match (first.as_ref(), rest) {
        ("schema.ron", None) => Some(Role::Schema),
        ("sources.ron", None) => Some(Role::Sources),
        ("entities", Some(_)) => Some(Role::Entities),
        ("relations", Some(_)) => Some(Role::Relations),
        _ => None,
    }
}

/// Where the graph comes from, in the documented order of preference, and
/// a name for that origin (the cache keeps one entry per origin).
pub fn graph_inputs(explicit: Option<&Path>) -> Result<(String, Vec<Input>), Error> {
    let (origin, files) = graph_files(explicit)?;
    Ok((origin, files.inputs))
}

/// Which graph the user means, before anything is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Dir(PathBuf),
    /// The graph built into the binary.
    Embedded,
}

/// Picks the graph the documented way (see the module docs); reads nothing.
pub fn locate(explicit: Option<&Path>) -> Origin {
    if let Some(dir) = explicit {
        return Origin::Dir(dir.to_path_buf());
    }
    let local = Path::new("graph");
    if local.is_dir() {
        return Origin::Dir(local.to_path_buf());
    }
    match std::env::var_os("LINKCHART_GRAPH").filter(|v| !v.is_empty()) {
        Some(dir) => Origin::Dir(PathBuf::from(dir)),
        None => Origin::Embedded,
    }
}

/// The content key build.rs computed for the built-in graph (see
/// `load::cache`).
pub const EMBEDDED_KEY: u128 = embedded::KEY;

/// The built-in graph's compiled form, as `src/load/builtin.bin` was when
/// the binary was built (empty without one): see `load::cache::built_in`.
pub static BUILT: &[u8] = embedded::BUILT;

/// Like [`graph_inputs`], with what was skipped and any text that is not
/// UTF-8.
pub fn graph_files(explicit: Option<&Path>) -> Result<(String, GraphFiles), Error> {
    read_origin(&locate(explicit))
}

/// The files of a graph, and a name for where they come from (the cache
/// keeps one entry per origin).
pub fn read_origin(origin: &Origin) -> Result<(String, GraphFiles), Error> {
    match origin {
        Origin::Dir(dir) => Ok((origin_name(dir), read_graph_dir(dir)?)),
        Origin::Embedded => Ok((EMBEDDED.to_string(), embedded_inputs().into())),
    }
}

/// The name of a graph directory for the cache: its canonical path.
pub fn origin_name(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string()
}

/// Reads `schema.ron`, `sources.ron` and every `.ron` file under `entities/`
/// and `relations/`, in path order. Text that is not UTF-8 is an error here;
/// [`read_graph_dir`] reports it as a diagnostic instead.
pub fn read_dir(dir: &Path) -> Result<Vec<Input>, Error> {
    let files = read_graph_dir(dir)?;
    if let Some(d) = files.diagnostics.first() {
        let input = &files.inputs[d.file];
        let (line, column) = line_col(&input.text, d.span.start);
        return Err(Error::io(
            &input.name,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not UTF-8 text (at line {line}, column {column})"),
            ),
        ));
    }
    Ok(files.inputs)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn dir_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::GraphDir {
        path: dir.to_path_buf(),
        message: message.into(),
    }
}

/// An error about one path inside the graph directory.
fn path_error(path: &Path, message: impl Into<String>) -> Error {
    Error::io(
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidInput, message.into()),
    )
}

/// What a file system object is, for messages.
fn what_is(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else if meta.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// Whether a name is one linkchart loads: it ends in `.ron`.
fn is_ron(name: &str) -> bool {
    name.ends_with(".ron") && name != ".ron"
}

/// Why a file whose name does not end in `.ron` is not loaded.
fn why_not_ron(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".ron") {
        "only names ending in `.ron`, in lower case, are loaded".to_string()
    } else if lower.contains(".ron.") || lower.ends_with(".ron~") {
        "its name does not end in `.ron` (a backup or a renamed copy?)".to_string()
    } else if !name.contains('.') {
        "it has no `.ron` extension".to_string()
    } else {
        "only `.ron` files are loaded".to_string()
    }
}

/// A directory's entries, sorted by name.
fn entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>, Error> {
    let mut found: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| Error::io(dir, e))?;
    found.sort_by_key(|e| e.file_name());
    Ok(found)
}

/// Reads a graph directory: every file of the graph, what was left out and
/// why, and where text is not UTF-8.
pub fn read_graph_dir(dir: &Path) -> Result<GraphFiles, Error> {
    read_listed(list_graph_dir(dir)?)
}

/// The files of a graph directory, not yet read: each file's path, the name
/// diagnostics show for it and its role, in the order they are loaded; and
/// what was left out and why.
#[derive(Debug, Default)]
pub struct Listed {
    pub files: Vec<(PathBuf, String, Role)>,
    pub skipped: Vec<Skipped>,
}

/// Finds the files of a graph directory without reading them (a cache hit
/// needs only their bytes hashed, not their text kept).
pub fn list_graph_dir(dir: &Path) -> Result<Listed, Error> {
    let meta = std::fs::metadata(dir).map_err(|e| {
        dir_error(
            dir,
            if e.kind() == std::io::ErrorKind::NotFound {
                "no such directory".to_string()
            } else {
                e.to_string()
            },
        )
    })?;
    if !meta.is_dir() {
        return Err(dir_error(dir, "not a directory"));
    }
    let mut files = Listed::default();
    let mut paths = Vec::new();
    for required in ["schema.ron", "sources.ron"] {
        let path = dir.join(required);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => paths.push((path, role_of(Path::new(required)))),
            Ok(m) => {
                return Err(path_error(&path, format!("is {}, not a file", what_is(&m))));
            }
            Err(_) => {
                return Err(dir_error(
                    dir,
                    format!(
                        "has no {required}; a graph directory holds schema.ron, sources.ron, entities/ and relations/"
                    ),
                ));
            }
        }
    }
    for entry in entries(dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        match name.as_str() {
            "schema.ron" | "sources.ron" => {}
            "entities" | "relations" => {
                let role = role_of(Path::new(&name).join("x").as_path());
                let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
                if kind.is_symlink() {
                    files.skipped.push(Skipped {
                        path,
                        reason: "it is a symbolic link to a directory, and links to directories are not followed (see the README)".to_string(),
                    });
                } else if kind.is_dir() {
                    let mut found = Vec::new();
                    walk(&path, 0, &mut found, &mut files.skipped)?;
                    paths.extend(found.into_iter().map(|p| (p, role)));
                } else {
                    files.skipped.push(Skipped {
                        path,
                        reason: format!("{name}/ should be a directory of .ron files"),
                    });
                }
            }
            _ if name.starts_with('.') && !name.to_ascii_lowercase().ends_with(".ron") => {}
            _ => {
                let lower = name.to_ascii_lowercase();
                let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
                if is_dir {
                    let holds_ron = std::fs::read_dir(&path).is_ok_and(|d| {
                        d.flatten()
                            .any(|e| e.file_name().to_string_lossy().ends_with(".ron"))
                    });
                    if holds_ron {
                        files.skipped.push(Skipped {
                            path,
                            reason:
                                "it holds .ron files, but only entities/ and relations/ are loaded"
                                    .to_string(),
                        });
                    }
                } else if lower.ends_with(".ron") || lower.contains(".ron.") {
                    files.skipped.push(Skipped {
                        path,
                        reason: "only schema.ron and sources.ron are read at the graph's root; entities and relations go in entities/ and relations/".to_string(),
                    });
                }
            }
        }
    }
    for (path, role) in paths {
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
        let role = role
            .or_else(|| role_of(&relative))
            .unwrap_or(Role::Entities);
        let name = path.display().to_string();
        files.files.push((path, name, role));
    }
    Ok(files)
}

/// Reads listed files as text.
pub fn read_listed(listed: Listed) -> Result<GraphFiles, Error> {
    let mut files = GraphFiles {
        skipped: listed.skipped,
        ..GraphFiles::default()
    };
    for (path, name, role) in listed.files {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let text = decode(bytes, files.inputs.len(), &mut files.diagnostics);
        files.inputs.push(Input {
            name,
            role,
            text,
            path: Some(path),
        });
    }
    Ok(files)
}

/// Walks one of `entities/` and `relations/` without following links to
/// directories, collecting `.ron` files and naming everything else.
fn walk(
    dir: &Path,
    depth: usize,
    found: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), Error> {
    for entry in entries(dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        let ron = is_ron(&name);
        if name.starts_with('.') && !ron && !kind.is_dir() {
            continue;
        }
        if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Err(_) if ron => {
                    return Err(path_error(
                        &path,
                        "is a symbolic link to nothing (its target does not exist)",
                    ));
                }
                Err(_) => skipped.push(Skipped {
                    path,
                    reason: "it is a symbolic link to nothing".to_string(),
                }),
                Ok(m) if m.is_dir() && ron => {
                    return Err(path_error(
                        &path,
                        "is a link to a directory; a name ending in .ron must be a file of records",
                    ));
                }
                Ok(m) if m.is_dir() => skipped.push(Skipped {
                    path,
                    reason: "it is a symbolic link to a directory, and links to directories are not followed (see the README)".to_string(),
                }),
                Ok(m) if m.is_file() && ron => found.push(path),
                Ok(m) if m.is_file() => skipped.push(Skipped {
                    path,
                    reason: why_not_ron(&name),
                }),
                Ok(m) if ron => {
                    return Err(path_error(
                        &path,
                        format!("is a link to {}, not to a file", what_is(&m)),
                    ));
                }
                Ok(m) => skipped.push(Skipped {
                    path,
                    reason: format!("it is a link to {}, not to a file", what_is(&m)),
                }),
            }
        } else if kind.is_dir() {
            if ron {
                return Err(path_error(
                    &path,
                    "is a directory; a name ending in .ron must be a file of records",
                ));
            }
            if name.starts_with('.') {
                continue;
            }
            if depth >= 32 {
                skipped.push(Skipped {
                    path,
                    reason: "it is nested more than 32 directories deep".to_string(),
                });
                continue;
            }
            walk(&path, depth + 1, found, skipped)?;
        } else if kind.is_file() {
            if ron {
                found.push(path);
            } else {
                skipped.push(Skipped {
                    path,
                    reason: why_not_ron(&name),
                });
            }
        } else {
            let meta = entry.metadata().map_err(|e| Error::io(&path, e))?;
            if ron {
                return Err(path_error(
                    &path,
                    format!("is {}, not a file", what_is(&meta)),
                ));
            }
            skipped.push(Skipped {
                path,
                reason: format!("it is {}, not a file", what_is(&meta)),
            });
        }
    }
    Ok(())
}

/// A file's bytes as text: a leading byte-order mark dropped, and bytes
/// that are not UTF-8 reported (the first in the file) and read as U+FFFD.
fn decode(bytes: Vec<u8>, file: usize, diagnostics: &mut Vec<Diagnostic>) -> String {
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
            let at = match std::str::from_utf8(&bytes) {
                Err(e) => e.valid_up_to(),
                Ok(_) => 0,
            };
            let bad = bytes[at];
            let text = String::from_utf8_lossy(&bytes).into_owned();
            // The lossy text is identical up to the first bad byte, which
            // becomes one U+FFFD.
            diagnostics.push(
                Diagnostic::error(
                    file,
                    at..at + '\u{fffd}'.len_utf8(),
                    "the file is not UTF-8 text",
                )
                .label(format!("byte 0x{bad:02X} here is not UTF-8"))
                .help(if utf16 {
                    "the file looks like UTF-16; save it as UTF-8".to_string()
                } else {
                    "save the file as UTF-8 (linkchart reads no other encoding)".to_string()
                }),
            );
            text
        }
    }
}
