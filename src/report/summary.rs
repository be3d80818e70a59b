//! Summary: what happened, how bad, where it stands, and how much it touched.

use super::{assets, counted, incident_field, tally, Fact, Group, Item, Options};
use crate::model::{Incident, Product, Provenance};

const MOST_TECHNIQUES: usize = 12;

pub(super) fn groups(
    incident: &Incident,
    options: &Options,
    entities: &[assets::Entity],
) -> Vec<Group> {
    let mut facts = vec![Fact::new(
        "Incident",
        incident_name(incident),
        vec![incident_field("displayName")],
    )];
    if let Some(description) = incident.description.as_deref().filter(|d| !d.is_empty()) {
        facts.push(Fact::new(
            "What happened",
            description,
            vec![incident_field("description")],
        ));
    }
    facts.push(Fact::new(
        "Severity",
        incident.severity.label(),
        vec![incident_field("severity")],
    ));
    facts.push(Fact::new(
        "Status",
        incident.status.label(),
        vec![incident_field("status")],
    ));
    facts.extend(activity(incident, options));
    facts.push(alert_count(incident));
    let every_alert = || {
        incident
            .alerts
            .iter()
            .map(|a| a.provenance.clone())
            .collect()
    };

    let sources = tally(incident.alerts.iter().filter_map(|a| {
        a.service_source
            .as_deref()
            .or(a.detection_source.as_deref())
            .map(Product::words)
    }));
    if !sources.is_empty() {
        facts.push(Fact::new(
            "Detection sources",
            listed(&sources),
            every_alert(),
        ));
    } else if let Some(link) = incident
        .sentinel
        .as_ref()
        .filter(|s| !s.products.is_empty())
    {
        facts.push(Fact::new(
            "Detection sources",
            link.products.join(", "),
            vec![sentinel_field("additionalData.alertProductNames")],
        ));
    }
    let categories = tally(incident.alerts.iter().filter_map(|a| a.category.as_deref()));
    if !categories.is_empty() {
        facts.push(Fact::new("Categories", listed(&categories), every_alert()));
    }
    if !incident.tactics.is_empty() {
        facts.push(Fact::new(
            "MITRE tactics",
            incident.tactics.join(", "),
            vec![sentinel_field("additionalData.tactics")],
        ));
    }
    let techniques = tally(
        incident
            .alerts
            .iter()
            .flat_map(|a| a.mitre_techniques.iter().map(String::as_str)),
    );
    if !techniques.is_empty() {
        let mut names: Vec<&str> = techniques.iter().map(|t| t.label.as_str()).collect();
        names.sort_unstable();
        let more = names.len().saturating_sub(MOST_TECHNIQUES);
        let mut value = names[..names.len() - more].join(", ");
        if more > 0 {
            value.push_str(&format!(" and {more} more"));
        }
        facts.push(Fact::new("MITRE techniques", value, every_alert()));
    }
    let threats = tally(incident.alerts.iter().filter_map(|a| a.threat.as_deref()));
    if !threats.is_empty() {
        facts.push(Fact::new("Threats", listed(&threats), every_alert()));
    }
    if !entities.is_empty() {
        let kinds = tally(entities.iter().map(|e| e.kind.label()));
        facts.push(Fact::new(
            "Affected entities",
            format!("{} distinct: {}", entities.len(), counted(&kinds)),
            every_alert(),
        ));
    }
    if !incident.tags.is_empty() {
        facts.push(Fact::new(
            "Tags",
            incident.tags.join(", "),
            vec![incident_field("customTags")],
        ));
    }
    vec![Group::new("facts", None, facts.into_iter().map(Item::Fact).collect()).show_all()]
}

/// `Title (incident 2972395, Sentinel #1187)`.
fn incident_name(incident: &Incident) -> String {
    let mut ids = vec![format!("incident {}", incident.id)];
    if let Some(number) = incident.sentinel.as_ref().and_then(|s| s.number.as_deref()) {
        if number != incident.id {
            ids.push(format!("Sentinel #{number}"));
        }
    }
    format!("{} ({})", incident.title, ids.join(", "))
}

/// The window of malicious activity the alerts (or Sentinel) saw.
fn activity(incident: &Incident, options: &Options) -> Option<Fact> {
    let first = incident
        .alerts
        .iter()
        .filter_map(|a| Some((a.first_activity?, a)))
        .min_by_key(|(t, _)| *t);
    let last = incident
        .alerts
        .iter()
        .filter_map(|a| Some((a.last_activity.or(a.first_activity)?, a)))
        .max_by_key(|(t, _)| *t);
    let (start, end, provenance) = match (first, last) {
        (Some((start, a)), Some((end, b))) => {
            (start, end, vec![a.provenance.clone(), b.provenance.clone()])
        }
        _ => {
            let link = incident.sentinel.as_ref()?;
            let start = link.first_activity?;
            (
                start,
                link.last_activity.unwrap_or(start),
                vec![sentinel_field("firstActivityTimeUtc")],
            )
        }
    };
    let mut provenance = provenance;
    provenance.dedup();
    Some(Fact {
        time: Some(options.time(start)),
        ..Fact::new(
            "Activity",
            format!(
                "{} to {}",
                options.time(start).shown,
                options.time(end).shown
            ),
            provenance,
        )
    })
}

fn alert_count(incident: &Incident) -> Fact {
    if incident.alerts.is_empty() {
        if let Some(count) = incident.sentinel.as_ref().and_then(|s| s.alert_count) {
            return Fact::new(
                "Alerts",
                count.to_string(),
                vec![sentinel_field("additionalData.alertsCount")],
            );
        }
    }
    let open = incident
        .alerts
        .iter()
        .filter(|a| !a.status.is_resolved())
        .count();
    let severities = tally(incident.alerts.iter().map(|a| a.severity.label()));
    let mut value = incident.alerts.len().to_string();
    if !severities.is_empty() {
        value.push_str(&format!(" ({}; {open} not resolved)", counted(&severities)));
    }
    Fact::new(
        "Alerts",
        value,
        incident
            .alerts
            .iter()
            .map(|a| a.provenance.clone())
            .collect(),
    )
}

/// `Defender for Endpoint (6), Defender for Identity (2)`.
fn listed(tally: &[super::Tally]) -> String {
    tally
        .iter()
        .map(|t| format!("{} ({})", t.label, t.count))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sentinel_field(field: &str) -> Provenance {
    Provenance::SentinelIncident {
        field: field.to_owned(),
    }
}
