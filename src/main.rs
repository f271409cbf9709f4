//! Parses nothing and decides nothing: runs linkchart and exits with its code.

/// Huge pages for large blocks; the run's first small blocks kept in one
/// region (see `linkchart::memory`).
#[global_allocator]
static ALLOCATOR: linkchart::memory::Allocator = linkchart::memory::Allocator;

fn main() -> std::process::ExitCode {
    let code = linkchart::memory::kept(|| linkchart::run(std::env::args_os()));
    std::process::ExitCode::from(code)
}
