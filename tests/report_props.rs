//! Property tests of the report engine: arbitrary valid bundles build and
//! render in every format without a panic, and every provenance the report
//! cites names a record that exists in the input.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use incident_report::model::{self, Provenance};
use incident_report::report::{self, render, zone_by_name, Options, Report};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const PEOPLE: [(&str, &str); 3] = [
    ("Kai Carter", "kai@contoso.com"),
    ("Dana Whitfield", "DANA@contoso.com"),
    ("Sam <b>Okafor</b>", "sam@contoso.com"),
];
const AUTOMATION: [&str; 3] = ["Automated investigation", "AR-Rule", "Automation"];

fn time(offset: u32) -> String {
    let t = incident_report::model::Timestamp::from_millis(
        1_767_225_600_000 + i64::from(offset) * 1000 + i64::from(offset % 7) * 123,
    );
    t.to_rfc3339()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 <>&*_#|`\\[\\]()!\"'\n-]{0,24}",
        Just("Follow-up: check the backups".to_owned()),
        Just("TODO need to <script>alert(1)</script>".to_owned()),
        Just(String::new()),
    ]
}

fn pick<T: Clone + std::fmt::Debug + 'static>(options: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(options)
}

fn actor() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0..PEOPLE.len()).prop_map(|i| json!({
            "displayName": PEOPLE[i].0, "userPrincipalName": PEOPLE[i].1, "kind": "user"
        })),
        (0..AUTOMATION.len())
            .prop_map(|i| json!({ "displayName": AUTOMATION[i], "kind": "automation" })),
        Just(json!({ "displayName": "Microsoft Defender XDR", "kind": "system" })),
        Just(json!({ "displayName": "Nameless" })),
    ]
}

/// A history entry; `machine_actions` ids it may point at.
fn history_entry() -> impl Strategy<Value = Value> {
    (
        0u32..20_000,
        actor(),
        pick(&[
            "assign",
            "status",
            "classify",
            "determine",
            "severity",
            "tag",
            "comment",
            "remediation",
            "playbook",
            "escalate",
            "",
        ]),
        proptest::option::of(pick(&[
            "Unassigned",
            "active",
            "resolved",
            "Closed",
            "kai@contoso.com",
            "",
        ])),
        proptest::option::of(pick(&[
            "resolved",
            "Closed",
            "active",
            "TruePositive",
            "high",
            "dana@contoso.com",
        ])),
        proptest::option::of(text()),
        proptest::option::of(pick(&[
            "succeeded",
            "failed",
            "pending",
            "cancelled",
            "timedOut",
            "weird",
        ])),
        proptest::option::of(0usize..4),
        any::<bool>(),
    )
        .prop_map(
            |(at, actor, action, from, to, text, outcome, machine_action, playbook)| {
                let mut e =
                    json!({ "time": time(at), "actor": actor, "action": action, "target": "ws-1" });
                let o = e.as_object_mut().unwrap();
                from.map(|v| o.insert("from".into(), json!(v)));
                to.map(|v| o.insert("to".into(), json!(v)));
                text.map(|v| o.insert("text".into(), json!(v)));
                outcome.map(|v| o.insert("outcome".into(), json!(v)));
                machine_action.map(|m| o.insert("machineActionId".into(), json!(format!("m-{m}"))));
                if playbook {
                    o.insert("playbookName".into(), json!("PB-1"));
                }
                e
            },
        )
}

fn evidence() -> impl Strategy<Value = Value> {
    (
        pick(&[
            "deviceEvidence", "userEvidence", "mailboxEvidence", "ipEvidence", "fileEvidence",
            "processEvidence", "urlEvidence", "quantumWidgetEvidence",
        ]),
        pick(&["ws-1", "WS-1", "kai@contoso.com", "198.51.100.1", "<img onerror=x>"]),
        pick(&["malicious", "suspicious", "noThreatsFound", "unknown", "spooky"]),
        pick(&["none", "notFound", "remediated", "blocked", "levitated"]),
    )
        .prop_map(|(kind, name, verdict, remediation)| {
            json!({
                "@odata.type": format!("#microsoft.graph.security.{kind}"),
                "deviceDnsName": name, "userAccount": { "userPrincipalName": name },
                "primaryAddress": name, "ipAddress": name, "url": name, "processId": 42,
                "fileDetails": { "fileName": name, "sha256": "ab" }, "imageFile": { "fileName": name },
                "widgetName": name, "verdict": verdict, "remediationStatus": remediation
            })
        })
}

fn alert() -> impl Strategy<Value = Value> {
    (
        text(),
        pick(&["new", "inProgress", "resolved", "unknown"]),
        0u32..20_000,
        proptest::collection::vec(evidence(), 0..4),
        proptest::option::of(pick(&["InitialAccess", "Impact"])),
    )
        .prop_map(|(title, status, at, evidence, category)| {
            json!({
                "title": title, "status": status, "severity": "high", "category": category,
                "serviceSource": "microsoftDefenderForEndpoint", "mitreTechniques": ["T1566"],
                "firstActivityDateTime": time(at), "lastActivityDateTime": time(at + 60),
                "evidence": evidence
            })
        })
}

fn machine_action() -> impl Strategy<Value = Value> {
    (
        pick(&["Pending", "InProgress", "Succeeded", "Failed", "TimeOut", "Cancelled"]),
        pick(&["kai@contoso.com", "Automation", "AutoIR", "SAM@contoso.com"]),
        0u32..20_000,
        any::<bool>(),
    )
        .prop_map(|(status, requestor, at, old_key)| {
            let update = if old_key { "lastUpdateTimeUtc" } else { "lastUpdateDateTimeUtc" };
            json!({ "type": "Isolate", "status": status, "requestor": requestor, "computerDnsName": "ws-1",
                    "creationDateTimeUtc": time(at), update: time(at + 30), "errorHResult": -2147024891i64 })
        })
}

fn playbook_run() -> impl Strategy<Value = Value> {
    (pick(&["Succeeded", "Failed", "Running"]), pick(&["AR-1", "dana@contoso.com"]), 0u32..20_000).prop_map(
        |(status, by, at)| {
            json!({ "playbookName": "PB-1", "triggeredBy": by, "startTime": time(at), "status": status,
                    "incidentActions": "did things" })
        },
    )
}

fn comment() -> impl Strategy<Value = Value> {
    (
        text(),
        pick(&["Kai Carter", "kai@contoso.com", "Someone"]),
        0u32..20_000,
        any::<bool>(),
    )
        .prop_map(|(text, by, at, old)| {
            if old {
                json!({ "comment": text, "createdBy": by, "createdTime": time(at) })
            } else {
                json!({ "comment": text, "createdByDisplayName": by, "createdDateTime": time(at) })
            }
        })
}

fn sentinel_comment() -> impl Strategy<Value = Value> {
    (
        text(),
        proptest::option::of(pick(&["lena@contoso.com", "kai@contoso.com"])),
        0u32..20_000,
    )
        .prop_map(|(message, upn, at)| {
            json!({ "properties": { "message": message, "createdTimeUtc": time(at),
                                    "author": { "name": "Author", "userPrincipalName": upn } } })
        })
}

fn investigation() -> impl Strategy<Value = Value> {
    (pick(&["SuccessfullyRemediated", "Benign", "Running", "PendingApproval", "Failed", ""]), 0u32..20_000)
        .prop_map(|(state, at)| json!({ "startTime": time(at), "endTime": time(at + 99), "state": state }))
}

/// A valid bundle: ids unique per kind; references point at records that exist.
fn bundle() -> impl Strategy<Value = Value> {
    (
        (
            any::<bool>(),
            pick(&["active", "resolved", "inProgress", "redirected", "Closed"]),
            pick(&["unknown", "TruePositive", "falsePositive", "weird"]),
            proptest::option::of(pick(&["kai@contoso.com", ""])),
            proptest::collection::vec(alert(), 0..5),
            proptest::collection::vec(comment(), 0..4),
        ),
        (
            proptest::collection::vec(history_entry(), 0..25),
            proptest::collection::vec(machine_action(), 0..4),
            proptest::collection::vec(investigation(), 0..3),
            proptest::collection::vec(sentinel_comment(), 0..3),
            proptest::collection::vec(playbook_run(), 0..3),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (graph, status, classification, assigned, mut alerts, comments),
                (mut history, mut machine_actions, mut investigations, sentinel_comments, runs, sentinel),
            )| {
                for (i, a) in alerts.iter_mut().enumerate() {
                    a["id"] = json!(format!("a-{i}"));
                }
                for (i, h) in history.iter_mut().enumerate() {
                    h["id"] = json!(format!("h-{i}"));
                    let points_at = h["machineActionId"].as_str().map(str::to_owned);
                    if let Some(m) = points_at {
                        let index: usize = m[2..].parse().unwrap();
                        if index >= machine_actions.len() {
                            h.as_object_mut().unwrap().remove("machineActionId");
                        }
                    }
                }
                for (i, m) in machine_actions.iter_mut().enumerate() {
                    m["id"] = json!(format!("m-{i}"));
                }
                for (i, v) in investigations.iter_mut().enumerate() {
                    v["id"] = json!(1000 + i);
                    if !alerts.is_empty() {
                        v["triggeringAlertId"] = json!(format!("a-{}", i % alerts.len()));
                    }
                }
                let mut doc = json!({
                    "history": history, "machineActions": machine_actions, "investigations": investigations,
                    "sentinel": { "comments": sentinel_comments, "playbookRuns": runs }
                });
                if graph || !sentinel {
                    doc["incident"] = json!({
                        "id": "7", "displayName": "Incident <script>x</script>", "status": status,
                        "classification": classification, "determination": "compromisedUser",
                        "assignedTo": assigned, "createdDateTime": time(0), "alerts": alerts,
                        "comments": comments, "resolvingComment": "done & *dusted*"
                    });
                }
                if sentinel {
                    doc["sentinel"]["incident"] = json!({
                        "name": "guid-1", "properties": { "title": "Sentinel [x](javascript:y)", "status": "Active",
                        "severity": "High", "createdTimeUtc": time(5), "incidentNumber": 12,
                        "providerIncidentId": "7", "classification": classification,
                        "additionalData": { "tactics": ["Impact"], "alertsCount": 3 } }
                    });
                }
                doc
            },
        )
}

/// Every record of the input a citation may name.
struct Records {
    alerts: BTreeSet<String>,
    evidence: BTreeSet<(String, usize)>,
    history: BTreeSet<String>,
    comments: usize,
    sentinel_comments: usize,
    machine_actions: BTreeSet<String>,
    playbook_runs: usize,
    investigations: BTreeSet<String>,
}

fn strings(list: &Value, key: &str) -> BTreeSet<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|v| match &v[key] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn len(list: &Value) -> usize {
    list.as_array().map_or(0, Vec::len)
}

impl Records {
    fn of(doc: &Value) -> Self {
        let graph = &doc["incident"];
        let mut evidence = BTreeSet::new();
        for alert in graph["alerts"].as_array().into_iter().flatten() {
            for index in 0..len(&alert["evidence"]) {
                evidence.insert((alert["id"].as_str().unwrap().to_owned(), index));
            }
        }
        Records {
            alerts: strings(&graph["alerts"], "id"),
            evidence,
            history: strings(&doc["history"], "id"),
            comments: len(&graph["comments"]),
            sentinel_comments: len(&doc["sentinel"]["comments"]),
            machine_actions: strings(&doc["machineActions"], "id"),
            playbook_runs: len(&doc["sentinel"]["playbookRuns"]),
            investigations: strings(&doc["investigations"], "id"),
        }
    }

    fn exists(&self, p: &Provenance) -> bool {
        match p {
            Provenance::Incident { field } | Provenance::SentinelIncident { field } => {
                !field.is_empty()
            }
            Provenance::Alert { id } => self.alerts.contains(id),
            Provenance::Evidence { alert_id, index } => {
                self.evidence.contains(&(alert_id.clone(), *index))
            }
            Provenance::History { id } => self.history.contains(id),
            Provenance::Comment { index } => *index < self.comments,
            Provenance::SentinelComment { index } => *index < self.sentinel_comments,
            Provenance::MachineAction { id } => self.machine_actions.contains(id),
            Provenance::PlaybookRun { index } => *index < self.playbook_runs,
            Provenance::Investigation { id } => self.investigations.contains(id),
        }
    }
}

fn check(doc: &Value, report: &Report) -> Result<(), TestCaseError> {
    let records = Records::of(doc);
    for section in &report.sections {
        for item in section.items() {
            for p in item.provenance() {
                prop_assert!(
                    records.exists(p),
                    "{:?} cites {p:?}, not in the input",
                    section.id
                );
            }
        }
    }
    let md = render::markdown::render(report);
    prop_assert_eq!(md.lines().filter(|l| l.starts_with("## ")).count(), 7);
    let bytes = md.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        prop_assert!(
            !matches!(b, b'<' | b'>') || bytes[i - 1] == b'\\',
            "unescaped markup in Markdown"
        );
    }
    let html = render::html::document(report);
    prop_assert!(!html.contains("<script") && !html.contains("<img"));
    prop_assert!(!render::text::render(report).is_empty());
    let exported = render::json(report);
    prop_assert_eq!(&exported, &serde_json::to_string(report).unwrap());
    let json: Value = serde_json::from_str(&exported).unwrap();
    prop_assert_eq!(json["sections"].as_array().unwrap().len(), 7);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bundles_build_render_and_cite_only_what_exists(doc in bundle()) {
        let incident = model::parse(&serde_json::to_vec(&doc).unwrap())
            .map_err(|e| TestCaseError::fail(format!("a valid bundle was rejected: {e}")))?;
        check(&doc, &report::build(&incident, &Options::default()))?;
        let amsterdam = Options { zone: zone_by_name("Europe/Amsterdam").unwrap(), ..Options::default() };
        let report = report::build(&incident, &amsterdam);
        check(&doc, &report)?;
        // Sections built one by one are the sections of the whole report.
        let one_by_one: Vec<String> = report::sections(&incident, &amsterdam)
            .map(|s| serde_json::to_string(&s).unwrap())
            .collect();
        let whole: Vec<String> = report.sections.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
        prop_assert_eq!(one_by_one, whole);
    }
}

#[test]
fn the_fixtures_cite_only_what_exists() {
    for name in [
        "phishing-bec.json",
        "ransomware-multistage.json",
        "sentinel-bruteforce.json",
        "minimal-active.json",
    ] {
        let bytes = common::fixture(name);
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        let doc = if doc.get("incident").is_some() || doc.get("sentinel").is_some() {
            doc
        } else {
            json!({ "incident": doc })
        };
        let incident = model::parse(&bytes).unwrap();
        check(&doc, &report::build(&incident, &Options::default())).unwrap();
    }
}
