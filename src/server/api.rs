//! The routes under `/api` (CONTRACT §3): incidents, comments, the
//! generation endpoint, stored reports and feedback.

use super::error::{ApiError, JsonBody};
use super::generate::{self, now};
use super::incidents::{Comment, Listing, LoadedIncident, ALERT_COMMENT};
use super::store::{Feedback, PostedComment};
use super::App;
use crate::report::render;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Graph's limit on a comment.
pub const COMMENT_MAX_CHARS: usize = 30_000;
/// The limit on feedback text.
pub const FEEDBACK_MAX_CHARS: usize = 10_000;
/// Who a posted comment is by when the request does not say
/// (`X-Incident-Report-User`).
pub const DEFAULT_AUTHOR: &str = "Incident report panel";

pub fn router(app: App) -> Router {
    Router::new()
        .route("/incidents", get(list))
        .route("/incidents/{id}", get(bundle))
        .route("/incidents/{id}/comments", get(comments).post(post_comment))
        .route("/incidents/{id}/report", post(generate::generate))
        .route(
            "/incidents/{id}/report/feedback",
            get(feedback).post(post_feedback),
        )
        .route("/incidents/{id}/report/{report_id}", get(stored_report))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "notFound", "no such API route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "methodNotAllowed",
        "this route does not answer that method",
    )
}

fn incident(app: &App, id: &str) -> Result<Arc<LoadedIncident>, ApiError> {
    app.inner
        .incidents
        .get(id)
        .cloned()
        .ok_or_else(|| ApiError::incident_not_found(id))
}

/// Runs a database call off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// Graph's collection shape, `{"value": [...]}`.
#[derive(serde::Serialize)]
struct Collection<T> {
    value: Vec<T>,
}

async fn list(State(app): State<App>) -> Json<Collection<Listing>> {
    let value = app
        .inner
        .incidents
        .iter()
        .map(|i| i.listing.clone())
        .collect();
    Json(Collection { value })
}

async fn bundle(State(app): State<App>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let loaded = incident(&app, &id)?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        loaded.bytes.clone(),
    )
        .into_response())
}

/// The bundle's comments, then the posted ones.
fn all_comments(loaded: &LoadedIncident, posted: Vec<PostedComment>) -> Collection<Comment> {
    let value: Vec<Comment> = loaded
        .comments
        .iter()
        .cloned()
        .chain(posted.into_iter().map(|p| Comment {
            odata_type: ALERT_COMMENT,
            comment: p.comment,
            created_by_display_name: Some(p.created_by),
            created_date_time: Some(p.created_at),
            report_id: p.report_id,
        }))
        .collect();
    Collection { value }
}

async fn comments(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<Collection<Comment>>, ApiError> {
    let loaded = incident(&app, &id)?;
    let store = app.inner.store.clone();
    let posted = blocking(move || store.comments(&id)).await?;
    Ok(Json(all_comments(&loaded, posted)))
}

#[derive(Deserialize)]
struct NewComment {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
    comment: Option<Value>,
    /// Optional: the generated report the comment was posted from.
    #[serde(rename = "reportId")]
    report_id: Option<String>,
}

async fn post_comment(
    State(app): State<App>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<NewComment>,
) -> Result<Json<Collection<Comment>>, ApiError> {
    let loaded = incident(&app, &id)?;
    if let Some(t) = body.odata_type.as_deref() {
        if t.trim_start_matches('#') != ALERT_COMMENT {
            return Err(ApiError::bad_request(
                "invalidComment",
                format!("@odata.type must be {ALERT_COMMENT:?}"),
            ));
        }
    }
    let comment = match body.comment {
        Some(Value::String(c)) if !c.trim().is_empty() => c,
        _ => {
            return Err(ApiError::bad_request(
                "invalidComment",
                "comment must be a non-empty string",
            ))
        }
    };
    let length = comment.chars().count();
    if length > COMMENT_MAX_CHARS {
        return Err(ApiError::bad_request(
            "commentTooLong",
            format!("a comment is at most {COMMENT_MAX_CHARS} characters; this one has {length}"),
        ));
    }
    let created_by = headers
        .get("x-incident-report-user")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| v.chars().take(200).collect())
        .unwrap_or_else(|| DEFAULT_AUTHOR.to_owned());
    let posted = PostedComment {
        comment,
        created_by,
        created_at: now(),
        report_id: body.report_id,
    };
    let store = app.inner.store.clone();
    let all = blocking(move || {
        if let Some(report) = &posted.report_id {
            if !store.has_report(&id, report)? {
                return Ok(None);
            }
        }
        store.add_comment(&id, &posted).map(Some)
    })
    .await?
    .ok_or_else(|| {
        ApiError::bad_request("unknownReport", "reportId names no report of this incident")
    })?;
    Ok(Json(all_comments(&loaded, all)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewFeedback {
    report_id: Option<String>,
    rating: Option<String>,
    text: Option<String>,
}

const RATINGS: [&str; 3] = ["confirmed", "offTarget", "harmful"];

async fn post_feedback(
    State(app): State<App>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewFeedback>,
) -> Result<Response, ApiError> {
    incident(&app, &id)?;
    let report_id = body
        .report_id
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::bad_request("invalidFeedback", "reportId is required"))?;
    let rating = body
        .rating
        .filter(|r| RATINGS.contains(&r.as_str()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalidFeedback",
                "rating must be one of confirmed, offTarget, harmful",
            )
        })?;
    let text = body.text.unwrap_or_default();
    if text.chars().count() > FEEDBACK_MAX_CHARS {
        return Err(ApiError::bad_request(
            "invalidFeedback",
            format!("feedback text is at most {FEEDBACK_MAX_CHARS} characters"),
        ));
    }
    let feedback = Feedback {
        id: uuid::Uuid::new_v4().simple().to_string(),
        report_id,
        rating,
        text,
        created_date_time: now(),
    };
    let store = app.inner.store.clone();
    let answer = json!({ "id": feedback.id });
    blocking(move || store.add_feedback(&id, &feedback))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "reportNotFound",
                "reportId names no generated report of this incident",
            )
        })?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

async fn feedback(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<Collection<Feedback>>, ApiError> {
    incident(&app, &id)?;
    let store = app.inner.store.clone();
    let value = blocking(move || store.feedback(&id)).await?;
    Ok(Json(Collection { value }))
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
}

/// A stored report: JSON as generated, or rendered (`?format=markdown|text|html`).
async fn stored_report(
    State(app): State<App>,
    Path((id, report_id)): Path<(String, String)>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let loaded = incident(&app, &id)?;
    let store = app.inner.store.clone();
    let stored = blocking(move || store.report(&id, &report_id))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "reportNotFound",
                "no generated report of this incident has that id",
            )
        })?;
    let format = query.format.as_deref().unwrap_or("json");
    let (content_type, body) = match format {
        "json" => ("application/json", stored.body),
        "markdown" | "text" | "html" => {
            let rebuilt = tokio::task::spawn_blocking(move || generate::rebuild(&loaded, &stored))
                .await
                .map_err(ApiError::internal)?
                .ok_or_else(|| ApiError::internal("a stored report names an unknown zone"))?;
            match format {
                "markdown" => (
                    "text/markdown; charset=utf-8",
                    render::markdown::render(&rebuilt),
                ),
                "text" => ("text/plain; charset=utf-8", render::text::render(&rebuilt)),
                _ => (
                    "text/html; charset=utf-8",
                    render::html::page(
                        &rebuilt,
                        render::html::Stylesheet::Linked(super::portal::REPORT_CSS_PATH),
                    ),
                ),
            }
        }
        other => {
            return Err(ApiError::bad_request(
                "unknownFormat",
                format!("format {other:?} is not one of json, markdown, text, html"),
            ))
        }
    };
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}
