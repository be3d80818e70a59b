//! Talking HTTP from the browser: `fetch` with an abort signal, errors as text.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

/// Why a request gave no usable answer.
#[derive(Clone, Debug, PartialEq)]
pub enum HttpError {
    /// Network failure or abort.
    Network(String),
    /// An answer with a 4xx/5xx status, and the server's message.
    Status(u16, String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Network(m) => write!(f, "network error: {m}"),
            HttpError::Status(code, m) => write!(f, "HTTP {code}: {m}"),
        }
    }
}

fn js_text(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// GETs `url` and answers its body as bytes.
pub async fn get_bytes(url: &str, abort: &AbortController) -> Result<Vec<u8>, HttpError> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_signal(Some(&abort.signal()));
    let window = web_sys::window().ok_or_else(|| HttpError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|e| HttpError::Network(js_text(e)))?
        .unchecked_into();
    let body = JsFuture::from(
        response
            .array_buffer()
            .map_err(|e| HttpError::Network(js_text(e)))?,
    )
    .await
    .map_err(|e| HttpError::Network(js_text(e)))?;
    let bytes = js_sys::Uint8Array::new(&body).to_vec();
    if !response.ok() {
        return Err(HttpError::Status(response.status(), error_message(&bytes)));
    }
    Ok(bytes)
}

/// The `message` of an API error body `{"error": {"code", "message"}}`, or the raw text.
fn error_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Body {
        error: Detail,
    }
    #[derive(serde::Deserialize)]
    struct Detail {
        message: String,
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(b) => b.error.message,
        Err(_) => crate::model::clip(&String::from_utf8_lossy(body), 200),
    }
}
