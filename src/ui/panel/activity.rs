//! Post to activity log: a confirm step, one post however often it is
//! clicked, and the incident's activity list with the posted comment.

use super::toolbar::{tell, Host};
use crate::report::render::text;
use crate::report::Report;
use crate::ui::{http, PanelOptions};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// Graph's limit on one comment.
const COMMENT_LIMIT: usize = 30_000;

#[derive(Clone, PartialEq)]
enum Posting {
    Idle,
    Confirming,
    Sending,
    Posted { condensed: bool },
    Failed(String),
}

/// One entry of the incident's activity list.
#[derive(Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    comment: String,
    created_by_display_name: Option<String>,
    created_date_time: Option<String>,
}

#[derive(serde::Deserialize)]
struct Comments {
    value: Vec<Comment>,
}

#[component]
pub fn PostToActivityLog(
    report: Arc<Report>,
    report_id: Option<String>,
    options: PanelOptions,
    host: Host,
) -> impl IntoView {
    let posting = RwSignal::new(Posting::Idle);
    let activity = RwSignal::new(Vec::<Comment>::new());
    // Each step replaces the control the analyst used; the focus follows to
    // the one that takes its place (once the analyst has started).
    let next_focus = NodeRef::<leptos::html::Button>::new();
    let follow = StoredValue::new(false);
    Effect::new(move || {
        if let Some(button) = next_focus.get() {
            if follow.get_value() {
                let _ = button.focus();
            }
        }
    });
    let step = move |next: Posting| {
        follow.set_value(true);
        posting.set(next);
    };
    let send = move |_| {
        // However often it is clicked: only the first click from Confirming posts.
        if posting.get_untracked() != Posting::Confirming {
            return;
        }
        step(Posting::Sending);
        let (comment, condensed) = text::comment(&report, COMMENT_LIMIT);
        let body = serde_json::json!({
            "@odata.type": "microsoft.graph.security.alertComment",
            "comment": comment,
            "reportId": report_id.clone(),
        })
        .to_string();
        let url = options.incident_url("/comments");
        let access = options.access.clone();
        let (incident_id, report_id) = (report.incident_id.clone(), report_id.clone());
        leptos::task::spawn_local(async move {
            let answer = http::send_json("POST", &url, &body, &access).await;
            let id = JsValue::from_str(&incident_id);
            match answer.map(|bytes| serde_json::from_slice::<Comments>(&bytes)) {
                Ok(Ok(list)) => {
                    activity.try_set(list.value);
                    posting.try_set(Posting::Posted { condensed });
                    let report_id = report_id
                        .as_deref()
                        .map_or(JsValue::NULL, JsValue::from_str);
                    tell(
                        host,
                        "posted",
                        &[
                            ("incidentId", id),
                            ("reportId", report_id),
                            ("condensed", condensed.into()),
                        ],
                    );
                }
                Ok(Err(e)) => {
                    posting.try_set(Posting::Failed(format!(
                        "the server's answer was not a comment list ({e})"
                    )));
                }
                Err(e) => {
                    let message = e.to_string();
                    tell(
                        host,
                        "error",
                        &[("incidentId", id), ("message", message.as_str().into())],
                    );
                    posting.try_set(Posting::Failed(message));
                }
            }
        });
    };
    let state = move || {
        match posting.get() {
        Posting::Idle | Posting::Failed(_) => view! {
            <button type="button" node_ref=next_focus on:click=move |_| step(Posting::Confirming)>"Post to activity log"</button>
        }
        .into_any(),
        Posting::Confirming => view! {
            <div class="irp-confirm" role="group" aria-label="Post to activity log">
                <span>"Post this report as a comment on the incident?"</span>
                <button type="button" class="irp-primary" node_ref=next_focus on:click=send.clone()>"Post"</button>
                <button type="button" on:click=move |_| step(Posting::Idle)>"Don't post"</button>
            </div>
        }
        .into_any(),
        // aria-disabled, not disabled: the focus stays on it.
        Posting::Sending => view! {
            <button type="button" aria-disabled="true" node_ref=next_focus>"Posting…"</button>
        }
        .into_any(),
        Posting::Posted { .. } => view! {
            <button type="button" aria-disabled="true" node_ref=next_focus>"Posted to activity log"</button>
        }
        .into_any(),
    }
    };
    let status = move || {
        match posting.get() {
            Posting::Posted { condensed: false } => {
                "Posted the report to the incident's activity log.".to_owned()
            }
            // COMMENT_LIMIT, as people write it.
            Posting::Posted { condensed: true } => {
                "Posted a condensed report: the full one is longer than \
            the 30,000 characters a comment allows. Export it for all of it."
                    .to_owned()
            }
            Posting::Failed(message) => format!("Could not post: {message}."),
            _ => String::new(),
        }
    };
    view! {
        {state}
        <p class="irp-notice" role="status" aria-live="polite">{status}</p>
        {move || (!activity.with(Vec::is_empty)).then(|| view! {
            <section class="irp-activity" aria-label="Activity log">
                <h3>"Activity log"</h3>
                <ol>
                    {activity.get().into_iter().rev().take(5).map(|c| view! {
                        <li>
                            <span class="irp-activity-meta">
                                {c.created_by_display_name.unwrap_or_default()} " · " {when(c.created_date_time.as_deref())}
                            </span>
                            <span class="irp-activity-text">{crate::model::clip(&c.comment, 280)}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}

/// A comment's time as the panel shows times (`2026-03-14 09:21:05 UTC`).
fn when(time: Option<&str>) -> String {
    match time.map(|t| (t, crate::model::Timestamp::parse(t))) {
        Some((_, Some(at))) => format!("{} UTC", at.civil(0)),
        Some((raw, None)) => raw.to_owned(),
        None => String::new(),
    }
}
