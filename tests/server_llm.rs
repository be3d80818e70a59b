//! The optional language model, against a fake OpenAI-compatible Chat
//! Completions server in this test: grounded sentences are kept, invented
//! ones dropped, and on a slow, failing or nonsensical model the grounded
//! report stands and says so.
#![cfg(not(target_arch = "wasm32"))]

#[path = "server_support/mod.rs"]
mod support;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use incident_report::server::llm::LlmConfig;
use reqwest::header::ACCEPT;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

const SUMMARY_GROUNDED: [&str; 3] = [
    "This High severity incident involves one user reported by multiple sources.",
    "The activity ran from 08:26:04 to 08:41:05 UTC on 2026-03-14 across 4 alerts.",
    "Tags include BEC and AiTM.",
];
const SUMMARY_INVENTED: [&str; 2] = [
    "The attacker exfiltrated data to 203.0.113.99.",
    "Kevin Mitnick approved the password reset.",
];
const CONCLUSION_GROUNDED: [&str; 2] = [
    "The incident was classified as True positive with determination Phishing.",
    "It is Resolved since 2026-03-14 11:40:03 UTC.",
];
const CONCLUSION_INVENTED: [&str; 1] = ["It had 17 alerts and was closed by Mallory."];

/// One request the fake model received: its Authorization header and body.
type Received = (Option<String>, Value);

/// What the fake model received.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Received>>>);

fn answer_for(request: &Value) -> String {
    let user = request["messages"][1]["content"]
        .as_str()
        .unwrap_or_default();
    let (grounded, invented): (&[&str], &[&str]) = if user.starts_with("Section: Summary") {
        (&SUMMARY_GROUNDED, &SUMMARY_INVENTED)
    } else {
        (&CONCLUSION_GROUNDED, &CONCLUSION_INVENTED)
    };
    // Invented sentences in between the grounded ones.
    let mut out = vec![grounded[0], invented[0], grounded[1]];
    out.extend(&invented[1..]);
    out.extend(&grounded[2..]);
    out.join(" ")
}

fn remember(seen: &Seen, headers: &HeaderMap, body: &Value) {
    let auth = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap().to_owned());
    seen.0.lock().unwrap().push((auth, body.clone()));
}

async fn streamed(
    State(seen): State<Seen>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    remember(&seen, &headers, &body);
    let text = answer_for(&body);
    let mut frames: Vec<Result<String, std::io::Error>> = text
        .as_bytes()
        .chunks(7)
        .map(|piece| {
            let piece = String::from_utf8_lossy(piece);
            Ok(format!(
                "data: {}\n\n",
                json!({"choices": [{"index": 0, "delta": {"content": piece}}]})
            ))
        })
        .collect();
    frames.insert(
        0,
        Ok(format!(
            "data: {}\n\n",
            json!({"choices": [{"delta": {"role": "assistant"}}]})
        )),
    );
    frames.push(Ok("data: [DONE]\n\n".into()));
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        Body::from_stream(futures_util::stream::iter(frames)),
    )
        .into_response()
}

async fn plain(State(seen): State<Seen>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    remember(&seen, &headers, &body);
    Json(json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": answer_for(&body)}}]})).into_response()
}

async fn invented_only(Json(_): Json<Value>) -> Response {
    Json(json!({"choices": [{"message": {"content": SUMMARY_INVENTED.join(" ")}}]})).into_response()
}

async fn never(Json(_): Json<Value>) -> Response {
    // Never answers: only the timeout ends the call.
    std::future::pending::<Response>().await
}

async fn garbage() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        "<html>upstream says hi</html>",
    )
        .into_response()
}

async fn garbage_stream() -> Response {
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        "data: {not json\n\n",
    )
        .into_response()
}

async fn failing() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response()
}

async fn fake_model() -> (String, Seen) {
    let seen = Seen::default();
    let router = Router::new()
        .route("/stream/v1/chat/completions", post(streamed))
        .route("/plain/v1/chat/completions", post(plain))
        .route("/invented/v1/chat/completions", post(invented_only))
        .route("/slow/v1/chat/completions", post(never))
        .route("/garbage/v1/chat/completions", post(garbage))
        .route("/garbage-stream/v1/chat/completions", post(garbage_stream))
        .route("/error/v1/chat/completions", post(failing))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), seen)
}

async fn setup_with_model(url: String) -> Setup {
    Setup::with(|c| {
        let mut llm = LlmConfig::new(url, "fake-model".into(), Some("test-key".into()));
        llm.timeout = Duration::from_millis(500);
        c.llm = Some(llm);
    })
    .await
}

async fn report(setup: &Setup) -> Value {
    let response = client()
        .post(setup.url(&format!("/api/incidents/{PHISHING}/report")))
        .header(ACCEPT, "application/json")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn section<'a>(report: &'a Value, title: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == title)
        .unwrap()
}

fn assert_grounded_narrative(report: &Value) {
    assert_eq!(report["engine"], "grounded+llm:fake-model");
    let titles: Vec<_> = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].clone())
        .collect();
    assert_eq!(titles, TITLES.map(Value::from).to_vec());
    for (title, grounded, invented) in [
        ("Summary", &SUMMARY_GROUNDED[..], &SUMMARY_INVENTED[..]),
        (
            "Conclusion",
            &CONCLUSION_GROUNDED[..],
            &CONCLUSION_INVENTED[..],
        ),
    ] {
        let s = section(report, title);
        assert_eq!(s["engine"], "grounded+llm:fake-model", "{title}");
        let narrative = &s["narrative"];
        assert_eq!(narrative["text"], grounded.join(" "), "{title}");
        assert_eq!(narrative["droppedSentences"], invented.len());
        assert_eq!(narrative["engine"], "llm:fake-model");
        assert_eq!(s["groups"][0]["id"], "narrative");
        assert_eq!(s["groups"][0]["summary"], grounded.join(" "));
        // The engine's own facts are all still there, after the narrative.
        assert!(s["groups"].as_array().unwrap().len() > 1);
    }
    let whole = report.to_string();
    for invented in SUMMARY_INVENTED.iter().chain(&CONCLUSION_INVENTED) {
        assert!(!whole.contains(invented), "{invented}");
    }
    for other in [
        "Responders",
        "Key timestamps",
        "Actions taken",
        "Impacted assets",
        "Gaps and follow-ups",
    ] {
        assert_eq!(section(report, other)["engine"], "grounded");
        assert!(section(report, other).get("narrative").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_answer_is_checked_sentence_by_sentence() {
    let (model, seen) = fake_model().await;
    let setup = setup_with_model(format!("{model}/stream/v1")).await;
    let report = report(&setup).await;
    assert_grounded_narrative(&report);

    // The prompt: only the engine's facts, the model asked for, the key sent.
    let seen = seen.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for (auth, request) in &seen {
        assert_eq!(auth.as_deref(), Some("Bearer test-key"));
        assert_eq!(request["model"], "fake-model");
        assert_eq!(request["stream"], true);
        assert_eq!(request["messages"][0]["role"], "system");
        let user = request["messages"][1]["content"].as_str().unwrap();
        assert!(user.contains("(id 41017)"));
        // Comments are not Summary or Conclusion facts: they stay out.
        assert!(!user.contains("Megan Bowen clicked the remittance link"));
    }
    let summary = seen[0].1["messages"][1]["content"].as_str().unwrap();
    assert!(summary.starts_with("Section: Summary\nFacts:\n"));
    assert!(summary.contains("- Severity: High"));
    let conclusion = seen[1].1["messages"][1]["content"].as_str().unwrap();
    assert!(conclusion.contains("- Determination: Phishing"));

    // The stored report and its exports carry the narrative.
    let id = report["reportId"].as_str().unwrap();
    let markdown = get_text(
        &setup.url(&format!(
            "/api/incidents/{PHISHING}/report/{id}?format=markdown"
        )),
        "text/markdown",
    )
    .await;
    assert!(markdown.contains("Narrative (written by llm:fake-model, checked against the data)"));
    assert!(markdown.contains("Tags include BEC and AiTM."));
    assert!(!markdown.contains("Mitnick"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_answer_works_too_and_the_stream_says_who_wrote_what() {
    let (model, _) = fake_model().await;
    let setup = setup_with_model(format!("{model}/plain/v1/chat/completions")).await;
    assert_grounded_narrative(&report(&setup).await);

    let response = stream_report(
        &setup.url(&format!("/api/incidents/{PHISHING}/report")),
        &json!({}),
    )
    .await;
    let mut reader = SseReader::new(response);
    let meta = reader.next().await.unwrap();
    assert_eq!(meta.data["engine"], "grounded+llm:fake-model");
    let summary = reader.next().await.unwrap();
    assert_eq!(summary.data["title"], "Summary");
    assert_eq!(summary.data["engine"], "grounded+llm:fake-model");
    assert_eq!(
        summary.data["narrative"]["text"],
        SUMMARY_GROUNDED.join(" ")
    );
    let mut rest = Vec::new();
    while let Some(frame) = reader.next().await {
        rest.push(frame.event);
        assert!(rest.len() <= 7);
    }
    assert_eq!(rest.last().map(String::as_str), Some("done"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_failure_the_grounded_report_stands() {
    let (model, _) = fake_model().await;
    for (path, reason) in [
        ("slow", "in time"),
        ("garbage", "not a Chat Completions answer"),
        ("garbage-stream", "not a Chat Completions answer"),
        ("error", "HTTP 500"),
        ("invented", "no sentence"),
    ] {
        let setup = setup_with_model(format!("{model}/{path}/v1")).await;
        let report = report(&setup).await;
        assert_eq!(report["sections"].as_array().unwrap().len(), 7, "{path}");
        for title in ["Summary", "Conclusion"] {
            let s = section(&report, title);
            assert_eq!(s["engine"], "grounded", "{path} {title}");
            assert!(s["narrative"]["text"].is_null(), "{path}");
            let fallback = s["narrative"]["fallback"].as_str().unwrap();
            assert!(fallback.contains(reason), "{path}: {fallback}");
            assert_ne!(s["groups"][0]["id"], "narrative");
            assert!(!s["groups"].as_array().unwrap().is_empty());
        }
        assert!(!report.to_string().contains("Mitnick"));
    }
}

#[tokio::test]
async fn an_unreachable_model_is_a_fallback_not_a_failure() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let setup = setup_with_model(format!("http://{addr}/v1")).await;
    let report = report(&setup).await;
    let summary = section(&report, "Summary");
    assert_eq!(summary["engine"], "grounded");
    assert!(summary["narrative"]["fallback"]
        .as_str()
        .unwrap()
        .contains("could not be reached"));
}
