//! Wire types: the JSON of Microsoft Graph security, Defender for Endpoint and
//! Sentinel as exports really write it. Nothing outside `model` sees these.
//!
//! Enumerations stay strings here (unknown values must survive); `null` is
//! accepted wherever a field is optional; unknown fields are ignored.

use super::time::Timestamp;
use serde::{de, Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// `null` or absent becomes the default (an empty list, an empty string).
fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An identifier: a string, or a number written without quotes.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Any JSON value, kept only when it is a short scalar (for evidence of types
/// the engine does not know, whose naming field it cannot guess in advance).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scalar(pub Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_owned())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Scalar(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Scalar(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `GET /security/incidents/{id}?$expand=alerts` (Graph v1.0).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphIncident {
    pub id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub display_name: String,
    pub description: Option<String>,
    pub summary: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub classification: Option<String>,
    pub determination: Option<String>,
    pub assigned_to: Option<String>,
    pub created_date_time: Option<Timestamp>,
    pub last_update_date_time: Option<Timestamp>,
    pub resolving_comment: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub custom_tags: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub system_tags: Vec<String>,
    pub incident_web_url: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub comments: Vec<GraphComment>,
    #[serde(default, deserialize_with = "nullable")]
    pub alerts: Vec<GraphAlert>,
}

/// Graph `alertComment`; old exports use `createdBy` / `createdTime`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphComment {
    #[serde(default, deserialize_with = "nullable")]
    pub comment: String,
    #[serde(alias = "createdBy")]
    pub created_by_display_name: Option<String>,
    #[serde(alias = "createdTime")]
    pub created_date_time: Timestamp,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphAlert {
    pub id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    pub description: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub service_source: Option<String>,
    pub detection_source: Option<String>,
    pub category: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub mitre_techniques: Vec<String>,
    pub first_activity_date_time: Option<Timestamp>,
    pub last_activity_date_time: Option<Timestamp>,
    pub resolved_date_time: Option<Timestamp>,
    pub assigned_to: Option<String>,
    pub actor_display_name: Option<String>,
    pub threat_display_name: Option<String>,
    pub threat_family_name: Option<String>,
    pub recommended_actions: Option<String>,
    pub alert_web_url: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub evidence: Vec<GraphEvidence>,
}

/// One `alertEvidence`: the identifying fields of every type the engine knows,
/// and the short scalar fields of the rest.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphEvidence {
    #[serde(rename = "@odata.type", default, deserialize_with = "nullable")]
    pub odata_type: String,
    pub verdict: Option<String>,
    pub remediation_status: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub roles: Vec<String>,
    pub device_dns_name: Option<String>,
    pub host_name: Option<String>,
    pub user_account: Option<UserAccount>,
    pub primary_address: Option<String>,
    pub display_name: Option<String>,
    pub file_details: Option<FileDetails>,
    pub image_file: Option<FileDetails>,
    pub process_id: Option<Scalar>,
    pub process_command_line: Option<String>,
    pub ip_address: Option<String>,
    pub country_letter_code: Option<String>,
    pub url: Option<String>,
    pub network_message_id: Option<String>,
    pub subject: Option<String>,
    pub recipient_email_address: Option<String>,
    pub registry_hive: Option<String>,
    pub registry_key: Option<String>,
    pub name: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Scalar>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAccount {
    pub account_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub display_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDetails {
    pub file_name: Option<String>,
    pub file_path: Option<String>,
    pub sha256: Option<String>,
    pub sha1: Option<String>,
}

/// One entry of the incident's activity log (CONTRACT §1).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: Id,
    pub time: Timestamp,
    #[serde(default, deserialize_with = "nullable")]
    pub actor: HistoryActor,
    #[serde(default, deserialize_with = "nullable")]
    pub action: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub text: Option<String>,
    pub target: Option<String>,
    pub outcome: Option<String>,
    pub automated: Option<bool>,
    pub source: Option<String>,
    pub alert_id: Option<Id>,
    pub investigation_id: Option<Id>,
    pub machine_action_id: Option<Id>,
    pub playbook_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryActor {
    #[serde(default, deserialize_with = "nullable")]
    pub display_name: String,
    pub user_principal_name: Option<String>,
    pub kind: Option<String>,
}

/// Defender for Endpoint `machineAction`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineAction {
    pub id: Id,
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub action_type: String,
    pub scope: Option<String>,
    pub requestor: Option<String>,
    pub requestor_comment: Option<String>,
    pub status: Option<String>,
    pub computer_dns_name: Option<String>,
    pub creation_date_time_utc: Timestamp,
    #[serde(alias = "lastUpdateTimeUtc")]
    pub last_update_date_time_utc: Option<Timestamp>,
    pub error_h_result: Option<i64>,
}

/// Defender automated investigation (AIR).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Investigation {
    pub id: Id,
    pub start_time: Option<Timestamp>,
    pub end_time: Option<Timestamp>,
    pub state: Option<String>,
    pub computer_dns_name: Option<String>,
    pub triggering_alert_id: Option<Id>,
}

/// The `sentinel` block of a bundle.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelBlock {
    pub incident: Option<SentinelIncident>,
    #[serde(default, deserialize_with = "nullable")]
    pub comments: Vec<SentinelComment>,
    #[serde(default, deserialize_with = "nullable")]
    pub playbook_runs: Vec<PlaybookRun>,
}

/// A Sentinel incident as the ARM API returns it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelIncident {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    pub properties: SentinelProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelProperties {
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    pub description: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub classification: Option<String>,
    pub classification_reason: Option<String>,
    pub classification_comment: Option<String>,
    pub owner: Option<SentinelOwner>,
    #[serde(default, deserialize_with = "nullable")]
    pub labels: Vec<SentinelLabel>,
    pub first_activity_time_utc: Option<Timestamp>,
    pub last_activity_time_utc: Option<Timestamp>,
    pub last_modified_time_utc: Option<Timestamp>,
    pub created_time_utc: Option<Timestamp>,
    pub incident_number: Option<Id>,
    pub incident_url: Option<String>,
    pub provider_name: Option<String>,
    pub provider_incident_id: Option<Id>,
    pub additional_data: Option<SentinelAdditionalData>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelOwner {
    pub email: Option<String>,
    pub assigned_to: Option<String>,
    pub user_principal_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelLabel {
    #[serde(default, deserialize_with = "nullable")]
    pub label_name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelAdditionalData {
    pub alerts_count: Option<u64>,
    #[serde(default, deserialize_with = "nullable")]
    pub alert_product_names: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub tactics: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub techniques: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelComment {
    pub properties: SentinelCommentProperties,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelCommentProperties {
    #[serde(default, deserialize_with = "nullable")]
    pub message: String,
    pub created_time_utc: Timestamp,
    pub author: Option<SentinelAuthor>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentinelAuthor {
    pub name: Option<String>,
    pub email: Option<String>,
    pub user_principal_name: Option<String>,
}

/// A Sentinel playbook (Logic App) run on the incident.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookRun {
    #[serde(default, deserialize_with = "nullable")]
    pub playbook_name: String,
    pub triggered_by: Option<String>,
    pub start_time: Timestamp,
    pub end_time: Option<Timestamp>,
    pub status: Option<String>,
    pub incident_actions: Option<String>,
}
