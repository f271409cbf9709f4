//! The one error type of linkchart. Each variant carries what its message
//! needs; [`Error::exit_code`] maps it to the documented exit status.

use std::fmt;

use crate::load::Failed;

#[derive(Debug)]
pub enum Error {
    /// The graph's files have errors; already rendered with excerpts.
    Load(Box<Failed>),
    /// The graph directory is missing or incomplete.
    GraphDir { path: String, message: String },
    /// A file could not be read or written.
    Io { path: String, message: String },
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
    /// A command-line value that makes no sense.
    Usage(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        2
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load(failed) => {
                write!(f, "the graph has {} error(s)", failed.error_count())
            }
            Error::GraphDir { path, message } => {
                write!(f, "graph directory {path}: {message}")
            }
            Error::Io { path, message } => write!(f, "{path}: {message}"),
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
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}
