//! The one error type of linkchart. Each variant keeps what its message needs
//! (and its cause, where there is one); [`Error::exit_code`] maps it to the
//! documented exit status: 1 when a query found nothing, 2 for bad input or
//! usage and for anything that stopped the command.

use std::fmt;
use std::path::PathBuf;

use crate::diag::Report;

#[derive(Debug)]
pub enum Error {
    /// The graph's files have errors; rendered with excerpts by the caller.
    Load(Box<Report>),
    /// The graph directory is missing or incomplete.
    GraphDir { path: PathBuf, message: String },
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// No entity matches what the user typed.
    UnknownEntity {
        name: String,
        suggestions: Vec<String>,
    },
    /// Several entities match what the user typed.
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
    /// A filter names a kind, type or period that does not exist or parse.
    InvalidFilter {
        /// What was given: "kind", "relation type", "--during".
        what: &'static str,
        value: String,
        /// A did-you-mean line, or what was expected.
        help: Option<String>,
        /// Every value that would have been accepted, if there is a short list.
        known: Vec<String>,
    },
    /// A route query found no route; `reason` says what blocked it.
    NoRoute { reason: String },
    /// Drawing a chart failed.
    Render { what: &'static str, message: String },
    /// A chart too large to lay out in reasonable time (refused before layout).
    ChartTooLarge {
        entities: usize,
        edges: usize,
        engine: &'static str,
        limit: usize,
        /// The command that draws: "render" or "report".
        command: &'static str,
    },
    /// An external program the command needs is not installed.
    MissingTool { tool: &'static str, help: String },
    /// Options that make no sense together, or a value out of range.
    Usage(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::NoRoute { .. } => 1,
            _ => 2,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load(report) => {
                write!(f, "the graph has {} error(s)", report.error_count())
            }
            Error::GraphDir { path, message } => {
                write!(f, "graph directory {}: {message}", path.display())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::UnknownEntity { name, suggestions } => {
                write!(f, "no entity named \"{name}\"")?;
                match suggestions.as_slice() {
                    [] => write!(
                        f,
                        "\nhelp: try `linkchart search {name}` to look through names and descriptions"
                    ),
                    some => {
                        write!(f, "\nhelp: did you mean")?;
                        for s in some {
                            write!(f, "\n    {s}")?;
                        }
                        Ok(())
                    }
                }
            }
            Error::Ambiguous { name, candidates } => {
                write!(f, "\"{name}\" matches {} entities:", candidates.len())?;
                for c in candidates {
                    write!(f, "\n    {c}")?;
                }
                write!(f, "\nhelp: use the id to pick one")
            }
            Error::InvalidFilter {
                what,
                value,
                help,
                known,
            } => {
                if what.starts_with("--") {
                    write!(f, "invalid {what} \"{value}\"")?;
                    if let Some(help) = help {
                        write!(f, ": expected {help}")?;
                    }
                    return Ok(());
                }
                write!(f, "unknown {what} \"{value}\"")?;
                if let Some(help) = help {
                    write!(f, "\nhelp: {help}")?;
                }
                if !known.is_empty() {
                    write!(f, "\nthe {what}s are: {}", known.join(", "))?;
                }
                Ok(())
            }
            Error::NoRoute { reason } => f.write_str(reason),
            Error::Render { what, message } => write!(f, "rendering {what} failed: {message}"),
            Error::ChartTooLarge {
                entities,
                edges,
                engine,
                limit,
                command,
            } => {
                write!(
                    f,
                    "the chart would have {} elements ({entities} entities, {edges} edges); the {engine} layout draws at most {limit} in a few seconds",
                    entities + edges
                )?;
                if *command == "report" {
                    write!(
                        f,
                        "\nhelp: narrow the report with --depth 1, --k, --kinds KINDS or --status established, or draw it with `linkchart render --engine sfdp`"
                    )
                } else {
                    let sfdp = if *engine == "sfdp" {
                        ""
                    } else {
                        "use --engine sfdp (up to 4000 elements), "
                    };
                    write!(
                        f,
                        "\nhelp: narrow the selection: --around NAME --depth 1, --route FROM TO, --kinds KINDS, --types TYPES or --status established;\n      or {sfdp}write `linkchart export --format dot` and lay it out with Graphviz, or add --force to draw it anyway"
                    )
                }
            }
            Error::MissingTool { help, .. } => f.write_str(help),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
