//! The reference server (`incident-report serve`): the HTTP API of the
//! contract over the incidents of a data directory, a SQLite store for what
//! people add (comments, feedback, generated reports), the demo portal and
//! the widget build.

mod api;
mod auth;
mod error;
mod generate;
mod incidents;
pub mod llm;
mod portal;
mod store;

pub use generate::{Generation, GenerationEnd};
pub use incidents::{Incidents, Skipped};
pub use store::Store;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{broadcast, Semaphore};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The largest request body the API reads (a comment is at most 30,000
/// characters, which fits several times).
pub const BODY_LIMIT: usize = 256 * 1024;

/// The Content-Security-Policy of every page: no inline script or style.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
frame-ancestors 'none'; object-src 'none'";

/// How the server is set up; `serve`'s flags.
#[derive(Clone, Debug)]
pub struct Config {
    /// Every `*.json` here is an incident bundle.
    pub data: PathBuf,
    pub addr: SocketAddr,
    /// The SQLite database for comments, feedback and generated reports.
    pub db: PathBuf,
    /// With a token, every `/api` request needs `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// The one origin allowed to call the API from a browser (CORS).
    pub allow_origin: Option<String>,
    /// Where the widget build is (`./scripts/build-widget` writes `dist/widget`).
    pub widget_dir: PathBuf,
    /// A language model for the narrative of Summary and Conclusion.
    pub llm: Option<llm::LlmConfig>,
    /// Tests only: report generation takes one permit before each section,
    /// so a test can hold it between sections.
    #[doc(hidden)]
    pub section_gate: Option<Arc<Semaphore>>,
}

impl Config {
    /// Defaults for everything but the data directory and the database.
    pub fn new(data: impl Into<PathBuf>, db: impl Into<PathBuf>) -> Self {
        Config {
            data: data.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: db.into(),
            token: None,
            allow_origin: None,
            widget_dir: PathBuf::from("dist/widget"),
            llm: None,
            section_gate: None,
        }
    }
}

/// Where the database goes without `--db`:
/// `$XDG_DATA_HOME/incident-report/reports.db`, else
/// `~/.local/share/incident-report/reports.db`, else `./incident-report.db`.
pub fn default_db_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| Path::new(&home).join(".local/share"))
        });
    match base {
        Some(base) => base.join("incident-report").join("reports.db"),
        None => PathBuf::from("incident-report.db"),
    }
}

/// The running state every handler shares.
#[derive(Clone)]
pub struct App {
    pub(crate) inner: Arc<AppInner>,
}

pub(crate) struct AppInner {
    pub incidents: Incidents,
    pub store: Store,
    pub token: Option<String>,
    pub allow_origin: Option<HeaderValue>,
    pub widget_dir: PathBuf,
    pub llm: Option<llm::Narrator>,
    pub section_gate: Option<Arc<Semaphore>>,
    pub generations: broadcast::Sender<Generation>,
}

impl App {
    /// Loads the data directory (skipping bad files with a warning) and opens
    /// the database.
    pub fn open(config: &Config) -> Result<App, String> {
        let (incidents, skipped) = Incidents::load(&config.data)?;
        for s in &skipped {
            tracing::warn!(file = %s.file.display(), reason = %s.reason, "skipped a bundle");
        }
        let store = Store::open(&config.db)
            .map_err(|e| format!("database {}: {e}", config.db.display()))?;
        let allow_origin = match &config.allow_origin {
            Some(origin) => Some(
                HeaderValue::from_str(origin.trim_end_matches('/'))
                    .map_err(|_| format!("--allow-origin {origin:?} is not a valid origin"))?,
            ),
            None => None,
        };
        let token = match &config.token {
            Some(t) if t.trim().is_empty() => return Err("the API token is empty".into()),
            Some(t) => Some(t.trim().to_owned()),
            None => None,
        };
        let llm = match &config.llm {
            Some(c) => Some(llm::Narrator::new(c.clone())?),
            None => None,
        };
        Ok(App {
            inner: Arc::new(AppInner {
                incidents,
                store,
                token,
                allow_origin,
                widget_dir: config.widget_dir.clone(),
                llm,
                section_gate: config.section_gate.clone(),
                generations: broadcast::channel(64).0,
            }),
        })
    }

    /// The incidents served, in queue order.
    pub fn incidents(&self) -> &Incidents {
        &self.inner.incidents
    }

    /// How each report generation ended (for tests and monitoring).
    pub fn generations(&self) -> broadcast::Receiver<Generation> {
        self.inner.generations.subscribe()
    }

    /// Every route: `/api/...`, the portal at `/`, its stylesheet and `/widget/`.
    pub fn router(&self) -> Router {
        let api = api::router(self.clone()).layer(middleware::from_fn_with_state(
            self.clone(),
            auth::require_token,
        ));
        let mut router = Router::new()
            .nest("/api", api)
            .merge(portal::router(self.clone()))
            .layer(CompressionLayer::new().gzip(true).br(true))
            .layer(middleware::from_fn(security_headers));
        if let Some(origin) = &self.inner.allow_origin {
            router = router.layer(
                CorsLayer::new()
                    .allow_origin(AllowOrigin::list([origin.clone()]))
                    .allow_methods([Method::GET, Method::POST])
                    .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
                    .max_age(std::time::Duration::from_secs(600)),
            );
        }
        router.layer(middleware::from_fn(log_request))
    }
}

/// CSP and friends on every response (harmless on JSON, required on pages).
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// One log line per request: method, path, status, latency (never headers,
/// so never the token).
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let start = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        latency_ms = format_args!("{:.3}", start.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    response
}

/// Starts logging (once; later calls do nothing). `INCIDENT_REPORT_LOG`
/// sets the level: error, warn, info (default), debug, trace.
pub fn init_logging() {
    let level = std::env::var("INCIDENT_REPORT_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// Resolves on Ctrl-C, or on SIGTERM (how service managers stop a server).
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            tracing::info!("shutting down");
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}

/// Runs the server until Ctrl-C or SIGTERM: what `incident-report serve` does.
pub async fn run(config: Config) -> Result<(), String> {
    init_logging();
    if !config.widget_dir.is_dir() {
        tracing::warn!(
            dir = %config.widget_dir.display(),
            "no widget build there: run ./scripts/build-widget (the portal page needs it)"
        );
    }
    if let Some(parent) = config.db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let app = App::open(&config)?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(
        incidents = app.incidents().len(),
        data = %config.data.display(),
        db = %config.db.display(),
        token = config.token.is_some(),
        cors = config.allow_origin.as_deref().unwrap_or("off"),
        llm = config.llm.as_ref().map(|l| l.model.as_str()).unwrap_or("off"),
        "serving on http://{addr}/"
    );
    axum::serve(listener, app.router())
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| e.to_string())
}
