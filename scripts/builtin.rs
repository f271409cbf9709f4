//! Writes the built-in graph's compiled form, `src/load/builtin.bin`: the
//! files of `graph/` loaded as the binary is built with them, and encoded
//! as a cache entry under their key (see `load::cache::built_in`). Run it
//! after editing `graph/`; a test fails until it is run.
//!
//! Usage: cargo run --example builtin
//! Refuses, and writes nothing, if the graph has an error or a warning.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let loaded = match linkchart::load::load(linkchart::load::embedded_inputs()) {
        Ok(loaded) => loaded,
        Err(report) => {
            eprint!("{}", report.render(false));
            return ExitCode::FAILURE;
        }
    };
    if !loaded.warnings.is_empty() {
        eprint!("{}", loaded.files.render(&loaded.warnings, false));
        eprintln!("error: the built-in graph is compiled only when it loads with no warning");
        return ExitCode::FAILURE;
    }
    let Some(entry) = linkchart::load::cache::built_entry(&loaded.graph) else {
        eprintln!("error: the graph could not be encoded");
        return ExitCode::FAILURE;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/load");
    let target = dir.join("builtin.bin");
    if let Err(e) = linkchart::output::replace_file(&dir, &target, &entry, 0o644) {
        eprintln!("error: cannot write {}: {e}", target.display());
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} ({} bytes, {} entities, {} relations)",
        target.display(),
        entry.len(),
        loaded.graph.entities.len(),
        loaded.graph.relations.len()
    );
    ExitCode::SUCCESS
}
