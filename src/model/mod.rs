//! The incident model: one JSON document (bundle, bare Graph incident or bare
//! Sentinel incident) parsed and normalised into the domain types below.
//! Every item keeps its [`Provenance`] so the report can cite it.

mod error;
mod headline;
mod normalise;
mod parse;
mod time;
mod vocabulary;
mod wire;

pub use error::{clip, ParseError};
pub use headline::Headline;
pub use parse::parse;
pub use time::{Civil, Timestamp};
pub use vocabulary::{
    ActorKind, Classification, Determination, EvidenceKind, Outcome, Product, Remediation,
    Severity, Status, Verdict,
};

use serde::{Deserialize, Serialize};

/// Where a statement came from: a record of the input document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Provenance {
    /// A field of the incident itself (Graph, or Sentinel when there is no Graph incident).
    Incident {
        field: String,
    },
    /// A field of the Sentinel incident.
    SentinelIncident {
        field: String,
    },
    Alert {
        id: String,
    },
    Evidence {
        alert_id: String,
        index: usize,
    },
    History {
        id: String,
    },
    /// `incident.comments[index]`.
    Comment {
        index: usize,
    },
    /// `sentinel.comments[index]`.
    SentinelComment {
        index: usize,
    },
    MachineAction {
        id: String,
    },
    /// `sentinel.playbookRuns[index]`.
    PlaybookRun {
        index: usize,
    },
    Investigation {
        id: String,
    },
}

/// Read as one flat record: a derived internally tagged enum buffers every
/// object first, and the panel reads thousands of these per report.
impl<'de> Deserialize<'de> for Provenance {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Flat {
            kind: String,
            field: Option<String>,
            id: Option<String>,
            alert_id: Option<String>,
            index: Option<usize>,
        }
        const KINDS: &[&str] = &[
            "incident",
            "sentinelIncident",
            "alert",
            "evidence",
            "history",
            "comment",
            "sentinelComment",
            "machineAction",
            "playbookRun",
            "investigation",
        ];
        let flat = Flat::deserialize(deserializer)?;
        let field = || {
            flat.field
                .clone()
                .ok_or_else(|| D::Error::missing_field("field"))
        };
        let id = || flat.id.clone().ok_or_else(|| D::Error::missing_field("id"));
        let index = || flat.index.ok_or_else(|| D::Error::missing_field("index"));
        Ok(match flat.kind.as_str() {
            "incident" => Provenance::Incident { field: field()? },
            "sentinelIncident" => Provenance::SentinelIncident { field: field()? },
            "alert" => Provenance::Alert { id: id()? },
            "evidence" => Provenance::Evidence {
                alert_id: flat
                    .alert_id
                    .clone()
                    .ok_or_else(|| D::Error::missing_field("alertId"))?,
                index: index()?,
            },
            "history" => Provenance::History { id: id()? },
            "comment" => Provenance::Comment { index: index()? },
            "sentinelComment" => Provenance::SentinelComment { index: index()? },
            "machineAction" => Provenance::MachineAction { id: id()? },
            "playbookRun" => Provenance::PlaybookRun { index: index()? },
            "investigation" => Provenance::Investigation { id: id()? },
            other => return Err(D::Error::unknown_variant(other, KINDS)),
        })
    }
}

impl Provenance {
    /// A short citation an analyst can follow, e.g. `history h-7`.
    pub fn label(&self) -> String {
        match self {
            Provenance::Incident { field } => format!("incident.{field}"),
            Provenance::SentinelIncident { field } => format!("sentinel.incident.{field}"),
            Provenance::Alert { id } => format!("alert {id}"),
            Provenance::Evidence { alert_id, index } => {
                format!("alert {alert_id} evidence[{index}]")
            }
            Provenance::History { id } => format!("history {id}"),
            Provenance::Comment { index } => format!("incident.comments[{index}]"),
            Provenance::SentinelComment { index } => format!("sentinel.comments[{index}]"),
            Provenance::MachineAction { id } => format!("machine action {id}"),
            Provenance::PlaybookRun { index } => format!("sentinel.playbookRuns[{index}]"),
            Provenance::Investigation { id } => format!("investigation {id}"),
        }
    }
}

/// The incident, normalised from Graph, Defender and Sentinel records.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub severity: Severity,
    pub status: Status,
    pub classification: Classification,
    pub determination: Determination,
    /// Graph's `resolvingComment`, or Sentinel's `classificationComment`.
    pub resolving_comment: Option<String>,
    pub assigned_to: Option<String>,
    pub created: Option<Timestamp>,
    pub last_updated: Option<Timestamp>,
    pub tags: Vec<String>,
    pub web_url: Option<String>,
    /// MITRE tactics from Sentinel, when it names them.
    pub tactics: Vec<String>,
    pub sentinel: Option<SentinelLink>,
    pub alerts: Vec<Alert>,
    /// Everything anyone or anything did, oldest first; a record mirrored in
    /// several sources is one action citing all of them.
    pub actions: Vec<Action>,
    pub investigations: Vec<Investigation>,
}

/// The Sentinel incident this one is (or is linked to).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelLink {
    pub number: Option<String>,
    pub name: String,
    pub provider: Option<String>,
    pub url: Option<String>,
    pub classification_reason: Option<String>,
    pub first_activity: Option<Timestamp>,
    pub last_activity: Option<Timestamp>,
    pub alert_count: Option<u64>,
    /// The products whose alerts make up the incident.
    pub products: Vec<String>,
    pub techniques: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub severity: Severity,
    pub status: Status,
    pub service_source: Option<String>,
    pub detection_source: Option<String>,
    pub category: Option<String>,
    pub mitre_techniques: Vec<String>,
    pub first_activity: Option<Timestamp>,
    pub last_activity: Option<Timestamp>,
    pub resolved: Option<Timestamp>,
    pub threat: Option<String>,
    /// The threat actor, when Defender attributes one.
    pub threat_actor: Option<String>,
    pub assigned_to: Option<String>,
    pub recommended_actions: Option<String>,
    pub web_url: Option<String>,
    pub evidence: Vec<Evidence>,
    pub provenance: Provenance,
}

/// An entity named by an alert.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// What the analyst calls it: a host name, a UPN, a file name, an address.
    pub name: String,
    /// What tells it apart from others of the same name: a hash, a pid, a message id.
    pub detail: Option<String>,
    /// Context for a reader: a display name, a folder, a command line, a country.
    pub context: Option<String>,
    pub verdict: Verdict,
    pub remediation: Remediation,
    pub roles: Vec<String>,
    pub provenance: Provenance,
}

impl Evidence {
    /// The key under which the same entity seen by several alerts is one asset.
    pub fn identity(&self) -> (EvidenceKind, String) {
        let detail = self
            .detail
            .as_deref()
            .filter(|_| self.kind.detail_identifies());
        let mut key = String::with_capacity(self.name.len() + detail.map_or(0, |d| d.len() + 1));
        key.push_str(&self.name);
        if let Some(detail) = detail {
            key.push(' ');
            key.push_str(detail);
        }
        if key.is_ascii() {
            key.make_ascii_lowercase();
        } else {
            key = key.to_lowercase();
        }
        (self.kind.clone(), key)
    }
}

/// Who (or what) acted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    pub name: String,
    /// Lower-case UPN of a person; people are merged by it.
    pub upn: Option<String>,
    pub kind: ActorKind,
}

impl Actor {
    pub fn is_person(&self) -> bool {
        self.kind == ActorKind::Person
    }
}

/// What an action did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "name")]
pub enum ActionKind {
    Assign,
    Status,
    Classify,
    Determine,
    Severity,
    Tag,
    Comment,
    Remediation,
    Playbook,
    /// An action name the engine does not know, kept as written.
    Other(String),
}

impl ActionKind {
    fn from_wire(action: &str) -> Self {
        match action.to_ascii_lowercase().as_str() {
            "assign" => ActionKind::Assign,
            "status" => ActionKind::Status,
            "classify" => ActionKind::Classify,
            "determine" => ActionKind::Determine,
            "severity" => ActionKind::Severity,
            "tag" => ActionKind::Tag,
            "comment" => ActionKind::Comment,
            "remediation" => ActionKind::Remediation,
            "playbook" => ActionKind::Playbook,
            _ => ActionKind::Other(action.to_owned()),
        }
    }
}

/// One thing done on the incident: a change, a comment, a remediation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub time: Timestamp,
    /// When it finished (machine action update, playbook end), if known.
    pub end: Option<Timestamp>,
    pub actor: Actor,
    pub kind: ActionKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub text: Option<String>,
    pub target: Option<String>,
    pub outcome: Option<Outcome>,
    pub automated: bool,
    /// `defender`, `sentinel`, or what the record says.
    pub source: String,
    pub alert_id: Option<String>,
    pub investigation_id: Option<String>,
    pub provenance: Vec<Provenance>,
}

/// A Defender automated investigation (AIR).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Investigation {
    pub id: String,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub state: String,
    pub device: Option<String>,
    pub triggering_alert_id: Option<String>,
    pub provenance: Provenance,
}

impl Investigation {
    /// Finished without anything left to do.
    pub fn is_settled(&self) -> bool {
        matches!(
            self.state.to_ascii_lowercase().as_str(),
            "successfullyremediated" | "benign" | "nothreatsfound"
        )
    }
}
