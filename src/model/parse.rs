//! Reading one input document: which of the three forms it is, and each part
//! deserialised with its JSON path so that an error can say where it is.

use super::error::ParseError;
use super::wire::{
    GraphIncident, HistoryEntry, Investigation, MachineAction, SentinelBlock, SentinelIncident,
};
use super::{normalise, Incident};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// The records of one incident, as read.
#[derive(Default)]
pub(super) struct Document {
    pub incident: Option<GraphIncident>,
    pub history: Vec<HistoryEntry>,
    pub machine_actions: Vec<MachineAction>,
    pub investigations: Vec<Investigation>,
    pub sentinel: SentinelBlock,
}

const BUNDLE_KEYS: [&str; 5] = [
    "incident",
    "history",
    "machineActions",
    "investigations",
    "sentinel",
];

/// Parses an incident bundle, a bare Graph incident or a bare Sentinel
/// incident (UTF-8, a leading byte-order mark allowed) into the model.
pub fn parse(bytes: &[u8]) -> Result<Incident, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        ParseError::new(
            "$",
            format!("not valid UTF-8: invalid byte at offset {at} (line {line})"),
        )
    })?;
    Ok(normalise::incident(read_document(text)?))
}

/// A bundle in one pass, the common case. Anything else (another form, an
/// error) is left to [`read_document`]'s part-by-part reading.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
    incident: Option<GraphIncident>,
    history: Option<Vec<HistoryEntry>>,
    machine_actions: Option<Vec<MachineAction>>,
    investigations: Option<Vec<Investigation>>,
    sentinel: Option<SentinelBlock>,
}

fn read_bundle(text: &str) -> Option<Document> {
    let bundle: Bundle = serde_json::from_str(text).ok()?;
    let sentinel = bundle.sentinel.unwrap_or_default();
    if bundle.incident.is_none() && sentinel.incident.is_none() {
        return None;
    }
    Some(Document {
        incident: bundle.incident,
        history: bundle.history.unwrap_or_default(),
        machine_actions: bundle.machine_actions.unwrap_or_default(),
        investigations: bundle.investigations.unwrap_or_default(),
        sentinel,
    })
}

fn read_document(text: &str) -> Result<Document, ParseError> {
    if let Some(doc) = read_bundle(text) {
        return Ok(doc);
    }
    let top: BTreeMap<String, &RawValue> = read(text, "$")?;
    let part = |key: &str| top.get(key).map(|raw| raw.get());

    if BUNDLE_KEYS.iter().any(|k| top.contains_key(*k)) {
        let doc = Document {
            incident: read_optional(part("incident"), "$.incident")?,
            history: read_list(part("history"), "$.history")?,
            machine_actions: read_list(part("machineActions"), "$.machineActions")?,
            investigations: read_list(part("investigations"), "$.investigations")?,
            sentinel: read_optional(part("sentinel"), "$.sentinel")?.unwrap_or_default(),
        };
        if doc.incident.is_none() && doc.sentinel.incident.is_none() {
            let (path, what) = if top.contains_key("sentinel") {
                (
                    "$.sentinel.incident",
                    "missing: the bundle's sentinel block has no incident",
                )
            } else {
                (
                    "$.incident",
                    "missing: the bundle has no Graph and no Sentinel incident",
                )
            };
            return Err(ParseError::new(path, what));
        }
        return Ok(doc);
    }
    if top.contains_key("properties") && top.contains_key("name") {
        let incident: SentinelIncident = read(text, "$")?;
        return Ok(Document {
            sentinel: SentinelBlock {
                incident: Some(incident),
                ..SentinelBlock::default()
            },
            ..Document::default()
        });
    }
    if ["id", "displayName", "alerts"]
        .iter()
        .any(|k| top.contains_key(*k))
    {
        return Ok(Document {
            incident: Some(read(text, "$")?),
            ..Document::default()
        });
    }
    Err(ParseError::new(
        "$",
        "neither a Graph nor a Sentinel incident: expected a bundle with \"incident\" or \
         \"sentinel\", a Graph security incident, or a Sentinel incident",
    ))
}

/// Deserialises `json` (the value found at `path`), naming the exact place of an error.
fn read<'a, T: Deserialize<'a>>(json: &'a str, path: &str) -> Result<T, ParseError> {
    // Most documents are valid: read them at full speed, and only read a
    // rejected one again, tracking the path, to say where it went wrong.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let value =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ParseError::from_serde(path, e))?;
    de.end()
        .map_err(|e| ParseError::new("$", format!("not valid JSON: {e}")))?;
    Ok(value)
}

/// The value at `path`, if present and not `null`.
fn read_optional<T: DeserializeOwned>(
    json: Option<&str>,
    path: &str,
) -> Result<Option<T>, ParseError> {
    json.map_or(Ok(None), |json| read::<Option<T>>(json, path))
}

fn read_list<T: DeserializeOwned>(json: Option<&str>, path: &str) -> Result<Vec<T>, ParseError> {
    Ok(read_optional(json, path)?.unwrap_or_default())
}
