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
pub async fn get_bytes(
    url: &str,
    access: &Access,
    abort: &AbortController,
) -> Result<Vec<u8>, HttpError> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_signal(Some(&abort.signal()));
    access.apply(&init, &[])?;
    let response = fetch(url, &init).await?;
    let bytes = read_all(&response).await?;
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

/// A request's extra headers (e.g. a bearer token) and credentials mode.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Access {
    pub headers: Vec<(String, String)>,
    /// `omit`, `same-origin` or `include`; the browser's default when unset.
    pub credentials: Option<String>,
}

impl Access {
    fn apply(&self, init: &RequestInit, extra: &[(&str, &str)]) -> Result<(), HttpError> {
        let headers = web_sys::Headers::new().map_err(|e| HttpError::Network(js_text(e)))?;
        let all = self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        for (name, value) in all.chain(extra.iter().copied()) {
            headers
                .set(name, value)
                .map_err(|e| HttpError::Network(js_text(e)))?;
        }
        init.set_headers(&headers);
        match self.credentials.as_deref() {
            Some("omit") => init.set_credentials(web_sys::RequestCredentials::Omit),
            Some("include") => init.set_credentials(web_sys::RequestCredentials::Include),
            Some("same-origin") => init.set_credentials(web_sys::RequestCredentials::SameOrigin),
            _ => {}
        }
        Ok(())
    }
}

/// POSTs `body` as JSON asking for an event stream, and hands each event to
/// `on_event` as it arrives; `on_event` answers false to stop reading.
pub async fn post_event_stream(
    url: &str,
    body: &str,
    access: &Access,
    abort: &AbortController,
    mut on_event: impl FnMut(crate::sse::Event) -> bool,
) -> Result<(), HttpError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_signal(Some(&abort.signal()));
    init.set_body(&JsValue::from_str(body));
    access.apply(
        &init,
        &[
            ("Accept", "text/event-stream"),
            ("Content-Type", "application/json"),
        ],
    )?;
    let response = fetch(url, &init).await?;
    if !response.ok() {
        let bytes = read_all(&response).await?;
        return Err(HttpError::Status(response.status(), error_message(&bytes)));
    }
    let stream = response
        .body()
        .ok_or_else(|| HttpError::Network("the answer has no body".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut decoder = crate::sse::Decoder::default();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| HttpError::Network(js_text(e)))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .map(|d| d.is_truthy())
            .unwrap_or(true);
        if done {
            return Ok(());
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(|e| HttpError::Network(js_text(e)))?;
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        for event in decoder.feed(&bytes) {
            if !on_event(event) {
                let _ = reader.cancel();
                return Ok(());
            }
        }
    }
}

/// Sends `body` as JSON with `method`; answers the response body.
pub async fn send_json(
    method: &str,
    url: &str,
    body: &str,
    access: &Access,
) -> Result<Vec<u8>, HttpError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_body(&JsValue::from_str(body));
    access.apply(&init, &[("Content-Type", "application/json")])?;
    let response = fetch(url, &init).await?;
    let bytes = read_all(&response).await?;
    if !response.ok() {
        return Err(HttpError::Status(response.status(), error_message(&bytes)));
    }
    Ok(bytes)
}

async fn fetch(url: &str, init: &RequestInit) -> Result<Response, HttpError> {
    let window = web_sys::window().ok_or_else(|| HttpError::Network("no window".into()))?;
    Ok(JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .map_err(|e| HttpError::Network(js_text(e)))?
        .unchecked_into())
}

async fn read_all(response: &Response) -> Result<Vec<u8>, HttpError> {
    let buffer = response
        .array_buffer()
        .map_err(|e| HttpError::Network(js_text(e)))?;
    let body = JsFuture::from(buffer)
        .await
        .map_err(|e| HttpError::Network(js_text(e)))?;
    Ok(js_sys::Uint8Array::new(&body).to_vec())
}
