//! Parses nothing and decides nothing: runs linkchart and exits with its code.

/// Huge pages for large blocks (see `linkchart::memory`).
#[global_allocator]
static ALLOCATOR: linkchart::memory::Allocator = linkchart::memory::Allocator;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(linkchart::run(std::env::args_os()))
}
