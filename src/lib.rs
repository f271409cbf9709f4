//! linkchart: how is X connected to Y, over a curated graph of named entities
//! and typed, sourced relations.
//!
//! [`run`] is the whole program: it picks the graph, loads it, dispatches to
//! a command in [`cmd`] and turns the result into an exit code (0 ok, 1
//! nothing found, 2 bad input or usage). Data goes to stdout, diagnostics to
//! stderr, and a closed pipe ends the program quietly.

pub mod cache;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod error;
pub mod export;
pub mod generate;
pub mod index;
pub mod load;
pub mod model;
pub mod present;
pub mod query;
pub mod render;
pub mod scan;
pub mod select;
pub mod style;
pub mod suggest;
pub mod when;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Parser;

use cli::{Cli, ColorChoice, Command};
use error::Error;
use index::Index;
use load::{Input, Loaded};
use style::Style;

/// What a command produced: text for stdout and whether it found anything.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    /// Notes for stderr that are not errors (warnings, "wrote FILE").
    pub stderr: String,
    pub found_nothing: bool,
    /// Part of the input was bad (exit 2) although output was produced.
    pub bad_input: bool,
}

/// Where the graph comes from, in the documented order of preference, and
/// a name for that origin (the cache keeps one file per origin).
pub fn graph_inputs(explicit: Option<&Path>) -> Result<(String, Vec<Input>), Error> {
    let from_dir = |dir: &Path| -> Result<(String, Vec<Input>), Error> {
        let origin = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Ok((origin.display().to_string(), load::read_dir(dir)?))
    };
    if let Some(dir) = explicit {
        return from_dir(dir);
    }
    let local = Path::new("graph");
    if local.is_dir() {
        return from_dir(local);
    }
    if let Some(dir) = std::env::var_os("LINKCHART_GRAPH").filter(|v| !v.is_empty()) {
        return from_dir(&PathBuf::from(dir));
    }
    Ok(("<embedded>".to_string(), load::embedded_inputs()))
}

/// Loads and validates a graph, failing with every diagnostic. A graph that
/// loaded cleanly before, with the very same files, comes from the cache.
pub fn load_graph(explicit: Option<&Path>, use_cache: bool) -> Result<Loaded, Error> {
    let (origin, mut inputs) = graph_inputs(explicit)?;
    let key = use_cache.then(|| cache::key(&origin, &inputs));
    if let Some(bytes) = key.as_ref().and_then(cache::bytes) {
        // The files' text is not needed when the cache answers; at a million
        // relations it is a fifth of a gigabyte, so let it go first.
        drop(inputs);
        if let Some(graph) = cache::decode(&bytes) {
            return Ok(Loaded {
                graph,
                files: Default::default(),
                warnings: Vec::new(),
            });
        }
        inputs = graph_inputs(explicit)?.1;
    }
    let loaded = load::load(inputs).map_err(|failed| Error::Load(Box::new(failed)))?;
    if let Some(key) = key
        && loaded.warnings.is_empty()
    {
        cache::write(&key, &loaded.graph);
    }
    Ok(loaded)
}

fn wants_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Runs linkchart with these arguments and returns the exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { 2 } else { 0 };
        }
    };
    let out_style = Style {
        color: wants_color(cli.color, std::io::stdout().is_terminal()),
    };
    let err_color = wants_color(cli.color, std::io::stderr().is_terminal());
    let result = dispatch(&cli, out_style, err_color);
    let mut stderr = std::io::stderr().lock();
    match result {
        Ok(output) => {
            let _ = stderr.write_all(output.stderr.as_bytes());
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(output.stdout.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => {}
                // `linkchart … | head` closed the pipe: the reader has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return 0,
                Err(e) => {
                    let _ = writeln!(stderr, "error: writing output: {e}");
                    return 2;
                }
            }
            if output.bad_input {
                2
            } else if output.found_nothing {
                1
            } else {
                0
            }
        }
        Err(Error::Load(failed)) => {
            let text = failed.files.render(&failed.diagnostics, err_color);
            let errors = failed.error_count();
            let warnings = failed.diagnostics.len() - errors;
            let _ = stderr.write_all(text.as_bytes());
            let _ = writeln!(
                stderr,
                "error: the graph did not load: {errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            );
            2
        }
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            e.exit_code()
        }
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn dispatch(cli: &Cli, style: Style, err_color: bool) -> Result<Output, Error> {
    match &cli.command {
        Command::Completions { shell } => return Ok(cmd::completions::run(*shell)),
        Command::Generate {
            entities,
            relations,
            seed,
            files,
            output,
        } => {
            return cmd::generate::run(*entities, *relations, *seed, *files, output);
        }
        _ => {}
    }
    let loaded = load_graph(cli.graph.as_deref(), !cli.no_cache)?;
    let mut output = Output::default();
    if matches!(cli.command, Command::Check) {
        return Ok(cmd::check::run(&loaded, err_color));
    }
    // Warnings matter to curators running `check`; other commands stay quiet.
    let index = Index::new(loaded.graph);
    match &cli.command {
        Command::Check | Command::Completions { .. } | Command::Generate { .. } => {
            unreachable!("handled above")
        }
        Command::Stats { top, format } => {
            cmd::stats::run(&index, *top, *format, style, &mut output)
        }
        Command::Search {
            text,
            limit,
            format,
        } => cmd::search::run(&index, &text.join(" "), *limit, *format, style, &mut output),
        Command::Show { name, format } => {
            cmd::show::run(&index, &name.join(" "), *format, style, &mut output)?
        }
        Command::Path(args) => cmd::path::run(&index, args, style, &mut output)?,
        Command::Neighbors {
            name,
            depth,
            directed,
            filters,
            format,
        } => cmd::neighbors::run(
            &index,
            name,
            *depth,
            *directed,
            filters,
            *format,
            style,
            &mut output,
        )?,
        Command::Common {
            a,
            b,
            filters,
            format,
        } => cmd::common::run(&index, a, b, filters, *format, style, &mut output)?,
        Command::Timeline { name, format } => {
            cmd::timeline::run(&index, &name.join(" "), *format, style, &mut output)?
        }
        Command::Export {
            format,
            output: path,
            select,
            style,
        } => cmd::export::run(&index, *format, path.as_deref(), select, style, &mut output)?,
        Command::Render {
            output: path,
            format,
            engine,
            with_system_dot,
            select,
            style,
        } => cmd::render::run(
            &index,
            path,
            *format,
            *engine,
            *with_system_dot,
            select,
            style,
            &mut output,
        )?,
        Command::Report {
            names,
            output: path,
            format,
            k,
            depth,
            filters,
        } => cmd::report::run(
            &index,
            names,
            path.as_deref(),
            *format,
            *k,
            *depth,
            filters,
            &mut output,
        )?,
    }
    // The process ends right after printing; freeing a large graph one
    // allocation at a time would take most of a second at a million relations.
    std::mem::forget(index);
    Ok(output)
}
