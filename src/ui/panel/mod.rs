//! The panel: loads the incident, shows its header, and lets the analyst
//! generate the report card and act on it.

mod activity;
mod feedback;
mod header;
mod report_card;
mod toolbar;
mod workspace;

use super::{http, PanelOptions};
use crate::model::Headline;
#[cfg(feature = "local-engine")]
use crate::model::{self, Incident};
use header::Header;
use leptos::prelude::*;
use std::sync::Arc;
use toolbar::tell;
pub use toolbar::Host;
use wasm_bindgen::JsValue;
use web_sys::AbortController;
use workspace::Workspace;

/// The panel's stylesheet, adopted by its shadow root.
pub const STYLE: &str = include_str!("panel.css");

/// Where loading the incident stands.
#[derive(Clone)]
enum Loading {
    InFlight,
    Failed(String),
    Ready(Arc<Headline>, Engine),
}

/// Who builds the report.
#[derive(Clone)]
pub enum Engine {
    /// The server's generation endpoint (streamed).
    Server,
    /// The engine compiled into the panel, on the bundle it fetched.
    #[cfg(feature = "local-engine")]
    Local(Arc<Incident>),
}

/// Reads the fetched incident: only its headline when the server builds the
/// report, the whole model when the panel does.
fn read_incident(bytes: &[u8], options: &PanelOptions) -> Result<(Arc<Headline>, Engine), String> {
    #[cfg(feature = "local-engine")]
    if !options.uses_api() {
        let incident = model::parse(bytes).map_err(|e| e.to_string())?;
        let headline = Headline::from(&incident);
        return Ok((Arc::new(headline), Engine::Local(Arc::new(incident))));
    }
    let _ = options;
    Headline::read(bytes).map(|headline| (Arc::new(headline), Engine::Server))
}

#[component]
pub fn Panel(options: PanelOptions, host: Host) -> impl IntoView {
    let state = RwSignal::new(Loading::InFlight);
    let in_flight = StoredValue::new_local(None::<AbortController>);
    let workspace_options = options.clone();
    let load = move || {
        let options = options.clone();
        let url = options.bundle_location();
        let access = options.access.clone();
        let incident_id = options.incident_id.clone();
        state.set(Loading::InFlight);
        let Ok(abort) = AbortController::new() else {
            state.set(Loading::Failed("This browser cannot make requests.".into()));
            return;
        };
        if let Some(old) = in_flight.get_value().replace(abort.clone()) {
            old.abort();
        }
        in_flight.set_value(Some(abort.clone()));
        leptos::task::spawn_local(async move {
            let result = match http::get_bytes(&url, &access, &abort).await {
                Ok(bytes) => read_incident(&bytes, &options)
                    .map_err(|e| format!("The incident data is not valid: {e}")),
                Err(e) => Err(format!("Could not load the incident ({e}).")),
            };
            if abort.signal().aborted() {
                return;
            }
            let next = match result {
                Ok((headline, engine)) => Loading::Ready(headline, engine),
                Err(message) => {
                    let detail = [
                        ("incidentId", JsValue::from_str(&incident_id)),
                        ("message", JsValue::from_str(&message)),
                    ];
                    tell(host, "error", &detail);
                    Loading::Failed(message)
                }
            };
            state.try_set(next);
        });
    };
    on_cleanup(move || {
        if let Some(Some(abort)) = in_flight.try_get_value() {
            abort.abort();
        }
    });
    let retry = load.clone();
    load();

    view! {
        <article class="irp-panel" aria-label="Incident report panel">
            {move || match state.get() {
                Loading::InFlight => view! {
                    <p class="irp-progress" role="status">"Loading the incident…"</p>
                }
                .into_any(),
                Loading::Failed(message) => {
                    let retry = retry.clone();
                    view! {
                        <div class="irp-error" role="alert">
                            <p>{message}</p>
                            <button type="button" on:click=move |_| retry()>"Retry"</button>
                        </div>
                    }
                    .into_any()
                }
                Loading::Ready(headline, engine) => view! {
                    <Header headline=headline.clone()/>
                    <Workspace headline=headline engine=engine options=workspace_options.clone() host=host/>
                }
                .into_any(),
            }}
        </article>
    }
}
