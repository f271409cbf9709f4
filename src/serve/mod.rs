//! `linkchart serve`: the explorer, a local web page over the JSON API in
//! [`api`], served by axum on tokio.
//!
//! The graph is loaded once and shared read-only: no endpoint changes it or
//! writes a file, and every answer comes from the same query functions as
//! the command line. The page's files ([`assets`]) are built into the
//! binary. Safety: loopback by default; requests whose `Host` is not this
//! server are refused ([`guard`], against DNS rebinding); every response
//! carries a strict Content-Security-Policy; parameters are bounded
//! ([`Limits`]) and every request runs on a blocking thread under a time
//! budget, with heavy requests sharing a few permits, so an expensive one
//! gets a 503 and never stalls the others.

pub mod api;
pub mod assets;
pub mod guard;
pub mod params;
pub mod reply;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::time::{Instant, timeout_at};

use crate::error::Error;
use crate::index::Index;
use api::{ENDPOINTS, Endpoint};
use params::Params;
use reply::ApiError;

/// The bounds on what one request may ask.
#[derive(Debug, Clone, Serialize)]
pub struct Limits {
    /// Largest `k` (ranked loopless routes).
    pub max_k: usize,
    /// Largest `max-hops`.
    pub max_hops: usize,
    /// Largest neighbourhood `depth`.
    pub max_depth: usize,
    /// Most entities in a chart, export or neighbourhood answer.
    pub max_selection: usize,
    /// Most entities drawn by Graphviz (SVG, PNG and reports).
    pub max_render: usize,
    /// How long one request may take before it is answered 503.
    #[serde(rename = "budget_ms", serialize_with = "millis")]
    pub budget: Duration,
    /// Heavy requests (routes, neighbourhoods, charts, exports) running at once.
    pub heavy_at_once: usize,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_k: 50,
            max_hops: 10,
            max_depth: 3,
            max_selection: 2_000,
            max_render: 400,
            budget: Duration::from_secs(5),
            heavy_at_once: 2 * cores,
        }
    }
}

/// What every request shares.
pub struct App {
    pub index: Arc<Index>,
    pub limits: Limits,
    heavy: Arc<Semaphore>,
    hosts: guard::Hosts,
}

impl App {
    pub fn new(index: Arc<Index>, limits: Limits, bound: SocketAddr) -> App {
        App {
            index,
            heavy: Arc::new(Semaphore::new(limits.heavy_at_once.max(1))),
            limits,
            hosts: guard::Hosts::new(bound),
        }
    }
}

/// The answer to a request whose time budget ran out before it could start.
fn not_started(budget: f64) -> Response {
    ApiError::unavailable(format!(
        "the server is busy with other long requests and could not start this one within its time budget of {budget} s; try again"
    ))
    .into_response()
}

/// Runs one endpoint on a blocking thread within the time budget.
async fn answer(app: Arc<App>, endpoint: &'static Endpoint, query: Option<String>) -> Response {
    let deadline = Instant::now() + app.limits.budget;
    let budget = app.limits.budget.as_secs_f64();
    let permit = if endpoint.heavy {
        match timeout_at(deadline, app.heavy.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Some(permit),
            _ => return not_started(budget),
        }
    } else {
        None
    };
    // A budget spent waiting for a permit is not spent again on work whose
    // answer would come too late.
    if Instant::now() >= deadline {
        return not_started(budget);
    }
    let shared = app.clone();
    let job = tokio::task::spawn_blocking(move || {
        // The permit is held until the work ends, even past the budget, so
        // abandoned work cannot pile up.
        let _permit = permit;
        let params = Params::parse(query.as_deref(), endpoint.params)?;
        (endpoint.answer)(&shared.index, &params, &shared.limits)
    });
    match timeout_at(deadline, job).await {
        Ok(Ok(Ok(reply))) => reply.into_response(),
        Ok(Ok(Err(error))) => error.into_response(),
        Ok(Err(_)) => ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "the request failed inside linkchart (a bug: please report it with the URL)",
        )
        .into_response(),
        Err(_) => ApiError::unavailable(format!(
            "the request took longer than the server's budget of {budget} s and was abandoned; narrow it: lower k, max-hops or depth, or add filters"
        ))
        .into_response(),
    }
}

/// The whole service: the API, the page, the guard around both.
pub fn router(app: Arc<App>) -> Router {
    let mut router = Router::new();
    for endpoint in ENDPOINTS {
        router = router.route(
            endpoint.path,
            get(
                move |State(app): State<Arc<App>>, RawQuery(query): RawQuery| {
                    answer(app, endpoint, query)
                },
            ),
        );
    }
    assets::routes(router)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            guard::guard,
        ))
        .with_state(app)
}

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

/// Builds the lazily made parts of the index now, so the first requests
/// are as fast as the rest.
/// Serves until Ctrl-C (or SIGTERM). `ready` is told the URL once the
/// port is open.
pub fn run(index: Index, config: &Config, ready: impl FnOnce(&str)) -> Result<(), Error> {
    // Answers are computed on blocking threads. A few per core keep every
    // core busy; hundreds (tokio's default ceiling) only add switching, and
    // each thread's own malloc arena made memory grow with the load.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(4 * cores)
        .build()
        .map_err(|e| Error::Usage(format!("could not start the server: {e}")))?;
    // Every look-up table up front: the first requests are as fast as the
    // rest, and memory does not grow while the server answers.
    index.build_all();
    let index = Arc::new(index);
    let result = runtime.block_on(async {
        let wanted = SocketAddr::new(config.bind, config.port);
        let listener = tokio::net::TcpListener::bind(wanted)
            .await
            .map_err(|e| bind_error(wanted, e))?;
        let bound = listener
            .local_addr()
            .map_err(|e| bind_error(wanted, e))?;
        let app = Arc::new(App::new(index, Limits::default(), bound));
        let url = guard::url(bound);
        ready(&url);
        if config.open {
            open_browser(&url);
        }
        let server = axum::serve(listener, router(app))
            .with_graceful_shutdown(stop_signal())
            .into_future();
        tokio::pin!(server);
        tokio::select! {
            served = &mut server => served.map_err(|e| Error::Usage(format!("the server stopped: {e}"))),
            // Open connections get a moment to finish, then the server stops anyway.
            _ = async { stop_signal().await; tokio::time::sleep(Duration::from_secs(3)).await } => Ok(()),
        }
    });
    // Requests still running are abandoned: nothing they do needs finishing.
    runtime.shutdown_background();
    result
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> Error {
    let why = match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {} is in use (another linkchart serve?); choose another with --port, or --port 0 for any free port",
            addr.port()
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            format!("{} is not an address of this machine", addr.ip())
        }
        std::io::ErrorKind::PermissionDenied => format!(
            "not allowed to listen on port {}; ports below 1024 need privileges: choose one above 1024",
            addr.port()
        ),
        _ => e.to_string(),
    };
    Error::Usage(format!("cannot listen on {addr}: {why}"))
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("note: could not open a browser ({e}); open {url} yourself");
    }
}
