//! Parses nothing and decides nothing: runs linkchart and exits with its code.
//!
//! On Linux the program starts from its own C `main` (`no_main`) instead of
//! the standard library's start-up, which on the main thread reads
//! `/proc/self/maps` to place a guard for its stack-overflow message and
//! maps an alternate signal stack: a quarter of a millisecond of every run,
//! measured, in a process that answers a question on the built-in graph in
//! about three. What that start-up does that matters here is done below:
//! standard streams that are closed at start are opened on `/dev/null` (so
//! a file opened later cannot become standard output), `SIGPIPE` is
//! ignored (a closed pipe is an error the output code handles quietly), a
//! panic ends the run with code 101 and its message, and standard output is
//! flushed at the end. What is given up: a stack overflow ends the process
//! with `SIGSEGV` but without the "has overflowed its stack" line, and a
//! panic names the thread `<unnamed>`, not `main`.
//! (Not in the test harness built for this file, which brings its own
//! `main`.)
#![cfg_attr(all(target_os = "linux", not(test)), no_main)]

/// Huge pages for large blocks; the run's first small blocks kept in one
/// region (see `linkchart::memory`).
#[global_allocator]
static ALLOCATOR: linkchart::memory::Allocator = linkchart::memory::Allocator;

/// The run, its code, and standard output flushed.
fn run() -> u8 {
    use std::io::Write;
    let code = std::panic::catch_unwind(|| {
        linkchart::memory::kept(|| linkchart::run(std::env::args_os()))
    })
    .unwrap_or(101);
    let _ = std::io::stdout().flush();
    code
}

#[cfg(all(target_os = "linux", not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: start-up on the only thread there is yet: `fcntl` only asks
    // whether a descriptor is open, `open` takes the lowest free one (the
    // closed standard stream's), and `signal` sets a disposition.
    unsafe {
        for fd in 0..3 {
            if libc::fcntl(fd, libc::F_GETFD) == -1
                && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF)
                && libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) == -1
            {
                // As the standard library does: no safe way to go on.
                libc::abort();
            }
        }
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    // Arguments are read from the C runtime by `std::env::args_os` itself.
    libc::c_int::from(run())
}

#[cfg(any(not(target_os = "linux"), test))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(run())
}
