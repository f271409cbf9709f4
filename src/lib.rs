//! linkchart: how is X connected to Y, over a curated graph of named entities
//! and typed, sourced relations.
//!
//! The library is every front end's engine; see `ARCHITECTURE.md` for the
//! module map, the one-way data flow and where to add things. In short:
//!
//! ```text
//! files ─▶ load (read ▸ parse ▸ validate ▸ finish) ─▶ model::Graph ─▶ index::Index
//!       ─▶ query (answers that derive Serialize) ─▶ present / export / render
//!       ─▶ cmd (the command line; cli holds its clap types)
//! ```
//!
//! [`run`] is the whole program: it parses the arguments, dispatches to a
//! command in [`cmd`] and turns the result into an exit code (0 ok, 1
//! nothing found, 2 bad input or usage). Data goes to stdout, diagnostics to
//! stderr, and a closed pipe ends the program quietly.

pub mod cli;
pub mod cmd;
pub mod diag;
pub mod error;
pub mod export;
pub mod generate;
pub mod import;
pub mod index;
pub mod init;
pub mod layout;
pub mod load;
pub mod memory;
pub mod model;
pub mod output;
pub mod present;
pub mod props;
pub mod query;
pub mod render;
pub mod serve;
pub mod style;
pub mod suggest;
pub mod text;
pub mod when;
pub mod words;

use std::ffi::OsString;

/// Runs linkchart with these arguments and returns the exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> u8 {
    cmd::run(args)
}
