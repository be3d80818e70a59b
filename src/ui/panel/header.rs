//! The panel header: what incident this is, how bad, where it stands.

use crate::model::{Headline, Severity};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Header(headline: Arc<Headline>) -> impl IntoView {
    let severity_class = match headline.severity {
        Severity::High => "irp-badge irp-sev-high",
        Severity::Medium => "irp-badge irp-sev-medium",
        Severity::Low => "irp-badge irp-sev-low",
        _ => "irp-badge",
    };
    let updated = headline.updated.map(|t| format!("{} UTC", t.civil(0)));
    let sentinel = headline
        .sentinel_number
        .as_ref()
        .map(|n| format!("Sentinel #{n}"));
    let alerts = match headline.alerts {
        1 => "1 alert".to_owned(),
        n => format!("{n} alerts"),
    };
    view! {
        <header class="irp-header">
            <h2 class="irp-title">{headline.title.clone()}</h2>
            <p class="irp-meta">
                <span class="irp-id">"Incident " {headline.id.clone()}</span>
                {sentinel.map(|s| view! { <span>{s}</span> })}
                <span class=severity_class>{headline.severity.label().to_owned()} " severity"</span>
                <span class="irp-badge">{headline.status.label().to_owned()}</span>
                {updated.map(|u| view! { <span>"Updated " {u}</span> })}
            </p>
            <p class="irp-facts">{alerts}</p>
            {headline.web_url.clone().map(|url| view! {
                <a class="irp-link" href=url target="_blank" rel="noopener noreferrer">"Open in portal"</a>
            })}
        </header>
    }
}
