//! The demo portal page at `/` (the incident queue, and the panel beside the
//! selected incident), its stylesheet, and the widget build under `/widget/`.

use super::App;
use crate::report::render::html::{self, escape};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::fmt::Write;

const PORTAL_CSS: &str = include_str!("../../www/portal.css");

/// Where a served standalone report finds its stylesheet (no inline style
/// under the server's CSP).
pub const REPORT_CSS_PATH: &str = "/assets/report.css";

/// Widget files are not content-hashed: browsers may reuse them for 5 minutes.
const WIDGET_CACHE: &str = "public, max-age=300";

pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/assets/portal.css", get(|| stylesheet(PORTAL_CSS)))
        .route(REPORT_CSS_PATH, get(|| stylesheet(html::STYLE)))
        .route("/widget/{file}", get(widget_file))
        .with_state(app)
}

#[derive(Deserialize)]
struct PageQuery {
    incident: Option<String>,
}

async fn page(State(app): State<App>, Query(query): Query<PageQuery>) -> Response {
    let incidents = &app.inner.incidents;
    let selected = match query.incident.as_deref() {
        Some(id) => incidents.get(id).map(|i| i.listing.id.clone()).ok_or(id),
        None => Ok(incidents
            .iter()
            .next()
            .map(|i| i.listing.id.clone())
            .unwrap_or_default()),
    };
    let mut queue = String::new();
    for loaded in incidents.iter() {
        let l = &loaded.listing;
        let current = selected.as_deref() == Ok(l.id.as_str());
        let _ = writeln!(
            queue,
            "<li><a href=\"/?incident={href}\"{current}>{name}<span class=\"sev sev-{sev}\">{sev} · {status} · {id}</span></a></li>",
            href = escape(&percent_encode(&l.id)),
            current = if current { " aria-current=\"true\"" } else { "" },
            name = escape(&l.display_name),
            sev = escape(&l.severity),
            status = escape(&l.status),
            id = escape(&l.id),
        );
    }
    let (status, detail) = match &selected {
        Ok(id) if !id.is_empty() => (
            StatusCode::OK,
            format!(
                "<incident-report-panel incident-id=\"{}\" api-base=\"/api\"></incident-report-panel>",
                escape(id)
            ),
        ),
        Ok(_) => (StatusCode::OK, "<p>No incidents are served.</p>".to_owned()),
        Err(id) => (
            StatusCode::NOT_FOUND,
            format!("<p>No incident with id <code>{}</code>.</p>", escape(id)),
        ),
    };
    let title = match &selected {
        Ok(id) => incidents
            .get(id)
            .map(|i| format!("{} – Incidents", i.listing.display_name))
            .unwrap_or_else(|| "Incidents".into()),
        Err(_) => "Incident not found – Incidents".into(),
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/assets/portal.css\">\n\
<script type=\"module\" src=\"/widget/incident-report-panel.js\"></script>\n</head>\n<body>\n\
<header class=\"portal-bar\"><strong>Contoso SOC</strong> <span>Incidents</span></header>\n\
<main class=\"portal\">\n<nav class=\"queue\" aria-label=\"Incident queue\"><h1>Incidents</h1><ul>\n{queue}</ul></nav>\n\
<section class=\"detail\" aria-label=\"Selected incident\">\n{detail}\n</section>\n</main>\n</body>\n</html>\n",
        title = escape(&title),
    );
    (status, Html(html)).into_response()
}

/// `%`-encodes everything but unreserved characters (for a query value).
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

async fn stylesheet(css: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, WIDGET_CACHE),
        ],
        css,
    )
        .into_response()
}

/// A file of the widget build (one path segment, no hidden files).
async fn widget_file(State(app): State<App>, Path(file): Path<String>) -> Response {
    let valid = !file.starts_with('.')
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain")],
            "not found\n",
        )
            .into_response()
    };
    if !valid {
        return not_found();
    }
    let path = app.inner.widget_dir.join(&file);
    let bytes = match tokio::task::spawn_blocking(move || std::fs::read(path)).await {
        Ok(Ok(bytes)) => bytes,
        _ => return not_found(),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime(&file)));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(WIDGET_CACHE),
    );
    response
}

fn mime(file: &str) -> &'static str {
    match file.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
