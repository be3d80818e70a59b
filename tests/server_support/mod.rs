//! Shared by the server tests: a real server on 127.0.0.1:0 over a temp
//! copy of the shared fixtures and a temp database, and an SSE reader.
#![allow(dead_code, unused_imports)]

use incident_report::server::{App, Config};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tokio::task::JoinHandle;

#[path = "../common/mod.rs"]
mod common;

/// Incident ids of the shared fixtures.
pub const PHISHING: &str = "41017";
pub const RANSOMWARE: &str = "2972395";
pub const MINIMAL: &str = "5120";

pub use common::{large_bundle, TITLES};

/// A temp data directory holding copies of `../shared/fixtures/*.json`.
pub fn fixture_data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::fixtures_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "json") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

pub struct TestServer {
    pub base: String,
    pub addr: SocketAddr,
    pub app: App,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Starts the real router on 127.0.0.1:0.
    pub async fn start(config: Config) -> TestServer {
        let app = App::open(&config).expect("server opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = app.router();
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        TestServer {
            base: format!("http://{addr}"),
            addr,
            app,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops accepting and drops the router (and with it the database).
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

/// A data dir with the fixtures, a db in a temp dir, and a server on them.
pub struct Setup {
    pub data: tempfile::TempDir,
    pub state: tempfile::TempDir,
    pub server: TestServer,
}

impl Setup {
    pub async fn new() -> Setup {
        Setup::with(|_| {}).await
    }

    pub async fn with(configure: impl FnOnce(&mut Config)) -> Setup {
        let data = fixture_data_dir();
        let state = tempfile::tempdir().unwrap();
        let mut config = Config::new(data.path(), state.path().join("reports.db"));
        configure(&mut config);
        let server = TestServer::start(config).await;
        Setup {
            data,
            state,
            server,
        }
    }

    pub fn db(&self) -> PathBuf {
        self.state.path().join("reports.db")
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
}

/// One Server-Sent Event.
#[derive(Debug)]
pub struct Frame {
    pub event: String,
    pub data: serde_json::Value,
}

/// POSTs to the generation endpoint `url` asking for the event stream, with `body`.
pub async fn stream_report(url: &str, body: &serde_json::Value) -> reqwest::Response {
    client()
        .post(url)
        .header(reqwest::header::ACCEPT, "text/event-stream")
        .json(body)
        .send()
        .await
        .unwrap()
}

/// GETs `url`, checks it is served as `kind` (e.g. `text/css`), and answers its text.
pub async fn get_text(url: &str, kind: &str) -> String {
    let answer = client().get(url).send().await.unwrap();
    let served = answer.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(served.starts_with(kind), "{url}: {served}, not {kind}");
    answer.text().await.unwrap()
}

/// Reads SSE frames from a streaming response, at most `max` of them (the
/// stream may go on; bound every loop).
pub struct SseReader {
    response: reqwest::Response,
    buffer: Vec<u8>,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> Self {
        SseReader {
            response,
            buffer: Vec::new(),
        }
    }

    /// The next event frame (comments skipped), or `None` at the end.
    pub async fn next(&mut self) -> Option<Frame> {
        for _ in 0..10_000 {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let raw: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let raw = String::from_utf8(raw).expect("frames are UTF-8");
                let mut event = String::from("message");
                let mut data = String::new();
                let mut any = false;
                for line in raw.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim_start().to_owned();
                        any = true;
                    } else if let Some(v) = line.strip_prefix("data:") {
                        if !data.is_empty() {
                            data.push('\n');
                        }
                        data.push_str(v.strip_prefix(' ').unwrap_or(v));
                        any = true;
                    }
                }
                if !any {
                    continue; // a keep-alive comment
                }
                let data = serde_json::from_str(&data)
                    .unwrap_or_else(|e| panic!("event {event}: data is not JSON ({e}): {data}"));
                return Some(Frame { event, data });
            }
            match self.response.chunk().await.expect("stream reads") {
                Some(chunk) => self.buffer.extend_from_slice(&chunk),
                None => return None,
            }
        }
        panic!("no frame after 10,000 chunks");
    }

    pub fn into_response(self) -> reqwest::Response {
        self.response
    }
}

/// `../shared/fixtures/bad`.
pub fn fixtures_bad_dir() -> PathBuf {
    common::fixtures_dir().join("bad")
}
