//! Generating the report: the controls, the zone, the progress line, the card.

use super::activity::PostToActivityLog;
use super::feedback::Feedback;
use super::report_card::ReportCard;
use super::toolbar::{tell, Host, Stored, Toolbar};
use super::Engine;
use crate::model::Headline;
use crate::report::{Report, Section};
use crate::sse;
use crate::ui::{dom, http, PanelOptions};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

/// Where generating the report stands.
#[derive(Clone)]
enum Generation {
    Idle,
    Running,
    Cancelled,
    Failed(String),
    Done {
        report: Arc<Report>,
        millis: f64,
        report_id: Option<String>,
        engine: String,
    },
}

/// What the stream said besides its sections.
#[derive(Default)]
struct StreamEnd {
    report_id: Option<String>,
    engine: Option<String>,
    done: bool,
    failure: Option<String>,
}

const ZONE_KEY: &str = "incident-report:time-zone";
const ZONES: [&str; 10] = [
    "UTC",
    "Europe/London",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
];

#[component]
pub fn Workspace(
    headline: Arc<Headline>,
    engine: Engine,
    options: PanelOptions,
    host: Host,
) -> impl IntoView {
    let generation = RwSignal::new(Generation::Idle);
    // Shared, not copied: the card's list is re-read on every section.
    let sections = RwSignal::new(Vec::<Arc<Section>>::new());
    let notice = RwSignal::new(String::new());
    let zone_name = RwSignal::new(dom::remembered(ZONE_KEY).unwrap_or(options.time_zone.clone()));
    // Each run has a number: an answer for an older run never lands.
    let run = StoredValue::new(0u64);
    let in_flight = StoredValue::new_local(None::<AbortController>);
    let stop = move || {
        run.update_value(|r| *r += 1);
        if let Some(abort) = in_flight.try_update_value(Option::take).flatten() {
            abort.abort();
        }
    };
    on_cleanup(stop);

    let incident_id = headline.id.clone();
    let finish = move |next: Generation| {
        let id = JsValue::from_str(&incident_id);
        match &next {
            Generation::Done {
                report,
                report_id,
                engine,
                ..
            } => {
                let report_id = report_id
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from_str);
                let count = report.sections.len() as f64;
                tell(
                    host,
                    "generated",
                    &[
                        ("incidentId", id),
                        ("reportId", report_id),
                        ("engine", engine.as_str().into()),
                        ("sections", count.into()),
                    ],
                );
            }
            Generation::Failed(message) => {
                tell(
                    host,
                    "error",
                    &[("incidentId", id), ("message", message.as_str().into())],
                );
            }
            _ => {}
        }
        generation.set(next);
    };

    let after_options = options.clone();
    let toolbar_options = options.clone();
    let generate = move || {
        stop();
        let this = run.get_value();
        let started = js_sys::Date::now();
        notice.set(String::new());
        sections.set(Vec::new());
        generation.set(Generation::Running);
        let zone = zone_name.get_untracked();
        match &engine {
            Engine::Server => {}
            #[cfg(feature = "local-engine")]
            Engine::Local(incident) => {
                finish(build_here(incident, &zone, started, sections));
                return;
            }
        }
        let Ok(abort) = AbortController::new() else {
            finish(Generation::Failed(
                "this browser cannot make requests".into(),
            ));
            return;
        };
        in_flight.set_value(Some(abort.clone()));
        let url = options.incident_url("/report");
        let access = options.access.clone();
        let (incident_id, title) = (headline.id.clone(), headline.title.clone());
        let finish = finish.clone();
        leptos::task::spawn_local(async move {
            let body = serde_json::json!({ "timeZone": zone }).to_string();
            let mut end = StreamEnd::default();
            let result = http::post_event_stream(&url, &body, &access, &abort, |event| {
                // The panel may be gone (unmounted) by the time a chunk lands.
                run.try_get_value() == Some(this) && read_event(event, &mut end, sections)
            })
            .await;
            if run.try_get_value() != Some(this) {
                return; // cancelled, regenerated or unmounted meanwhile
            }
            let next = match (result, end.failure) {
                (Err(e), _) => Generation::Failed(e.to_string()),
                (Ok(()), Some(message)) => Generation::Failed(message),
                (Ok(()), None) if !end.done => {
                    Generation::Failed("the stream ended before the report was complete".into())
                }
                (Ok(()), None) => Generation::Done {
                    report: Arc::new(Report {
                        incident_id,
                        title,
                        generated_for_zone: zone,
                        sections: sections
                            .with_untracked(|s| s.iter().map(|s| (**s).clone()).collect()),
                    }),
                    millis: js_sys::Date::now() - started,
                    report_id: end.report_id,
                    engine: end.engine.unwrap_or_else(|| "grounded".into()),
                },
            };
            finish(next);
        });
    };
    let cancel = move |_| {
        stop();
        generation.set(Generation::Cancelled);
    };
    let generated = move || matches!(generation.get(), Generation::Done { .. });
    let running = move || matches!(generation.get(), Generation::Running);
    let regenerate = generate.clone();
    let on_zone = move |ev: leptos::ev::Event| {
        zone_name.set(event_target_value(&ev));
        dom::remember(ZONE_KEY, &zone_name.get_untracked());
        if generated() {
            regenerate();
        }
    };
    let zone_options = move || {
        let mut zones: Vec<String> = ZONES.iter().map(|z| z.to_string()).collect();
        for extra in [dom::local_zone(), Some(zone_name.get_untracked())]
            .into_iter()
            .flatten()
        {
            if !zones.contains(&extra) {
                zones.push(extra);
            }
        }
        let selected = zone_name.get_untracked();
        zones
            .into_iter()
            .map(|z| {
                let is = z == selected;
                let label = z.clone();
                view! { <option value=z selected=is>{label}</option> }
            })
            .collect_view()
    };
    let progress = move || {
        let count = sections.with(Vec::len);
        match generation.get() {
            Generation::Idle => String::new(),
            Generation::Running => format!("Generating the report: {count} of 7 sections…"),
            Generation::Cancelled => format!("Cancelled after {count} of 7 sections."),
            Generation::Failed(message) => format!("The report could not be generated: {message}"),
            Generation::Done {
                report,
                millis,
                engine,
                ..
            } => format!(
                "Report generated by the {engine} engine: {} sections in {:.0} ms.",
                report.sections.len(),
                millis.max(1.0)
            ),
        }
    };
    let retry = generate.clone();

    view! {
        <div class="irp-controls">
            {move || if running() {
                view! { <button type="button" class="irp-primary" on:click=cancel>"Cancel"</button> }.into_any()
            } else {
                let generate = generate.clone();
                let label = if matches!(generation.get(), Generation::Idle) { "Generate incident report" } else { "Regenerate" };
                view! { <button type="button" class="irp-primary" on:click=move |_| generate()>{label}</button> }.into_any()
            }}
            {move || match generation.get() {
                Generation::Done { report, report_id, .. } => {
                    let stored = report_id.map(|id| Stored {
                        url: toolbar_options.incident_url(&format!("/report/{}", js_sys::encode_uri_component(&id))),
                        access: toolbar_options.access.clone(),
                    });
                    Some(view! { <Toolbar report=report stored=stored host=host notice=notice/> })
                }
                _ => None,
            }}
            <label class="irp-zone">"Time zone "
                <select on:change=on_zone>{zone_options}</select>
            </label>
        </div>
        <p class="irp-progress" role="status" aria-live="polite">{progress}</p>
        {move || matches!(generation.get(), Generation::Failed(_)).then(|| {
            let retry = retry.clone();
            view! { <button type="button" class="irp-retry" on:click=move |_| retry()>"Retry"</button> }
        })}
        <p class="irp-notice" role="status" aria-live="polite">{move || notice.get()}</p>
        {move || (!sections.with(Vec::is_empty)).then(|| view! {
            <ReportCard sections=sections zone=zone_name/>
        })}
        {move || match generation.get() {
            Generation::Done { report, report_id: Some(report_id), .. } => Some(view! {
                <div class="irp-after">
                    <PostToActivityLog report=report report_id=Some(report_id.clone()) options=after_options.clone() host=host/>
                    <Feedback report_id=report_id options=after_options.clone() host=host/>
                </div>
            }),
            _ => None,
        }}
    }
}

/// Builds the report in the browser, from the bundle the panel already holds.
#[cfg(feature = "local-engine")]
fn build_here(
    incident: &crate::model::Incident,
    zone: &str,
    started: f64,
    sections: RwSignal<Vec<Arc<Section>>>,
) -> Generation {
    match crate::ui::zone::zone_by_name(zone) {
        Ok(zone) => {
            let options = crate::report::Options {
                zone,
                ..crate::report::Options::default()
            };
            let report = Arc::new(crate::report::build(incident, &options));
            sections.set(report.sections.iter().cloned().map(Arc::new).collect());
            Generation::Done {
                report,
                millis: js_sys::Date::now() - started,
                report_id: None,
                engine: "grounded".into(),
            }
        }
        Err(unknown) => Generation::Failed(unknown.to_string()),
    }
}

/// Takes one event of the generation stream; answers false to stop reading.
fn read_event(
    event: sse::Event,
    end: &mut StreamEnd,
    sections: RwSignal<Vec<Arc<Section>>>,
) -> bool {
    let field = |key: &str| {
        serde_json::from_str::<serde_json::Value>(&event.data)
            .ok()
            .and_then(|v| v.get(key).and_then(|f| f.as_str().map(str::to_owned)))
    };
    match event.name.as_str() {
        "meta" => {
            end.report_id = field("reportId");
            end.engine = field("engine");
        }
        "section" => match serde_json::from_str::<Section>(&event.data) {
            Ok(section) => {
                if sections.try_update(|s| s.push(Arc::new(section))).is_none() {
                    return false;
                }
            }
            Err(e) => {
                end.failure = Some(format!(
                    "the server sent a section this panel cannot read ({e})"
                ));
                return false;
            }
        },
        "done" => {
            end.done = true;
            return false;
        }
        "error" => {
            end.failure = Some(field("message").unwrap_or_else(|| "the server failed".into()));
            return false;
        }
        _ => {}
    }
    true
}
