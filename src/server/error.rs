//! API errors as JSON (`{"error": {"code", "message"}}`), and the extractor
//! that reads a JSON request body under the contract's rules.

use super::BODY_LIMIT;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn incident_not_found(id: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "incidentNotFound",
            format!("no incident with id {id:?}"),
        )
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        tracing::error!(%message, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to answer; see its log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "code": self.code, "message": self.message }
        });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// A JSON request body: `application/json` or 415, at most [`BODY_LIMIT`]
/// bytes or 413, well-formed or 400. An empty body reads as `default` when
/// the route allows one (`JsonBody::<T>::optional`).
pub struct JsonBody<T>(pub T);

/// An optional JSON body: empty (with any or no content type) is `None`.
pub struct OptionalJsonBody<T>(pub Option<T>);

async fn read_body(request: Request, allow_empty: bool) -> Result<Option<Bytes>, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(length) = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if length > BODY_LIMIT as u64 {
            return Err(too_large());
        }
    }
    let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| too_large())?;
    if bytes.is_empty() && allow_empty {
        return Ok(None);
    }
    if !content_type.as_deref().is_some_and(is_json) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupportedMediaType",
            "the request body must be JSON, sent with Content-Type: application/json",
        ));
    }
    Ok(Some(bytes))
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request("invalidJson", format!("the request body is not valid: {e}"))
    })
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payloadTooLarge",
        format!("the request body is larger than {BODY_LIMIT} bytes"),
    )
}

/// `application/json`, with parameters (`; charset=utf-8`) or not.
fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let bytes = read_body(request, false).await?.unwrap_or_default();
        parse(&bytes).map(JsonBody)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        match read_body(request, true).await? {
            Some(bytes) => parse(&bytes).map(|v| OptionalJsonBody(Some(v))),
            None => Ok(OptionalJsonBody(None)),
        }
    }
}
