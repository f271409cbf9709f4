//! What every request passes through: the `Host` check against DNS
//! rebinding (a page on another site whose name is made to point at
//! 127.0.0.1 sends its own name as `Host`, so only this server's own names
//! are answered), a refusal of cross-site `Origin`s, and the security
//! headers on every response: a strict Content-Security-Policy, no sniffing,
//! no framing, no referrer.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;
use super::reply::ApiError;

/// The page's policy: its own script and styles, JSON from itself, images
/// it makes (exports); nothing from anywhere else, no inline script.
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Everything else (JSON, exports) runs nothing and loads nothing.
pub const DATA_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The names this server answers to.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: SocketAddr,
}

/// The URL to open for a bound address.
pub fn url(bound: SocketAddr) -> String {
    let host = match bound.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}/", bound.port())
}

impl Hosts {
    pub fn new(bound: SocketAddr) -> Hosts {
        Hosts { bound }
    }

    /// `localhost`, a loopback address, or the bound address, on our port;
    /// when bound to every interface, any address literal (a name is what
    /// rebinding needs, and names other than localhost stay refused).
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        if port != Some(self.bound.port()) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        match literal.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bound.ip() || self.bound.ip().is_unspecified(),
            Err(_) => false,
        }
    }
}

fn refused(message: String) -> Response {
    let mut response = ApiError::new(StatusCode::FORBIDDEN, message).into_response();
    secure(&mut response, DATA_POLICY);
    response
}

fn secure(response: &mut Response, policy: &'static str) {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-cache"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
}

pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    let home = url(app.hosts.bound);
    if !app.hosts.allows(&host) {
        return refused(format!(
            "refused: Host \"{host}\" is not this server (a guard against DNS rebinding); open {home}"
        ));
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let same = origin
            .strip_prefix("http://")
            .is_some_and(|o| o.eq_ignore_ascii_case(&host));
        if !same {
            return refused(format!(
                "refused: a request from another site ({origin}); open {home}"
            ));
        }
    }
    let page = !request.uri().path().starts_with("/api");
    let mut response = next.run(request).await;
    secure(&mut response, if page { PAGE_POLICY } else { DATA_POLICY });
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_names_and_port_pass() {
        let hosts = Hosts::new("127.0.0.1:7878".parse().unwrap());
        for ok in [
            "127.0.0.1:7878",
            "localhost:7878",
            "LOCALHOST:7878",
            "[::1]:7878",
            "127.0.0.2:7878",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for no in [
            "evil.example:7878",
            "127.0.0.1:80",
            "127.0.0.1",
            "",
            "192.168.1.4:7878",
            "localhost.evil.example:7878",
            "127.0.0.1:7878.evil",
        ] {
            assert!(!hosts.allows(no), "{no}");
        }
    }

    #[test]
    fn every_interface_allows_address_literals_only() {
        let hosts = Hosts::new("0.0.0.0:7878".parse().unwrap());
        assert!(hosts.allows("192.168.1.4:7878"));
        assert!(!hosts.allows("attacker.example:7878"));
    }
}
