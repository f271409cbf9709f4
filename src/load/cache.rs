//! A cache of loaded graphs, keyed by the files' content, that is used only
//! when it cannot be wrong.
//!
//! Parsing a million relations of RON takes seconds; decoding the same graph
//! from a compact binary form (postcard) takes a fraction of that. The key is
//! a 128-bit xxh3 hash of linkchart's version and of every file's name, role
//! and bytes, so any change to any file — or a new linkchart — misses the
//! cache and the files are parsed again. Only graphs that loaded with no
//! error and no warning are cached (warnings need the files' text).
//!
//! An entry is trusted only when all of this holds, else it is ignored,
//! named once in a note, removed and rebuilt from the files:
//!
//! - it is a regular file (not a link) owned by the current user and not
//!   writable by group or others, in a directory that is likewise the user's
//!   own and not writable by others (a directory that fails this is not used
//!   at all). linkchart creates the directory 0700 and entries 0600;
//! - its header names this format and this very key (a renamed entry is
//!   refused), and a 128-bit xxh3 checksum over the header and payload
//!   matches, so a flipped byte or a patched field is caught;
//! - the decoded graph is consistent: every entity and relation index in
//!   range, entities sorted by unique slug ids, relations in the loader's
//!   order with ids as the loader makes them, types and kinds in the
//!   schema, sources and sections that exist, claims with claimants,
//!   disputes with a contesting party, valid dates, and no control
//!   characters in any text ([`crate::text`]). So a decoded entry can never
//!   make a command panic.
//!
//! The checksum guards against damage, not against the user's own account:
//! whoever can write the user's files can also edit the graph itself.
//!
//! Files live in `$LINKCHART_CACHE_DIR`, else `$XDG_CACHE_HOME/linkchart`,
//! else `~/.cache/linkchart`; one entry per graph directory is kept.
//! `LINKCHART_CACHE=off` or `--no-cache` turns the cache off.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3;

use super::Notice;
use super::read::{Input, Role};
use super::validate::is_slug;
use crate::model::{EntityId, Graph, Relation, Status};
use crate::text::first_forbidden;
use crate::when::{Date, When};

/// Bumped whenever the cached types or the entry layout change.
const FORMAT: u32 = 6;

/// The first bytes of every entry.
const MAGIC: &[u8; 16] = b"linkchart-cache\n";

/// magic, format (u32), key (u128), payload length (u64), checksum (u128).
const HEADER: usize = 16 + 4 + 16 + 8 + 16;

/// Which entry holds a graph.
pub struct Key {
    /// Identifies the graph directory, so older versions can be pruned.
    source: u64,
    content: u128,
}

pub fn key(origin: &str, inputs: &[Input]) -> Key {
    let mut h = Content::new();
    for input in inputs {
        h.add(&input.name, input.role, input.text.as_bytes());
    }
    h.key(origin)
}

/// [`key`] of listed files, read through one buffer: the same key their
/// text gives, without keeping a fifth of a gigabyte of text (at a million
/// relations) that a cache hit does not need. A leading byte-order mark is
/// left out, as reading the text leaves it out.
pub fn key_of_listed(origin: &str, files: &[(PathBuf, String, Role)]) -> std::io::Result<Key> {
    use std::io::Read;
    let mut h = Content::new();
    let mut bytes = Vec::new();
    for (path, name, role) in files {
        bytes.clear();
        std::fs::File::open(path)?.read_to_end(&mut bytes)?;
        let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
        h.add(name, *role, text);
    }
    Ok(h.key(origin))
}

/// The hash of linkchart's version, the format and every file's name, role
/// and bytes, each length-prefixed.
struct Content(Xxh3);

impl Content {
    fn new() -> Self {
        let mut h = Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&FORMAT.to_le_bytes());
        Content(h)
    }

    fn add(&mut self, name: &str, role: Role, text: &[u8]) {
        let h = &mut self.0;
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(&[role.code()]);
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text);
    }

    fn key(&self, origin: &str) -> Key {
        Key {
            source: xxhash_rust::xxh3::xxh3_64(origin.as_bytes()),
            content: self.0.digest128(),
        }
    }
}

/// The key of the graph built into the binary: build.rs hashed its files
/// (and linkchart's version) when the binary was built, so finding its
/// entry reads none of them. The format is mixed in here.
pub fn embedded_key() -> Key {
    let mut h = Xxh3::new();
    h.update(&super::read::EMBEDDED_KEY.to_le_bytes());
    h.update(&FORMAT.to_le_bytes());
    Key {
        source: xxhash_rust::xxh3::xxh3_64(super::read::EMBEDDED.as_bytes()),
        content: h.digest128(),
    }
}

impl Key {
    pub fn file_name(&self) -> String {
        format!("{:016x}-{:032x}.bin", self.source, self.content)
    }
}

/// The cache directory, checked.
pub struct Store {
    dir: PathBuf,
}

fn configured_dir() -> Option<PathBuf> {
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

/// Why a file or directory may not be trusted with cache entries, if so.
#[cfg(unix)]
fn distrust(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        Some("it belongs to another user")
    } else if meta.mode() & 0o022 != 0 {
        Some("others can write to it")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn distrust(_: &std::fs::Metadata) -> Option<&'static str> {
    None
}

/// What the cache holds for a key.
pub enum Lookup {
    /// An entry's bytes, not yet checked.
    Found(Vec<u8>),
    Miss,
    /// An entry that may not be used, and why (for a note).
    Bad(String),
}

impl Store {
    /// The cache directory if caching is on and the directory can be
    /// trusted; otherwise None, with a note when it exists but is unsafe.
    pub fn open(notices: &mut Vec<Notice>) -> Option<Store> {
        let dir = configured_dir()?;
        match std::fs::symlink_metadata(&dir) {
            Ok(meta) => {
                let why = if meta.file_type().is_symlink() {
                    // A link is fine when what it points to is.
                    std::fs::metadata(&dir)
                        .ok()
                        .filter(|m| m.is_dir())
                        .map_or(Some("it is not a directory"), |m| distrust(&m))
                } else if !meta.is_dir() {
                    Some("it is not a directory")
                } else {
                    distrust(&meta)
                };
                if let Some(why) = why {
                    notices.push(Notice::Cache(format!(
                        "the load cache in {} is not used: {why} (make it a directory of your own with mode 700, or set LINKCHART_CACHE_DIR)",
                        dir.display()
                    )));
                    return None;
                }
            }
            // Created on the first write.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return None,
        }
        Some(Store { dir })
    }

    fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// The entry for a key, if there is one that may be read.
    pub fn read(&self, key: &Key) -> Lookup {
        use std::io::Read;
        let path = self.path(key);
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let mut file = match options.open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::Miss,
            #[cfg(unix)]
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Lookup::Bad("it is a symbolic link".to_string());
            }
            Err(e) => return Lookup::Bad(e.to_string()),
        };
        let why = match file.metadata() {
            Ok(meta) if !meta.is_file() => Some("it is not a regular file"),
            Ok(meta) => distrust(&meta),
            Err(_) => Some("it cannot be inspected"),
        };
        if let Some(why) = why {
            return Lookup::Bad(why.to_string());
        }
        let mut bytes = Vec::new();
        match file.read_to_end(&mut bytes) {
            Ok(_) => Lookup::Found(bytes),
            Err(e) => Lookup::Bad(e.to_string()),
        }
    }

    /// A note on an entry that was not used.
    pub fn ignored(&self, key: &Key, why: &str) -> Notice {
        Notice::Cache(format!(
            "ignored the load cache entry {} ({why}); the graph was read from its files",
            self.path(key).display()
        ))
    }

    /// Removes a bad entry, so that it is reported once.
    pub fn remove(&self, key: &Key) {
        let _ = std::fs::remove_file(self.path(key));
    }

    /// Stores a graph that loaded cleanly; replaces older versions of the
    /// same directory's entry. Failures are ignored: the cache is only an
    /// accelerator.
    pub fn put(&self, key: &Key, graph: &Graph) {
        let Some(bytes) = encode(key, graph) else {
            return;
        };
        if !self.dir.exists() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            if builder.create(&self.dir).is_err() {
                return;
            }
        }
        if crate::output::replace_file(&self.dir, &self.path(key), &bytes, 0o600).is_err() {
            return;
        }
        let prefix = format!("{:016x}-", key.source);
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && name != key.file_name() {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

fn checksum(key: u128, payload: &[u8]) -> u128 {
    let mut h = Xxh3::new();
    h.update(MAGIC);
    h.update(&FORMAT.to_le_bytes());
    h.update(&key.to_le_bytes());
    h.update(&(payload.len() as u64).to_le_bytes());
    h.update(payload);
    h.digest128()
}

/// A graph as an entry: the header, then the payload.
pub fn encode(key: &Key, graph: &Graph) -> Option<Vec<u8>> {
    Some(frame(key.content, &payload(graph)?))
}

/// The schema, sources, entities and the first relations, in postcard.
#[derive(serde::Serialize)]
struct HeadRef<'g> {
    schema: &'g crate::model::Schema,
    sources: &'g [crate::model::Source],
    entities: &'g [crate::model::Entity],
    relations: &'g [Relation],
}

/// [`HeadRef`] as it is decoded.
#[derive(serde::Deserialize)]
struct Head {
    schema: crate::model::Schema,
    sources: Vec<crate::model::Source>,
    entities: Vec<crate::model::Entity>,
    relations: Vec<Relation>,
}

/// Relations per part of a large graph's entry: a part's list (39 MB) is
/// larger than glibc's largest mapping threshold, so it is mapped and given
/// back whole; with parts of 16k relations the freed lists fragmented the
/// decoding threads' heaps and a cached load at 1M relations peaked 100 MB
/// higher (measured: 1<<12 and 1<<14: 730–800 MiB; 1<<17: 688 MiB).
const PART: usize = 1 << 17;

/// A graph as a payload (tests use it to plant entries): parts that decode
/// on their own, so a large graph is decoded on all cores (decoding a
/// million relations into owned strings was a second on one core). The
/// head holds everything but a large graph's relations, which follow in
/// parts of [`PART`]; a small graph is all head. Laid out as the number of
/// relation parts (u64), every part's length (u64, head first), then the
/// parts, each postcard.
pub fn payload(graph: &Graph) -> Option<Vec<u8>> {
    payload_in(graph, PART)
}

fn payload_in(graph: &Graph, part: usize) -> Option<Vec<u8>> {
    let large = graph.relations.len() >= super::runs::PARALLEL_FROM;
    let in_head = if large { 0 } else { graph.relations.len() };
    let mut parts = vec![
        postcard::to_allocvec(&HeadRef {
            schema: &graph.schema,
            sources: &graph.sources,
            entities: &graph.entities,
            relations: &graph.relations[..in_head],
        })
        .ok()?,
    ];
    if large {
        for relations in graph.relations.chunks(part) {
            parts.push(postcard::to_allocvec(relations).ok()?);
        }
    }
    Some(lay_out(&parts))
}

/// Parts, head first, as a payload: see [`payload`].
fn lay_out(parts: &[Vec<u8>]) -> Vec<u8> {
    let lengths = 8 * (1 + parts.len());
    let mut out = Vec::with_capacity(lengths + parts.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&(parts.len() as u64 - 1).to_le_bytes());
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
    }
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// The parts of a payload, head first, or why they cannot be told apart.
fn parts(payload: &[u8]) -> Result<Vec<&[u8]>, String> {
    let broken = || "its parts are not laid out as they should be".to_string();
    let mut rest = payload;
    let mut number = || -> Result<usize, String> {
        let (n, after) = rest.split_first_chunk::<8>().ok_or_else(broken)?;
        rest = after;
        usize::try_from(u64::from_le_bytes(*n)).map_err(|_| broken())
    };
    let relation_parts = number()?;
    if relation_parts > payload.len() / 8 {
        return Err(broken());
    }
    let lengths = (0..=relation_parts)
        .map(|_| number())
        .collect::<Result<Vec<usize>, String>>()?;
    let mut parts = Vec::with_capacity(lengths.len());
    for length in lengths {
        let (part, after) = rest.split_at_checked(length).ok_or_else(broken)?;
        parts.push(part);
        rest = after;
    }
    if !rest.is_empty() {
        return Err(broken());
    }
    Ok(parts)
}

/// A payload's graph, its parts decoded on all cores and the relations
/// appended in order as each part is done (so only a few parts are held
/// besides the graph, not a second half of it).
fn decode_payload(payload: &[u8]) -> Result<Graph, String> {
    enum Decoded {
        Head(Head),
        Relations(Vec<Relation>),
    }
    let parts: Vec<(usize, &[u8])> = parts(payload)?.into_iter().enumerate().collect();
    let mut head = None;
    // Every relation part but the last holds PART relations; a relation
    // takes at least 15 bytes in postcard, which bounds what a planted
    // entry of many empty parts can make this reserve.
    let room = ((parts.len() - 1) * PART).min(payload.len() / 15);
    let mut relations: Vec<Relation> = Vec::with_capacity(room);
    let mut failed = None;
    super::runs::streamed(
        &parts,
        |&(n, part)| match n {
            0 => postcard::from_bytes(part).map(Decoded::Head),
            _ => postcard::from_bytes(part).map(Decoded::Relations),
        },
        |_, decoded| match decoded {
            Ok(Decoded::Head(h)) => head = Some(h),
            Ok(Decoded::Relations(part)) => relations.extend(part),
            Err(e) => {
                failed.get_or_insert(e);
            }
        },
    );
    if let Some(e) = failed {
        return Err(format!("it does not decode: {e}"));
    }
    let Head {
        schema,
        sources,
        entities,
        relations: first,
    } = head.ok_or("it has no head")?;
    if relations.is_empty() {
        relations = first;
    } else if !first.is_empty() {
        return Err("its relations are in both the head and parts".to_string());
    }
    Ok(Graph {
        schema,
        sources,
        entities,
        relations,
    })
}

/// An entry around a payload (tests use it to plant entries).
pub fn frame(key: u128, payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&key.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&checksum(key, payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// The payload of an entry for `key`, or why it is unusable.
pub fn unframe<'a>(key: &Key, bytes: &'a [u8]) -> Result<&'a [u8], String> {
    let Some((header, payload)) = bytes.split_at_checked(HEADER) else {
        return Err("it is shorter than its header".to_string());
    };
    let u128_at = |i: usize| u128::from_le_bytes(header[i..i + 16].try_into().unwrap_or([0; 16]));
    if &header[..16] != MAGIC {
        return Err("it is not a linkchart cache entry".to_string());
    }
    if header[16..20] != FORMAT.to_le_bytes() {
        return Err("it was written by another version of linkchart".to_string());
    }
    if u128_at(20) != key.content {
        return Err("it holds another graph than its name says".to_string());
    }
    if header[36..44] != (payload.len() as u64).to_le_bytes() {
        return Err("its length is wrong (truncated?)".to_string());
    }
    if u128_at(44) != checksum(key.content, payload) {
        return Err("its checksum does not match: it is damaged".to_string());
    }
    Ok(payload)
}

/// The graph in an entry for `key`, or why it is unusable.
pub fn decode(key: &Key, bytes: &[u8]) -> Result<Graph, String> {
    let graph = decode_payload(unframe(key, bytes)?)?;
    consistent(&graph).map_err(|e| format!("it is inconsistent: {e}"))?;
    Ok(graph)
}

/// `""` is the first relation of its ends and type, `"/N"` (N ≥ 2, written
/// as the loader writes numbers) the N-th.
fn id_number(rest: &str) -> Option<u32> {
    if rest.is_empty() {
        return Some(1);
    }
    let digits = rest.strip_prefix('/')?;
    if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n >= 2)
}

/// What follows `from/type/to` in a relation's id, if it starts so.
fn id_rest<'g>(g: &'g Graph, r: &'g Relation) -> Option<&'g str> {
    r.id.strip_prefix(g.entity(r.from).id.as_str())?
        .strip_prefix('/')?
        .strip_prefix(r.rel_type.as_str())?
        .strip_prefix('/')?
        .strip_prefix(g.entity(r.to).id.as_str())
}

/// Checks everything the loader guarantees about a graph that the rest of
/// linkchart relies on.
pub fn consistent(g: &Graph) -> Result<(), String> {
    let text = |what: &str, s: &str, lines: bool| -> Result<(), String> {
        match first_forbidden(s, lines) {
            Some((_, c)) => Err(format!("{what} holds {}", crate::text::describe(c))),
            None => Ok(()),
        }
    };
    for (key, kind) in &g.schema.kinds {
        if !is_slug(key) {
            return Err(format!("kind {key:?} is not a slug"));
        }
        text("a kind's label", &kind.label, true)?;
        text("a kind's shape", &kind.shape, false)?;
        text("a kind's colour", &kind.color, false)?;
    }
    for (key, t) in &g.schema.relation_types {
        if !is_slug(key) || key == "accused-by" {
            return Err(format!("relation type {key:?} is not allowed"));
        }
        text("a type's label", &t.label, true)?;
        text("a type's inverse", &t.inverse, true)?;
        if let Some(k) = t
            .from
            .iter()
            .chain(&t.to)
            .find(|k| !g.schema.kinds.contains_key(*k))
        {
            return Err(format!("relation type {key:?} names an unknown kind {k:?}"));
        }
    }
    let mut source_ids = HashSet::new();
    for s in &g.sources {
        if !source_ids.insert(s.id.as_str()) {
            return Err(format!("source {:?} is listed twice", s.id));
        }
        text("a source id", &s.id, false)?;
        text("a source's title", &s.title, true)?;
        text("a source's kind", &s.kind, false)?;
        for v in s.file.iter().chain(&s.url) {
            text("a source's location", v, false)?;
        }
        for section in &s.sections {
            text("a section id", &section.id, false)?;
            text("a section title", &section.title, true)?;
        }
    }
    let n = g.entities.len();
    if n > u32::MAX as usize || g.relations.len() > u32::MAX as usize {
        return Err("too many records".to_string());
    }
    for (i, e) in g.entities.iter().enumerate() {
        if !is_slug(&e.id) {
            return Err(format!("entity id {:?} is not a slug", e.id));
        }
        if i > 0 && g.entities[i - 1].id >= e.id {
            return Err(format!("entity {:?} is out of order or repeated", e.id));
        }
        if !g.schema.kinds.contains_key(e.kind.as_str()) {
            return Err(format!("entity {:?} has an unknown kind", e.id));
        }
        if e.name.trim().is_empty() {
            return Err(format!("entity {:?} has no name", e.id));
        }
        text("a name", &e.name, true)?;
        text("a description", &e.description, true)?;
        for a in &e.aliases {
            text("an alias", a, true)?;
        }
        for t in &e.tags {
            text("a tag", t, false)?;
        }
        if !e.start.iter().chain(&e.end).all(Date::is_possible) {
            return Err(format!("entity {:?} has an impossible date", e.id));
        }
    }
    let known_types: foldhash::HashSet<&str> =
        g.schema.relation_types.keys().map(String::as_str).collect();
    let sections: foldhash::HashSet<(&str, &str)> = g
        .sources
        .iter()
        .flat_map(|s| s.sections.iter().map(|x| (s.id.as_str(), x.id.as_str())))
        .collect();
    let scope = Relations {
        g,
        known_types,
        sections,
    };
    // Relations in runs on all cores; the first run's error is the one
    // reported, as one thread would.
    let results = super::runs::in_order(super::runs::runs(g.relations.len()), |run| {
        scope.check(run, &text)
    });
    results.into_iter().collect::<Result<(), String>>()?;
    for e in &g.entities {
        props_ok(&e.props, &text)?;
    }
    Ok(())
}

/// The ends and type, in the loader's order of relations.
fn triple(r: &Relation) -> (EntityId, &str, EntityId) {
    (r.from, r.rel_type.as_str(), r.to)
}

/// What every relation is checked against.
struct Relations<'g> {
    g: &'g Graph,
    known_types: foldhash::HashSet<&'g str>,
    sections: foldhash::HashSet<(&'g str, &'g str)>,
}

type TextCheck = dyn Fn(&str, &str, bool) -> Result<(), String> + Sync;

impl Relations<'_> {
    /// The relations in `run`, in order; the first problem.
    fn check(&self, run: std::ops::Range<usize>, text: &TextCheck) -> Result<(), String> {
        let g = self.g;
        let n = g.entities.len();
        let start = run.start;
        // The number the previous relation's id carries, once checked.
        let mut previous = None;
        for i in run {
            let r = &g.relations[i];
            let in_range = |i: &EntityId| i.index() < n;
            if !in_range(&r.from)
                || !in_range(&r.to)
                || !r.parties().all(|i| in_range(&i))
                || !r.retracted_by.iter().all(in_range)
            {
                return Err(format!("relation {:?} points past the entities", r.id));
            }
            // In the loader's order by ends and type, so relations sharing
            // them are neighbours, numbered 1 (no suffix), 2, 3 …: their
            // ids are then all distinct, with no set of a million ids.
            let number = match i.checked_sub(1).map(|p| &g.relations[p]) {
                Some(p) if triple(p) > triple(r) => {
                    return Err(format!("relation {:?} is out of order", r.id));
                }
                // Same ends as `r`, so in range. Read again only at a run's
                // start (another thread checks it).
                Some(p) if triple(p) == triple(r) => if i == start {
                    id_rest(g, p).and_then(id_number)
                } else {
                    previous
                }
                .map(|k| k + 1),
                _ => Some(1),
            };
            if number.is_none() || id_rest(g, r).and_then(id_number) != number {
                return Err(format!("relation id {:?} is not what its ends make", r.id));
            }
            previous = number;
            if !self.known_types.contains(r.rel_type.as_str()) {
                return Err(format!("relation {:?} has an unknown type", r.id));
            }
            let contested =
                !(r.denied_by.is_empty() && r.doubted_by.is_empty() && r.retracted_by.is_empty());
            if r.status.is_claim() && r.claimed_by.is_empty() {
                return Err(format!("claim {:?} has no claimant", r.id));
            }
            if contested != (r.status == Status::Disputed) {
                return Err(format!(
                    "relation {:?}: status and contesting parties disagree",
                    r.id
                ));
            }
            if !r.retracted_by.iter().all(|x| r.claimed_by.contains(x)) {
                return Err(format!(
                    "relation {:?}: a retraction by a non-claimant",
                    r.id
                ));
            }
            if !self
                .sections
                .contains(&(r.source.id.as_str(), r.source.section.as_str()))
            {
                return Err(format!("relation {:?} cites an unknown source", r.id));
            }
            match &r.when {
                Some(When::Date(d)) if !d.is_possible() => {
                    return Err(format!("relation {:?} has an impossible date", r.id));
                }
                Some(When::Period(p)) if !p.is_possible() || p.is_inverted() => {
                    return Err(format!("relation {:?} has an impossible period", r.id));
                }
                _ => {}
            }
            text("a note", &r.note, true)?;
            if r.weight.is_some_and(|w| !w.is_finite() || w < 0.0) {
                return Err(format!("relation {:?} has an impossible weight", r.id));
            }
            props_ok(&r.props, text)?;
        }
        Ok(())
    }
}

/// Attribute keys and text are clean; numbers finite; dates possible.
fn props_ok(
    props: &crate::props::Props,
    text: &dyn Fn(&str, &str, bool) -> Result<(), String>,
) -> Result<(), String> {
    use crate::props::PropValue;
    for (key, value) in props {
        if key.trim().is_empty() {
            return Err("an attribute has an empty key".to_string());
        }
        text("an attribute key", key, false)?;
        match value {
            PropValue::Text(t) => text("an attribute", t, true)?,
            PropValue::Float(f) if !f.is_finite() => {
                return Err(format!("attribute {key:?} is not a finite number"));
            }
            PropValue::Date(d) if !d.is_possible() => {
                return Err(format!("attribute {key:?} is an impossible date"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Where the entry for `key` would be (for tests that plant entries).
pub fn entry_path(dir: &Path, key: &Key) -> PathBuf {
    dir.join(key.file_name())
}

#[cfg(test)]
mod tests {
    use super::{HeadRef, consistent, decode_payload, lay_out, payload, payload_in};
    use crate::model::fixture::{person, relation};
    use crate::model::{
        Entity, Graph, KindDef, Relation, RelationTypeDef, Schema, Section, Source,
    };

    /// 200 entities and 25,000 relations (enough to be checked in runs on
    /// several cores), ids and order as the loader makes them.
    fn big() -> Graph {
        let mut schema = Schema {
            kinds: Default::default(),
            relation_types: Default::default(),
        };
        schema.kinds.insert(
            "person".into(),
            KindDef {
                label: "Person".into(),
                shape: "box".into(),
                color: "#fff".into(),
            },
        );
        schema.relation_types.insert(
            "met".into(),
            RelationTypeDef {
                label: "met".into(),
                inverse: "met".into(),
                symmetric: true,
                accuses: false,
                from: Vec::new(),
                to: Vec::new(),
            },
        );
        let entities: Vec<Entity> = (0..200)
            .map(|i| Entity {
                name: format!("Person {i}").into(),
                ..person(&format!("e{i:04}"))
            })
            .collect();
        let mut pairs: Vec<(u32, u32)> = (0..25_000u32)
            .map(|i| (i % 200, (i * 7 + 1) % 200))
            .collect();
        pairs.sort_unstable();
        let mut relations: Vec<Relation> = Vec::with_capacity(pairs.len());
        for (k, &(from, to)) in pairs.iter().enumerate() {
            let base = format!("e{from:04}/met/e{to:04}");
            let n = pairs[..k]
                .iter()
                .rev()
                .take_while(|&&p| p == (from, to))
                .count()
                + 1;
            relations.push(Relation {
                id: if n == 1 { base } else { format!("{base}/{n}") }.into(),
                ..relation(from, "met", to, "a")
            });
        }
        Graph {
            schema,
            sources: vec![Source {
                id: "s".into(),
                title: "S".into(),
                kind: "report".into(),
                file: None,
                url: None,
                sections: vec![Section {
                    id: "a".into(),
                    title: "A".into(),
                }],
            }],
            entities,
            relations,
        }
    }

    #[test]
    fn listed_files_hashed_through_a_buffer_key_as_their_text_does() {
        use crate::load::read::{list_graph_dir, origin_name, read_listed};
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graph");
        let copy = tempfile::tempdir().unwrap();
        let listed = list_graph_dir(&shipped).unwrap();
        for (n, (path, _, _)) in listed.files.iter().enumerate() {
            let to = copy.path().join(path.strip_prefix(&shipped).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            let mut bytes = std::fs::read(path).unwrap();
            if n % 2 == 1 {
                // Every other file with a byte-order mark, which reading
                // the text leaves out.
                bytes.splice(0..0, "\u{feff}".bytes());
            }
            std::fs::write(&to, bytes).unwrap();
        }
        for dir in [shipped.as_path(), copy.path()] {
            let name = origin_name(dir);
            let listed = list_graph_dir(dir).unwrap();
            let streamed = super::key_of_listed(&name, &listed.files).unwrap();
            let read = read_listed(listed).unwrap();
            assert!(read.diagnostics.is_empty());
            let text = super::key(&name, &read.inputs);
            assert_eq!(streamed.file_name(), text.file_name(), "{}", dir.display());
        }
        // The copy's text is the shipped graph's, but its names differ.
        let keys: Vec<String> = [shipped.as_path(), copy.path()]
            .iter()
            .map(|dir| {
                let listed = list_graph_dir(dir).unwrap();
                super::key_of_listed(&origin_name(dir), &listed.files)
                    .unwrap()
                    .file_name()
            })
            .collect();
        assert_ne!(keys[0], keys[1]);
    }

    #[test]
    fn a_graph_comes_back_whole_from_its_parts() {
        let g = big();
        for (bytes, parts) in [
            (payload(&g).unwrap(), 2),
            (payload_in(&g, 1_000).unwrap(), 26),
            (payload_in(&g, 24_999).unwrap(), 3),
        ] {
            assert_eq!(
                u64::from_le_bytes(bytes[..8].try_into().unwrap()) + 1,
                parts
            );
            assert!(decode_payload(&bytes).unwrap() == g, "{parts} parts");
        }
        let mut small = g.clone();
        small.relations.truncate(500);
        let bytes = payload(&small).unwrap();
        assert_eq!(bytes[..8], [0; 8], "a small graph is all head");
        assert!(decode_payload(&bytes).unwrap() == small);
    }

    #[test]
    fn a_payload_whose_parts_do_not_add_up_is_refused_without_a_panic() {
        let g = big();
        let good = payload_in(&g, 5_000).unwrap();
        let number = |n: u64| n.to_le_bytes();
        let with = |at: usize, n: u64| {
            let mut bad = good.clone();
            bad[at..at + 8].copy_from_slice(&number(n));
            bad
        };
        let mut longer = good.clone();
        longer.push(0);
        let head_only = postcard::to_allocvec(&HeadRef {
            schema: &g.schema,
            sources: &g.sources,
            entities: &g.entities,
            relations: &g.relations[..10],
        })
        .unwrap();
        let part = postcard::to_allocvec(&g.relations[10..20]).unwrap();
        let cases = [
            ("empty", Vec::new()),
            ("cut in its lengths", good[..20].to_vec()),
            ("cut in its parts", good[..good.len() - 1].to_vec()),
            ("a byte more", longer),
            ("parts beyond counting", with(0, u64::MAX)),
            ("a part longer than the payload", with(8, u64::MAX)),
            ("one part fewer than laid out", with(0, 4)),
            (
                "a relation part where the head goes",
                lay_out(&[part.clone(), head_only.clone()]),
            ),
            (
                "a million empty parts",
                lay_out(&vec![Vec::new(); 1_000_000]),
            ),
            (
                "relations in the head and in parts",
                lay_out(&[head_only, part]),
            ),
        ];
        for (what, bytes) in cases {
            assert!(decode_payload(&bytes).is_err(), "{what}");
        }
    }

    #[test]
    fn a_large_graph_is_checked_in_runs_and_the_first_problem_is_named() {
        let g = big();
        assert!(g.relations.iter().any(|r| r.id.ends_with("/2")));
        assert_eq!(consistent(&g), Ok(()));

        // A problem only in the last run is found.
        let mut late = g.clone();
        late.relations[24_000].weight = Some(-1.0);
        let err = consistent(&late).unwrap_err();
        assert!(err.contains("impossible weight"), "{err}");

        // With problems in the first and the last run, the first is named,
        // as one thread checking in order would.
        let mut both = late.clone();
        both.relations[10].note = "\u{1b}[2J".into();
        let err = consistent(&both).unwrap_err();
        assert!(err.contains("a note holds"), "{err}");

        // Order is checked across the runs' boundary too.
        for at in [12_499, 12_500, 12_501] {
            let mut swapped = g.clone();
            swapped.relations.swap(at - 1, at + 200);
            assert!(consistent(&swapped).is_err(), "swap at {at}");
        }

        // Relations of the same ends numbered out of turn, or with a number
        // written another way, are refused.
        let second = g
            .relations
            .iter()
            .position(|r| r.id.ends_with("/2"))
            .unwrap();
        for id in ["/3", "/02", "/1", ""] {
            let mut renumbered = g.clone();
            let base = renumbered.relations[second - 1].id.clone();
            renumbered.relations[second].id = format!("{base}{id}").into();
            let err = consistent(&renumbered).unwrap_err();
            assert!(err.contains("not what its ends make"), "{id}: {err}");
        }
    }
}
