//! Parses nothing and decides nothing: runs linkchart and exits with its code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(linkchart::run(std::env::args_os()))
}
