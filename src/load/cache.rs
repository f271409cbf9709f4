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
//!   refused), and its trailer's payload length and 128-bit xxh3 checksum
//!   over header, payload and length match, so a flipped byte or a patched
//!   field is caught;
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
//! An entry is written as it is encoded and read part by part, the
//! checksum taken on the way, so neither storing nor reading a graph holds
//! its entry whole beside it (over a gigabyte at ten million relations).
//!
//! A large graph's entry also holds each entity's rows: the relations it is
//! an end of or a party to, and where each relation starts in its part. A
//! card (`show`) reads every entity but only its entity's relations through
//! them ([`Around`]), with the same checksum and the same checks on what it
//! reads.
//!
//! The built-in graph has no entry: the binary carries one for it, written
//! from its files ahead of time ([`built_in`]).
//!
//! Files live in `$LINKCHART_CACHE_DIR`, else `$XDG_CACHE_HOME/linkchart`,
//! else `~/.cache/linkchart`; one entry per graph directory is kept.
//! `LINKCHART_CACHE=off` or `--no-cache` turns the cache off.

use std::borrow::Cow;
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
const FORMAT: u32 = 8;

/// The first bytes of every entry.
const MAGIC: &[u8; 16] = b"linkchart-cache\n";

/// magic, format (u32), key (u128).
const HEADER: usize = 16 + 4 + 16;

/// After the payload: its length (u64) and the checksum (u128).
const TRAILER: usize = 8 + 16;

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

/// [`key`] of listed files, read and hashed on all cores: the same key
/// their text gives, without keeping a fifth of a gigabyte of text (at a
/// million relations) that a cache hit does not need. A leading byte-order
/// mark is left out, as reading the text leaves it out.
pub fn key_of_listed(origin: &str, files: &[(PathBuf, String, Role)]) -> std::io::Result<Key> {
    let mut h = Content::new();
    let mut failed = None;
    super::runs::streamed(
        files,
        |(path, _, _)| hash_file(path),
        |n, hashed| match hashed {
            Ok((len, digest)) => h.add_hashed(&files[n].1, files[n].2, len, digest),
            Err(e) => {
                failed.get_or_insert(e);
            }
        },
    );
    match failed {
        Some(e) => Err(e),
        None => Ok(h.key(origin)),
    }
}

/// A file's length and hash, without a byte order mark at its start (as
/// [`Content::add`] takes a text): read a megabyte at a time into one
/// buffer, not whole. A whole file was a fresh block of its size, whose
/// pages the kernel zeroes before the file is copied in: at a million
/// relations 189 MB of files, zeroed and copied only to be hashed.
fn hash_file(path: &Path) -> std::io::Result<(u64, u128)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut h = Xxh3::new();
    let mut len = 0u64;
    let mut first = true;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut chunk = &buf[..n];
        if first {
            first = false;
            // A read may stop inside the mark: fill the first three bytes.
            let mut have = n;
            while have < 3 {
                match file.read(&mut buf[have..])? {
                    0 => break,
                    more => have += more,
                }
            }
            chunk = &buf[..have];
            chunk = chunk.strip_prefix("\u{feff}".as_bytes()).unwrap_or(chunk);
        }
        h.update(chunk);
        len += chunk.len() as u64;
    }
    Ok((len, h.digest128()))
}

/// The hash of linkchart's version, the format and every file's name, role,
/// length and bytes' own hash (so files can be hashed on all cores), the
/// name length-prefixed.
struct Content(Xxh3);

impl Content {
    fn new() -> Self {
        let mut h = Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&FORMAT.to_le_bytes());
        Content(h)
    }

    fn add(&mut self, name: &str, role: Role, text: &[u8]) {
        let digest = xxhash_rust::xxh3::xxh3_128(text);
        self.add_hashed(name, role, text.len() as u64, digest);
    }

    fn add_hashed(&mut self, name: &str, role: Role, len: u64, digest: u128) {
        let h = &mut self.0;
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(&[role.code()]);
        h.update(&len.to_le_bytes());
        h.update(&digest.to_le_bytes());
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
    /// An entry's file, open, not yet checked.
    Found(EntryFile),
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
        let path = self.path(key);
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let file = match options.open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::Miss,
            #[cfg(unix)]
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Lookup::Bad("it is a symbolic link".to_string());
            }
            Err(e) => return Lookup::Bad(e.to_string()),
        };
        let size = match file.metadata() {
            Ok(meta) if !meta.is_file() => Err("it is not a regular file"),
            Ok(meta) => distrust(&meta).map_or(Ok(meta.len()), Err),
            Err(_) => Err("it cannot be inspected"),
        };
        match size {
            Ok(size) => Lookup::Found(EntryFile { file, size }),
            Err(why) => Lookup::Bad(why.to_string()),
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
        let written = crate::output::replace_file_with(&self.dir, &self.path(key), 0o600, |out| {
            write_entry(out, key.content, graph)
        });
        if written.is_err() {
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

/// The entry's checksum: xxh3-128 over the header, the payload and the
/// payload's length, fed in that order as the entry is written or read.
struct Checksum(Xxh3);

impl Checksum {
    fn new(key: u128) -> Self {
        let mut h = Xxh3::new();
        h.update(&header(key));
        Checksum(h)
    }

    fn add(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(mut self, payload_len: u64) -> u128 {
        self.0.update(&payload_len.to_le_bytes());
        self.0.digest128()
    }
}

/// magic, format (u32), key (u128).
fn header(key: u128) -> [u8; HEADER] {
    let mut h = [0; HEADER];
    h[..16].copy_from_slice(MAGIC);
    h[16..20].copy_from_slice(&FORMAT.to_le_bytes());
    h[20..].copy_from_slice(&key.to_le_bytes());
    h
}

/// Writes a graph's entry for `key` into `out` as it is encoded: the
/// header, the payload (see [`payload`]) and the trailer. Each part is
/// written and let go as soon as it and those before it are encoded, so
/// storing a large graph does not hold a second copy of it.
fn write_entry(out: &mut dyn std::io::Write, key: u128, graph: &Graph) -> std::io::Result<()> {
    out.write_all(&header(key))?;
    let mut sum = Checksum::new(key);
    let mut len = 0u64;
    write_payload(graph, PART, &mut |bytes| {
        sum.add(bytes);
        len += bytes.len() as u64;
        out.write_all(bytes)
    })?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&sum.finish(len).to_le_bytes())
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
/// parts of `PART`; a small graph is all head. Laid out as the parts,
/// each postcard, head first, and after a large graph's relation parts
/// the entities' rows (see [`Around`]); then every part's length (u64,
/// head first); then the number of relation parts (u64). The index comes
/// last so that each part can be written as soon as it is encoded.
pub fn payload(graph: &Graph) -> Option<Vec<u8>> {
    payload_in(graph, PART)
}

fn payload_in(graph: &Graph, part: usize) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    write_payload(graph, part, &mut |b| {
        bytes.extend_from_slice(b);
        Ok(())
    })
    .ok()?;
    Some(bytes)
}

/// Hands a graph's payload to `out` piece by piece, in order: the parts,
/// encoded on all cores, then the entities' rows (a large graph's), then
/// the index.
fn write_payload(
    graph: &Graph,
    part: usize,
    out: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let large = graph.relations.len() >= super::runs::PARALLEL_FROM;
    let in_head = if large { 0 } else { graph.relations.len() };
    // None is the head.
    let mut jobs: Vec<Option<&[Relation]>> = vec![None];
    if large {
        jobs.extend(graph.relations.chunks(part).map(Some));
    }
    let mut lengths = Vec::with_capacity(jobs.len() + 1);
    // Where each relation starts in its part.
    let mut starts = Vec::with_capacity(if large { graph.relations.len() } else { 0 });
    let mut written = Ok(());
    super::runs::streamed(
        &jobs,
        |job| match job {
            None => postcard::to_allocvec(&HeadRef {
                schema: &graph.schema,
                sources: &graph.sources,
                entities: &graph.entities,
                relations: &graph.relations[..in_head],
            })
            .map(|bytes| (bytes, Vec::new())),
            Some(relations) => relation_part(relations),
        },
        |_, encoded| {
            if written.is_ok() {
                written = encoded
                    .map_err(std::io::Error::other)
                    .and_then(|(bytes, at)| {
                        lengths.push(bytes.len() as u64);
                        starts.extend(at);
                        out(&bytes)
                    });
            }
        },
    );
    written?;
    if large {
        let rows = rows_part(graph, part, &starts);
        lengths.push(rows.len() as u64);
        out(&rows)?;
    }
    out(&index(&lengths, jobs.len() as u64 - 1))
}

/// Relations as postcard writes a list of them (its length, then each in
/// turn), and where each starts: so that one can be decoded alone.
fn relation_part(relations: &[Relation]) -> postcard::Result<(Vec<u8>, Vec<u32>)> {
    let mut bytes = postcard::to_allocvec(&relations.len())?;
    let mut starts = Vec::with_capacity(relations.len());
    for r in relations {
        starts.push(u32::try_from(bytes.len()).map_err(|_| postcard::Error::SerializeBufferFull)?);
        bytes = postcard::to_extend(r, bytes)?;
    }
    Ok((bytes, starts))
}

/// The entities' rows of a large graph's entry: for each entity, the
/// relations it is an end of or a party to, so that a question about one
/// entity decodes those and no other (see [`Around`]). Little-endian
/// numbers, read in place: relations per part, entities, relations and
/// rows (u64 each); each entity's first row (u64, one more than there are
/// entities); the rows (relation numbers, u32, ascending within an
/// entity's); where each relation starts in its part (u32).
fn rows_part(graph: &Graph, part: usize, starts: &[u32]) -> Vec<u8> {
    // Each entity a relation touches, once: its ends and parties are a
    // handful, so an earlier occurrence is looked for rather than a small
    // list made and sorted for every relation, twice.
    fn touching(r: &Relation) -> impl Iterator<Item = EntityId> + '_ {
        let all = move || [r.from, r.to].into_iter().chain(r.parties());
        all()
            .enumerate()
            .filter(move |&(n, e)| !all().take(n).any(|x| x == e))
            .map(|(_, e)| e)
    }
    let mut counts = vec![0u64; graph.entities.len() + 1];
    for r in &graph.relations {
        for e in touching(r) {
            counts[e.index() + 1] += 1;
        }
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    let total = counts[graph.entities.len()] as usize;
    let mut rows = vec![0u32; total];
    let mut next = counts.clone();
    for (n, r) in graph.relations.iter().enumerate() {
        for e in touching(r) {
            rows[next[e.index()] as usize] = n as u32;
            next[e.index()] += 1;
        }
    }
    let mut bytes = Vec::with_capacity(32 + 8 * counts.len() + 4 * (total + starts.len()));
    for n in [part, graph.entities.len(), graph.relations.len(), total] {
        bytes.extend_from_slice(&(n as u64).to_le_bytes());
    }
    for n in &counts {
        bytes.extend_from_slice(&n.to_le_bytes());
    }
    for n in rows.iter().chain(starts) {
        bytes.extend_from_slice(&n.to_le_bytes());
    }
    bytes
}

/// The index that ends a payload: each part's length, then the number of
/// relation parts.
fn index(lengths: &[u64], relation_parts: u64) -> Vec<u8> {
    let mut index = Vec::with_capacity(8 * (lengths.len() + 1));
    for length in lengths {
        index.extend_from_slice(&length.to_le_bytes());
    }
    index.extend_from_slice(&relation_parts.to_le_bytes());
    index
}

/// An entry's bytes, read by position: from its file, so that a large
/// entry is never held whole beside the graph it decodes into (at ten
/// million relations it is over a gigabyte), or from memory (the built-in
/// graph's compiled form, tests).
pub trait Bytes: Sync {
    fn size(&self) -> u64;
    /// `len` bytes from `at`; `at + len` is within [`Bytes::size`].
    /// Bytes in memory are lent, not copied.
    fn read(&self, at: u64, len: usize) -> std::io::Result<Cow<'_, [u8]>>;
}

impl<B: Bytes + ?Sized> Bytes for &B {
    fn size(&self) -> u64 {
        (**self).size()
    }

    fn read(&self, at: u64, len: usize) -> std::io::Result<Cow<'_, [u8]>> {
        (**self).read(at, len)
    }
}

impl Bytes for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read(&self, at: u64, len: usize) -> std::io::Result<Cow<'_, [u8]>> {
        usize::try_from(at)
            .ok()
            .and_then(|at| self.get(at..at.checked_add(len)?))
            .map(Cow::Borrowed)
            .ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into())
    }
}

/// An entry's file, open, and its size when it was opened.
pub struct EntryFile {
    file: std::fs::File,
    size: u64,
}

impl Bytes for EntryFile {
    fn size(&self) -> u64 {
        self.size
    }

    fn read(&self, at: u64, len: usize) -> std::io::Result<Cow<'_, [u8]>> {
        let mut buf = vec![0; len];
        #[cfg(unix)]
        std::os::unix::fs::FileExt::read_exact_at(&self.file, &mut buf, at)?;
        #[cfg(not(any(unix, windows)))]
        return Err(std::io::ErrorKind::Unsupported.into());
        #[cfg(windows)]
        {
            let mut done = 0;
            while done < len {
                match std::os::windows::fs::FileExt::seek_read(
                    &self.file,
                    &mut buf[done..],
                    at + done as u64,
                )? {
                    0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                    n => done += n,
                }
            }
        }
        Ok(Cow::Owned(buf))
    }
}

/// Why a payload did not decode.
enum Undecoded {
    /// Its index does not describe it; none of it was read.
    Layout,
    /// A part could not be read or decoded (every byte was still seen).
    Part(String),
}

/// Where a payload's parts lie, as its index says.
struct Layout {
    /// Each part's start in the entry and length: the head, the relation
    /// parts, then the entities' rows when there are relation parts.
    parts: Vec<(u64, usize)>,
    /// How many relation parts.
    relation_parts: usize,
    /// The index itself.
    index: Vec<u8>,
}

/// The layout of the payload at `at .. at + len`, checked to cover it
/// exactly; reads nothing but the index.
fn layout<B: Bytes + ?Sized>(entry: &B, at: u64, len: u64) -> Result<Layout, Undecoded> {
    let read = |at: u64, n: usize| entry.read(at, n).map_err(|_| Undecoded::Layout);
    let number = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or([0xff; 8]));
    if len < 8 {
        return Err(Undecoded::Layout);
    }
    let relation_parts = number(&read(at + len - 8, 8)?);
    // The head, the relation parts and the rows, or the head alone.
    let parts = match relation_parts {
        0 => Some(1),
        n => n.checked_add(2),
    };
    let index_len = parts
        .and_then(|n| n.checked_add(1))
        .and_then(|n| n.checked_mul(8))
        .filter(|&n| n <= len)
        .ok_or(Undecoded::Layout)?;
    let parts_len = len - index_len;
    let index = read(at + parts_len, index_len as usize)?.into_owned();
    // Grown as the lengths are checked, not reserved from the count: a
    // damaged count must not reserve memory before the checksum is known.
    let mut parts = Vec::new();
    let mut offset = 0u64;
    for length in index[..index.len() - 8].chunks_exact(8).map(number) {
        let end = offset
            .checked_add(length)
            .filter(|&end| end <= parts_len)
            .ok_or(Undecoded::Layout)?;
        parts.push((at + offset, length as usize));
        offset = end;
    }
    if offset != parts_len {
        return Err(Undecoded::Layout);
    }
    Ok(Layout {
        parts,
        relation_parts: relation_parts as usize,
        index,
    })
}

/// A payload's graph, read from `entry` at `at .. at + len`: its parts
/// read and decoded on all cores and the relations appended in order as
/// each part is done (so only a few parts are held besides the graph, and
/// never the whole entry). Unless the index is broken, every byte of the
/// payload is handed to `seen` in order (for the checksum).
fn decode_payload<B: Bytes + ?Sized>(
    entry: &B,
    at: u64,
    len: u64,
    seen: &mut dyn FnMut(&[u8]),
) -> Result<Graph, Undecoded> {
    enum Decoded {
        Head(Head),
        Relations(Vec<Relation>),
        /// The entities' rows, which only [`Around`] reads.
        Rows,
    }
    let Layout {
        parts,
        relation_parts,
        index,
    } = layout(entry, at, len)?;
    let jobs: Vec<(usize, u64, usize)> = parts
        .into_iter()
        .enumerate()
        .map(|(n, (at, length))| (n, at, length))
        .collect();
    let parts_len = len - index.len() as u64;
    // Every relation part but the last holds PART relations; a relation
    // takes at least 15 bytes in postcard, which bounds what a planted
    // entry of many empty parts can make this reserve.
    let room = relation_parts
        .saturating_mul(PART)
        .min(parts_len as usize / 15);
    let mut relations: Vec<Relation> = Vec::new();
    // Only a hint: a planted entry must not abort the process with a
    // reservation the machine cannot make.
    let _ = relations.try_reserve_exact(room);
    let mut head = None;
    let mut failed = None;
    super::runs::streamed(
        &jobs,
        |&(n, at, length)| {
            let bytes = entry.read(at, length);
            let decoded = bytes.as_ref().ok().map(|part| match n {
                0 => postcard::from_bytes(part).map(Decoded::Head),
                n if n <= relation_parts => postcard::from_bytes(part).map(Decoded::Relations),
                _ => Ok(Decoded::Rows),
            });
            (bytes, decoded)
        },
        |_, (bytes, decoded)| {
            match bytes {
                Ok(bytes) => seen(&bytes),
                Err(e) => {
                    failed.get_or_insert(format!("it cannot be read: {e}"));
                }
            }
            match decoded {
                Some(Ok(Decoded::Head(h))) => head = Some(h),
                Some(Ok(Decoded::Relations(part))) if failed.is_none() => relations.extend(part),
                Some(Err(e)) => {
                    failed.get_or_insert(format!("it does not decode: {e}"));
                }
                _ => {}
            }
        },
    );
    seen(&index);
    if let Some(e) = failed {
        return Err(Undecoded::Part(e));
    }
    let Head {
        schema,
        sources,
        entities,
        relations: first,
    } = head.ok_or_else(|| Undecoded::Part("it has no head".to_string()))?;
    if relations.is_empty() {
        relations = first;
    } else if !first.is_empty() {
        return Err(Undecoded::Part(
            "its relations are in both the head and parts".to_string(),
        ));
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
    let len = payload.len() as u64;
    let mut sum = Checksum::new(key);
    sum.add(payload);
    let mut bytes = Vec::with_capacity(HEADER + payload.len() + TRAILER);
    bytes.extend_from_slice(&header(key));
    bytes.extend_from_slice(payload);
    bytes.extend_from_slice(&len.to_le_bytes());
    bytes.extend_from_slice(&sum.finish(len).to_le_bytes());
    bytes
}

/// The graph in an entry for `key`, or why it is unusable. The header is
/// checked first, then the payload is decoded part by part while its
/// checksum is taken; a checksum that does not match is named before any
/// other problem of the payload.
pub fn decode<B: Bytes + ?Sized>(key: &Key, entry: &B) -> Result<Graph, String> {
    let graph = unframe(key, entry)?;
    consistent(&graph).map_err(|e| format!("it is inconsistent: {e}"))?;
    Ok(graph)
}

/// [`decode`] without the graph's consistency check: the header, the
/// checksum and the payload.
fn unframe<B: Bytes + ?Sized>(key: &Key, entry: &B) -> Result<Graph, String> {
    let unreadable = |e: std::io::Error| format!("it cannot be read: {e}");
    let (len, trailer) = framed(key, entry)?;
    let mut sum = Checksum::new(key.content);
    let decoded = decode_payload(entry, HEADER as u64, len, &mut |bytes| sum.add(bytes));
    if let Err(Undecoded::Layout) = decoded {
        // Nothing was seen: take the checksum of the payload as it lies,
        // to tell damage from a payload written wrong.
        sum = summed(key, entry, len).map_err(unreadable)?;
    }
    if sum.finish(len).to_le_bytes()[..] != trailer[8..] {
        return Err("its checksum does not match: it is damaged".to_string());
    }
    decoded.map_err(|e| match e {
        Undecoded::Layout => "its parts are not laid out as they should be".to_string(),
        Undecoded::Part(why) => why,
    })
}

/// An entry's header checked against `key`, and its payload's length
/// checked against its trailer: the payload's length and the trailer.
fn framed<B: Bytes + ?Sized>(key: &Key, entry: &B) -> Result<(u64, Vec<u8>), String> {
    let unreadable = |e: std::io::Error| format!("it cannot be read: {e}");
    let size = entry.size();
    let Some(len) = size.checked_sub((HEADER + TRAILER) as u64) else {
        return Err("it is shorter than its header".to_string());
    };
    let head = entry.read(0, HEADER).map_err(unreadable)?;
    if head[..16] != MAGIC[..] {
        return Err("it is not a linkchart cache entry".to_string());
    }
    if head[16..20] != FORMAT.to_le_bytes() {
        return Err("it was written by another version of linkchart".to_string());
    }
    if head[20..] != key.content.to_le_bytes() {
        return Err("it holds another graph than its name says".to_string());
    }
    let trailer = entry
        .read(HEADER as u64 + len, TRAILER)
        .map_err(unreadable)?;
    if trailer[..8] != len.to_le_bytes() {
        return Err("its length is wrong (truncated?)".to_string());
    }
    Ok((len, trailer.into_owned()))
}

/// The checksum of the payload of `len` bytes as it lies, read a
/// megabyte at a time.
fn summed<B: Bytes + ?Sized>(key: &Key, entry: &B, len: u64) -> std::io::Result<Checksum> {
    let mut sum = Checksum::new(key.content);
    for at in (0..len).step_by(1 << 20) {
        let n = (len - at).min(1 << 20) as usize;
        sum.add(&entry.read(HEADER as u64 + at, n)?);
    }
    Ok(sum)
}

/// A large graph's entry opened for a question about one entity (`show`):
/// every byte's checksum taken and the head (schema, sources, every
/// entity) decoded and checked as [`decode`] does, but of the relations
/// only those the entity is an end of or a party to are decoded, found
/// through the entities' rows (written after the relation parts) when
/// [`Around::take`] is told which entity. At a million relations a whole cached load decodes
/// a quarter of a gigabyte of relations, most of the time of a `show`;
/// this reads the entry once and decodes the head and a few relations.
///
/// The relations taken are checked as the whole graph's are: their ends
/// in range, their order, and their ids numbered as the loader numbers
/// them. That holds for the few taken because every relation between the
/// same ends is among them (it touches the same entity), so the numbering
/// runs are whole. Whether the rows name every relation that touches the
/// entity is not checked here (it would take decoding them all): the
/// checksum guards against damage, and whoever can write a checksummed
/// entry can also write the graph's files.
pub struct Around<B> {
    entry: B,
    rows: Rows,
    /// Each relation part's start in the entry and length.
    parts: Vec<(u64, usize)>,
}

/// The entities' rows of an entry, read in place (see [`rows_part`]).
struct Rows {
    part: usize,
    relations: usize,
    /// Each entity's first row, and one past the last entity's.
    firsts: Vec<u64>,
    rows: Vec<u32>,
    /// Where each relation starts in its part.
    starts: Vec<u32>,
}

impl Rows {
    /// The rows as written for `entities` entities and a payload of
    /// `parts` relation parts, or why they are not.
    fn read(bytes: &[u8], entities: usize, parts: usize) -> Result<Rows, String> {
        let bad = || "its entities' rows are not laid out as they should be".to_string();
        let number = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
        };
        let [part, n, relations, total] =
            [0, 8, 16, 24].map(|at| number(at).and_then(|n| usize::try_from(n).ok()));
        let (Some(part), Some(n), Some(relations), Some(total)) = (part, n, relations, total)
        else {
            return Err(bad());
        };
        let expected = n
            .checked_add(1)
            .and_then(|f| f.checked_mul(8))
            .and_then(|f| f.checked_add(total.checked_add(relations)?.checked_mul(4)?))
            .and_then(|b| b.checked_add(32));
        if n != entities
            || part == 0
            || relations.div_ceil(part) != parts
            || expected != Some(bytes.len())
        {
            return Err(bad());
        }
        let words = |at: usize, count: usize| {
            bytes[at..at + 4 * count]
                .chunks_exact(4)
                .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        };
        let firsts: Vec<u64> = bytes[32..32 + 8 * (n + 1)]
            .chunks_exact(8)
            .map(|w| u64::from_le_bytes(w.try_into().unwrap_or([0xff; 8])))
            .collect();
        let rows_at = 32 + 8 * (n + 1);
        let rows: Vec<u32> = words(rows_at, total).collect();
        let starts: Vec<u32> = words(rows_at + 4 * total, relations).collect();
        let in_order = firsts.first() == Some(&0)
            && firsts.last() == Some(&(total as u64))
            && firsts.windows(2).all(|w| w[0] <= w[1]);
        if !in_order || rows.iter().any(|&r| r as usize >= relations) {
            return Err(bad());
        }
        Ok(Rows {
            part,
            relations,
            firsts,
            rows,
            starts,
        })
    }
}

/// A large graph's entry for `key` opened as [`Around`] describes, with
/// the graph of its head (every entity, no relation); `None` for an entry
/// of a small graph, which has no rows (it is decoded whole), or the
/// reason the entry is unusable.
pub fn around<B: Bytes>(key: &Key, entry: B) -> Result<Option<(Graph, Around<B>)>, String> {
    let unreadable = |e: std::io::Error| format!("it cannot be read: {e}");
    let laid_wrong = || "its parts are not laid out as they should be".to_string();
    let (len, trailer) = framed(key, &entry)?;
    let Layout {
        parts,
        relation_parts,
        ..
    } = layout(&entry, HEADER as u64, len).map_err(|_| laid_wrong())?;
    if relation_parts == 0 {
        return Ok(None);
    }
    let (head_at, head_len) = parts[0];
    let (rows_at, rows_len) = parts[parts.len() - 1];
    // The checksum on one core (the payload read a megabyte at a time),
    // the head and the rows decoded on another.
    let (sum, head) = std::thread::scope(|s| {
        let sum = s.spawn(|| summed(key, &entry, len));
        let head = (|| -> Result<(Head, Vec<u8>), String> {
            let bytes = entry.read(head_at, head_len).map_err(unreadable)?;
            let head: Head =
                postcard::from_bytes(&bytes).map_err(|e| format!("it does not decode: {e}"))?;
            let rows = entry.read(rows_at, rows_len).map_err(unreadable)?;
            Ok((head, rows.into_owned()))
        })();
        let sum = sum.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (sum, head)
    });
    if sum.map_err(unreadable)?.finish(len).to_le_bytes()[..] != trailer[8..] {
        return Err("its checksum does not match: it is damaged".to_string());
    }
    let (head, rows) = head?;
    if !head.relations.is_empty() {
        return Err("its relations are in both the head and parts".to_string());
    }
    let graph = Graph {
        schema: head.schema,
        sources: head.sources,
        entities: head.entities,
        relations: Vec::new(),
    };
    consistent(&graph).map_err(|e| format!("it is inconsistent: {e}"))?;
    let rows = Rows::read(&rows, graph.entities.len(), relation_parts)?;
    let parts = parts[1..=relation_parts].to_vec();
    Ok(Some((graph, Around { entry, rows, parts })))
}

impl<B: Bytes> Around<B> {
    /// `graph` (the head's, as [`around`] gave it) with the relations
    /// `entity` is an end of or a party to, in order and checked; or why
    /// they cannot be had.
    pub fn take(&self, mut graph: Graph, entity: EntityId) -> Result<Graph, String> {
        let rows = &self.rows;
        let bad = |what: &str| format!("its entities' rows {what}");
        let e = entity.index();
        let (Some(&first), Some(&end)) = (rows.firsts.get(e), rows.firsts.get(e + 1)) else {
            return Err(bad("do not hold the entity"));
        };
        let taken = &rows.rows[first as usize..end as usize];
        if !taken.windows(2).all(|w| w[0] < w[1]) {
            return Err(bad("are out of order"));
        }
        let mut relations = Vec::with_capacity(taken.len());
        for &r in taken {
            let r = r as usize;
            let p = r / rows.part;
            let (at, length) = self.parts[p];
            let start = rows.starts[r] as usize;
            let end = match r + 1 {
                next if next < rows.relations && next / rows.part == p => {
                    rows.starts[next] as usize
                }
                _ => length,
            };
            if start >= end || end > length {
                return Err(bad("point outside their parts"));
            }
            let bytes = self
                .entry
                .read(at + start as u64, end - start)
                .map_err(|e| format!("it cannot be read: {e}"))?;
            // Decoded as a list of one (its length, 1, in front), through
            // the code that decodes the parts' lists: one caller of the
            // relation decoder, which the compiler inlines there (it is
            // most of a cached load's work).
            let mut one = Vec::with_capacity(bytes.len() + 1);
            one.push(1);
            one.extend_from_slice(&bytes);
            let relation = match postcard::take_from_bytes::<Vec<Relation>>(&one) {
                Ok((mut list, [])) if list.len() == 1 => list.swap_remove(0),
                _ => return Err(bad("point at no relation")),
            };
            if relation.other_end(entity).is_none() && !relation.parties().any(|p| p == entity) {
                return Err(bad("name a relation that does not touch the entity"));
            }
            relations.push(relation);
        }
        graph.relations = relations;
        Relations::of(&graph)
            .and_then(|scope| scope.taken(entity))
            .map_err(|e| format!("it is inconsistent: {e}"))?;
        Ok(graph)
    }
}

/// The built-in graph from its compiled form, `src/load/builtin.bin`
/// (written by `cargo run --example builtin`), built into the binary:
/// `None` when there is none or it is not the form of the files built in
/// beside it (edited since), which are then loaded as any graph is.
///
/// Its key is the built-in files' key, so it is only ever the graph those
/// files load to; a test holds it byte for byte equal to the entry of the
/// graph the loader makes of them. The consistency check a cache entry
/// needs is therefore not taken: these bytes are part of the program, as
/// trusted as its code, and nobody else can write them. The checksum still
/// is, against a damaged build.
pub fn built_in() -> Option<Graph> {
    built_from(super::read::BUILT)
}

/// Whether the binary holds a compiled form of its built-in files (its
/// header names their key): their load needs no cache entry then.
pub fn has_built_in() -> bool {
    let bytes = super::read::BUILT;
    bytes.len() >= HEADER && bytes[..HEADER] == header(embedded_key().content)
}

fn built_from(bytes: &[u8]) -> Option<Graph> {
    if bytes.is_empty() {
        return None;
    }
    unframe(&embedded_key(), bytes).ok()
}

/// The compiled form of the built-in graph: its cache entry under its key.
pub fn built_entry(graph: &Graph) -> Option<Vec<u8>> {
    Some(frame(embedded_key().content, &payload(graph)?))
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

/// Every entity's id, one after the other in one text: what a relation's
/// id is checked against. Read from the entities themselves, a relation's
/// far end was a cache miss in a list of 50 MB at a million relations (a
/// tenth of a cached start); this is a few megabytes.
struct Ids {
    text: String,
    ends: Vec<u32>,
}

impl Ids {
    /// `None` past four gigabytes of ids.
    fn of(entities: &[crate::model::Entity]) -> Option<Ids> {
        let mut ids = Ids {
            text: String::new(),
            ends: Vec::with_capacity(entities.len() + 1),
        };
        ids.ends.push(0);
        for e in entities {
            ids.text.push_str(&e.id);
            ids.ends.push(u32::try_from(ids.text.len()).ok()?);
        }
        Some(ids)
    }

    /// The id of an entity in range.
    fn of_entity(&self, e: EntityId) -> &str {
        &self.text[self.ends[e.index()] as usize..self.ends[e.index() + 1] as usize]
    }
}

/// What follows `from/type/to` in a relation's id, if it starts so.
fn id_rest<'g>(ids: &Ids, r: &'g Relation) -> Option<&'g str> {
    r.id.strip_prefix(ids.of_entity(r.from))?
        .strip_prefix('/')?
        .strip_prefix(r.rel_type.as_str())?
        .strip_prefix('/')?
        .strip_prefix(ids.of_entity(r.to))
}

/// Checks everything the loader guarantees about a graph that the rest of
/// linkchart relies on.
pub fn consistent(g: &Graph) -> Result<(), String> {
    let scope = Relations::of(g)?;
    let n = g.entities.len();
    // Entities, then relations, in runs on all cores together; the first
    // run's error is the one reported, as one thread would.
    let jobs: Vec<Run> = (super::runs::runs(n).into_iter().map(Run::Entities))
        .chain(
            super::runs::runs(g.relations.len())
                .into_iter()
                .map(Run::Relations),
        )
        .collect();
    let check = |run| match run {
        Run::Entities(run) => entities_ok(g, run, &text_ok),
        Run::Relations(run) => scope.check(run, &text_ok),
    };
    if n + g.relations.len() < super::runs::PARALLEL_FROM {
        return jobs.into_iter().try_for_each(check);
    }
    super::runs::in_order(jobs, check).into_iter().collect()
}

/// A text with no character the graph forbids in it (see [`crate::text`]).
fn text_ok(what: &str, s: &str, lines: bool) -> Result<(), String> {
    match first_forbidden(s, lines) {
        Some((_, c)) => Err(format!("{what} holds {}", crate::text::describe(c))),
        None => Ok(()),
    }
}

/// A run of entities or relations to check.
enum Run {
    Entities(std::ops::Range<usize>),
    Relations(std::ops::Range<usize>),
}

/// The entities in `run`, in order; the first problem.
fn entities_ok(g: &Graph, run: std::ops::Range<usize>, text: &TextCheck) -> Result<(), String> {
    for i in run {
        let e = &g.entities[i];
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
        props_ok(&e.props, text)?;
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
    ids: Ids,
    known_types: foldhash::HashSet<&'g str>,
    sections: foldhash::HashSet<(&'g str, &'g str)>,
}

type TextCheck = dyn Fn(&str, &str, bool) -> Result<(), String> + Sync;

impl<'g> Relations<'g> {
    /// The schema and the sources checked, and what the relations are
    /// checked against.
    fn of(g: &'g Graph) -> Result<Relations<'g>, String> {
        for (key, kind) in &g.schema.kinds {
            if !is_slug(key) {
                return Err(format!("kind {key:?} is not a slug"));
            }
            text_ok("a kind's label", &kind.label, true)?;
            text_ok("a kind's shape", &kind.shape, false)?;
            text_ok("a kind's colour", &kind.color, false)?;
        }
        for (key, t) in &g.schema.relation_types {
            if !is_slug(key) || key == "accused-by" {
                return Err(format!("relation type {key:?} is not allowed"));
            }
            text_ok("a type's label", &t.label, true)?;
            text_ok("a type's inverse", &t.inverse, true)?;
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
            text_ok("a source id", &s.id, false)?;
            text_ok("a source's title", &s.title, true)?;
            text_ok("a source's kind", &s.kind, false)?;
            for v in s.file.iter().chain(&s.url) {
                text_ok("a source's location", v, false)?;
            }
            for section in &s.sections {
                text_ok("a section id", &section.id, false)?;
                text_ok("a section title", &section.title, true)?;
            }
        }
        let n = g.entities.len();
        if n > u32::MAX as usize || g.relations.len() > u32::MAX as usize {
            return Err("too many records".to_string());
        }
        let known_types: foldhash::HashSet<&str> =
            g.schema.relation_types.keys().map(String::as_str).collect();
        let sections: foldhash::HashSet<(&str, &str)> = g
            .sources
            .iter()
            .flat_map(|s| s.sections.iter().map(|x| (s.id.as_str(), x.id.as_str())))
            .collect();
        Ok(Relations {
            g,
            ids: Ids::of(&g.entities).ok_or("the entities' ids are too long")?,
            known_types,
            sections,
        })
    }

    /// The relations in `run`, in order; the first problem.
    fn check(&self, run: std::ops::Range<usize>, text: &TextCheck) -> Result<(), String> {
        let g = self.g;
        let start = run.start;
        // The number the previous relation's id carries, once checked.
        let mut previous = None;
        for i in run {
            let r = &g.relations[i];
            self.in_range(r)?;
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
                    id_rest(&self.ids, p).and_then(id_number)
                } else {
                    previous
                }
                .map(|k| k + 1),
                _ => Some(1),
            };
            if number.is_none() || id_rest(&self.ids, r).and_then(id_number) != number {
                return Err(format!("relation id {:?} is not what its ends make", r.id));
            }
            previous = number;
            self.fields(r, text)?;
        }
        Ok(())
    }

    /// The relations [`Around::take`] took for `entity`, checked as
    /// [`Relations::check`] checks a run, but for their numbering: that
    /// is checked in full only among those `entity` is an end of (every
    /// relation between the same ends is among them, so each numbering
    /// runs whole from 1); a claim it is only a party to may be the third
    /// of its ends and type, the first two not taken, so its id is only
    /// checked to carry a number as the loader writes them.
    fn taken(&self, entity: EntityId) -> Result<(), String> {
        let g = self.g;
        let mut previous: Option<(&Relation, u32)> = None;
        for (i, r) in g.relations.iter().enumerate() {
            self.in_range(r)?;
            if i > 0 && triple(&g.relations[i - 1]) > triple(r) {
                return Err(format!("relation {:?} is out of order", r.id));
            }
            let number = id_rest(&self.ids, r).and_then(id_number);
            let is_end = r.other_end(entity).is_some();
            let expected = match previous {
                _ if !is_end => number,
                Some((p, k)) if triple(p) == triple(r) => Some(k + 1),
                _ => Some(1),
            };
            match number {
                Some(k) if number == expected => {
                    if is_end {
                        previous = Some((r, k));
                    }
                }
                _ => return Err(format!("relation id {:?} is not what its ends make", r.id)),
            }
            self.fields(r, &text_ok)?;
        }
        Ok(())
    }

    /// Whether `r`'s ends and parties are entities of the graph.
    fn in_range(&self, r: &Relation) -> Result<(), String> {
        let n = self.g.entities.len();
        let in_range = |i: &EntityId| i.index() < n;
        if !in_range(&r.from)
            || !in_range(&r.to)
            || !r.parties().all(|i| in_range(&i))
            || !r.retracted_by.iter().all(in_range)
        {
            return Err(format!("relation {:?} points past the entities", r.id));
        }
        Ok(())
    }

    /// Everything about `r` but its place among the others: its type,
    /// claimants and contesting parties, source, time, note, weight and
    /// attributes.
    fn fields(&self, r: &Relation, text: &TextCheck) -> Result<(), String> {
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
    use super::{
        HeadRef, Key, Undecoded, around, consistent, decode_payload, frame, index, payload,
        payload_in, relation_part, rows_part,
    };
    use crate::model::fixture::{person, relation};
    use crate::model::{
        Entity, EntityId, Graph, KindDef, Relation, RelationTypeDef, Schema, Section, Source,
        Status,
    };

    /// A file hashed a megabyte at a time is its text hashed whole, without
    /// a byte order mark at its start only, whatever its length.
    #[test]
    fn a_file_hashed_in_pieces_is_its_text_hashed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mark = "\u{feff}".as_bytes();
        let long: Vec<u8> = (0..(3 << 20) + 5).map(|i| (i * 7 % 251) as u8).collect();
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            b"a".to_vec(),
            mark[..2].to_vec(),
            mark.to_vec(),
            [mark, b"x"].concat(),
            [b"x", mark].concat(),
            long[..1 << 20].to_vec(),
            [mark, &long[..1 << 20]].concat(),
            long.clone(),
            [mark, &long[..]].concat(),
        ];
        for (i, bytes) in cases.iter().enumerate() {
            let path = dir.path().join(format!("{i}.ron"));
            std::fs::write(&path, bytes).unwrap();
            let text = bytes.strip_prefix(mark).unwrap_or(bytes);
            assert_eq!(
                super::hash_file(&path).unwrap(),
                (text.len() as u64, xxhash_rust::xxh3::xxh3_128(text)),
                "case {i}"
            );
        }
    }

    /// The compiled form built into the binary is what the loader makes of
    /// the built-in files today, byte for byte, and it is used.
    #[test]
    fn the_compiled_built_in_graph_is_the_built_in_files_loaded() {
        let loaded = crate::load::load(crate::load::embedded_inputs()).unwrap();
        assert!(loaded.warnings.is_empty());
        let want = super::built_entry(&loaded.graph).unwrap();
        assert!(
            crate::load::read::BUILT == want.as_slice(),
            "src/load/builtin.bin is not the compiled form of graph/ \
             (edited since?): run `cargo run --example builtin`"
        );
        assert!(super::has_built_in());
        assert_eq!(super::built_in().as_ref(), Some(&loaded.graph));
    }

    /// A compiled form of other files, another format or damaged is not
    /// used: the files are loaded instead.
    #[test]
    fn a_compiled_form_that_is_not_the_built_in_graph_is_passed_over() {
        let loaded = crate::load::load(crate::load::embedded_inputs()).unwrap();
        let good = super::built_entry(&loaded.graph).unwrap();
        assert!(super::built_from(&good).is_some());
        assert!(super::built_from(&[]).is_none());
        let other = super::frame(1, &payload(&loaded.graph).unwrap());
        assert!(super::built_from(&other).is_none(), "another key");
        for at in [17, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 1;
            assert!(super::built_from(&bad).is_none(), "byte {at} flipped");
        }
        assert!(super::built_from(&good[..good.len() - 1]).is_none());
    }

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
    fn listed_files_hashed_file_by_file_key_as_their_text_does() {
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

    /// Parts, head first, as a payload: see [`super::payload`]. More than
    /// one part: the last is the entities' rows.
    fn lay_out(parts: &[Vec<u8>]) -> Vec<u8> {
        let lengths: Vec<u64> = parts.iter().map(|p| p.len() as u64).collect();
        let mut out = parts.concat();
        out.extend_from_slice(&index(&lengths, parts.len().saturating_sub(2) as u64));
        out
    }

    /// A payload's graph, or whether its layout or a part was wrong.
    fn decoded(bytes: &[u8]) -> Result<Graph, &'static str> {
        let mut seen = Vec::new();
        let graph = decode_payload(bytes, 0, bytes.len() as u64, &mut |b| {
            seen.extend_from_slice(b)
        });
        match graph {
            Err(Undecoded::Layout) => Err("layout"),
            other => {
                assert_eq!(seen, bytes, "every byte is seen, in order");
                other.map_err(|_| "part")
            }
        }
    }

    /// The number of relation parts a payload says it has.
    fn relation_parts(bytes: &[u8]) -> u64 {
        u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().unwrap())
    }

    #[test]
    fn a_graph_comes_back_whole_from_its_parts() {
        let g = big();
        for (bytes, parts) in [
            (payload(&g).unwrap(), 2),
            (payload_in(&g, 1_000).unwrap(), 26),
            (payload_in(&g, 24_999).unwrap(), 3),
        ] {
            assert_eq!(relation_parts(&bytes) + 1, parts);
            assert!(decoded(&bytes).unwrap() == g, "{parts} parts");
        }
        let mut small = g.clone();
        small.relations.truncate(500);
        let bytes = payload(&small).unwrap();
        assert_eq!(relation_parts(&bytes), 0, "a small graph is all head");
        assert!(decoded(&bytes).unwrap() == small);
        // The payload written piece by piece is the parts laid out whole:
        // a relation part is the list as postcard writes it, and where each
        // relation starts in it is where it decodes alone.
        let (first, first_starts) = relation_part(&g.relations[..24_999]).unwrap();
        let (second, second_starts) = relation_part(&g.relations[24_999..]).unwrap();
        assert_eq!(
            first,
            postcard::to_allocvec(&g.relations[..24_999]).unwrap()
        );
        assert_eq!(
            second,
            postcard::to_allocvec(&g.relations[24_999..]).unwrap()
        );
        for (n, &at) in first_starts.iter().enumerate().step_by(997) {
            let (r, _) = postcard::take_from_bytes::<Relation>(&first[at as usize..]).unwrap();
            assert!(r == g.relations[n]);
        }
        let starts = [first_starts, second_starts].concat();
        let parts = vec![
            postcard::to_allocvec(&HeadRef {
                schema: &g.schema,
                sources: &g.sources,
                entities: &g.entities,
                relations: &[],
            })
            .unwrap(),
            first,
            second,
            rows_part(&g, 24_999, &starts),
        ];
        assert_eq!(payload_in(&g, 24_999).unwrap(), lay_out(&parts));
    }

    #[test]
    fn a_payload_whose_parts_do_not_add_up_is_refused_without_a_panic() {
        let g = big();
        let good = payload_in(&g, 5_000).unwrap();
        // Five relation parts: seven lengths (the head and the rows too),
        // then their number.
        let index = good.len() - 8 * 8;
        let number = |n: u64| n.to_le_bytes();
        let with = |at: usize, n: u64| {
            let mut bad = good.clone();
            bad[at..at + 8].copy_from_slice(&number(n));
            bad
        };
        let mut longer = vec![0];
        longer.extend_from_slice(&good);
        let mut gap = good.clone();
        gap.remove(good.len() / 2);
        let head_only = postcard::to_allocvec(&HeadRef {
            schema: &g.schema,
            sources: &g.sources,
            entities: &g.entities,
            relations: &g.relations[..10],
        })
        .unwrap();
        let part = postcard::to_allocvec(&g.relations[10..20]).unwrap();
        let cases = [
            ("empty", Vec::new(), "layout"),
            ("only its index", good[index..].to_vec(), "layout"),
            ("cut at the end", good[..good.len() - 1].to_vec(), "layout"),
            ("a byte missing in its parts", gap, "layout"),
            ("a byte more in front", longer, "layout"),
            (
                "parts beyond counting",
                with(good.len() - 8, u64::MAX),
                "layout",
            ),
            (
                "a part longer than the payload",
                with(index, u64::MAX),
                "layout",
            ),
            (
                "one part fewer than laid out",
                with(good.len() - 8, 4),
                "layout",
            ),
            (
                "a relation part where the head goes",
                lay_out(&[part.clone(), head_only.clone(), Vec::new()]),
                "part",
            ),
            (
                "a million empty parts",
                lay_out(&vec![Vec::new(); 1_000_000]),
                "part",
            ),
            (
                "relations in the head and in parts",
                lay_out(&[head_only, part, Vec::new()]),
                "part",
            ),
        ];
        for (what, bytes, why) in cases {
            assert_eq!(decoded(&bytes).err(), Some(why), "{what}");
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

        // Entities are checked in runs beside the relations' and come
        // first: with a problem in the last entity and one in the first
        // relation, the entity's is named.
        let mut crowded = g.clone();
        crowded
            .entities
            .extend((0..30_000).map(|i| person(&format!("f{i:05}"))));
        assert_eq!(consistent(&crowded), Ok(()));
        let mut late_entity = crowded.clone();
        late_entity.entities.last_mut().unwrap().name = "Bell \u{7}".into();
        late_entity.relations[0].weight = Some(-1.0);
        let err = consistent(&late_entity).unwrap_err();
        assert!(err.contains("a name holds"), "{err}");
        for at in [15_100, 15_200, 15_201, 15_300] {
            let mut swapped = crowded.clone();
            swapped.entities.swap(at - 1, at);
            let err = consistent(&swapped).unwrap_err();
            assert!(err.contains("out of order"), "swap at {at}: {err}");
        }

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

    /// [`big`] with claims whose claimant is not an end: every seventh
    /// relation, so a claimant is a party to the third relation of some
    /// ends and type but not to the first two.
    fn with_claims() -> Graph {
        let mut g = big();
        for (n, r) in g.relations.iter_mut().enumerate() {
            if n % 7 == 3 {
                r.status = Status::Alleged;
                r.claimed_by = vec![EntityId((n * 13 % 200) as u32)].into();
            }
        }
        g
    }

    /// The relations of `g` that `e` is an end of or a party to.
    fn touching(g: &Graph, e: EntityId) -> Vec<&Relation> {
        g.relations
            .iter()
            .filter(|r| r.other_end(e).is_some() || r.parties().any(|p| p == e))
            .collect()
    }

    #[test]
    fn around_takes_exactly_the_relations_an_entity_touches() {
        let g = with_claims();
        assert_eq!(consistent(&g), Ok(()));
        let key = Key {
            source: 0,
            content: 9,
        };
        let entry = frame(9, &payload_in(&g, 5_000).unwrap());
        let mut parties_only = 0;
        for e in g
            .entities
            .iter()
            .enumerate()
            .map(|(n, _)| EntityId(n as u32))
        {
            let (head, taking) = around(&key, entry.as_slice()).unwrap().unwrap();
            assert!(head.relations.is_empty());
            assert!(head.entities == g.entities && head.schema == g.schema);
            let taken = taking.take(head, e).unwrap();
            let want = touching(&g, e);
            assert!(taken.relations.iter().eq(want.iter().copied()), "{e:?}");
            parties_only += want.iter().filter(|r| r.other_end(e).is_none()).count();
        }
        assert!(parties_only > 100, "{parties_only}");
        // A small graph's entry has no rows: it is decoded whole.
        let mut small = g.clone();
        small.relations.truncate(500);
        assert!(
            around(&key, frame(9, &payload(&small).unwrap()).as_slice())
                .unwrap()
                .is_none()
        );
        // Another key, a flipped byte: refused.
        assert!(
            around(
                &Key {
                    source: 0,
                    content: 8
                },
                entry.as_slice()
            )
            .is_err()
        );
        for at in [40, entry.len() / 3, entry.len() - 60] {
            let mut bad = entry.clone();
            bad[at] ^= 4;
            assert!(around(&key, bad.as_slice()).is_err(), "byte {at}");
        }
    }

    /// Rows planted in an entry with a checksum that matches are refused,
    /// never a panic: rows out of their entity's order or naming another
    /// relation, starts that point elsewhere, counts that do not add up.
    #[test]
    fn planted_rows_are_refused_without_a_panic() {
        let g = with_claims();
        let key = Key {
            source: 0,
            content: 9,
        };
        let good = payload_in(&g, 5_000).unwrap();
        // The rows part: the last before the index (five relation parts,
        // so seven lengths and their number).
        let word = |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
        let rows_len = word(&good, good.len() - 16) as usize;
        let rows_at = good.len() - 64 - rows_len;
        let n = g.entities.len();
        let row = |k: usize| rows_at + 32 + 8 * (n + 1) + 4 * k;
        let start = |r: usize| row(word(&good, rows_at + 24) as usize) + 4 * r;
        let planted = |at: usize, bytes: &[u8]| {
            let mut bad = good.clone();
            bad[at..at + bytes.len()].copy_from_slice(bytes);
            frame(9, &bad)
        };
        // Entity 0's last row made the last relation, which it does not
        // touch: still in order.
        let last_of_e0 = word(&good, rows_at + 32 + 8) as usize - 1;
        let last = g.relations.len() - 1;
        assert!(
            touching(&g, EntityId(0))
                .iter()
                .all(|r| !std::ptr::eq(*r, &g.relations[last]))
        );
        let (laid, outside) = ("not laid out", "outside their parts");
        let cases = [
            (
                "a row naming a relation past the last",
                planted(row(0), &u32::MAX.to_le_bytes()),
                laid,
            ),
            (
                "a row naming an untouched relation",
                planted(row(last_of_e0), &(last as u32).to_le_bytes()),
                "does not touch",
            ),
            (
                "rows out of order",
                {
                    let mut bad = good.clone();
                    bad[row(0)..row(0) + 4].copy_from_slice(&good[row(1)..row(1) + 4]);
                    bad[row(1)..row(1) + 4].copy_from_slice(&good[row(0)..row(0) + 4]);
                    frame(9, &bad)
                },
                "out of order",
            ),
            (
                "a start inside another relation",
                planted(start(1), &7u32.to_le_bytes()),
                "no relation",
            ),
            (
                "a start past its part",
                planted(start(1), &u32::MAX.to_le_bytes()),
                outside,
            ),
            (
                "an entity's first row past the rows",
                planted(rows_at + 40, &u64::MAX.to_le_bytes()),
                laid,
            ),
            (
                "firsts going back",
                planted(rows_at + 48, &0u64.to_le_bytes()),
                laid,
            ),
            (
                "another part size",
                planted(rows_at, &4_999u64.to_le_bytes()),
                laid,
            ),
            (
                "more entities than the head",
                planted(rows_at + 8, &201u64.to_le_bytes()),
                laid,
            ),
            (
                "more rows than there are",
                planted(rows_at + 24, &u64::MAX.to_le_bytes()),
                laid,
            ),
        ];
        assert!(last_of_e0 > 0);
        for (what, entry, why) in cases {
            let result = std::panic::catch_unwind(|| {
                let (head, taking) = around(&key, entry.as_slice())?.ok_or("no rows")?;
                (0..n as u32)
                    .try_for_each(|e| taking_one(&taking, &head, EntityId(e)))
                    .map_err(|e| e.to_string())
            });
            match result {
                Ok(outcome) => {
                    let err = outcome.expect_err(what);
                    assert!(err.contains(why), "{what}: {err}");
                }
                Err(_) => panic!("{what}: panicked"),
            }
        }
    }

    /// One entity taken from a fresh copy of the head.
    fn taking_one<B: super::Bytes>(
        taking: &super::Around<B>,
        head: &Graph,
        e: EntityId,
    ) -> Result<(), String> {
        taking.take(head.clone(), e).map(|_| ())
    }
}
