//! What the panel's header shows before there is a report, read straight from
//! the incident document without building the model: the widget leaves the
//! report to the server, so it carries no parser for the rest of the bundle.
//!
//! It reads the three input forms as [`super::parse`] does and agrees with
//! [`Headline::from`] on the parsed incident (tests/model.rs checks every
//! fixture).

use super::time::Timestamp;
use super::wire::Id;
use super::{Incident, Severity, Status};
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess};
use serde::Deserialize;
use std::fmt;

/// The incident's name, standing and size.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    /// Last update, else creation.
    pub updated: Option<Timestamp>,
    pub web_url: Option<String>,
    /// The Sentinel incident number, when Sentinel knows the incident.
    pub sentinel_number: Option<String>,
    /// Alerts listed, or (a Sentinel incident without them) counted by Sentinel.
    pub alerts: u64,
}

impl From<&Incident> for Headline {
    fn from(incident: &Incident) -> Self {
        let sentinel = incident.sentinel.as_ref();
        let alerts = match (incident.alerts.len(), sentinel) {
            (0, Some(link)) => link.alert_count.unwrap_or(0),
            (n, _) => n as u64,
        };
        Headline {
            id: incident.id.clone(),
            title: incident.title.clone(),
            severity: incident.severity.clone(),
            status: incident.status.clone(),
            updated: incident.last_updated.or(incident.created),
            web_url: incident.web_url.clone(),
            sentinel_number: sentinel.and_then(|s| s.number.clone()),
            alerts,
        }
    }
}

impl Headline {
    /// Reads the headline of a bundle, a bare Graph incident or a bare
    /// Sentinel incident.
    pub fn read(bytes: &[u8]) -> Result<Headline, String> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let top: Node = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        let (graph, sentinel) = if top.incident.is_some() || top.sentinel.is_some() {
            let sentinel = top.sentinel.and_then(|block| block.incident);
            (top.incident.map(|graph| *graph), sentinel.map(|s| *s))
        } else if top.properties.is_some() && top.name.is_some() {
            (None, Some(top))
        } else if top.id.is_some() || top.display_name.is_some() || top.alerts.is_some() {
            (Some(top), None)
        } else {
            return Err("neither a Graph nor a Sentinel incident".into());
        };
        let props = sentinel.as_ref().and_then(|s| s.properties.as_ref());
        let mut headline = match (graph, &sentinel, props) {
            (Some(graph), _, _) => Headline {
                id: graph.id.map(|id| id.0).unwrap_or_default(),
                title: graph.display_name.unwrap_or_default(),
                severity: Severity::from_wire(graph.severity.as_deref().unwrap_or("")),
                status: Status::from_wire(graph.status.as_deref().unwrap_or("")),
                updated: graph.last_update_date_time.or(graph.created_date_time),
                web_url: graph.incident_web_url,
                sentinel_number: None,
                alerts: graph.alerts.map_or(0, |c| c.0),
            },
            (None, Some(sentinel), Some(p)) => Headline {
                id: p
                    .provider_incident_id
                    .clone()
                    .map(|id| id.0)
                    .filter(|id| !id.is_empty())
                    .or_else(|| sentinel.name.clone())
                    .unwrap_or_default(),
                title: p.title.clone().unwrap_or_default(),
                severity: Severity::from_wire(p.severity.as_deref().unwrap_or("")),
                status: Status::from_wire(p.status.as_deref().unwrap_or("")),
                updated: p.last_modified_time_utc.or(p.created_time_utc),
                web_url: p.incident_url.clone(),
                sentinel_number: None,
                alerts: 0,
            },
            _ => return Err("the bundle has no Graph and no Sentinel incident".into()),
        };
        if let Some(p) = props {
            headline.sentinel_number = p.incident_number.clone().map(|n| n.0);
            if headline.alerts == 0 {
                headline.alerts = p
                    .additional_data
                    .as_ref()
                    .and_then(|d| d.alerts_count)
                    .unwrap_or(0);
            }
        }
        Ok(headline)
    }
}

/// One object of the document: a bundle, its Sentinel block, a Graph
/// incident or a Sentinel incident — each uses the fields it has.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Node {
    // A bundle (`incident`, `sentinel`) and a Sentinel block (`incident`).
    incident: Option<Box<Node>>,
    sentinel: Option<Box<Node>>,
    // A Graph incident.
    id: Option<Id>,
    display_name: Option<String>,
    severity: Option<String>,
    status: Option<String>,
    created_date_time: Option<Timestamp>,
    last_update_date_time: Option<Timestamp>,
    incident_web_url: Option<String>,
    alerts: Option<Count>,
    // A Sentinel incident.
    name: Option<String>,
    properties: Option<Properties>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    title: Option<String>,
    severity: Option<String>,
    status: Option<String>,
    created_time_utc: Option<Timestamp>,
    last_modified_time_utc: Option<Timestamp>,
    incident_url: Option<String>,
    incident_number: Option<Id>,
    provider_incident_id: Option<Id>,
    additional_data: Option<AdditionalData>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct AdditionalData {
    alerts_count: Option<u64>,
}

/// The length of a list, its items skipped unread.
struct Count(u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}
