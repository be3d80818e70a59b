//! The generation endpoint: `POST /api/incidents/{id}/report`, as
//! Server-Sent Events (meta, one section at a time, done) or one JSON answer.
//! Sections are built one by one on a blocking thread that stops as soon as
//! the client has gone.

use super::error::{ApiError, OptionalJsonBody};
use super::incidents::LoadedIncident;
use super::llm::Narrative;
use super::store::StoredReport;
use super::App;
use crate::model::Timestamp;
use crate::report::{self, Group, Options, Report, Section, SectionId};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

/// How a report generation ended; every one is announced on
/// [`App::generations`](super::App::generations).
#[derive(Clone, Debug)]
pub struct Generation {
    pub report_id: String,
    pub incident_id: String,
    /// Sections built before the end.
    pub sections_built: usize,
    pub end: GenerationEnd,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenerationEnd {
    /// Every section built, the report stored.
    Complete,
    /// The client went away; the remaining sections were not built.
    ClientGone,
    Failed(String),
}

/// The body of the generation endpoint.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    /// An IANA zone name; `UTC` when absent.
    time_zone: Option<String>,
}

/// One frame of the answer.
enum Frame {
    Meta(Value),
    Section(Value),
    Done(Value),
    Error(String),
}

/// What one generation needs; moved onto the blocking thread.
struct Job {
    app: App,
    loaded: Arc<LoadedIncident>,
    zone: String,
    report_id: String,
    generated_at: String,
    engine: String,
}

pub async fn generate(
    State(app): State<App>,
    Path(id): Path<String>,
    headers: HeaderMap,
    OptionalJsonBody(body): OptionalJsonBody<ReportRequest>,
) -> Result<Response, ApiError> {
    let loaded = app
        .inner
        .incidents
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::incident_not_found(&id))?;
    let zone = body
        .unwrap_or_default()
        .time_zone
        .unwrap_or_else(|| "UTC".into());
    if let Err(e) = report::zone_by_name(&zone) {
        return Err(ApiError::bad_request("unknownTimeZone", e.to_string()));
    }
    let engine = match &app.inner.llm {
        Some(narrator) => format!("grounded+llm:{}", narrator.model()),
        None => "grounded".to_owned(),
    };
    let job = Job {
        app: app.clone(),
        loaded,
        zone,
        report_id: uuid::Uuid::new_v4().simple().to_string(),
        generated_at: now(),
        engine,
    };
    if wants_event_stream(&headers) {
        Ok(stream(job).into_response())
    } else {
        whole(job).await
    }
}

/// `Accept: text/event-stream` asks for the stream; anything else gets JSON.
fn wants_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/event-stream"))
        })
}

/// The current instant, as the model writes times.
pub(crate) fn now() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    serde_json::to_value(Timestamp::from_millis(millis))
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn stream(job: Job) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // One frame in flight: the builder never runs ahead of the client.
    let (tx, rx) = mpsc::channel::<Frame>(1);
    let gate = job.app.inner.section_gate.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let sender = tx.clone();
        let mut emit = |frame| tx.blocking_send(frame).is_ok();
        let mut ready = || {
            match &gate {
            // Wait for the test's permit, or for the client to leave.
            Some(gate) => runtime.block_on(async {
                tokio::select! {
                    permit = gate.acquire() => permit.map(|p| p.forget()).is_ok() && !sender.is_closed(),
                    () = sender.closed() => false,
                }
            }),
            None => !sender.is_closed(),
        }
        };
        run(&job, true, &mut emit, &mut ready);
    });
    let events = ReceiverStream::new(rx).map(|frame| {
        let (name, data) = match frame {
            Frame::Meta(v) => ("meta", v.to_string()),
            Frame::Section(v) => ("section", v.to_string()),
            Frame::Done(v) => ("done", v.to_string()),
            Frame::Error(message) => ("error", json!({ "message": message }).to_string()),
        };
        Ok(Event::default().event(name).data(data))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(10)))
}

async fn whole(job: Job) -> Result<Response, ApiError> {
    let answer = tokio::task::spawn_blocking(move || {
        let mut failure = None;
        let mut emit = |frame| {
            if let Frame::Error(message) = frame {
                failure = Some(message);
            }
            true
        };
        let stored = run(&job, false, &mut emit, &mut || true);
        match failure {
            Some(message) => Err(ApiError::internal(message)),
            None => Ok(stored),
        }
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(([(header::CONTENT_TYPE, "application/json")], answer).into_response())
}

/// Builds the report section by section, sending each frame through `emit`
/// (false: the client is gone; sections only when `stream`ing) and asking
/// `ready` before each section.
/// Answers the stored JSON body of the whole report (empty if it stopped).
fn run(
    job: &Job,
    stream: bool,
    emit: &mut dyn FnMut(Frame) -> bool,
    ready: &mut dyn FnMut() -> bool,
) -> String {
    let incident = &job.loaded.incident;
    let meta = json!({
        "reportId": job.report_id,
        "incidentId": incident.id,
        "generatedAt": job.generated_at,
        "engine": job.engine,
        "title": incident.title,
        "generatedForZone": job.zone,
    });
    let mut built = 0;
    let finish = |built, end| {
        let _ = job.app.inner.generations.send(Generation {
            report_id: job.report_id.clone(),
            incident_id: incident.id.clone(),
            sections_built: built,
            end,
        });
    };
    if !emit(Frame::Meta(meta.clone())) {
        finish(built, GenerationEnd::ClientGone);
        return String::new();
    }
    let options = match report::zone_by_name(&job.zone) {
        Ok(zone) => Options {
            zone,
            ..Options::default()
        },
        Err(e) => {
            emit(Frame::Error(e.to_string()));
            finish(built, GenerationEnd::Failed(e.to_string()));
            return String::new();
        }
    };
    let mut sections = Vec::with_capacity(SectionId::ALL.len());
    let mut narratives = BTreeMap::new();
    for id in SectionId::ALL {
        if !ready() {
            tracing::info!(report = %job.report_id, built, "client went away: generation stopped");
            finish(built, GenerationEnd::ClientGone);
            return String::new();
        }
        let mut section = report::build_section(id, incident, &options);
        let mut engine = "grounded".to_owned();
        if let (Some(narrator), SectionId::Summary | SectionId::Conclusion) =
            (&job.app.inner.llm, id)
        {
            let narrative = narrator.narrate_blocking(incident, &section);
            engine = narrative.engine_label();
            if let Some(text) = narrative.text.clone() {
                add_narrative(&mut section, &text, &narrative.engine);
            }
            narratives.insert(id.slug(), narrative);
        }
        built += 1;
        // The stream carries what the panel shows (a digest: thousands of
        // rows it would not show stay here); the stored report has them all,
        // written once every section is out.
        if stream {
            let shown = match section_json(&section.digest(), &engine, narratives.get(id.slug())) {
                Ok(value) => value,
                Err(e) => {
                    emit(Frame::Error(e.to_string()));
                    finish(built, GenerationEnd::Failed(e.to_string()));
                    return String::new();
                }
            };
            if !emit(Frame::Section(shown)) {
                tracing::info!(report = %job.report_id, built, "client went away: generation stopped");
                finish(built, GenerationEnd::ClientGone);
                return String::new();
            }
        }
        sections.push((section, engine));
    }
    let sections: Result<Vec<Value>, _> = sections
        .iter()
        .map(|(section, engine)| section_json(section, engine, narratives.get(section.id.slug())))
        .collect();
    let sections = match sections {
        Ok(sections) => sections,
        Err(e) => {
            emit(Frame::Error(e.to_string()));
            finish(built, GenerationEnd::Failed(e.to_string()));
            return String::new();
        }
    };
    let mut body = match meta {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    body.insert("sections".into(), Value::Array(sections));
    let body = Value::Object(body).to_string();
    let narrative = (!narratives.is_empty()).then(|| {
        let kept: BTreeMap<_, _> = narratives
            .iter()
            .filter_map(|(k, n)| Some((*k, json!({"text": n.text.clone()?, "engine": n.engine}))))
            .collect();
        serde_json::to_string(&kept).unwrap_or_default()
    });
    let stored = StoredReport {
        id: job.report_id.clone(),
        incident_id: incident.id.clone(),
        time_zone: job.zone.clone(),
        body,
        narrative,
    };
    if let Err(e) = job
        .app
        .inner
        .store
        .add_report(&stored, &job.generated_at, &job.engine)
    {
        let message = format!("the report could not be stored: {e}");
        tracing::error!(report = %job.report_id, %message);
        emit(Frame::Error(message.clone()));
        finish(built, GenerationEnd::Failed(message));
        return String::new();
    }
    emit(Frame::Done(json!({ "reportId": job.report_id })));
    finish(built, GenerationEnd::Complete);
    stored.body
}

/// A section as the API writes it: its groups, which engine wrote it, and
/// what the model said, if one was asked.
fn section_json(
    section: &Section,
    engine: &str,
    narrative: Option<&Narrative>,
) -> Result<Value, serde_json::Error> {
    let mut value = serde_json::to_value(section)?;
    if let Value::Object(m) = &mut value {
        m.insert("engine".into(), Value::String(engine.to_owned()));
        if let Some(n) = narrative {
            m.insert("narrative".into(), n.to_json());
        }
    }
    Ok(value)
}

/// The model's prose, as the first group of its section (so every renderer
/// shows it), titled with who wrote it.
pub(crate) fn add_narrative(section: &mut Section, text: &str, engine: &str) {
    section.groups.insert(
        0,
        Group {
            id: "narrative".into(),
            title: Some(format!(
                "Narrative (written by {engine}, checked against the data)"
            )),
            summary: Some(text.to_owned()),
            tally: Vec::new(),
            items: Vec::new(),
            shown: 0,
            omitted: 0,
        },
    );
}

/// A stored report rebuilt for export: the engine is deterministic, so the
/// same incident and zone give the same sections; stored narrative is put
/// back.
pub(crate) fn rebuild(loaded: &LoadedIncident, stored: &StoredReport) -> Option<Report> {
    let zone = report::zone_by_name(&stored.time_zone).ok()?;
    let options = Options {
        zone,
        ..Options::default()
    };
    let mut report = report::build(&loaded.incident, &options);
    let narratives: BTreeMap<String, Value> = stored
        .narrative
        .as_deref()
        .and_then(|n| serde_json::from_str(n).ok())
        .unwrap_or_default();
    for section in &mut report.sections {
        if let Some(n) = narratives.get(section.id.slug()) {
            if let (Some(text), Some(engine)) = (n["text"].as_str(), n["engine"].as_str()) {
                add_narrative(section, text, engine);
            }
        }
    }
    Some(report)
}
