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
    /// How is FROM connected to TO? Ranked routes with the evidence for each step
    Path(PathArgs),
    /// The entities within N steps of NAME, grouped by distance
    Neighbors {
        /// Id, name or alias
        name: String,
        /// How many steps out to look
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Follow relation direction (from -> to) only
        #[arg(long)]
        directed: bool,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Entities linked to both A and B, with both relations
    Common {
        a: String,
        b: String,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// NAME's relations in date order
    Timeline {
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

/// Which relations and entities a query may use.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Never pass through this entity (repeatable)
    #[arg(long, value_name = "NAME")]
    pub avoid: Vec<String>,
    /// Entity kinds allowed in between, comma-separated (e.g. person,agency)
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<String>,
    /// Relation types allowed, comma-separated; `accused-by` names derived edges
    #[arg(long, value_delimiter = ',', value_name = "TYPES")]
    pub types: Vec<String>,
    /// Weakest evidence allowed: established, reported, alleged or disputed
    #[arg(long, value_name = "STATUS")]
    pub status: Option<crate::model::Status>,
    /// Only relations whose date or period overlaps this one (e.g. 1979..1989, 2001)
    #[arg(long, value_name = "PERIOD")]
    pub during: Option<String>,
    /// Leave out derived accused-by edges
    #[arg(long)]
    pub no_derived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Rank {
    /// Hops, then a cost that grows with hub degree and weak evidence
    Cost,
    /// Hop count only
    Hops,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathFormat {
    Text,
    Json,
    Dot,
}

#[derive(Debug, Clone, clap::Args)]
pub struct PathArgs {
    /// Where the route starts: id, name or alias
    pub from: String,
    /// Where the route ends: id, name or alias
    pub to: String,
    /// Follow relation direction (from -> to) only
    #[arg(long)]
    pub directed: bool,
    /// The K best loopless routes, not only the shortest
    #[arg(long, value_name = "K")]
    pub k: Option<usize>,
    /// Longest route to look for, in steps
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub max_hops: usize,
    /// Pass through this entity (repeatable, in order)
    #[arg(long, value_name = "NAME")]
    pub via: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// How to order routes
    #[arg(long, value_enum, default_value_t = Rank::Cost)]
    pub rank: Rank,
    /// Show how each route's score was made
    #[arg(long)]
    pub explain_score: bool,
    /// Print at most this many routes
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = PathFormat::Text)]
    pub format: PathFormat,
}
