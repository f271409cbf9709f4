//! The first layer of loading: which files make up a graph, and their text.
//!
//! A graph directory holds `schema.ron`, `sources.ron` and the `.ron` files
//! under `entities/` and `relations/`; the graph built into the binary holds
//! the same files as they were at build time. [`graph_inputs`] picks the
//! graph the documented way (`--graph`, else `./graph`, else
//! `$LINKCHART_GRAPH`, else the built-in one).

use std::path::{Path, PathBuf};

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
                text: text.to_string(),
            })
        })
        .collect()
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
    let from_dir = |dir: &Path| -> Result<(String, Vec<Input>), Error> {
        let origin = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Ok((origin.display().to_string(), read_dir(dir)?))
    };
    if let Some(dir) = explicit {
        return from_dir(dir);
    }
    let local = Path::new("graph");
    if local.is_dir() {
        return from_dir(local);
    }
    if let Some(dir) = std::env::var_os("LINKCHART_GRAPH").filter(|v| !v.is_empty()) {
        return from_dir(&PathBuf::from(dir));
    }
    Ok((EMBEDDED.to_string(), embedded_inputs()))
}

/// Reads `schema.ron`, `sources.ron` and every `.ron` file under `entities/`
/// and `relations/`, in path order.
pub fn read_dir(dir: &Path) -> Result<Vec<Input>, Error> {
    let meta = std::fs::metadata(dir).map_err(|e| Error::GraphDir {
        path: dir.to_path_buf(),
        message: if e.kind() == std::io::ErrorKind::NotFound {
            "no such directory".to_string()
        } else {
            e.to_string()
        },
    })?;
    if !meta.is_dir() {
        return Err(Error::GraphDir {
            path: dir.to_path_buf(),
            message: "not a directory".to_string(),
        });
    }
    for required in ["schema.ron", "sources.ron"] {
        if !dir.join(required).is_file() {
            return Err(Error::GraphDir {
                path: dir.to_path_buf(),
                message: format!(
                    "has no {required}; a graph directory holds schema.ron, sources.ron, entities/ and relations/"
                ),
            });
        }
    }
    let mut paths = vec![dir.join("schema.ron"), dir.join("sources.ron")];
    for sub in ["entities", "relations"] {
        let mut found = Vec::new();
        collect_ron(&dir.join(sub), &mut found)?;
        found.sort();
        paths.extend(found);
    }
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            let role = role_of(&relative).unwrap_or(Role::Entities);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                Error::io(
                    &path,
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "not UTF-8 text (invalid byte at offset {})",
                            e.utf8_error().valid_up_to()
                        ),
                    ),
                )
            })?;
            Ok(Input {
                name: path.display().to_string(),
                role,
                text,
            })
        })
        .collect()
}

fn collect_ron(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            collect_ron(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
    Ok(())
}
