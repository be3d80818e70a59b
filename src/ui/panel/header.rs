//! The panel header: what incident this is, how bad, where it stands.

use crate::model::{Incident, Severity};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Header(incident: Arc<Incident>) -> impl IntoView {
    let severity_class = match incident.severity {
        Severity::High => "irp-badge irp-sev-high",
        Severity::Medium => "irp-badge irp-sev-medium",
        Severity::Low => "irp-badge irp-sev-low",
        _ => "irp-badge",
    };
    let updated = incident
        .last_updated
        .or(incident.created)
        .map(|t| format!("{} UTC", t.civil(0)));
    let sentinel = incident
        .sentinel
        .as_ref()
        .and_then(|s| s.number.clone())
        .map(|n| format!("Sentinel #{n}"));
    // A Sentinel-only incident carries no alerts, only their count.
    let alerts = match (incident.alerts.len(), &incident.sentinel) {
        (0, Some(link)) => link.alert_count.unwrap_or(0) as usize,
        (n, _) => n,
    };
    let facts = format!(
        "{alerts} alerts · {} recorded actions",
        incident.actions.len()
    );
    view! {
        <header class="irp-header">
            <h2 class="irp-title">{incident.title.clone()}</h2>
            <p class="irp-meta">
                <span class="irp-id">"Incident " {incident.id.clone()}</span>
                {sentinel.map(|s| view! { <span>{s}</span> })}
                <span class=severity_class>{incident.severity.label().to_owned()} " severity"</span>
                <span class="irp-badge">{incident.status.label().to_owned()}</span>
                {updated.map(|u| view! { <span>"Updated " {u}</span> })}
            </p>
            <p class="irp-facts">{facts}</p>
            {incident.web_url.clone().map(|url| view! {
                <a class="irp-link" href=url target="_blank" rel="noopener noreferrer">"Open in portal"</a>
            })}
        </header>
    }
}
