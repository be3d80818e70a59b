//! Was the report right? Three ratings, an optional text, and a thank-you.

use super::toolbar::{tell, Host};
use crate::ui::{http, PanelOptions};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

const RATINGS: [(&str, &str); 3] = [
    ("confirmed", "Confirmed, it looks great"),
    ("offTarget", "Off-target, inaccurate"),
    ("harmful", "Potentially harmful, inappropriate"),
];

#[derive(Clone, PartialEq)]
enum Sent {
    No,
    Sending,
    Yes,
    Failed(String),
}

#[component]
pub fn Feedback(report_id: String, options: PanelOptions, host: Host) -> impl IntoView {
    let rating = RwSignal::new(None::<&'static str>);
    let text = RwSignal::new(String::new());
    let sent = RwSignal::new(Sent::No);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = rating.get_untracked() else {
            return;
        };
        if matches!(sent.get_untracked(), Sent::Sending | Sent::Yes) {
            return;
        }
        sent.set(Sent::Sending);
        let body = serde_json::json!({ "reportId": report_id.clone(), "rating": chosen, "text": text.get_untracked() }).to_string();
        let url = options.incident_url("/report/feedback");
        let access = options.access.clone();
        let incident_id = options.incident_id.clone();
        leptos::task::spawn_local(async move {
            match http::send_json("POST", &url, &body, &access).await {
                Ok(_) => {
                    sent.try_set(Sent::Yes);
                    tell(
                        host,
                        "feedback",
                        &[
                            ("incidentId", JsValue::from_str(&incident_id)),
                            ("rating", chosen.into()),
                        ],
                    );
                }
                Err(e) => {
                    sent.try_set(Sent::Failed(e.to_string()));
                }
            }
        });
    };
    // The form stays in place while it sends (the focus with it); the
    // thank-you replaces it and takes the focus.
    let thanked = Memo::new(move |_| sent.get() == Sent::Yes);
    let thanks = NodeRef::<leptos::html::P>::new();
    Effect::new(move || {
        if let Some(p) = thanks.get() {
            let _ = p.focus();
        }
    });
    view! {
        {move || if thanked.get() {
            view! { <p class="irp-thanks" role="status" tabindex="-1" node_ref=thanks>"Thank you for your feedback."</p> }.into_any()
        } else {
            let submit = submit.clone();
            view! {
                <form class="irp-feedback" aria-label="Feedback on this report" on:submit=submit>
                    <div class="irp-ratings" role="group" aria-label="How is this report?">
                        {RATINGS.iter().map(|&(value, label)| view! {
                            <button type="button" aria-pressed=move || (rating.get() == Some(value)).to_string()
                                on:click=move |_| rating.set(Some(value))>{label}</button>
                        }).collect_view()}
                    </div>
                    <div hidden=move || rating.get().is_none()>
                        <label class="irp-feedback-text">"Tell us more (optional)"
                            <textarea rows="2" prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        </label>
                        <button type="submit" aria-disabled=move || (sent.get() == Sent::Sending).to_string()>"Submit"</button>
                    </div>
                    {move || match sent.get() {
                        Sent::Failed(m) => Some(view! { <p class="irp-notice" role="alert">"Could not send the feedback: " {m}</p> }),
                        _ => None,
                    }}
                </form>
            }.into_any()
        }}
    }
}
