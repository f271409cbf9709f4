//! The page's files (`src/page/`), built into the binary with `include_str!` so the
//! explorer works offline, from any directory, with nothing installed.
//! The same script and styles make the self-contained HTML export
//! (`export --format html`), where the data is inlined instead of fetched.

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::App;
use super::reply::ApiError;

pub const INDEX_HTML: &str = include_str!("../page/index.html");
pub const SCRIPT: &str = include_str!("../page/app.js");
pub const STYLE: &str = include_str!("../page/app.css");

fn file(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api") {
        ApiError::not_found(format!("no endpoint {}; GET /api lists them", uri.path()))
            .into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "not found: the explorer is at /\n",
        )
            .into_response()
    }
}

pub fn routes(router: Router<Arc<App>>) -> Router<Arc<App>> {
    router
        .route(
            "/",
            get(|| async { file("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { file("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route(
            "/app.css",
            get(|| async { file("text/css; charset=utf-8", STYLE) }),
        )
        .fallback(not_found)
}
