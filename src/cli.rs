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

    /// Always parse the graph's files; neither read nor write the load cache
    #[arg(long, global = true)]
    pub no_cache: bool,

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
    /// Write the graph, or a selection of it, in another format
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file (atomically) instead of standard output; for
        /// `csv`, the directory to write nodes.csv and relationships.csv into
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        #[command(flatten)]
        select: SelectArgs,
        #[command(flatten)]
        style: DotStyleArgs,
    },
    /// Draw the graph, or a selection of it, as SVG or PNG (no Graphviz needed)
    Render {
        /// The image to write: .svg, .png (or .pdf with --with-system-dot)
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Image format; by default from the file's extension
        #[arg(long, value_enum)]
        format: Option<ImageFormat>,
        /// Layout engine
        #[arg(long, value_enum, default_value_t = Engine::Dot)]
        engine: Engine,
        /// Render with an installed Graphviz `dot` instead (needed for PDF)
        #[arg(long)]
        with_system_dot: bool,
        #[command(flatten)]
        select: SelectArgs,
        #[command(flatten)]
        style: DotStyleArgs,
    },
    /// A self-contained report for a brief: on one entity, or on how FROM is connected to TO
    Report {
        /// NAME, or FROM TO
        #[arg(required = true, num_args = 1..=2, value_name = "NAME")]
        names: Vec<String>,
        /// Write to this file (atomically) instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// The K best routes, not only the shortest (FROM TO reports)
        #[arg(long, value_name = "K")]
        k: Option<usize>,
        /// Neighbourhood depth (NAME reports)
        #[arg(long, default_value_t = 1)]
        depth: usize,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Write a synthetic graph in linkchart's format (for benchmarks and scale tests)
    Generate {
        /// How many entities
        #[arg(long, default_value_t = 10_000)]
        entities: usize,
        /// How many relations
        #[arg(long, default_value_t = 40_000)]
        relations: usize,
        /// Seed: the same seed and sizes always give the same files
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Split entities, and relations, over this many files each
        #[arg(long, default_value_t = 16)]
        files: usize,
        /// The graph directory to create (must not exist or be empty)
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Graphviz DOT, styled by kind and status, with a legend
    Dot,
    /// JSON (contract in README.md)
    Json,
    /// GraphML with typed keys (Gephi, Cytoscape, yEd, networkx)
    Graphml,
    /// A Mermaid flowchart (renders on GitHub and GitLab)
    Mermaid,
    /// Neo4j bulk-import CSV: nodes.csv and relationships.csv in a directory
    Csv,
    /// A Cypher script that recreates the graph (idempotent, MERGE)
    Cypher,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImageFormat {
    Svg,
    Png,
    Pdf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    Dot,
    Neato,
    Fdp,
    Sfdp,
    Circo,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Dot => "dot",
            Engine::Neato => "neato",
            Engine::Fdp => "fdp",
            Engine::Sfdp => "sfdp",
            Engine::Circo => "circo",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file with the chart inline
    Html,
    /// Markdown with a Mermaid chart
    Md,
}

/// What to draw: the whole graph (default), a neighbourhood, or routes.
#[derive(Debug, Clone, clap::Args)]
pub struct SelectArgs {
    /// Draw NAME and the entities around it
    #[arg(long, value_name = "NAME", conflicts_with = "route")]
    pub around: Option<String>,
    /// How many steps around --around
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Draw the routes from FROM to TO
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub route: Vec<String>,
    #[command(flatten)]
    pub route_options: RouteOptions,
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// How routes are searched, shared by `path` and `--route` selections.
#[derive(Debug, Clone, clap::Args)]
pub struct RouteOptions {
    /// The K best loopless routes, not only the shortest
    #[arg(long, value_name = "K")]
    pub k: Option<usize>,
    /// Longest route to look for, in steps
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub max_hops: usize,
    /// Pass through this entity (repeatable, in order)
    #[arg(long, value_name = "NAME")]
    pub via: Vec<String>,
}

impl Default for RouteOptions {
    /// The same defaults as on the command line.
    fn default() -> Self {
        RouteOptions {
            k: None,
            max_hops: 6,
            via: Vec::new(),
        }
    }
}

impl Default for SelectArgs {
    /// The same defaults as on the command line.
    fn default() -> Self {
        SelectArgs {
            around: None,
            depth: 1,
            route: Vec::new(),
            route_options: RouteOptions::default(),
            filters: FilterArgs::default(),
        }
    }
}

/// How DOT diagrams are laid out.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DotStyleArgs {
    /// Group entities in boxes by kind or by country
    #[arg(long, value_enum, value_name = "BY")]
    pub cluster: Option<Cluster>,
    /// Direction of the layout
    #[arg(long, value_enum, default_value_t = RankDir::LR)]
    pub rankdir: RankDir,
    /// Leave the legend out
    #[arg(long)]
    pub no_legend: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Cluster {
    Kind,
    Country,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
#[allow(clippy::upper_case_acronyms)]
pub enum RankDir {
    #[value(name = "TB", alias = "tb")]
    TB,
    #[default]
    #[value(name = "LR", alias = "lr")]
    LR,
    #[value(name = "BT", alias = "bt")]
    BT,
    #[value(name = "RL", alias = "rl")]
    RL,
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
    #[arg(required_unless_present = "pairs")]
    pub from: Option<String>,
    /// Where the route ends: id, name or alias
    #[arg(required_unless_present = "pairs")]
    pub to: Option<String>,
    /// Answer one query per line of FILE (FROM<TAB>TO); one JSON object per line on stdout
    #[arg(long, value_name = "FILE", conflicts_with_all = ["from", "to"])]
    pub pairs: Option<PathBuf>,
    /// Follow relation direction (from -> to) only
    #[arg(long)]
    pub directed: bool,
    #[command(flatten)]
    pub route_options: RouteOptions,
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
