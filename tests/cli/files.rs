//! What `-o` may write: regular files only, with the permissions a shell
//! would respect, through links to their targets, and never leaving a
//! temporary file behind (on error, on SIGINT/SIGTERM, or after `kill -9`,
//! once a later run writes into the same directory).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Run, run_in, workspace};

fn export_to(dir: &Path, target: &str) -> Run {
    run_in(dir, &["export", "--format", "json", "-o", target])
}

/// Temporary files linkchart left in a directory.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(linkchart::output::TEMP_PREFIX) || n.starts_with(".tmp"))
        .collect()
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_written() {
    let dir = workspace(None);
    let p = dir.path();
    // A named pipe, a socket, and (where the user may make one) a device.
    assert!(
        Command::new("mkfifo")
            .arg(p.join("pipe"))
            .status()
            .unwrap()
            .success()
    );
    let _socket = std::os::unix::net::UnixListener::bind(p.join("socket")).unwrap();
    let device = std::ffi::CString::new(p.join("device").to_str().unwrap()).unwrap();
    // SAFETY: mknod with a valid path; (1, 7) is /dev/full's device number.
    let made =
        unsafe { libc::mknod(device.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 7)) } == 0;
    std::fs::create_dir(p.join("folder")).unwrap();
    let mut targets = vec![
        ("pipe", "a named pipe"),
        ("socket", "a socket"),
        ("folder", "a directory"),
    ];
    if made {
        targets.push(("device", "a character device"));
    } else {
        eprintln!("note: cannot make a device node here; that case is skipped");
    }
    for (name, kind) in targets {
        let run = export_to(p, name);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error: {name}: it is {kind}; -o writes regular files only and will not replace it\n"
            )
        );
        let meta = std::fs::symlink_metadata(p.join(name)).unwrap();
        assert!(!meta.is_file(), "{name} was replaced by a file");
    }
    assert!(leftovers(p).is_empty(), "{:?}", leftovers(p));
    // The same for render, before any layout.
    let run = run_in(p, &["render", "-o", "pipe"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn permissions_are_respected_as_a_shell_would() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace(None);
    let p = dir.path();
    let mode = |name: &str| {
        std::fs::metadata(p.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    // An existing file keeps its mode.
    std::fs::write(p.join("shared.json"), "old").unwrap();
    std::fs::set_permissions(
        p.join("shared.json"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    assert_eq!(export_to(p, "shared.json").code, 0);
    assert_eq!(mode("shared.json"), 0o640);
    assert!(
        std::fs::read_to_string(p.join("shared.json"))
            .unwrap()
            .starts_with('{')
    );
    // A read-only file: refused unless the user may write it anyway (root),
    // exactly as `>` in a shell.
    std::fs::write(p.join("locked.json"), "old").unwrap();
    std::fs::set_permissions(
        p.join("locked.json"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let shell_may = std::fs::OpenOptions::new()
        .write(true)
        .open(p.join("locked.json"))
        .is_ok();
    let run = export_to(p, "locked.json");
    if shell_may {
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(mode("locked.json"), 0o444);
    } else {
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("permission denied"), "{}", run.stderr);
        assert_eq!(
            std::fs::read_to_string(p.join("locked.json")).unwrap(),
            "old"
        );
    }
    assert!(leftovers(p).is_empty(), "{:?}", leftovers(p));
}

#[cfg(unix)]
#[test]
fn links_are_followed_to_the_file_they_name() {
    let dir = workspace(None);
    let p = dir.path();
    std::fs::create_dir(p.join("real")).unwrap();
    std::fs::write(p.join("real/out.json"), "old").unwrap();
    std::os::unix::fs::symlink("real/out.json", p.join("link.json")).unwrap();
    let run = export_to(p, "link.json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(p.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(p.join("real/out.json"))
            .unwrap()
            .starts_with('{')
    );
    assert!(leftovers(&p.join("real")).is_empty() && leftovers(p).is_empty());
    // A link to nothing is refused.
    std::os::unix::fs::symlink("real/missing.json", p.join("dangling.json")).unwrap();
    let run = export_to(p, "dangling.json");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("which does not exist"),
        "{}",
        run.stderr
    );
    assert!(!p.join("real/missing.json").exists());
}

#[cfg(unix)]
#[test]
fn temporary_files_of_killed_runs_are_removed() {
    let dir = workspace(None);
    let p = dir.path();
    // Left by a run killed with SIGKILL (no such process), and one of a
    // process that is alive (this test): only the first goes.
    let dead = format!("{}4194305-a1b2c3", linkchart::output::TEMP_PREFIX);
    let live = format!(
        "{}{}-d4e5f6",
        linkchart::output::TEMP_PREFIX,
        std::process::id()
    );
    std::fs::write(p.join(&dead), "half a file").unwrap();
    std::fs::write(p.join(&live), "being written").unwrap();
    assert_eq!(export_to(p, "out.json").code, 0);
    assert_eq!(leftovers(p), vec![live]);
}

/// Starts an export that pauses half way through writing, waits for its
/// temporary file, sends `signal` and checks that nothing is left.
#[cfg(unix)]
fn interrupt_a_write(signal: i32) {
    let dir = workspace(None);
    let p = dir.path();
    std::fs::write(p.join("out.json"), "old").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkchart"))
        .args(["--no-cache", "export", "--format", "json", "-o", "out.json"])
        .current_dir(p)
        .env("LINKCHART_TEST_WRITE_DELAY_MS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while leftovers(p).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(pid, signal) };
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the signal did not end the run"
    );
    assert!(!status.success());
    assert!(leftovers(p).is_empty(), "left behind: {:?}", leftovers(p));
    assert_eq!(std::fs::read_to_string(p.join("out.json")).unwrap(), "old");
}

#[cfg(unix)]
#[test]
fn sigint_leaves_no_temporary_file() {
    interrupt_a_write(libc::SIGINT);
}

#[cfg(unix)]
#[test]
fn sigterm_leaves_no_temporary_file() {
    interrupt_a_write(libc::SIGTERM);
}

/// An export is written as it is made; when the disk refuses part of it
/// (here a file-size limit, as a full disk would), the old file stays, no
/// temporary file is left and the error names the file. A directory of CSV
/// files is replaced whole or not at all: nodes.csv fits under the limit,
/// relationships.csv does not, and neither changes.
#[cfg(unix)]
#[test]
fn an_export_that_cannot_be_written_whole_changes_nothing() {
    // The shipped graph (no graph directory here): nodes.csv is about
    // 100 KB, relationships.csv, JSON and DOT each well over 250 KB.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let sizes = tempfile::tempdir().unwrap();
    run_in(
        sizes.path(),
        &["--no-cache", "export", "--format", "csv", "-o", "csv"],
    );
    let size = |name: &str| {
        std::fs::metadata(sizes.path().join("csv").join(name))
            .unwrap()
            .len()
    };
    assert!(size("nodes.csv") < 110_000, "{}", size("nodes.csv"));
    assert!(
        size("relationships.csv") > 230_000,
        "{}",
        size("relationships.csv")
    );
    for format in ["json", "dot"] {
        let whole = run_in(p, &["--no-cache", "export", "--format", format]);
        assert!(
            whole.stdout.len() > 230_000,
            "{format}: {}",
            whole.stdout.len()
        );
    }
    std::fs::write(p.join("out.json"), "old").unwrap();
    std::fs::create_dir(p.join("csv")).unwrap();
    std::fs::write(p.join("csv/nodes.csv"), "old nodes").unwrap();
    // `trap '' XFSZ` makes a write past the limit fail (EFBIG) instead of
    // ending the process; the limit is 220 blocks: 110 KB in a shell that
    // counts blocks of 512 bytes, 220 KB in one that counts kilobytes.
    for args in [
        "--format json -o out.json",
        "--format dot -o out.json",
        "--format csv -o csv",
    ] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f 220; exec \"$0\" --no-cache export {args}"
            ))
            .arg(env!("CARGO_BIN_EXE_linkchart"))
            .current_dir(p)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args}: {stderr}");
        assert!(stderr.contains("File too large"), "{args}: {stderr}");
        assert_eq!(std::fs::read_to_string(p.join("out.json")).unwrap(), "old");
        assert_eq!(
            std::fs::read_to_string(p.join("csv/nodes.csv")).unwrap(),
            "old nodes"
        );
        assert!(!p.join("csv/relationships.csv").exists(), "{args}");
        assert!(leftovers(p).is_empty(), "{args}: {:?}", leftovers(p));
        assert!(leftovers(&p.join("csv")).is_empty(), "{args}");
    }
}

/// Streamed to stdout: a reader that stops early (`| head`) ends the export
/// quietly, and a stdout that cannot be written is an error.
#[cfg(unix)]
#[test]
fn an_export_to_stdout_stops_with_its_reader() {
    use std::io::Read;
    let dir = workspace(None);
    let p = dir.path();
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkchart"))
        .args(["--no-cache", "export", "--format", "graphml"])
        .current_dir(p)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut start = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut start).unwrap();
    // The pipe is closed here, with most of the document still to come.
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&start).starts_with("<?xml"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let full = std::fs::File::options().write(true).open("/dev/full");
    if let Ok(full) = full {
        let out = Command::new(env!("CARGO_BIN_EXE_linkchart"))
            .args(["--no-cache", "export", "--format", "json"])
            .current_dir(p)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: writing output: No space left on device (os error 28)\n"
        );
    }
}
