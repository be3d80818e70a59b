//! The incident model on the shared fixtures, on hand-built bundles for each
//! tolerance, and on the inputs it must reject.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{fixture, parse_fixture};
use incident_report::model::{self, *};
use std::collections::BTreeMap;

/// Actions per person (by UPN) and per automation actor (by name).
fn actions_by_actor(incident: &Incident) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let (mut people, mut automation) = (BTreeMap::new(), BTreeMap::new());
    for a in &incident.actions {
        match (&a.actor.kind, &a.actor.upn) {
            (ActorKind::Person, Some(upn)) => *people.entry(upn.clone()).or_default() += 1,
            (ActorKind::Person, None) => panic!("a person without a UPN: {:?}", a.actor),
            _ => *automation.entry(a.actor.name.clone()).or_default() += 1,
        }
    }
    (people, automation)
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

#[test]
fn minimal_active_is_a_bare_graph_incident_nobody_touched() {
    let i = parse_fixture("minimal-active.json");
    assert_eq!(i.id, "5120");
    assert_eq!(i.status, Status::Active);
    assert_eq!(i.severity, Severity::Low);
    assert_eq!(i.classification, Classification::Unknown);
    assert_eq!(i.determination, Determination::Unknown);
    assert_eq!(i.assigned_to, None);
    assert_eq!(
        i.created.unwrap().seconds(),
        ts("2026-03-15T14:03:27Z").seconds()
    );
    assert_eq!(
        i.created.unwrap().civil(0).to_string(),
        "2026-03-15 14:03:27"
    );
    assert_eq!(i.alerts.len(), 1);
    assert_eq!(
        i.alerts[0].title,
        "'Presenoker' unwanted software was detected"
    );
    assert_eq!(i.alerts[0].status, Status::New);
    let e = &i.alerts[0].evidence;
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, EvidenceKind::Device);
    assert_eq!(e[0].name, "ws-mkt-0412.corp.contoso.com");
    assert_eq!(e[0].verdict, Verdict::Suspicious);
    assert_eq!(e[0].remediation, Remediation::None);
    assert!(i.actions.is_empty());
    assert!(i.sentinel.is_none());
}

#[test]
fn phishing_bec_has_two_responders_and_only_successful_remediation() {
    let i = parse_fixture("phishing-bec.json");
    assert_eq!(i.id, "41017");
    assert_eq!(i.status, Status::Resolved);
    assert_eq!(i.severity, Severity::High);
    assert_eq!(i.classification, Classification::TruePositive);
    assert_eq!(i.determination, Determination::Phishing);
    assert_eq!(i.alerts.len(), 4);
    assert_eq!(i.actions.len(), 25, "25 distinct actions, mirrors merged");
    let (people, automation) = actions_by_actor(&i);
    assert_eq!(
        people,
        counts(&[("dana@contoso.com", 9), ("kai@contoso.com", 14)])
    );
    assert_eq!(automation, counts(&[("Automated investigation", 2)]));
    let names: Vec<_> = i
        .actions
        .iter()
        .filter(|a| a.actor.is_person())
        .map(|a| a.actor.name.as_str())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| *n == "Kai Carter" || *n == "Dana Whitfield"),
        "{names:?}"
    );
    assert!(i
        .actions
        .iter()
        .filter(|a| a.kind == ActionKind::Remediation)
        .all(|a| a.outcome == Some(Outcome::Succeeded)));
    assert_eq!(
        i.actions.first().unwrap().time.civil(0).to_string(),
        "2026-03-14 08:41:16"
    );
    assert_eq!(
        i.actions.last().unwrap().time.civil(0).to_string(),
        "2026-03-14 11:40:03"
    );
    // The follow-up comment is one action citing both the history entry and the Graph comment.
    let follow_up = i
        .actions
        .iter()
        .find(|a| {
            a.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Follow-up: confirm with finance"))
        })
        .unwrap();
    assert_eq!(
        follow_up.provenance,
        vec![
            Provenance::History { id: "h-19".into() },
            Provenance::Comment { index: 4 }
        ]
    );
    assert!(i
        .resolving_comment
        .as_deref()
        .unwrap()
        .starts_with("True positive: AiTM phishing"));
    assert_eq!(i.investigations.len(), 1);
    assert_eq!(i.investigations[0].id, "7613");
    assert!(i.investigations[0].is_settled());
}

#[test]
fn ransomware_merges_graph_sentinel_and_defender_records() {
    let i = parse_fixture("ransomware-multistage.json");
    assert_eq!(i.id, "2972395");
    assert_eq!(i.status, Status::Active);
    assert_eq!(i.classification, Classification::Unknown);
    let s = i.sentinel.as_ref().unwrap();
    assert_eq!(s.number.as_deref(), Some("1187"));
    assert_eq!(s.name, "b3963122-cc5a-400e-a9a4-ae823da09c66");
    assert_eq!(i.alerts.len(), 9);
    assert_eq!(i.actions.len(), 44);
    let (people, automation) = actions_by_actor(&i);
    assert_eq!(
        people,
        counts(&[
            ("dana@contoso.com", 11),
            ("kai@contoso.com", 10),
            ("sam@contoso.com", 11)
        ])
    );
    assert_eq!(automation.get("Automated investigation"), Some(&3));
    assert_eq!(automation.get("Attack disruption"), Some(&2));
    assert_eq!(
        automation.get("Notify-ServiceNow"),
        Some(&1),
        "a playbook's Sentinel comment"
    );

    // The old-key Graph comment (createdBy / createdTime) is Sam's.
    let old_key = i
        .actions
        .iter()
        .find(|a| a.provenance.contains(&Provenance::Comment { index: 8 }))
        .unwrap();
    assert_eq!(old_key.actor.upn.as_deref(), Some("sam@contoso.com"));
    assert_eq!(old_key.actor.name, "Sam Okafor");
    assert_eq!(old_key.time.civil(0).to_string(), "2026-03-10 11:21:07");

    let outcome_of = |history_id: &str| {
        i.actions
            .iter()
            .find(|a| {
                a.provenance[0]
                    == Provenance::History {
                        id: history_id.into(),
                    }
            })
            .and_then(|a| a.outcome.clone())
    };
    assert_eq!(outcome_of("h-9"), Some(Outcome::Failed));
    assert_eq!(outcome_of("h-18"), Some(Outcome::Failed));
    assert_eq!(outcome_of("h-22"), Some(Outcome::Pending));
    assert_eq!(outcome_of("h-24"), Some(Outcome::Failed));
    assert_eq!(outcome_of("h-29"), Some(Outcome::Cancelled));

    // The machine action that uses lastUpdateTimeUtc is merged into h-17 with its end time.
    let isolate = i
        .actions
        .iter()
        .find(|a| a.provenance[0] == Provenance::History { id: "h-17".into() })
        .unwrap();
    assert!(matches!(
        isolate.provenance[1],
        Provenance::MachineAction { .. }
    ));
    assert!(isolate.end.is_some());
    assert!(isolate.automated);

    let running: Vec<_> = i
        .investigations
        .iter()
        .filter(|v| !v.is_settled())
        .collect();
    assert_eq!(running.len(), 1);
    assert_eq!(running[0].id, "63127");
    assert!(i.tags.contains(&"Ransomware".to_string()));
}

#[test]
fn sentinel_only_bundle_reconciles_the_sentinel_vocabulary() {
    let i = parse_fixture("sentinel-bruteforce.json");
    assert_eq!(i.id, "1162");
    assert_eq!(i.title, "Brute force attack against Azure Portal");
    assert_eq!(i.status, Status::Closed);
    assert!(i.status.is_resolved());
    assert_eq!(i.severity, Severity::Medium);
    assert_eq!(
        i.classification,
        Classification::InformationalExpectedActivity
    );
    assert_eq!(i.determination, Determination::SuspiciousButExpected);
    assert!(i
        .resolving_comment
        .as_deref()
        .unwrap()
        .starts_with("Red team password spray"));
    assert_eq!(i.assigned_to.as_deref(), Some("lena@contoso.com"));
    assert!(i.alerts.is_empty());
    assert_eq!(i.tactics, vec!["CredentialAccess".to_string()]);
    assert_eq!(i.actions.len(), 8);
    let (people, automation) = actions_by_actor(&i);
    assert_eq!(
        people,
        counts(&[("kai@contoso.com", 1), ("lena@contoso.com", 5)])
    );
    assert_eq!(
        automation,
        counts(&[
            ("AR-Enrich-On-Create", 1),
            ("Enrich-Incident-IP-Reputation", 1)
        ])
    );
}

#[test]
fn the_bad_fixtures_are_rejected_with_the_place_and_the_reason() {
    let expect = [
        ("not-json.json", "$", "not valid JSON"),
        (
            "wrong-types.json",
            "$.incident.alerts",
            "expected an array, found a string",
        ),
        (
            "empty-object.json",
            "$",
            "neither a Graph nor a Sentinel incident",
        ),
        ("no-incident.json", "$.incident", "missing"),
        (
            "huge-strings.json",
            "$.incident.id",
            "expected a string, found an array",
        ),
    ];
    for (file, path, words) in expect {
        let err = model::parse(&fixture(&format!("bad/{file}"))).unwrap_err();
        assert_eq!(err.path, path, "{file}: {err}");
        assert!(err.message.contains(words), "{file}: {err}");
        let line = err.to_string();
        assert!(!line.contains('\n'), "{file}: one line: {line}");
        assert!(line.len() < 300, "{file}: short: {} bytes", line.len());
    }
    let not_json = model::parse(&fixture("bad/not-json.json")).unwrap_err();
    assert!(not_json.message.contains("line 1"), "{not_json}");
}

fn parse_str(json: &str) -> Result<Incident, ParseError> {
    model::parse(json.as_bytes())
}

const GRAPH: &str = r#"{"id": "7", "displayName": "t", "createdDateTime": "2026-01-01T00:00:00Z"#;

#[test]
fn tolerates_pascal_case_and_both_determination_spellings() {
    for (raw, class, det) in [
        (
            "TruePositive",
            Classification::TruePositive,
            ("compromisedUser", Determination::CompromisedAccount),
        ),
        (
            "truePositive",
            Classification::TruePositive,
            ("compromisedAccount", Determination::CompromisedAccount),
        ),
        (
            "FalsePositive",
            Classification::FalsePositive,
            ("clean", Determination::NotMalicious),
        ),
        (
            "falsePositive",
            Classification::FalsePositive,
            ("insufficientData", Determination::NotEnoughDataToValidate),
        ),
        (
            "InformationalExpectedActivity",
            Classification::InformationalExpectedActivity,
            ("confirmedUserActivity", Determination::ConfirmedActivity),
        ),
    ] {
        let doc = format!(
            r#"{GRAPH}", "classification": "{raw}", "determination": "{}"}}"#,
            det.0
        );
        let i = parse_str(&doc).unwrap();
        assert_eq!(i.classification, class);
        assert_eq!(i.determination, det.1);
    }
}

#[test]
fn keeps_unknown_values_and_ignores_unknown_fields() {
    let doc = format!(
        r##"{GRAPH}", "status": "smouldering", "determination": "quantum", "brandNewField": {{"a": [1]}},
            "alerts": [{{"id": "a1", "severity": "catastrophic", "evidence": [
                {{"@odata.type": "#microsoft.graph.security.quantumWidgetEvidence", "widgetName": "qw-1",
                  "verdict": "spooky", "remediationStatus": "levitated"}}]}}]}}"##
    );
    let i = parse_str(&doc).unwrap();
    assert_eq!(i.status, Status::Unrecognised("smouldering".into()));
    assert_eq!(i.determination.label(), "quantum");
    assert_eq!(i.alerts[0].severity.label(), "catastrophic");
    let e = &i.alerts[0].evidence[0];
    assert_eq!(
        e.kind,
        EvidenceKind::Unrecognised("quantumWidgetEvidence".into())
    );
    assert_eq!(e.name, "qw-1");
    assert_eq!(e.verdict.label(), "spooky");
    assert_eq!(e.remediation.label(), "levitated");
}

#[test]
fn reads_old_comment_keys_and_both_machine_action_update_keys() {
    let doc = r#"{
        "incident": {"id": "9", "comments": [
            {"comment": "old", "createdBy": "kai@contoso.com", "createdTime": "2026-01-01T10:00:00.1234567Z"},
            {"comment": "new", "createdByDisplayName": "Kai Carter", "createdDateTime": "2026-01-01T11:00:00Z"}]},
        "history": [{"id": "h-1", "time": "2026-01-01T09:00:00Z", "action": "assign",
            "actor": {"displayName": "Kai Carter", "userPrincipalName": "Kai@Contoso.com", "kind": "User"},
            "from": "Unassigned", "to": "kai@contoso.com"}],
        "machineActions": [
            {"id": "m1", "type": "Isolate", "status": "Succeeded", "requestor": "AutoIR",
             "creationDateTimeUtc": "2026-01-01T12:00:00Z", "lastUpdateTimeUtc": "2026-01-01T12:05:00Z"},
            {"id": "m2", "type": "RunAntiVirusScan", "status": "TimeOut", "requestor": "kai@contoso.com",
             "creationDateTimeUtc": "2026-01-01T13:00:00Z", "lastUpdateDateTimeUtc": "2026-01-01T13:05:00Z",
             "errorHResult": -2147024891}]
    }"#;
    let i = parse_str(doc).unwrap();
    assert_eq!(i.actions.len(), 5);
    let kai: Vec<_> = i
        .actions
        .iter()
        .filter(|a| a.actor.upn.as_deref() == Some("kai@contoso.com"))
        .collect();
    assert_eq!(kai.len(), 4, "history, both comments and m2 are Kai's");
    assert!(kai.iter().all(|a| a.actor.name == "Kai Carter"));
    let m1 = i
        .actions
        .iter()
        .find(|a| a.provenance[0] == Provenance::MachineAction { id: "m1".into() })
        .unwrap();
    assert!(m1.automated);
    assert_eq!(m1.actor.kind, ActorKind::Automation);
    assert_eq!(m1.end.unwrap().civil(0).to_string(), "2026-01-01 12:05:00");
    let m2 = i
        .actions
        .iter()
        .find(|a| a.provenance[0] == Provenance::MachineAction { id: "m2".into() })
        .unwrap();
    assert_eq!(m2.outcome, Some(Outcome::TimedOut));
    assert!(m2.text.as_deref().unwrap().contains("0x80070005"));
}

#[test]
fn accepts_a_byte_order_mark_and_null_for_optional_parts() {
    let doc = "\u{feff}{\"incident\": {\"id\": \"1\", \"alerts\": null, \"comments\": null, \"customTags\": null,
        \"assignedTo\": null, \"createdDateTime\": null}, \"history\": null, \"sentinel\": null,
        \"machineActions\": null, \"investigations\": null}";
    let i = parse_str(doc).unwrap();
    assert_eq!(i.id, "1");
    assert!(i.alerts.is_empty() && i.actions.is_empty() && i.tags.is_empty());
}

#[test]
fn accepts_a_bare_sentinel_incident() {
    let doc = r#"{"name": "abc", "properties": {"title": "T", "severity": "High", "status": "New",
        "incidentNumber": 42, "createdTimeUtc": "2026-01-01T00:00:00Z"}}"#;
    let i = parse_str(doc).unwrap();
    assert_eq!(i.id, "abc");
    assert_eq!(i.severity, Severity::High);
    assert_eq!(i.status, Status::New);
    assert_eq!(i.sentinel.unwrap().number.as_deref(), Some("42"));
}

#[test]
fn rejects_bad_input_naming_the_place() {
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (b"[1, 2]".to_vec(), "$", "expected an object, found an array"),
        (b"\"text\"".to_vec(), "$", "found a string"),
        (b"{\"incident\": {\"id\": \"1\"}, \"history\": [{\"id\": \"h\", \"time\": \"yesterday\"}]}".to_vec(),
            "$.history[0].time", "ISO-8601"),
        (b"{\"incident\": {\"id\": \"1\", \"alerts\": [{\"id\": \"a\"}, {\"id\": \"b\", \"evidence\": 5}]}}".to_vec(),
            "$.incident.alerts[1].evidence", "expected an array, found a number"),
        (b"{\"incident\": {\"id\": \"1\", \"comments\": [{\"comment\": \"c\"}]}}".to_vec(),
            "$.incident.comments[0]", "missing field"),
        (b"{\"sentinel\": {\"comments\": []}}".to_vec(), "$.sentinel.incident", "missing"),
        (b"{\"incident\": {\"id\": \"1\"}} trailing".to_vec(), "$", "not valid JSON"),
        (b"{\"incident\": {\"id\": \"\xff\xfe\"}}".to_vec(), "$", "not valid UTF-8"),
        (Vec::new(), "$", "not valid JSON"),
    ];
    for (input, path, words) in cases {
        let err = model::parse(&input).unwrap_err();
        assert_eq!(err.path, path, "{err}");
        assert!(err.message.contains(words), "expected {words:?} in {err}");
    }
}

#[test]
fn never_echoes_a_huge_value() {
    let huge = "x".repeat(1 << 20);
    let doc = format!(r#"{{"incident": {{"id": "1", "severity": 5, "alerts": "{huge}"}}}}"#);
    let err = parse_str(&doc).unwrap_err();
    assert!(
        err.to_string().len() < 300,
        "{} bytes",
        err.to_string().len()
    );
}

#[test]
fn absurd_nesting_is_ignored_or_rejected_never_a_crash() {
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    for doc in [
        format!(r#"{{"incident": {{"id": "1", "unknownField": {deep}}}}}"#),
        format!(r#"{{"incident": {deep}}}"#),
        format!(
            r#"{{"incident": {{"id": "1", "alerts": [{{"id": "a", "evidence": [{{"x": {deep}}}]}}]}}}}"#
        ),
    ] {
        if let Err(err) = parse_str(&doc) {
            assert!(err.path.starts_with('$'), "{err}");
            assert!(err.to_string().len() < 300);
        }
    }
    let err = parse_str(&format!(
        r#"{{"incident": {{"id": "1", "alerts": [{{"id": "a", "evidence": [{{"x": {deep}}}]}}]}}}}"#
    ))
    .unwrap_err();
    assert!(err.message.contains("nested more than 128 levels"), "{err}");
}

/// The header the widget shows before a report, read without the model,
/// says what the model says, for every fixture, demo incident and form.
#[test]
fn the_headline_agrees_with_the_model_on_every_incident() {
    let mut documents: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in [
        common::fixtures_dir(),
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                documents.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    documents.push(("large".into(), common::large_bundle()));
    let bare_sentinel = br#"{"name": "abc", "properties": {"title": "Bare", "severity": "High",
        "status": "Active", "incidentNumber": 42, "additionalData": {"alertsCount": 3}}}"#;
    let bare_graph = br#"{"id": 7, "displayName": "G", "severity": "medium", "status": "resolved",
        "createdDateTime": "2024-01-01T00:00:00Z", "alerts": [{"id": "a"}, {"id": "b"}]}"#;
    let both = br#"{"incident": {"id": "9", "displayName": "Graph wins", "alerts": null},
        "sentinel": {"incident": {"name": "s", "properties": {"title": "S", "incidentNumber": "5",
        "additionalData": {"alertsCount": 4}}}}}"#;
    for (name, json) in [
        ("bare sentinel", &bare_sentinel[..]),
        ("bare graph", bare_graph),
        ("both", both),
    ] {
        documents.push((name.into(), [b"\xEF\xBB\xBF", json].concat()));
    }
    let mut read = 0;
    for (name, bytes) in &documents {
        // Not every JSON file there is an incident (an index, say).
        let Ok(incident) = model::parse(bytes) else {
            continue;
        };
        let headline = Headline::read(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(headline, Headline::from(&incident), "{name}");
        read += 1;
    }
    assert!(read >= 10, "only {read} documents read");
    let both = Headline::read(both).unwrap();
    assert_eq!(
        (
            both.title.as_str(),
            both.sentinel_number.as_deref(),
            both.alerts
        ),
        ("Graph wins", Some("5"), 4)
    );
    assert!(Headline::read(b"[1]").is_err());
    assert!(Headline::read(br#"{"history": []}"#).is_err());
}

#[test]
fn every_kind_of_provenance_reads_back_as_written() {
    let all = vec![
        Provenance::Incident {
            field: "severity".into(),
        },
        Provenance::SentinelIncident {
            field: "title".into(),
        },
        Provenance::Alert { id: "a".into() },
        Provenance::Evidence {
            alert_id: "a".into(),
            index: 2,
        },
        Provenance::History { id: "h-1".into() },
        Provenance::Comment { index: 0 },
        Provenance::SentinelComment { index: 1 },
        Provenance::MachineAction { id: "m".into() },
        Provenance::PlaybookRun { index: 3 },
        Provenance::Investigation { id: "i".into() },
    ];
    let json = serde_json::to_string(&all).unwrap();
    assert!(
        json.contains(r#"{"kind":"evidence","alertId":"a","index":2}"#),
        "{json}"
    );
    let back: Vec<Provenance> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, all);
    // Fields in any order; wrong records are errors that say why.
    let reordered: Provenance = serde_json::from_str(r#"{"index":4,"kind":"comment"}"#).unwrap();
    assert_eq!(reordered, Provenance::Comment { index: 4 });
    let unknown = serde_json::from_str::<Provenance>(r#"{"kind":"rumour"}"#).unwrap_err();
    assert!(
        unknown.to_string().contains("unknown variant `rumour`"),
        "{unknown}"
    );
    let missing = serde_json::from_str::<Provenance>(r#"{"kind":"history"}"#).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `id`"),
        "{missing}"
    );
}
