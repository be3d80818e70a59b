//! Access to the API: with a token configured, every `/api` request needs
//! `Authorization: Bearer <token>` (compared in constant time).

use super::error::ApiError;
use super::App;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

pub async fn require_token(State(app): State<App>, request: Request, next: Next) -> Response {
    let Some(token) = &app.inner.token else {
        return next.run(request).await;
    };
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    match presented {
        Some(p) if bool::from(p.as_bytes().ct_eq(token.as_bytes())) => next.run(request).await,
        Some(_) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "the bearer token is not valid",
        )
        .into_response(),
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this API needs Authorization: Bearer <token>",
        )
        .into_response(),
    }
}
