//! The command line, declared with clap's derive API; doc comments are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Explore how named entities are connected, with every link sourced and
/// every allegation marked as one.
#[derive(Debug, Parser)]
#[command(name = "linkchart", version, about, max_term_width = 100)]
pub struct Cli {
    /// Graph directory [default: ./graph if it exists, else $LINKCHART_GRAPH,
    /// else the ISI graph built into linkchart]
    #[arg(long, global = true, value_name = "DIR")]
    pub graph: Option<PathBuf>,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the graph: report every error with file, line and column
    Check,
    /// Counts by kind, relation type and status, and the most connected entities
    Stats {
        /// How many of the most connected entities to list
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Find entities by name, alias or description, best match first
    Search {
        /// What to look for
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Show at most this many matches
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// An entity's card: what it is, then its relations grouped by type
    Show {
        /// Id, name or alias (case, accents and punctuation do not matter)
        #[arg(required = true, num_args = 1..)]
        name: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write the graph in another format
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file (atomically) instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The whole graph as JSON (contract in README.md)
    Json,
}
