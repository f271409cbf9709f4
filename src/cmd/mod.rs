//! One module per subcommand; each returns its output as data for `run` to print.

pub mod check;
pub mod common;
pub mod completions;
pub mod export;
pub mod filters;
pub mod generate;
pub mod neighbors;
pub mod path;
pub mod render;
pub mod report;
pub mod search;
pub mod show;
pub mod stats;
pub mod timeline;
