//! A cache of loaded graphs, keyed by the files' content.
//!
//! Parsing a million relations of RON takes seconds; decoding the same graph
//! from a compact binary form (postcard) takes a fraction of that. The key is
//! a 128-bit xxh3 hash of linkchart's version and of every file's name, role
//! and bytes, so any change to any file — or a new linkchart — misses the
//! cache and the files are parsed again: the cache is never trusted over the
//! files. Only graphs that loaded with no error and no warning are cached
//! (warnings need the files' text to be shown). A cache that cannot be read
//! or written is ignored. Files live in `$LINKCHART_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/linkchart`, else `~/.cache/linkchart`; one file per graph
//! directory is kept. `LINKCHART_CACHE=off` or `--no-cache` turns it off.

use std::path::PathBuf;

use xxhash_rust::xxh3::Xxh3;

use super::read::Input;
use crate::model::Graph;

/// Bumped whenever the cached types change shape.
const FORMAT: u32 = 4;

/// Where a graph's cache file lives, if caching is possible.
pub struct Key {
    /// Identifies the graph directory, so older versions can be pruned.
    source: u64,
    content: u128,
}

fn dir() -> Option<PathBuf> {
    if std::env::var_os("LINKCHART_CACHE").is_some_and(|v| v == "off" || v == "0") {
        return None;
    }
    if let Some(d) = std::env::var_os("LINKCHART_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("linkchart"));
    }
    std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .map(|h| PathBuf::from(h).join(".cache/linkchart"))
}

pub fn key(origin: &str, inputs: &[Input]) -> Key {
    let mut h = Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&FORMAT.to_le_bytes());
    for input in inputs {
        let role = input.role.code();
        h.update(&(input.name.len() as u64).to_le_bytes());
        h.update(input.name.as_bytes());
        h.update(&[role]);
        h.update(&(input.text.len() as u64).to_le_bytes());
        h.update(input.text.as_bytes());
    }
    Key {
        source: xxhash_rust::xxh3::xxh3_64(origin.as_bytes()),
        content: h.digest128(),
    }
}

impl Key {
    fn file_name(&self) -> String {
        format!("{:016x}-{:032x}.bin", self.source, self.content)
    }
}

/// The cache entry for these files, if there is one.
pub fn bytes(key: &Key) -> Option<Vec<u8>> {
    std::fs::read(dir()?.join(key.file_name())).ok()
}

/// The graph in a cache entry, or None when the entry is damaged.
pub fn decode(bytes: &[u8]) -> Option<Graph> {
    postcard::from_bytes(bytes).ok()
}

/// Stores a graph that loaded cleanly; replaces older versions of the same
/// directory's cache. Failures are ignored: the cache is only an accelerator.
pub fn write(key: &Key, graph: &Graph) {
    let Some(dir) = dir() else { return };
    let Ok(bytes) = postcard::to_allocvec(graph) else {
        return;
    };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(&dir) else {
        return;
    };
    if std::io::Write::write_all(&mut tmp, &bytes).is_err()
        || tmp.persist(dir.join(key.file_name())).is_err()
    {
        return;
    }
    let prefix = format!("{:016x}-", key.source);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) && name != key.file_name() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
