//! The command line's front end: one module per subcommand, each
//! `run(&Context, &Args) -> Result<Output, Error>`. A command converts its
//! arguments once into library requests ([`options`]), asks the library,
//! and formats the answer: text written from it, or JSON by serialising it.
//! [`run`] parses the arguments, dispatches, prints and picks the exit code.

pub mod check;
pub mod common;
pub mod completions;
pub mod connect;
pub mod export;
pub mod generate;
pub mod import;
pub mod init;
pub mod neighbors;
pub mod options;
pub mod path;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod timeline;

use std::cell::{OnceCell, RefCell};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Parser;

use crate::cli::{Cli, ColorChoice, Command, Deferred};
use crate::error::Error;
use crate::index::Index;
use crate::load::{self, CacheUse, Loaded, Notice};
use crate::model::EntityId;
use crate::output::Output;
use crate::style::Style;
use crate::text::{TerminalSafe, for_terminal};

/// What every command may use: the graph (loaded on first use) and how to
/// style text.
pub struct Context {
    graph_dir: Option<PathBuf>,
    use_cache: bool,
    /// Styling for stdout.
    pub style: Style,
    /// Whether stderr gets colour.
    pub err_color: bool,
    index: OnceCell<Index>,
    /// Every entity and one entity's relations (see [`Context::around`]).
    around: OnceCell<Index>,
    /// Files not loaded and cache notes, printed before the command's output.
    notices: RefCell<Vec<Notice>>,
}

impl Context {
    /// Loads and validates the graph (with every warning) from its files,
    /// never from the cache, for `check`: a check that the cache answered
    /// would check nothing.
    pub fn load(&self) -> Result<Loaded, Error> {
        self.load_with(if self.use_cache {
            CacheUse::WriteOnly
        } else {
            CacheUse::Off
        })
    }

    /// How many files and directories of the graph were not loaded (each
    /// is a warning).
    pub fn skipped(&self) -> usize {
        self.notices
            .borrow()
            .iter()
            .filter(|n| matches!(n, Notice::Skipped(_)))
            .count()
    }

    fn load_with(&self, cache: CacheUse) -> Result<Loaded, Error> {
        let mut notices = self.notices.borrow_mut();
        load::load_noting(self.graph_dir.as_deref(), cache, &mut notices)
    }

    /// The entity `name` names and an index of every entity but, of the
    /// relations, only those it is an end of or a party to: what a card
    /// (`show`) or a timeline reads, from a large graph's cache entry
    /// without decoding every relation (see [`load::cache::Around`]). `None` when the whole
    /// graph must be loaded instead ([`Context::index`]); a name that
    /// names no entity, or several, is the same error either way.
    pub fn around(&self, name: &str) -> Result<Option<(&Index, EntityId)>, Error> {
        if !self.use_cache || self.index.get().is_some() || self.around.get().is_some() {
            return Ok(None);
        }
        let Some((graph, around, notices)) = load::around(self.graph_dir.as_deref()) else {
            return Ok(None);
        };
        let names = Index::new(graph);
        let entity = match names.resolve(name) {
            Ok(entity) => entity,
            Err(e) => {
                self.notices.borrow_mut().extend(notices);
                std::mem::forget(names);
                return Err(e);
            }
        };
        let Ok(graph) = around.take(names.into_graph(), entity) else {
            return Ok(None);
        };
        self.notices.borrow_mut().extend(notices);
        Ok(Some((
            self.around.get_or_init(|| Index::new(graph)),
            entity,
        )))
    }

    /// The entity `name` names, with an index that holds at least its own
    /// relations and the claims it is a party to (what `show` and
    /// `timeline` read): [`Context::around`] when a large graph's entry
    /// serves it, else the whole graph's.
    pub fn one_entity(&self, name: &str) -> Result<(&Index, EntityId), Error> {
        if let Some(found) = self.around(name)? {
            return Ok(found);
        }
        let index = self.index()?;
        Ok((index, index.resolve(name)?))
    }

    /// The indexed graph, loaded on first use.
    pub fn index(&self) -> Result<&Index, Error> {
        if let Some(index) = self.index.get() {
            return Ok(index);
        }
        let loaded = self.load_with(if self.use_cache {
            CacheUse::ReadWrite
        } else {
            CacheUse::Off
        })?;
        // The files' text serves diagnostics, which are all made by now:
        // let go before the index is built, so a command that goes on to
        // write a large export does not hold it (a fifth of a gigabyte at
        // a million relations).
        let Loaded { graph, files, .. } = loaded;
        drop(files);
        Ok(self.index.get_or_init(|| Index::new(graph)))
    }

    /// Writes a large document straight to stdout as `write` makes it,
    /// after the notices so far, shown as everything printed is
    /// ([`for_terminal`]). A reader that closes the pipe early (`| head`)
    /// ends the command quietly, as it does for printed output.
    pub fn stream(
        &self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<Output, Error> {
        let mut stderr = std::io::stderr().lock();
        for notice in self.notices.borrow_mut().drain(..) {
            let _ = writeln!(stderr, "{}", for_terminal(&notice.to_string(), false));
        }
        drop(stderr);
        let stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let mut out = TerminalSafe::new(stdout);
        match write(&mut out).and_then(|()| out.flush()) {
            Ok(()) => Ok(Output::default()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Output::default()),
            Err(e) => Err(Error::io("writing output", e)),
        }
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        // The process ends right after printing; freeing a large graph one
        // allocation at a time would take most of a second at a million
        // relations.
        for index in [self.index.take(), self.around.take()]
            .into_iter()
            .flatten()
        {
            std::mem::forget(index);
        }
    }
}

fn wants_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn dispatch(ctx: &Context, command: &Command) -> Result<Output, Error> {
    match command {
        Command::Check(Deferred(a)) => check::run(ctx, a),
        Command::Stats(Deferred(a)) => stats::run(ctx, a),
        Command::Search(Deferred(a)) => search::run(ctx, a),
        Command::Show(Deferred(a)) => show::run(ctx, a),
        Command::Path(Deferred(a)) => path::run(ctx, a),
        Command::Connect(Deferred(a)) => connect::run(ctx, a),
        Command::Neighbors(Deferred(a)) => neighbors::run(ctx, a),
        Command::Common(Deferred(a)) => common::run(ctx, a),
        Command::Timeline(Deferred(a)) => timeline::run(ctx, a),
        Command::Export(Deferred(a)) => export::run(ctx, a),
        Command::Render(Deferred(a)) => render::run(ctx, a),
        Command::Report(Deferred(a)) => report::run(ctx, a),
        Command::Generate(Deferred(a)) => generate::run(ctx, a),
        Command::Init(Deferred(a)) => init::run(ctx, a),
        Command::Import(Deferred(a)) => import::run(ctx, a),
        Command::Serve(Deferred(a)) => serve::run(ctx, a),
        Command::Completions(Deferred(a)) => completions::run(ctx, a),
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
    let ctx = Context {
        graph_dir: cli.graph.clone(),
        use_cache: !cli.no_cache,
        style: Style {
            color: wants_color(cli.color, std::io::stdout().is_terminal()),
        },
        err_color: wants_color(cli.color, std::io::stderr().is_terminal()),
        index: OnceCell::new(),
        around: OnceCell::new(),
        notices: RefCell::new(Vec::new()),
    };
    let result = dispatch(&ctx, &cli.command);
    let notices = ctx.notices.take();
    print(result, &notices, ctx.style.color, ctx.err_color)
}

/// Prints a command's result and returns the exit code. Everything printed
/// passes through [`for_terminal`]: whatever a file, a name or a path holds,
/// no escape sequence but linkchart's own colours reaches the terminal.
fn print(
    result: Result<Output, Error>,
    notices: &[Notice],
    out_color: bool,
    err_color: bool,
) -> u8 {
    let mut stderr = std::io::stderr().lock();
    for notice in notices {
        let _ = writeln!(stderr, "{}", for_terminal(&notice.to_string(), false));
    }
    match result {
        Ok(output) => {
            let _ = stderr.write_all(for_terminal(&output.stderr, err_color).as_bytes());
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(for_terminal(&output.stdout, out_color).as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => output.exit_code(),
                // `linkchart … | head` closed the pipe: the reader has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    let _ = writeln!(stderr, "error: writing output: {e}");
                    2
                }
            }
        }
        Err(Error::Load(report)) => {
            let errors = report.error_count();
            let warnings = report.diagnostics.len() - errors;
            let _ = stderr.write_all(for_terminal(&report.render(err_color), err_color).as_bytes());
            let _ = writeln!(
                stderr,
                "error: the graph did not load: {errors} error{}, {warnings} warning{}",
                crate::words::plural(errors),
                crate::words::plural(warnings)
            );
            2
        }
        Err(e) => {
            let _ = writeln!(stderr, "error: {}", for_terminal(&e.to_string(), false));
            e.exit_code()
        }
    }
}
