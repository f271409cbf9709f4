//! The command line, declared with clap's derive API; doc comments are the
//! help text. The only module that knows clap: one `Args` struct per
//! subcommand, shared option groups, and the clap names of the library's
//! enums. The commands in [`crate::cmd`] convert these once into library
//! types.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::export::report::ReportFormat;
use crate::export::{Cluster, Format as ExportFormat, RankDir};
use crate::model::Status;
use crate::query::path::{DEFAULT_MAX_HOPS, Rank};
use crate::render::{Engine, ImageFormat};

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

/// Text for people or JSON for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathFormat {
    Text,
    Json,
    Dot,
}

/// A subcommand's arguments, defined on the command line only once that
/// subcommand is the one given (clap's `Command::defer`): a run builds the
/// definitions of its own subcommand's options, not of all seventeen
/// (building and dropping them was over a third of the instructions of
/// `linkchart --version`). Help, completions and clap's own checks build
/// them all as before; completions then list the global options first.
#[derive(Debug, Clone)]
pub struct Deferred<T>(pub T);

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args_for_update))
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

/// `augment` applied to `cmd` with the subcommand's own help kept: the
/// enum's doc comment, given before the deferred arguments are added, must
/// win over the doc comments of the argument structs, as it does when
/// nothing is deferred.
fn keeping_about(cmd: clap::Command, augment: fn(clap::Command) -> clap::Command) -> clap::Command {
    use clap::builder::{Resettable, StyledStr};
    let given =
        |text: Option<&StyledStr>| text.cloned().map_or(Resettable::Reset, Resettable::Value);
    let (about, long_about) = (given(cmd.get_about()), given(cmd.get_long_about()));
    augment(cmd).about(about).long_about(long_about)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the graph: report every error with file, line and column
    Check(Deferred<CheckArgs>),
    /// Counts by kind, relation type and status, and the most connected entities
    Stats(Deferred<StatsArgs>),
    /// Find entities by name, alias or description, best match first
    Search(Deferred<SearchArgs>),
    /// An entity's card: what it is, then its relations grouped by type
    Show(Deferred<ShowArgs>),
    /// How is FROM connected to TO? Ranked routes with the evidence for each step
    Path(Deferred<PathArgs>),
    /// The smallest network joining all the NAMEs, with the evidence of every step
    Connect(Deferred<ConnectArgs>),
    /// The entities within N steps of NAME, grouped by distance
    Neighbors(Deferred<NeighborsArgs>),
    /// Entities linked to both A and B, with both relations
    Common(Deferred<CommonArgs>),
    /// NAME's relations in date order
    Timeline(Deferred<TimelineArgs>),
    /// Write the graph, or a selection of it, in another format
    Export(Deferred<ExportArgs>),
    /// Draw the graph, or a selection of it, as SVG or PNG (no Graphviz needed)
    Render(Deferred<RenderArgs>),
    /// A self-contained report for a brief: on one entity, or on how FROM is connected to TO
    Report(Deferred<ReportArgs>),
    /// Write a synthetic graph in linkchart's format (for benchmarks and scale tests)
    Generate(Deferred<GenerateArgs>),
    /// Start a new graph: a general schema, one source to fill in, empty entity and relation files
    Init(Deferred<InitArgs>),
    /// Read CSV, GraphML or FollowTheMoney files into a new graph (-o DIR) or an existing one (--into DIR)
    Import(Deferred<ImportArgs>),
    /// Explore the graph in a web browser: search, expand, find routes, read the evidence
    Serve(Deferred<ServeArgs>),
    /// Print shell completions
    Completions(Deferred<CompletionsArgs>),
}

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {}

#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// How many of the most connected entities to list
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// What to look for
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Only entities tagged with one of these, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "TAGS")]
    pub tag: Vec<String>,
    /// Only entities whose attributes satisfy this (repeatable): KEY=VALUE, KEY>N, KEY~TEXT …
    #[arg(long = "where", value_name = "COND")]
    pub conditions: Vec<String>,
    /// Show at most this many matches
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ShowArgs {
    /// Id, name or alias (case, accents and punctuation do not matter)
    #[arg(required = true, num_args = 1..)]
    pub name: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, clap::Args)]
pub struct NeighborsArgs {
    /// Id, name or alias
    pub name: String,
    /// How many steps out to look
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Follow relation direction (from -> to) only
    #[arg(long)]
    pub directed: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// Two or more entities: id, name or alias
    #[arg(required = true, num_args = 2.., value_name = "NAME")]
    pub names: Vec<String>,
    /// Longest route between two of them, in steps
    #[arg(long, default_value_t = DEFAULT_MAX_HOPS, value_name = "N")]
    pub max_hops: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[arg(long, value_enum, default_value_t = PathFormat::Text)]
    pub format: PathFormat,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    pub a: String,
    pub b: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, clap::Args)]
pub struct TimelineArgs {
    #[arg(required = true, num_args = 1..)]
    pub name: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file (atomically) instead of standard output; for
    /// `csv`, the directory to write nodes.csv and relationships.csv into
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub style: DotStyleArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    /// The image to write: .svg, .png (or .pdf with --with-system-dot)
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Image format; by default from the file's extension
    #[arg(long, value_enum)]
    pub format: Option<ImageFormat>,
    /// Layout engine
    #[arg(long, value_enum, default_value_t = Engine::Dot)]
    pub engine: Engine,
    /// Render with an installed Graphviz `dot` instead (needed for PDF)
    #[arg(long)]
    pub with_system_dot: bool,
    /// Draw even a selection larger than the engine's limit (see README)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub style: DotStyleArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// NAME, or FROM TO
    #[arg(required = true, num_args = 1..=2, value_name = "NAME")]
    pub names: Vec<String>,
    /// Write to this file (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// The K best routes, not only the shortest (FROM TO reports)
    #[arg(long, value_name = "K")]
    pub k: Option<usize>,
    /// Neighbourhood depth (NAME reports)
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// How many entities
    #[arg(long, default_value_t = 10_000)]
    pub entities: usize,
    /// How many relations
    #[arg(long, default_value_t = 40_000)]
    pub relations: usize,
    /// Seed: the same seed and sizes always give the same files
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Split entities, and relations, over this many files each
    #[arg(long, default_value_t = 16)]
    pub files: usize,
    /// The graph directory to create (must not exist or be empty)
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
    /// Address to listen on; anything but loopback is reachable from other machines
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Open the explorer in the default browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct InitArgs {
    /// The directory to create (must not exist, or be empty)
    pub dir: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["output", "into"])))]
pub struct ImportArgs {
    /// What the files are
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The files: CSV nodes and/or edges files, GraphML files, or FtM entity lines
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// A new graph directory to write (must not exist, or be empty)
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Add to the graph in this directory instead
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub into: Option<PathBuf>,
    /// Status of relations whose row gives none
    #[arg(long, value_enum, default_value_t = Status::Established)]
    pub status: Status,
    /// Kind of entities whose row gives none [default: other]
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Type of relations whose row gives none [default: linked-to]
    #[arg(long = "type", value_name = "TYPE")]
    pub rel_type: Option<String>,
    /// The network has no direction: new relation types read the same both ways
    #[arg(long)]
    pub undirected: bool,
    /// CSV: read FIELD from COLUMN (repeatable), e.g. --map name=Label --map from=Source
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = parse_pair)]
    pub map: Vec<(String, String)>,
    /// CSV: a file of FIELD = COLUMN lines
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Fail on the first row that cannot be imported instead of skipping it
    #[arg(long)]
    pub strict: bool,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((f, c)) if !f.trim().is_empty() && !c.trim().is_empty() => {
            Ok((f.trim().to_string(), c.trim().to_string()))
        }
        _ => Err(format!("expected FIELD=COLUMN, found \"{text}\"")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// CSV with a header row (nodes file and/or edges file; Neo4j headers too)
    Csv,
    /// GraphML (yEd, Gephi, Cytoscape, networkx, igraph)
    Graphml,
    /// FollowTheMoney entity lines (Aleph, OpenSanctions)
    Ftm,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// What to draw: the whole graph (default), a neighbourhood, or routes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SelectArgs {
    /// Draw NAME and the entities around it
    #[arg(long, value_name = "NAME", conflicts_with_all = ["route", "connect"])]
    pub around: Option<String>,
    /// How many steps around --around
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Draw the routes from FROM to TO
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"], conflicts_with = "connect")]
    pub route: Vec<String>,
    /// Draw the smallest network joining these entities (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub connect: Vec<String>,
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
    #[arg(long, default_value_t = DEFAULT_MAX_HOPS, value_name = "N")]
    pub max_hops: usize,
    /// Pass through this entity (repeatable, in order)
    #[arg(long, value_name = "NAME")]
    pub via: Vec<String>,
    /// The cheapest routes by relation weight (a missing weight counts 1),
    /// whatever their length
    #[arg(long)]
    pub weighted: bool,
    /// Never pass through a hub: one of the most connected 1% of entities
    /// with at least 20 neighbours (the ends and --via stops excepted)
    #[arg(long)]
    pub avoid_hubs: bool,
}

impl Default for RouteOptions {
    /// The same defaults as on the command line.
    fn default() -> Self {
        RouteOptions {
            k: None,
            max_hops: DEFAULT_MAX_HOPS,
            via: Vec::new(),
            weighted: false,
            avoid_hubs: false,
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
    #[arg(long, value_enum, default_value_t = RankDir::LeftRight)]
    pub rankdir: RankDir,
    /// Leave the legend out
    #[arg(long)]
    pub no_legend: bool,
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
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Option<Status>,
    /// Only relations whose date or period overlaps this one (e.g. 1979..1989, 2001)
    #[arg(long, value_name = "PERIOD")]
    pub during: Option<String>,
    /// Leave out derived accused-by edges
    #[arg(long)]
    pub no_derived: bool,
    /// Entities tagged with one of these, comma-separated (endpoints exempt)
    #[arg(long, value_delimiter = ',', value_name = "TAGS")]
    pub tag: Vec<String>,
    /// Attribute condition (repeatable): KEY=VALUE, KEY!=VALUE, KEY>N, KEY<=N,
    /// KEY~TEXT or KEY; on entities or relations, whichever have KEY
    /// (entity.KEY / relation.KEY to choose)
    #[arg(long = "where", value_name = "COND")]
    pub conditions: Vec<String>,
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

/// Gives a library enum its names on the command line: each value's name,
/// aliases and help, in the order shown.
macro_rules! value_enum {
    ($ty:ty { $($value:expr => $name:literal $([$($alias:literal),*])? $(: $help:literal)?),* $(,)? }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($value),*]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                $(
                    if *self == $value {
                        return Some(PossibleValue::new($name)$(.aliases([$($alias),*]))?$(.help($help))?);
                    }
                )*
                None
            }
        }
    };
}

value_enum!(Status {
    Status::Established => "established": "The source states it as fact.",
    Status::Reported => "reported": "Attributed reporting that nobody contests.",
    Status::Alleged => "alleged": "A party's accusation or claim.",
    Status::Disputed => "disputed": "Claimed and contested: denied, doubted or retracted.",
});

value_enum!(ExportFormat {
    ExportFormat::Dot => "dot": "Graphviz DOT, styled by kind and status, with a legend",
    ExportFormat::Json => "json": "JSON (contract in README.md)",
    ExportFormat::Graphml => "graphml": "GraphML with typed keys (Gephi, Cytoscape, yEd, networkx)",
    ExportFormat::Mermaid => "mermaid": "A Mermaid flowchart (renders on GitHub and GitLab)",
    ExportFormat::Csv => "csv": "Neo4j bulk-import CSV: nodes.csv and relationships.csv in a directory",
    ExportFormat::Cypher => "cypher": "A Cypher script that recreates the graph (idempotent, MERGE)",
    ExportFormat::Ftm => "ftm": "FollowTheMoney entity lines (Aleph, OpenSanctions); see README",
    ExportFormat::Gexf => "gexf": "GEXF 1.3 for Gephi, dates and periods as spells",
    ExportFormat::Cytoscape => "cytoscape": "Cytoscape.js JSON (elements and style)",
    ExportFormat::Html => "html": "One self-contained interactive page: chart, cards, evidence, filters (works offline)",
});

value_enum!(ImageFormat {
    ImageFormat::Svg => "svg",
    ImageFormat::Png => "png",
    ImageFormat::Pdf => "pdf",
});

value_enum!(Engine {
    Engine::Dot => "dot",
    Engine::Neato => "neato",
    Engine::Fdp => "fdp",
    Engine::Sfdp => "sfdp",
    Engine::Circo => "circo",
});

value_enum!(ReportFormat {
    ReportFormat::Html => "html": "One self-contained HTML file with the chart inline",
    ReportFormat::Markdown => "md": "Markdown with a Mermaid chart",
});

value_enum!(Cluster {
    Cluster::Kind => "kind",
    Cluster::Country => "country",
});

value_enum!(RankDir {
    RankDir::TopBottom => "TB" ["tb"],
    RankDir::LeftRight => "LR" ["lr"],
    RankDir::BottomTop => "BT" ["bt"],
    RankDir::RightLeft => "RL" ["rl"],
});

value_enum!(Rank {
    Rank::Cost => "cost": "Hops, then a cost that grows with hub degree and weak evidence",
    Rank::Hops => "hops": "Hop count only",
});

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// A deferred subcommand, once built, has its options and still its
    /// own help line, not the doc comment of an options struct.
    #[test]
    fn a_subcommand_keeps_its_own_help_once_its_options_are_defined() {
        let given: Vec<(String, Option<String>)> = Cli::command()
            .get_subcommands()
            .map(|c| {
                (
                    c.get_name().to_string(),
                    c.get_about().map(|a| a.to_string()),
                )
            })
            .collect();
        assert!(given.len() >= 17);
        let mut built = Cli::command();
        built.build();
        for (name, about) in given {
            assert!(about.is_some(), "{name} has no help line");
            let sub = built.find_subcommand(&name).unwrap();
            assert_eq!(sub.get_about().map(|a| a.to_string()), about, "{name}");
        }
        let path = built.find_subcommand("path").unwrap();
        assert!(path.get_arguments().any(|a| a.get_long() == Some("k")));
        Cli::command().debug_assert();
    }
}
