//! The reference server over real HTTP: every route of CONTRACT §3, the
//! stream, durability, errors, access rules, the portal and the widget.
#![cfg(not(target_arch = "wasm32"))]

#[path = "server_support/mod.rs"]
mod support;

use incident_report::server::{App, Config, GenerationEnd, Incidents, CSP};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use support::*;

async fn get_json(url: &str) -> (StatusCode, Value) {
    let response = client().get(url).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn post_json(url: &str, body: &Value) -> (StatusCode, Value) {
    let response = client()
        .post(url)
        .header(ACCEPT, "application/json")
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {body}"))
}

async fn generate_json(setup: &Setup, id: &str) -> Value {
    let (status, body) = post_json(
        &setup.url(&format!("/api/incidents/{id}/report")),
        &json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn lists_incidents_in_the_contract_shape() {
    let setup = Setup::new().await;
    let (status, body) = get_json(&setup.url("/api/incidents")).await;
    assert_eq!(status, StatusCode::OK);
    let value = body["value"].as_array().unwrap();
    assert_eq!(value.len(), 4, "{body}");
    for row in value {
        let keys: Vec<_> = row.as_object().unwrap().keys().cloned().collect();
        for key in [
            "id",
            "displayName",
            "severity",
            "status",
            "lastUpdateDateTime",
        ] {
            assert!(keys.contains(&key.to_owned()), "{key} missing in {row}");
        }
    }
    let phishing = value.iter().find(|r| r["id"] == PHISHING).unwrap();
    assert!(phishing["displayName"].as_str().unwrap().len() > 3);
    assert!(phishing["lastUpdateDateTime"]
        .as_str()
        .unwrap()
        .starts_with("20"));
}

#[tokio::test]
async fn answers_the_bundle_as_loaded() {
    let setup = Setup::new().await;
    let response = client()
        .get(setup.url(&format!("/api/incidents/{RANSOMWARE}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let bytes = response.bytes().await.unwrap();
    let original = std::fs::read(setup.data_dir().join("ransomware-multistage.json")).unwrap();
    assert_eq!(bytes.as_ref(), original.as_slice());
}

#[tokio::test]
async fn unknown_incident_is_404_on_every_route() {
    let setup = Setup::new().await;
    let c = client();
    let base = setup.url("/api/incidents/nope");
    let answers = [
        c.get(&base).send().await.unwrap(),
        c.get(format!("{base}/comments")).send().await.unwrap(),
        c.post(format!("{base}/comments"))
            .json(&json!({"comment": "x"}))
            .send()
            .await
            .unwrap(),
        c.post(format!("{base}/report"))
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
        c.get(format!("{base}/report/feedback"))
            .send()
            .await
            .unwrap(),
        c.post(format!("{base}/report/feedback"))
            .json(&json!({"reportId": "r", "rating": "confirmed", "text": ""}))
            .send()
            .await
            .unwrap(),
    ];
    for response in answers {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "incidentNotFound");
        assert!(body["error"]["message"].as_str().unwrap().contains("nope"));
    }
}

#[tokio::test]
async fn streams_meta_seven_sections_and_done() {
    let setup = Setup::new().await;
    let response = stream_report(
        &setup.url(&format!("/api/incidents/{PHISHING}/report")),
        &json!({"timeZone": "Europe/Amsterdam"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    // The framing itself: `event: NAME\ndata: JSON\n\n`, nothing else.
    let text = response.text().await.unwrap();
    let frames: Vec<&str> = text.split("\n\n").filter(|f| !f.is_empty()).collect();
    assert_eq!(frames.len(), 9, "{text}");
    let mut names = Vec::new();
    let mut meta = Value::Null;
    for (i, frame) in frames.iter().enumerate() {
        let lines: Vec<&str> = frame.lines().collect();
        assert_eq!(lines.len(), 2, "frame {i}: {frame}");
        let name = lines[0].strip_prefix("event: ").expect("event line");
        let data: Value =
            serde_json::from_str(lines[1].strip_prefix("data: ").expect("data line")).unwrap();
        names.push(name.to_owned());
        match name {
            "meta" => meta = data,
            "section" => {
                assert_eq!(data["title"], TITLES[i - 1]);
                assert!(data["id"].is_string());
                assert!(data["groups"].is_array());
                assert_eq!(data["engine"], "grounded");
            }
            "done" => assert_eq!(data["reportId"], meta["reportId"]),
            other => panic!("unexpected event {other}"),
        }
    }
    let mut expected = vec!["meta".to_owned()];
    expected.extend(std::iter::repeat_n("section".to_owned(), 7));
    expected.push("done".into());
    assert_eq!(names, expected);
    assert_eq!(meta["incidentId"], PHISHING);
    assert_eq!(meta["engine"], "grounded");
    assert!(meta["generatedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(meta["reportId"].as_str().unwrap().len(), 32);
    // Times in the sections are in the zone asked for.
    assert!(text.contains("Europe/Amsterdam"));

    // The streamed report is stored under its id.
    let id = meta["reportId"].as_str().unwrap();
    let (status, stored) =
        get_json(&setup.url(&format!("/api/incidents/{PHISHING}/report/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored["sections"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn answers_the_whole_report_as_json_and_keeps_it() {
    let setup = Setup::new().await;
    let report = generate_json(&setup, RANSOMWARE).await;
    assert_eq!(report["incidentId"], RANSOMWARE);
    assert_eq!(report["generatedForZone"], "UTC");
    let titles: Vec<_> = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].clone())
        .collect();
    assert_eq!(titles, TITLES.map(Value::from).to_vec());
    let id = report["reportId"].as_str().unwrap();

    // Stored as answered.
    let base = setup.url(&format!("/api/incidents/{RANSOMWARE}/report/{id}"));
    let (status, stored) = get_json(&base).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored, report);
    // Exports.
    let markdown = get_text(&format!("{base}?format=markdown"), "text/markdown").await;
    for title in TITLES {
        assert!(markdown.contains(&format!("## {title}\n")), "{title}");
    }
    // Styled by a linked sheet (the server's CSP has no inline style).
    let html = get_text(&format!("{base}?format=html"), "text/html").await;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/assets/report.css\">"));
    assert!(!html.contains("<style"));
    assert!(get_text(&setup.url("/assets/report.css"), "text/css")
        .await
        .contains("@media print"));
    let text = get_text(&format!("{base}?format=text"), "text/plain").await;
    assert!(text.contains("Gaps and follow-ups"));
    let (status, body) = get_json(&format!("{base}?format=pdf")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "unknownFormat");
    // Unknown report, and a report asked for under another incident.
    let (status, body) =
        get_json(&setup.url(&format!("/api/incidents/{RANSOMWARE}/report/0000"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "reportNotFound");
    let (status, _) = get_json(&setup.url(&format!("/api/incidents/{PHISHING}/report/{id}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn time_zone_rules() {
    let setup = Setup::new().await;
    let url = setup.url(&format!("/api/incidents/{MINIMAL}/report"));
    // No body at all: UTC.
    let response = client()
        .post(&url)
        .header(ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["generatedForZone"], "UTC");
    let (status, body) = post_json(&url, &json!({"timeZone": "Asia/Tokyo"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["generatedForZone"], "Asia/Tokyo");
    for zone in ["Mars/Olympus_Mons", "", "utc+25"] {
        let (status, body) = post_json(&url, &json!({"timeZone": zone})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{zone}");
        assert_eq!(error_code(&body), "unknownTimeZone");
    }
    // Also on the stream: a plain 400 before any event.
    let response = stream_report(&url, &json!({"timeZone": "Nowhere/Town"})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_client_that_leaves_stops_the_generation() {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let setup = Setup::with(|c| c.section_gate = Some(gate.clone())).await;
    let mut ends = setup.server.app.generations();
    let response = stream_report(
        &setup.url(&format!("/api/incidents/{RANSOMWARE}/report")),
        &json!({}),
    )
    .await;
    let mut reader = SseReader::new(response);
    assert_eq!(reader.next().await.unwrap().event, "meta");
    gate.add_permits(1);
    let first = reader.next().await.unwrap();
    assert_eq!(
        (first.event.as_str(), &first.data["title"]),
        ("section", &json!("Summary"))
    );
    // The client goes away; the builder is waiting for its next permit.
    drop(reader);
    let end = tokio::time::timeout(Duration::from_secs(90), ends.recv())
        .await
        .expect("the generation ends once the client has gone")
        .unwrap();
    assert_eq!(end.end, GenerationEnd::ClientGone);
    assert_eq!(end.sections_built, 1);
    // Nothing was stored for it.
    let (status, _) = get_json(&setup.url(&format!(
        "/api/incidents/{RANSOMWARE}/report/{}",
        end.report_id
    )))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A client that stays gets everything.
    gate.add_permits(7);
    let response = stream_report(
        &setup.url(&format!("/api/incidents/{RANSOMWARE}/report")),
        &json!({}),
    )
    .await;
    let mut reader = SseReader::new(response);
    let mut names = Vec::new();
    while let Some(frame) = reader.next().await {
        names.push(frame.event);
        assert!(names.len() <= 9);
    }
    assert_eq!(names.len(), 9);
    let end = ends.recv().await.unwrap();
    assert_eq!((end.end, end.sections_built), (GenerationEnd::Complete, 7));
}

#[tokio::test]
async fn comments_are_the_bundles_then_the_posted_ones() {
    let setup = Setup::new().await;
    let url = setup.url(&format!("/api/incidents/{PHISHING}/comments"));
    let (status, body) = get_json(&url).await;
    assert_eq!(status, StatusCode::OK);
    let own = body["value"].as_array().unwrap().clone();
    assert_eq!(own.len(), 6);
    assert_eq!(
        own[0]["@odata.type"],
        "microsoft.graph.security.alertComment"
    );
    assert_eq!(own[0]["createdByDisplayName"], "Kai Carter");
    let times: Vec<_> = own
        .iter()
        .map(|c| c["createdDateTime"].as_str().unwrap().to_owned())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");

    let (status, body) = post_json(
        &url,
        &json!({"@odata.type": "microsoft.graph.security.alertComment", "comment": "Report reviewed <b>ok</b>"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let all = body["value"].as_array().unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(all[..6], own[..]);
    assert_eq!(all[6]["comment"], "Report reviewed <b>ok</b>");
    assert_eq!(all[6]["createdByDisplayName"], "Incident report panel");
    assert_eq!(
        all[6]["@odata.type"],
        "microsoft.graph.security.alertComment"
    );
    assert!(all[6]["createdDateTime"].as_str().unwrap().ends_with('Z'));

    // The author may come from a header; a comment may name its report.
    let report = generate_json(&setup, PHISHING).await;
    let response = client()
        .post(&url)
        .header("X-Incident-Report-User", "Dana Whitfield")
        .json(&json!({"comment": "posted from the panel", "reportId": report["reportId"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let last = body["value"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["createdByDisplayName"], "Dana Whitfield");
    assert_eq!(last["reportId"], report["reportId"]);
    let (_, listed) = get_json(&url).await;
    assert_eq!(listed, body);
    let (status, body) = post_json(&url, &json!({"comment": "x", "reportId": "nope"})).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "unknownReport")
    );
}

#[tokio::test]
async fn comment_rules() {
    let setup = Setup::new().await;
    let url = setup.url(&format!("/api/incidents/{MINIMAL}/comments"));
    // Exactly 30,000 characters (multi-byte ones count as one) is fine.
    let (status, _) = post_json(&url, &json!({"comment": "é".repeat(30_000)})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = post_json(&url, &json!({"comment": "a".repeat(30_001)})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "commentTooLong");
    for bad in [
        json!({}),
        json!({"comment": ""}),
        json!({"comment": 7}),
        json!({"@odata.type": "microsoft.graph.security.incident", "comment": "x"}),
    ] {
        let (status, body) = post_json(&url, &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error_code(&body), "invalidComment");
    }
    let (_, body) = get_json(&url).await;
    assert_eq!(body["value"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_comments_are_all_kept() {
    let setup = Setup::new().await;
    let url = setup.url(&format!("/api/incidents/{RANSOMWARE}/comments"));
    let (_, before) = get_json(&url).await;
    let own = before["value"].as_array().unwrap().len();
    let c = client();
    let posts = (0..200).map(|i| {
        let c = c.clone();
        let url = url.clone();
        tokio::spawn(async move {
            let response = c
                .post(&url)
                .json(&json!({"@odata.type": "microsoft.graph.security.alertComment", "comment": format!("note {i}")}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let body: Value = response.json().await.unwrap();
            let list = body["value"].as_array().unwrap();
            // The answer already holds this comment.
            assert!(list.iter().any(|c| c["comment"] == format!("note {i}")));
            list.len()
        })
    });
    let mut lengths = Vec::new();
    for post in posts.collect::<Vec<_>>() {
        lengths.push(post.await.unwrap());
    }
    lengths.sort();
    // Each post saw its own and all earlier ones: lengths are exactly own+1 ..= own+200.
    assert_eq!(lengths, (own + 1..=own + 200).collect::<Vec<_>>());
    let (_, after) = get_json(&url).await;
    let list = after["value"].as_array().unwrap();
    assert_eq!(list.len(), own + 200);
    let mut notes: Vec<_> = list[own..]
        .iter()
        .map(|c| c["comment"].as_str().unwrap().to_owned())
        .collect();
    notes.sort();
    notes.dedup();
    assert_eq!(notes.len(), 200);
}

#[tokio::test]
async fn feedback_names_a_stored_report() {
    let setup = Setup::new().await;
    let report = generate_json(&setup, PHISHING).await;
    let id = report["reportId"].as_str().unwrap();
    let url = setup.url(&format!("/api/incidents/{PHISHING}/report/feedback"));
    let mut ids = Vec::new();
    for (rating, text) in [
        ("confirmed", "looks right"),
        ("offTarget", "missed the inbox rule"),
        ("harmful", ""),
    ] {
        let (status, body) = post_json(
            &url,
            &json!({"reportId": id, "rating": rating, "text": text}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body.as_object().unwrap().len(), 1);
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (status, body) = get_json(&url).await;
    assert_eq!(status, StatusCode::OK);
    let list = body["value"].as_array().unwrap();
    assert_eq!(
        list.iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ids
    );
    assert_eq!(list[1]["rating"], "offTarget");
    assert_eq!(list[1]["text"], "missed the inbox rule");
    assert_eq!(list[1]["reportId"], id);
    assert!(list[1]["createdDateTime"].is_string());

    let (status, body) = post_json(
        &url,
        &json!({"reportId": id, "rating": "great", "text": ""}),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalidFeedback")
    );
    let (status, body) = post_json(&url, &json!({"rating": "confirmed"})).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalidFeedback")
    );
    let (status, body) = post_json(
        &url,
        &json!({"reportId": "0000", "rating": "confirmed", "text": ""}),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "reportNotFound")
    );
    // A report of another incident is not this incident's.
    let other = setup.url(&format!("/api/incidents/{MINIMAL}/report/feedback"));
    let (status, _) = post_json(
        &other,
        &json!({"reportId": id, "rating": "confirmed", "text": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body) = get_json(&other).await;
    assert_eq!(body, json!({"value": []}));
}

#[tokio::test]
async fn everything_survives_a_restart_on_the_same_database() {
    let data = fixture_data_dir();
    let state = tempfile::tempdir().unwrap();
    let config = Config::new(data.path(), state.path().join("reports.db"));
    let server = TestServer::start(config.clone()).await;
    let (_, report) = post_json(
        &server.url(&format!("/api/incidents/{PHISHING}/report")),
        &json!({"timeZone": "America/New_York"}),
    )
    .await;
    let id = report["reportId"].as_str().unwrap().to_owned();
    let (_, comments) = post_json(
        &server.url(&format!("/api/incidents/{PHISHING}/comments")),
        &json!({"comment": "kept across restarts"}),
    )
    .await;
    let (status, _) = post_json(
        &server.url(&format!("/api/incidents/{PHISHING}/report/feedback")),
        &json!({"reportId": id, "rating": "confirmed", "text": "good"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    server.stop().await;

    let server = TestServer::start(config).await;
    let (_, after) = get_json(&server.url(&format!("/api/incidents/{PHISHING}/comments"))).await;
    assert_eq!(after, comments);
    let (_, fb) =
        get_json(&server.url(&format!("/api/incidents/{PHISHING}/report/feedback"))).await;
    assert_eq!(fb["value"][0]["text"], "good");
    let (status, stored) =
        get_json(&server.url(&format!("/api/incidents/{PHISHING}/report/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored, report);
    let markdown = get_text(
        &server.url(&format!(
            "/api/incidents/{PHISHING}/report/{id}?format=markdown"
        )),
        "text/markdown",
    )
    .await;
    assert!(
        markdown.contains("Times are shown in America/New\\_York"),
        "{markdown}"
    );
}

#[tokio::test]
async fn bad_requests_get_json_errors() {
    let setup = Setup::new().await;
    let c = client();
    let comments = setup.url(&format!("/api/incidents/{PHISHING}/comments"));
    let send = |request: reqwest::RequestBuilder| async move {
        let response = request.send().await.unwrap();
        let status = response.status();
        assert!(response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        (status, response.json::<Value>().await.unwrap())
    };
    // Malformed JSON.
    let (status, body) = send(
        c.post(&comments)
            .header(CONTENT_TYPE, "application/json")
            .body("{\"comment\": "),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalidJson")
    );
    // Not JSON: a form post, plain text, no content type.
    for (content_type, body) in [
        (Some("application/x-www-form-urlencoded"), "comment=hi"),
        (Some("text/plain"), "{\"comment\": \"hi\"}"),
        (None, "{\"comment\": \"hi\"}"),
    ] {
        let mut request = c.post(&comments).body(body);
        if let Some(t) = content_type {
            request = request.header(CONTENT_TYPE, t);
        }
        let (status, body) = send(request).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupportedMediaType")
        );
    }
    let (status, _) = send(
        c.post(setup.url(&format!("/api/incidents/{PHISHING}/report")))
            .header(CONTENT_TYPE, "text/plain")
            .body("{}"),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Charset parameter is fine.
    let (status, _) = send(
        c.post(&comments)
            .header(CONTENT_TYPE, "application/json; charset=utf-8")
            .body("{\"comment\": \"hi\"}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Too large, with and without a declared length.
    let big = json!({"comment": "a".repeat(300 * 1024)}).to_string();
    let (status, body) = send(
        c.post(&comments)
            .header(CONTENT_TYPE, "application/json")
            .body(big.clone()),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payloadTooLarge")
    );
    let chunks: Vec<Result<String, std::io::Error>> = big
        .as_bytes()
        .chunks(8192)
        .map(|c| Ok(String::from_utf8_lossy(c).into_owned()))
        .collect();
    let streamed = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let (status, _) = send(
        c.post(&comments)
            .header(CONTENT_TYPE, "application/json")
            .body(streamed),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Unknown route and method under /api.
    let (status, body) = send(c.get(setup.url("/api/nothing/here"))).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "notFound")
    );
    let (status, body) = send(c.delete(setup.url(&format!("/api/incidents/{PHISHING}")))).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::METHOD_NOT_ALLOWED, "methodNotAllowed")
    );
}

#[tokio::test]
async fn token_rules() {
    let setup = Setup::with(|c| c.token = Some("s3cret-token\n".into())).await;
    let c = client();
    let url = setup.url("/api/incidents");
    for request in [
        c.get(&url),
        c.get(&url).bearer_auth("wrong"),
        c.get(&url).bearer_auth("s3cret-tokenX"),
        c.get(&url)
            .header("Authorization", "Basic czNjcmV0LXRva2Vu"),
        c.get(setup.url("/api/nothing")),
        c.post(setup.url(&format!("/api/incidents/{PHISHING}/comments")))
            .json(&json!({"comment": "x"})),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "unauthorized");
    }
    let response = c
        .get(&url)
        .bearer_auth("s3cret-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = c
        .post(setup.url(&format!("/api/incidents/{PHISHING}/report")))
        .bearer_auth("s3cret-token")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // The portal page and the stylesheet are not behind the token.
    assert_eq!(
        c.get(setup.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        c.get(setup.url("/assets/portal.css"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn no_cors_unless_an_origin_is_allowed() {
    let c = client();
    let closed = Setup::new().await;
    let response = c
        .get(closed.url("/api/incidents"))
        .header("Origin", "https://portal.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .headers()
        .keys()
        .all(|k| !k.as_str().starts_with("access-control-")));
    let preflight = c
        .request(reqwest::Method::OPTIONS, closed.url("/api/incidents"))
        .header("Origin", "https://portal.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight
        .headers()
        .keys()
        .all(|k| !k.as_str().starts_with("access-control-")));

    let open = Setup::with(|c| {
        c.allow_origin = Some("https://portal.example".into());
        c.token = Some("t".into());
    })
    .await;
    let preflight = c
        .request(
            reqwest::Method::OPTIONS,
            open.url(&format!("/api/incidents/{PHISHING}/comments")),
        )
        .header("Origin", "https://portal.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "https://portal.example");
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("content-type"),
        "{allowed}"
    );
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    let response = c
        .get(open.url("/api/incidents"))
        .header("Origin", "https://portal.example")
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://portal.example"
    );
    // Another origin gets no grant.
    let response = c
        .get(open.url("/api/incidents"))
        .header("Origin", "https://evil.example")
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn a_bad_file_is_skipped_and_named() {
    let data = fixture_data_dir();
    let bad_dir = support::fixtures_bad_dir();
    let mut bad = Vec::new();
    for entry in std::fs::read_dir(&bad_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "json") {
            let name = format!("bad-{}", path.file_name().unwrap().to_str().unwrap());
            std::fs::copy(&path, data.path().join(&name)).unwrap();
            bad.push(name);
        }
    }
    std::fs::write(
        data.path().join("zz-truncated.json"),
        b"{\"incident\": {\"id\": ",
    )
    .unwrap();
    std::fs::write(data.path().join("notes.txt"), b"not a bundle, not read").unwrap();
    let (incidents, skipped) = Incidents::load(data.path()).unwrap();
    assert_eq!(incidents.len(), 4);
    let skipped_names: Vec<String> = skipped
        .iter()
        .map(|s| s.file.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    assert!(skipped_names.contains(&"zz-truncated.json".to_owned()));
    assert!(skipped.iter().all(|s| !s.reason.is_empty()));
    assert!(skipped.len() >= bad.len() - 1, "{skipped:?}"); // a tolerated odd file may load
                                                            // And the server starts on it.
    let state = tempfile::tempdir().unwrap();
    let server = TestServer::start(Config::new(data.path(), state.path().join("db"))).await;
    let (status, body) = get_json(&server.url("/api/incidents")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["value"].as_array().unwrap().len() >= 4);
}

#[tokio::test]
async fn the_portal_page() {
    let data = fixture_data_dir();
    let hostile = json!({"incident": {
        "id": "666", "displayName": "<script>alert(1)</script> & \"quotes\"",
        "severity": "high", "status": "active",
        "createdDateTime": "2026-03-14T08:00:00Z", "lastUpdateDateTime": "2099-01-01T00:00:00Z",
        "alerts": []
    }});
    std::fs::write(data.path().join("hostile.json"), hostile.to_string()).unwrap();
    let state = tempfile::tempdir().unwrap();
    let server = TestServer::start(Config::new(data.path(), state.path().join("db"))).await;
    let c = client();
    let response = c.get(server.url("/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-security-policy"], CSP);
    assert!(CSP.contains("script-src 'self' 'wasm-unsafe-eval'") && !CSP.contains("unsafe-inline"));
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = response.text().await.unwrap();
    // The hostile title is text, not markup, and (latest update) is selected.
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert!(page.contains(
        "<incident-report-panel incident-id=\"666\" api-base=\"/api\"></incident-report-panel>"
    ));
    assert!(
        page.contains("<script type=\"module\" src=\"/widget/incident-report-panel.js\"></script>")
    );
    assert!(page.contains("<link rel=\"stylesheet\" href=\"/assets/portal.css\">"));
    // No inline script or style anywhere.
    assert_eq!(
        page.matches("<script").count(),
        page.matches("<script type=\"module\" src=").count()
    );
    assert!(!page.contains("style=") && !page.contains("<style"));
    for id in [PHISHING, RANSOMWARE, MINIMAL] {
        assert!(page.contains(&format!("href=\"/?incident={id}\"")), "{id}");
    }

    let page = c
        .get(server.url(&format!("/?incident={PHISHING}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(
        "<incident-report-panel incident-id=\"{PHISHING}\""
    )));
    assert!(page.contains(&format!(
        "<a href=\"/?incident={PHISHING}\" aria-current=\"true\">"
    )));
    let missing = c
        .get(server.url("/?incident=%3Cb%3E"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()["content-security-policy"], CSP);
    let page = missing.text().await.unwrap();
    assert!(page.contains("&lt;b&gt;") && !page.contains("<b>"));

    assert!(get_text(&server.url("/assets/portal.css"), "text/css")
        .await
        .contains(".portal"));
}

#[tokio::test]
async fn the_widget_build_is_compressed_and_cached() {
    let widget = tempfile::tempdir().unwrap();
    let js = "customElements.define('incident-report-panel', class extends HTMLElement {});\n"
        .repeat(40);
    std::fs::write(widget.path().join("incident-report-panel.js"), &js).unwrap();
    std::fs::write(widget.path().join("incident_report.js"), &js).unwrap();
    let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain(std::iter::repeat_n(0u8, 4000))
        .collect();
    std::fs::write(widget.path().join("incident_report_bg.wasm"), &wasm).unwrap();
    std::fs::write(widget.path().join(".secret"), b"hidden").unwrap();
    let dir = widget.path().to_owned();
    let setup = Setup::with(|c| c.widget_dir = dir).await;
    let c = client();
    for (file, mime) in [
        ("incident-report-panel.js", "text/javascript"),
        ("incident_report.js", "text/javascript"),
        ("incident_report_bg.wasm", "application/wasm"),
    ] {
        let url = setup.url(&format!("/widget/{file}"));
        let plain = c.get(&url).send().await.unwrap();
        assert_eq!(plain.status(), StatusCode::OK);
        assert!(
            plain.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(mime),
            "{file}"
        );
        assert_eq!(plain.headers()["cache-control"], "public, max-age=300");
        assert!(plain.headers().get("content-encoding").is_none());
        let original = std::fs::read(widget.path().join(file)).unwrap();
        assert_eq!(plain.bytes().await.unwrap().as_ref(), original.as_slice());
        for encoding in ["gzip", "br"] {
            let response = c
                .get(&url)
                .header("Accept-Encoding", encoding)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(response.headers()["content-encoding"], encoding, "{file}");
            assert!(response.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(mime));
            assert_eq!(response.headers()["cache-control"], "public, max-age=300");
            let compressed = response.bytes().await.unwrap();
            assert!(compressed.len() < original.len() / 4, "{file} {encoding}");
        }
    }
    for missing in [
        "/widget/nothing.js",
        "/widget/.secret",
        "/widget/..%2Fsecret",
        "/widget/a/b.js",
    ] {
        let response = c.get(setup.url(missing)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

/// The App can be opened on its own (no listener) and says what it serves.
#[tokio::test]
async fn opens_without_listening() {
    let data = fixture_data_dir();
    let state = tempfile::tempdir().unwrap();
    let app = App::open(&Config::new(data.path(), state.path().join("db"))).unwrap();
    assert_eq!(app.incidents().len(), 4);
    assert!(App::open(&Config::new(
        state.path().join("missing"),
        state.path().join("db2")
    ))
    .is_err());
}

/// A failure mid-way is an `error` event on the stream, a JSON 500 otherwise.
#[tokio::test]
async fn a_failure_mid_way_is_an_error_event() {
    let setup = Setup::new().await;
    // Break the store under the running server: the report cannot be kept.
    let db = rusqlite::Connection::open(setup.db()).unwrap();
    db.execute_batch("DROP TABLE feedback; DROP TABLE reports;")
        .unwrap();
    drop(db);
    let url = setup.url(&format!("/api/incidents/{PHISHING}/report"));
    let response = stream_report(&url, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut reader = SseReader::new(response);
    let mut names = Vec::new();
    let mut last = None;
    while let Some(frame) = reader.next().await {
        names.push(frame.event.clone());
        last = Some(frame);
        assert!(names.len() <= 9);
    }
    assert_eq!(names.first().map(String::as_str), Some("meta"));
    assert!(!names.contains(&"done".to_owned()), "{names:?}");
    let last = last.unwrap();
    assert_eq!(last.event, "error");
    assert!(last.data["message"]
        .as_str()
        .unwrap()
        .contains("could not be stored"));

    let (status, body) = post_json(&url, &json!({})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_code(&body), "internal");
}

/// At scale the stream carries what the panel shows (each group's shown rows
/// and how many were left out); the stored report keeps every item.
#[tokio::test]
async fn streams_a_digest_of_a_large_incident_and_stores_the_whole_report() {
    let setup = Setup::with(|config| {
        std::fs::write(config.data.join("large.json"), large_bundle()).unwrap();
    })
    .await;
    let response = stream_report(
        &setup.url("/api/incidents/900001/report"),
        &json!({"timeZone": "UTC"}),
    )
    .await;
    let mut stream = SseReader::new(response);
    let (mut sections, mut report_id, mut streamed) = (Vec::new(), String::new(), 0);
    while let Some(frame) = stream.next().await {
        streamed += frame.data.to_string().len();
        match frame.event.as_str() {
            "section" => sections.push(frame.data),
            "meta" => report_id = frame.data["reportId"].as_str().unwrap().to_owned(),
            _ => {}
        }
    }
    assert_eq!(sections.len(), 7);
    let (_, whole) =
        get_json(&setup.url(&format!("/api/incidents/900001/report/{report_id}"))).await;
    let mut omitted = 0;
    for (sent, kept) in sections.iter().zip(whole["sections"].as_array().unwrap()) {
        assert_eq!(sent["id"], kept["id"]);
        for (g, k) in sent["groups"]
            .as_array()
            .unwrap()
            .iter()
            .zip(kept["groups"].as_array().unwrap())
        {
            let (items, shown) = (
                g["items"].as_array().unwrap().len(),
                g["shown"].as_u64().unwrap(),
            );
            let left_out = g["omitted"].as_u64().unwrap_or(0);
            assert!(
                items as u64 <= shown,
                "{}: {items} items sent, {shown} shown",
                g["id"]
            );
            assert_eq!(
                items as u64 + left_out,
                k["items"].as_array().unwrap().len() as u64
            );
            assert!(k.get("omitted").is_none(), "the stored report is whole");
            omitted += left_out;
        }
    }
    assert!(omitted > 10_000, "{omitted} items left out of the stream");
    assert!(
        streamed * 5 < whole.to_string().len(),
        "stream {streamed} bytes"
    );
}
