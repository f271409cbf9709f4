//! What a command produced and where it goes: [`Output`] holds the text for
//! stdout and the notes for stderr; [`Output::deliver`] sends a document to
//! stdout or, atomically, to a file; [`write_atomic`] is the one way
//! linkchart writes files.
//!
//! What `-o PATH` does, like a careful shell redirection:
//! - only a regular file is written: an existing directory, device, named
//!   pipe or socket at PATH is refused (exit 2), never replaced;
//! - an existing file the user may not write (a read-only file, as `>` in a
//!   shell would refuse) is refused; a file that is replaced keeps its
//!   permissions; a new file gets 0666 less the umask, as the shell gives;
//! - a symbolic link is followed, as the shell does: the file it points to
//!   is replaced and the link is kept; a link to nothing is refused;
//! - the new content goes to a temporary file beside the target, named
//!   `.linkchart-tmp-PID-…`, which is renamed over the target only when it
//!   is complete, so readers see the old file or the whole new one. On an
//!   error, or SIGINT, SIGTERM or SIGHUP, the temporary file is removed;
//!   one left by a killed run (`kill -9`) is removed by the next run that
//!   writes into the same directory, once no process has its PID.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

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

/// How every temporary file and directory linkchart makes is named, followed
/// by the process id and a dash.
pub const TEMP_PREFIX: &str = ".linkchart-tmp-";

/// Temporary files of this process, removed if a signal ends it.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

fn remove_path(path: &Path) {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        let _ = std::fs::remove_dir_all(path);
    } else {
        let _ = std::fs::remove_file(path);
    }
}

/// Starts, once, a thread that removes this process's temporary files when
/// SIGINT, SIGTERM or SIGHUP arrives and then lets the signal end the
/// process as it would have. (A signal handler itself may not take locks or
/// allocate; signal-hook hands the signal to an ordinary thread.)
fn watch_signals() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        for path in pending().drain(..) {
                            remove_path(&path);
                        }
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                        std::process::exit(128 + signal);
                    }
                });
            }
        }
    });
}

/// Marks a temporary path for removal if a signal ends the process.
pub fn track_temporary(path: &Path) {
    watch_signals();
    pending().push(path.to_path_buf());
}

/// The path is no longer temporary (renamed into place, or removed).
pub fn untrack_temporary(path: &Path) {
    pending().retain(|p| p != path);
}

/// A builder for temporary files and directories with linkchart's
/// recognisable names.
pub fn temporary() -> tempfile::Builder<'static, 'static> {
    static PREFIX: OnceLock<String> = OnceLock::new();
    let prefix = PREFIX.get_or_init(|| format!("{TEMP_PREFIX}{}-", std::process::id()));
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix.as_str());
    builder
}

/// Whether a process with this id exists.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 only checks that the process exists.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Removes temporary files and directories that runs which no longer exist
/// left in `dir` (a run killed with SIGKILL cannot clean up after itself).
pub fn remove_stale_temporaries(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
                continue;
            };
            let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
                continue;
            };
            let ours = entry.metadata().is_ok_and(|m| m.uid() == me);
            if ours && pid != std::process::id() && !alive(pid) {
                remove_path(&entry.path());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Writes `bytes` as `target` in `dir` through a temporary file renamed into
/// place, with permissions `mode` (on Unix). The core of every file write.
pub fn replace_file(dir: &Path, target: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    replace_file_with(dir, target, mode, |out| out.write_all(bytes))
}

/// [`replace_file`] for content made as it is written: `write` writes into
/// the temporary file (buffered) and the file takes `target`'s place only if
/// it succeeds.
pub fn replace_file_with(
    dir: &Path,
    target: &Path,
    mode: u32,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    prepare(dir, target, mode, write)?.commit()
}

/// A complete file beside its target, not yet in its place. Dropped
/// without [`Pending::commit`], it is removed.
pub struct Pending {
    tmp: Option<tempfile::NamedTempFile>,
    path: PathBuf,
    target: PathBuf,
}

impl Pending {
    /// Renames the file over its target.
    pub fn commit(mut self) -> std::io::Result<()> {
        match self.tmp.take() {
            Some(tmp) => tmp.persist(&self.target).map(|_| ()).map_err(|e| e.error),
            None => Ok(()),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Dropping the temporary file (if not committed) removes it.
        self.tmp = None;
        untrack_temporary(&self.path);
    }
}

/// Writes a temporary file in `dir`, with permissions `mode` (on Unix),
/// that is to replace `target`; on an error it is removed.
fn prepare(
    dir: &Path,
    target: &Path,
    mode: u32,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<Pending> {
    remove_stale_temporaries(dir);
    let tmp = temporary().tempfile_in(dir)?;
    track_temporary(tmp.path());
    let mut pending = Pending {
        path: tmp.path().to_path_buf(),
        tmp: Some(tmp),
        target: target.to_path_buf(),
    };
    let Some(tmp) = pending.tmp.as_mut() else {
        return Ok(pending);
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
    write(&mut out)?;
    out.flush()?;
    drop(out);
    tmp.as_file().sync_all()?;
    // Lets the tests interrupt a write half way (debug builds only).
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("LINKCHART_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    Ok(pending)
}

/// A refusal to write PATH, with exit status 2.
fn refuse(path: &Path, message: String) -> Error {
    Error::io(
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidInput, message),
    )
}

/// What a non-file is, for messages.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
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
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// The file `-o PATH` should replace (PATH, or where its links lead) and the
/// mode the new file gets; or why PATH may not be written.
pub fn output_target(path: &Path) -> Result<(PathBuf, u32), Error> {
    let link = std::fs::symlink_metadata(path);
    let target = match &link {
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(target) => target,
            Err(_) => {
                let to = std::fs::read_link(path).unwrap_or_default();
                return Err(refuse(
                    path,
                    format!(
                        "it is a symbolic link to {}, which does not exist; -o follows links and replaces the file they point to",
                        to.display()
                    ),
                ));
            }
        },
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => {
            // Write permission as the shell's `>` needs it; opening for
            // writing without truncating changes nothing.
            let mut options = std::fs::OpenOptions::new();
            options.write(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.custom_flags(libc::O_NONBLOCK);
            }
            if let Err(e) = options.open(&target) {
                return Err(refuse(
                    path,
                    if e.kind() == std::io::ErrorKind::PermissionDenied {
                        "permission denied: you may not write this file (a shell would refuse too); change its mode or choose another name".to_string()
                    } else {
                        e.to_string()
                    },
                ));
            }
            #[cfg(unix)]
            let mode = {
                use std::os::unix::fs::PermissionsExt;
                meta.permissions().mode() & 0o7777
            };
            #[cfg(not(unix))]
            let mode = 0o644;
            Ok((target, mode))
        }
        Ok(meta) => Err(refuse(
            path,
            format!(
                "it is {}; -o writes regular files only and will not replace it",
                kind_of(&meta)
            ),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((target, new_file_mode())),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// The mode the shell gives a new file: 0666 less the umask.
fn new_file_mode() -> u32 {
    #[cfg(unix)]
    {
        // SAFETY: umask only swaps the process's file mode mask; it is put
        // back at once.
        let mask = unsafe {
            let mask = libc::umask(0o022);
            libc::umask(mask);
            mask
        };
        0o666 & !(mask as u32)
    }
    #[cfg(not(unix))]
    0o644
}

/// Writes `bytes` to `path` (a user's `-o`) so that readers see the old file
/// or the whole new one, never a part; see the module's rules.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] for content made as it is written (a large export):
/// `write` writes into a temporary file that replaces `path` only when it
/// succeeds; on an error nothing at `path` changes.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    prepare_atomic(path, write)?
        .commit()
        .map_err(|e| Error::io(path, e))
}

/// Writes several files (the parts of one export) so that none changes
/// unless every one was written: each goes to a temporary file, and they
/// are renamed into place only when all are complete. `write(n, out)`
/// writes the `n`th.
pub fn write_atomic_all(
    paths: &[PathBuf],
    mut write: impl FnMut(usize, &mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut ready = Vec::with_capacity(paths.len());
    for (n, path) in paths.iter().enumerate() {
        ready.push(prepare_atomic(path, |out| write(n, out))?);
    }
    for (pending, path) in ready.into_iter().zip(paths) {
        pending.commit().map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// The temporary file that is to replace `path`, written.
fn prepare_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Pending, Error> {
    let (target, mode) = output_target(path)?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(refuse(
            path,
            format!("the directory {} does not exist", dir.display()),
        ));
    }
    prepare(dir, &target, mode, write).map_err(|e| Error::io(path, e))
}
