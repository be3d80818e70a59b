//! The incidents a server serves: every `*.json` bundle of the data
//! directory, parsed once at start-up and kept with its original bytes.

use crate::model::{self, Incident};
use axum::body::Bytes;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One loaded bundle.
pub struct LoadedIncident {
    pub incident: Arc<Incident>,
    /// The file as it was read (`GET /api/incidents/{id}` answers it).
    pub bytes: Bytes,
    /// Its row in the queue.
    pub listing: Listing,
    /// The comments the bundle already holds, in Graph's shape, oldest first.
    pub comments: Vec<Comment>,
}

/// A row of `GET /api/incidents`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    pub id: String,
    pub display_name: String,
    pub severity: String,
    pub status: String,
    pub last_update_date_time: Option<String>,
}

/// Graph's `alertComment`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    #[serde(rename = "@odata.type")]
    pub odata_type: &'static str,
    pub comment: String,
    pub created_by_display_name: Option<String>,
    pub created_date_time: Option<String>,
    /// The report a comment posted through the panel was generated as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_id: Option<String>,
}

pub const ALERT_COMMENT: &str = "microsoft.graph.security.alertComment";

/// A file of the data directory that was not served, and why.
#[derive(Debug)]
pub struct Skipped {
    pub file: PathBuf,
    pub reason: String,
}

/// Every incident served, keyed by id, in queue order (latest update first).
#[derive(Default)]
pub struct Incidents {
    by_id: HashMap<String, Arc<LoadedIncident>>,
    order: Vec<String>,
}

impl Incidents {
    /// Reads every `*.json` in `dir`; a file that cannot be read or parsed, or
    /// repeats an id already loaded, is skipped and reported.
    pub fn load(dir: &Path) -> Result<(Incidents, Vec<Skipped>), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("data directory {}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
            .collect();
        files.sort();
        let mut incidents = Incidents::default();
        let mut skipped = Vec::new();
        for file in files {
            match load_one(&file) {
                Ok(loaded) if incidents.by_id.contains_key(&loaded.listing.id) => {
                    skipped.push(Skipped {
                        reason: format!(
                            "incident id {:?} is already served from another file",
                            loaded.listing.id
                        ),
                        file,
                    });
                }
                Ok(loaded) => {
                    incidents.order.push(loaded.listing.id.clone());
                    incidents
                        .by_id
                        .insert(loaded.listing.id.clone(), Arc::new(loaded));
                }
                Err(reason) => skipped.push(Skipped { file, reason }),
            }
        }
        let by_id = &incidents.by_id;
        incidents.order.sort_by(|a, b| {
            let (a, b) = (&by_id[a].incident, &by_id[b].incident);
            b.last_updated
                .cmp(&a.last_updated)
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok((incidents, skipped))
    }

    pub fn get(&self, id: &str) -> Option<&Arc<LoadedIncident>> {
        self.by_id.get(id)
    }

    /// In queue order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<LoadedIncident>> {
        self.order.iter().map(|id| &self.by_id[id])
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

fn load_one(file: &Path) -> Result<LoadedIncident, String> {
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let incident = model::parse(&bytes).map_err(|e| e.to_string())?;
    if incident.id.is_empty() {
        return Err("the incident has no id".into());
    }
    let raw: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let listing = Listing {
        id: incident.id.clone(),
        display_name: incident.title.clone(),
        severity: incident.severity.as_str().to_owned(),
        status: incident.status.as_str().to_owned(),
        last_update_date_time: incident
            .last_updated
            .and_then(|t| serde_json::to_value(t).ok())
            .and_then(|v| v.as_str().map(str::to_owned)),
    };
    Ok(LoadedIncident {
        comments: bundle_comments(&raw),
        incident: Arc::new(incident),
        bytes: Bytes::from(bytes),
        listing,
    })
}

/// The Graph incident's comments (old keys `createdBy` / `createdTime` too);
/// for an incident that exists in Sentinel alone, its Sentinel comments.
fn bundle_comments(raw: &Value) -> Vec<Comment> {
    let graph = match raw.get("incident") {
        Some(incident) => Some(incident),
        None if raw.get("properties").is_none() && raw.get("sentinel").is_none() => Some(raw),
        None => None,
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    if let Some(list) = graph
        .and_then(|g| g.get("comments"))
        .and_then(Value::as_array)
    {
        return list
            .iter()
            .filter_map(|c| {
                Some(Comment {
                    odata_type: ALERT_COMMENT,
                    comment: text(c.get("comment"))?,
                    created_by_display_name: text(
                        c.get("createdByDisplayName").or_else(|| c.get("createdBy")),
                    ),
                    created_date_time: text(
                        c.get("createdDateTime").or_else(|| c.get("createdTime")),
                    ),
                    report_id: None,
                })
            })
            .collect();
    }
    let sentinel = raw.get("sentinel").and_then(|s| s.get("comments"));
    sentinel
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|c| {
                    let p = c.get("properties")?;
                    Some(Comment {
                        odata_type: ALERT_COMMENT,
                        comment: text(p.get("message"))?,
                        created_by_display_name: text(p.get("author").and_then(|a| a.get("name"))),
                        created_date_time: text(p.get("createdTimeUtc")),
                        report_id: None,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}
