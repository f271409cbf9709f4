//! What an endpoint answers: a [`Reply`] (a JSON answer or a document) or an
//! [`ApiError`], always JSON `{"error": …}` with the status code that says
//! whose fault it is: 400 bad parameters, 404 an unknown name (with
//! did-you-mean), 422 a selection over the server's limit, 503 over the time
//! budget or too busy, 500 a failure of ours.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::index::Index;

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Offer the body as a download under this file name.
    pub download: Option<String>,
    /// A Content-Security-Policy of its own (reports need inline styles).
    pub policy: Option<&'static str>,
}

impl Reply {
    /// A serialised query answer: the same JSON as the command line's
    /// `--format json`, compact.
    pub fn json<T: Serialize + ?Sized>(answer: &T) -> Reply {
        Reply {
            content_type: "application/json",
            body: serde_json::to_vec(answer).unwrap_or_default(),
            download: None,
            policy: None,
        }
    }

    pub fn document(content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            content_type,
            body: body.into(),
            download: None,
            policy: None,
        }
    }

    pub fn with_policy(mut self, policy: &'static str) -> Reply {
        self.policy = Some(policy);
        self
    }

    pub fn named(mut self, file: String) -> Reply {
        self.download = Some(file);
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (
            StatusCode::OK,
            [(header::CONTENT_TYPE, self.content_type)],
            self.body,
        )
            .into_response();
        if let Some(policy) = self.policy {
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(policy),
            );
        }
        if let Some(file) = self.download {
            // File names here are made of ids and format names only.
            let safe: String = file
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, v);
            }
        }
        response
    }
}

/// A request the server would not or could not answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// `{"error": message, …}` and whatever helps: `did_you_mean`, `candidates`.
    pub body: Map<String, Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        let mut body = Map::new();
        body.insert("error".into(), Value::String(message.into()));
        ApiError { status, body }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn with(mut self, key: &str, value: Value) -> ApiError {
        self.body.insert(key.to_string(), value);
        self
    }

    pub fn message(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    /// A library error as the API says it. Unknown names get their closest
    /// matches as data, so a page can offer them.
    pub fn from_error(index: &Index, error: Error) -> ApiError {
        let entity = |i| {
            let e = index.entity(i);
            json!({"id": e.id, "name": e.name, "kind": e.kind, "description": e.description})
        };
        match error {
            Error::UnknownEntity { name, .. } => {
                let close: Vec<Value> = index.closest(&name, 5).into_iter().map(entity).collect();
                ApiError::not_found(format!("no entity named \"{name}\""))
                    .with("name", Value::String(name))
                    .with("did_you_mean", Value::Array(close))
            }
            Error::Ambiguous { name, candidates } => {
                // Each candidate line starts with the entity's id.
                let candidates: Vec<Value> = candidates
                    .iter()
                    .filter_map(|line| line.split_once(" — "))
                    .filter_map(|(id, _)| index.by_id(id))
                    .map(entity)
                    .collect();
                ApiError::bad_request(format!(
                    "\"{name}\" matches several entities; use the id to pick one"
                ))
                .with("name", Value::String(name))
                .with("candidates", Value::Array(candidates))
            }
            Error::InvalidFilter {
                what,
                value,
                help,
                known,
            } => {
                let message = Error::InvalidFilter {
                    what,
                    value,
                    help,
                    known: Vec::new(),
                }
                .to_string()
                .replace("\nhelp: ", "; ")
                .replace("--during", "\"during\"")
                .replace("--where", "\"where\"");
                let mut e = ApiError::bad_request(message);
                if !known.is_empty() {
                    e = e.with("known", json!(known));
                }
                e
            }
            Error::NoRoute { reason } => ApiError::not_found(reason),
            e @ Error::Usage(_) => ApiError::bad_request(
                e.to_string()
                    .replace("--via ", "via ")
                    .replace("--avoid ", "avoid ")
                    .replace("--k ", "k "),
            ),
            e => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry = self.status == StatusCode::SERVICE_UNAVAILABLE;
        let mut body = self.body;
        body.insert("status".into(), json!(self.status.as_u16()));
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_vec(&Value::Object(body)).unwrap_or_default(),
        )
            .into_response();
        if retry {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
