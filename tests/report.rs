//! The report engine on the shared fixtures (the facts of their README), on
//! hand-built bundles for each gap rule and tolerance, on the large generated
//! bundle, and through the renderers and the `render` command.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{fixtures_dir, parse_fixture};
use incident_report::model::{self, Incident, Provenance};
use incident_report::report::{
    self, render, zone_by_name, Duration, Fact, Gap, GapRule, Item, Options, Report, Responder,
    SectionId,
};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn build(incident: &Incident) -> Report {
    report::build(incident, &Options::default())
}

fn fixture_report(name: &str) -> Report {
    build(&parse_fixture(name))
}

fn items(report: &Report, section: SectionId, group: &str) -> Vec<Item> {
    report
        .section(section)
        .unwrap()
        .groups
        .iter()
        .filter(|g| g.id == group)
        .flat_map(|g| g.items.clone())
        .collect()
}

fn fact(report: &Report, section: SectionId, label: &str) -> Fact {
    report
        .section(section)
        .unwrap()
        .items()
        .find_map(|i| match i {
            Item::Fact(f) if f.label == label => Some(f.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fact {label:?} in {section:?}"))
}

fn has_fact(report: &Report, section: SectionId, label: &str) -> bool {
    report
        .section(section)
        .unwrap()
        .items()
        .any(|i| matches!(i, Item::Fact(f) if f.label == label))
}

/// `(name, upn, action count, first, last)` of every person, in report order.
fn people(report: &Report) -> Vec<(String, Option<String>, usize, String, String)> {
    responders(report, "people")
        .into_iter()
        .map(|r| (r.name, r.upn, r.action_count, r.first.shown, r.last.shown))
        .collect()
}

fn responders(report: &Report, group: &str) -> Vec<Responder> {
    items(report, SectionId::Responders, group)
        .into_iter()
        .map(|i| match i {
            Item::Responder(r) => r,
            other => panic!("not a responder: {other:?}"),
        })
        .collect()
}

fn person(
    name: &str,
    upn: &str,
    count: usize,
    first: &str,
    last: &str,
) -> (String, Option<String>, usize, String, String) {
    (
        name.into(),
        Some(upn.into()),
        count,
        format!("{first} UTC"),
        format!("{last} UTC"),
    )
}

fn gaps(report: &Report) -> Vec<Gap> {
    report
        .section(SectionId::Gaps)
        .unwrap()
        .items()
        .map(|i| match i {
            Item::Gap(g) => g.clone(),
            other => panic!("not a gap: {other:?}"),
        })
        .collect()
}

fn gaps_of(report: &Report, rule: GapRule) -> Vec<Gap> {
    gaps(report)
        .into_iter()
        .filter(|g| g.rule == rule)
        .collect()
}

fn rules(report: &Report) -> std::collections::BTreeSet<GapRule> {
    gaps(report).iter().map(|g| g.rule).collect()
}

fn history(id: &str) -> Provenance {
    Provenance::History { id: id.into() }
}

/// The history ids a list of gaps cites.
fn cited_history(gaps: &[Gap]) -> Vec<String> {
    gaps.iter()
        .flat_map(|g| &g.provenance)
        .filter_map(|p| match p {
            Provenance::History { id } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn shown(fact: &Fact) -> &str {
    &fact.time.as_ref().expect("a time").shown
}

// ---------------------------------------------------------------- fixtures

#[test]
fn phishing_bec_facts() {
    let r = fixture_report("phishing-bec.json");
    assert_eq!(r.incident_id, "41017");
    assert_eq!(
        people(&r),
        vec![
            person(
                "Kai Carter",
                "kai@contoso.com",
                14,
                "2026-03-14 08:44:10",
                "2026-03-14 09:08:40"
            ),
            person(
                "Dana Whitfield",
                "dana@contoso.com",
                9,
                "2026-03-14 09:20:31",
                "2026-03-14 11:40:03"
            ),
        ]
    );
    let automation = responders(&r, "automation");
    assert_eq!(automation.len(), 1);
    assert_eq!(automation[0].name, "Automated investigation");
    assert_eq!(automation[0].action_count, 2);
    assert!(!automation[0].person);

    let k = SectionId::KeyTimestamps;
    assert_eq!(fact(&r, k, "Created").value, "2026-03-14 08:29:43 UTC");
    let first = fact(&r, k, "First action");
    assert_eq!(shown(&first), "2026-03-14 08:41:16 UTC");
    assert_eq!(first.provenance, vec![history("h-1")]);
    let assign = fact(&r, k, "First assignment");
    assert_eq!(shown(&assign), "2026-03-14 08:44:10 UTC");
    assert_eq!(assign.provenance, vec![history("h-2")]);
    assert_eq!(
        shown(&fact(&r, k, "First human action")),
        "2026-03-14 08:44:10 UTC"
    );
    let last = fact(&r, k, "Last action");
    assert_eq!(shown(&last), "2026-03-14 11:40:03 UTC");
    assert_eq!(last.provenance, vec![history("h-25")]);
    assert_eq!(shown(&fact(&r, k, "Resolved")), "2026-03-14 11:40:03 UTC");
    assert_eq!(fact(&r, k, "Time to assign").value, "14m 27s");
    assert_eq!(fact(&r, k, "Time to resolve").value, "3h 10m 20s");
    assert_eq!(
        fact(&r, k, "Time to resolve").duration.unwrap().seconds,
        11_420
    );

    // Nothing failed; what is left is the follow-up and the unremediated IP.
    assert_eq!(
        rules(&r),
        [GapRule::EvidenceNotRemediated, GapRule::FollowUp].into()
    );
    let follow = gaps_of(&r, GapRule::FollowUp);
    assert_eq!(follow.len(), 1);
    assert!(follow[0]
        .text
        .starts_with("Follow-up: confirm with finance that no wire transfer was made."));
    assert!(follow[0]
        .text
        .contains("Dana Whitfield, 2026-03-14 09:25:48 UTC"));
    assert_eq!(
        follow[0].provenance,
        vec![history("h-19"), Provenance::Comment { index: 4 }]
    );
    let evidence = gaps_of(&r, GapRule::EvidenceNotRemediated);
    assert_eq!(evidence.len(), 1);
    assert!(
        evidence[0].text.contains("198.51.100.23"),
        "{}",
        evidence[0].text
    );

    let c = SectionId::Conclusion;
    assert_eq!(fact(&r, c, "Classification").value, "True positive");
    assert_eq!(fact(&r, c, "Determination").value, "Phishing");
    let comment = fact(&r, c, "Resolving comment").value;
    assert!(
        comment.starts_with("True positive: AiTM phishing that led to business email compromise.")
    );
    assert!(comment
        .ends_with("Open item: finance to confirm that no wire transfer was made (FIN-4471)."));
    assert!(fact(&r, c, "Final status").value.starts_with("Resolved"));

    let assets = assets(&r);
    let find = |kind: &str, name: &str| {
        assets
            .iter()
            .find(|a| a.0 == kind && a.1 == name)
            .unwrap_or_else(|| panic!("no {kind} {name}: {assets:?}"))
            .clone()
    };
    assert_eq!(find("User", "meganb@contoso.com").2, "Suspicious");
    assert_eq!(find("User", "meganb@contoso.com").3, "Remediated");
    assert_eq!(
        find("Mailbox", "treasury@contoso.com").2,
        "No threats found"
    );
    assert_eq!(find("IP address", "198.51.100.23").2, "Malicious");
    assert_eq!(find("IP address", "198.51.100.23").3, "Not remediated");
    assert_eq!(
        find("Cloud app", "Microsoft Exchange Online").3,
        "Not remediated"
    );
    let url = assets.iter().find(|a| a.0 == "URL").unwrap();
    assert!(url.1.starts_with("https://docs-fabrikam.example/remit/"));
    assert_eq!((url.2.as_str(), url.3.as_str()), ("Malicious", "Blocked"));
    assert_eq!(
        asset_counts(&r),
        [
            ("Cloud app", 1),
            ("Email message", 2),
            ("IP address", 1),
            ("Mailbox", 2),
            ("URL", 1),
            ("User", 1)
        ]
        .map(|(k, n)| (k.to_owned(), n))
        .into()
    );
}

/// `(kind, name, verdict, remediation)` of every impacted asset.
fn assets(report: &Report) -> Vec<(String, String, String, String)> {
    report
        .section(SectionId::ImpactedAssets)
        .unwrap()
        .items()
        .map(|i| match i {
            Item::Asset(a) => (
                a.kind.clone(),
                a.name.clone(),
                a.verdict.clone(),
                a.remediation.clone(),
            ),
            other => panic!("not an asset: {other:?}"),
        })
        .collect()
}

fn asset_counts(report: &Report) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for (kind, ..) in assets(report) {
        *counts.entry(kind).or_default() += 1;
    }
    counts
}

#[test]
fn ransomware_facts() {
    let r = fixture_report("ransomware-multistage.json");
    assert_eq!(r.incident_id, "2972395");
    assert_eq!(
        people(&r),
        vec![
            person(
                "Kai Carter",
                "kai@contoso.com",
                10,
                "2026-03-10 10:06:12",
                "2026-03-10 12:30:18"
            ),
            person(
                "Dana Whitfield",
                "dana@contoso.com",
                11,
                "2026-03-10 10:15:40",
                "2026-03-10 13:45:52"
            ),
            person(
                "Sam Okafor",
                "sam@contoso.com",
                11,
                "2026-03-10 10:21:48",
                "2026-03-10 12:47:55"
            ),
        ]
    );
    // Sam's two actions outside the history are his.
    let sam = &responders(&r, "people")[2];
    assert!(sam
        .provenance
        .contains(&Provenance::SentinelComment { index: 2 }));
    assert!(sam.provenance.contains(&Provenance::Comment { index: 8 }));
    let automation: Vec<(String, usize)> = responders(&r, "automation")
        .into_iter()
        .map(|a| (a.name, a.action_count))
        .collect();
    for expected in [
        ("Automated investigation", 3),
        ("Attack disruption", 2),
        ("Microsoft Defender XDR", 2),
        ("Microsoft Defender for Office 365", 1),
        ("AR-High-Severity-Create-Ticket", 1),
        ("Isolate-Host-Notify", 2),
        ("Notify-ServiceNow", 1),
    ] {
        assert!(
            automation.contains(&(expected.0.to_owned(), expected.1)),
            "{expected:?} in {automation:?}"
        );
    }
    assert_eq!(automation.len(), 7);

    let k = SectionId::KeyTimestamps;
    assert_eq!(fact(&r, k, "Created").value, "2026-03-10 09:16:29 UTC");
    let first = fact(&r, k, "First action");
    assert_eq!(
        shown(&first),
        "2026-03-10 09:29:31 UTC",
        "AIR's start is not an action"
    );
    assert_eq!(first.provenance, vec![history("h-1")]);
    let assign = fact(&r, k, "First assignment");
    assert_eq!(shown(&assign), "2026-03-10 10:06:12 UTC");
    assert_eq!(assign.provenance, vec![history("h-5")]);
    assert_eq!(fact(&r, k, "Time to assign").value, "49m 43s");
    let last = fact(&r, k, "Last action");
    assert_eq!(shown(&last), "2026-03-10 13:45:52 UTC");
    assert_eq!(
        last.provenance,
        vec![history("h-40"), Provenance::Comment { index: 13 }]
    );
    assert_eq!(fact(&r, k, "Resolved").value, "Not resolved");
    assert!(!has_fact(&r, k, "Time to resolve"));

    assert_eq!(
        cited_history(&gaps_of(&r, GapRule::ActionFailed)),
        ["h-9", "h-18", "h-24"]
    );
    let failed = gaps_of(&r, GapRule::ActionFailed);
    assert!(failed[0]
        .provenance
        .contains(&Provenance::PlaybookRun { index: 0 }));
    assert!(failed[1].provenance.contains(&Provenance::MachineAction {
        id: "2d93f533-42af-4b41-af26-2c5c1d58a43c".into()
    }));
    assert_eq!(
        cited_history(&gaps_of(&r, GapRule::ActionPending)),
        ["h-22"]
    );
    assert_eq!(
        cited_history(&gaps_of(&r, GapRule::ActionCancelled)),
        ["h-29"]
    );
    assert!(gaps_of(&r, GapRule::ActionTimedOut).is_empty());
    let running = gaps_of(&r, GapRule::InvestigationNotSettled);
    assert_eq!(running.len(), 1);
    assert_eq!(
        running[0].provenance,
        vec![Provenance::Investigation { id: "63127".into() }]
    );
    let open = gaps_of(&r, GapRule::AlertNotResolved);
    assert_eq!(open.len(), 7);
    let group = &r
        .section(SectionId::Gaps)
        .unwrap()
        .groups
        .iter()
        .find(|g| g.id == "alerts")
        .unwrap()
        .summary;
    assert_eq!(group.as_deref(), Some("7 of 9 alerts not resolved"));
    for title in [
        "Suspicious process injection observed",
        "Suspected identity theft (pass-the-hash)",
        "File backups were deleted",
    ] {
        assert!(open.iter().any(|g| g.text.starts_with(title)), "{title}");
    }
    let evidence: Vec<String> = gaps_of(&r, GapRule::EvidenceNotRemediated)
        .into_iter()
        .map(|g| g.text)
        .collect();
    assert_eq!(evidence.len(), 5, "{evidence:?}");
    for name in [
        "User svc-backup@contoso.com",
        "Device srv-app-11.corp.contoso.com",
        "Device srv-file-02.corp.contoso.com",
        "File wmiprvse64.exe",
        "Process wmiprvse64.exe (pid 5208)",
    ] {
        assert!(
            evidence.iter().any(|t| t.starts_with(name)),
            "{name} in {evidence:?}"
        );
    }
    assert_eq!(
        cited_history(&gaps_of(&r, GapRule::FollowUp)),
        ["h-36", "h-38"]
    );
    for rule in [
        GapRule::NotResolved,
        GapRule::NotClassified,
        GapRule::SlowAssignment,
    ] {
        assert_eq!(gaps_of(&r, rule).len(), 1, "{rule:?}");
    }
    assert!(gaps_of(&r, GapRule::NotAssigned).is_empty());
    assert!(gaps_of(&r, GapRule::SlowAssignment)[0]
        .text
        .contains("49m 43s"));

    let c = SectionId::Conclusion;
    assert_eq!(fact(&r, c, "Classification").value, "Not classified yet");
    assert_eq!(fact(&r, c, "Determination").value, "Not determined");
    assert_eq!(fact(&r, c, "Final status").value, "Active");

    // Manual and automated remediation apart; what failed stands out.
    let manual = items(&r, SectionId::ActionsTaken, "remediation-manual");
    let automated = items(&r, SectionId::ActionsTaken, "remediation-automated");
    let channel_of = |items: &[Item], needle: &str| {
        items.iter().find_map(|i| match i {
            Item::Action(a) if a.what.contains(needle) => {
                Some((a.channel.clone(), a.attention, a.automated))
            }
            _ => None,
        })
    };
    let quarantine = channel_of(&manual, "Stop and quarantine file").unwrap();
    assert_eq!(quarantine.0, "Defender machine action");
    assert_eq!(quarantine.1, Some(report::Attention::Failed));
    assert_eq!(
        channel_of(&automated, "Notify-ServiceNow").unwrap().0,
        "Sentinel playbook"
    );
    assert_eq!(
        channel_of(&automated, "Run antivirus scan").unwrap().0,
        "Defender machine action"
    );
    assert_eq!(
        channel_of(&manual, "Ran playbook Isolate-Host-Notify")
            .unwrap()
            .0,
        "Sentinel playbook"
    );
    let air = items(&r, SectionId::ActionsTaken, "investigations");
    assert_eq!(air.len(), 2);

    assert_eq!(
        asset_counts(&r),
        [
            ("Device", 4),
            ("Email message", 1),
            ("File", 6),
            ("IP address", 3),
            ("Mailbox", 1),
            ("Process", 8),
            ("User", 2)
        ]
        .map(|(k, n)| (k.to_owned(), n))
        .into()
    );
    let all = assets(&r);
    let dc = all
        .iter()
        .find(|a| a.1 == "dc-01.corp.contoso.com")
        .unwrap();
    assert_eq!(
        (dc.2.as_str(), dc.3.as_str()),
        ("Suspicious", "Not remediated")
    );
    let c2 = all.iter().find(|a| a.1 == "203.0.113.45").unwrap();
    assert_eq!((c2.2.as_str(), c2.3.as_str()), ("Malicious", "Blocked"));
    let ws = all
        .iter()
        .find(|a| a.1 == "ws-fin-0231.corp.contoso.com")
        .unwrap();
    assert_eq!((ws.2.as_str(), ws.3.as_str()), ("Malicious", "Remediated"));
}

#[test]
fn sentinel_bruteforce_facts() {
    let r = fixture_report("sentinel-bruteforce.json");
    assert_eq!(r.incident_id, "1162");
    assert_eq!(
        people(&r),
        vec![
            person(
                "Lena Fischer",
                "lena@contoso.com",
                5,
                "2026-03-11 02:31:05",
                "2026-03-11 03:02:18"
            ),
            person(
                "Kai Carter",
                "kai@contoso.com",
                1,
                "2026-03-11 02:58:03",
                "2026-03-11 02:58:03"
            ),
        ]
    );
    let automation: Vec<String> = responders(&r, "automation")
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        automation,
        ["AR-Enrich-On-Create", "Enrich-Incident-IP-Reputation"]
    );
    let k = SectionId::KeyTimestamps;
    assert_eq!(
        shown(&fact(&r, k, "First action")),
        "2026-03-11 02:14:41 UTC"
    );
    assert_eq!(
        shown(&fact(&r, k, "First assignment")),
        "2026-03-11 02:31:05 UTC"
    );
    assert_eq!(fact(&r, k, "Time to assign").value, "16m 32s");
    assert_eq!(
        shown(&fact(&r, k, "Last action")),
        "2026-03-11 03:02:18 UTC"
    );
    assert_eq!(shown(&fact(&r, k, "Resolved")), "2026-03-11 03:02:18 UTC");
    assert_eq!(fact(&r, k, "Time to resolve").value, "47m 45s");
    assert!(gaps(&r).is_empty(), "{:?}", gaps(&r));
    assert!(assets(&r).is_empty());
    let c = SectionId::Conclusion;
    assert_eq!(
        fact(&r, c, "Classification").value,
        "Informational, expected activity (benign positive)"
    );
    assert_eq!(
        fact(&r, c, "Determination").value,
        "Suspicious but expected"
    );
    assert!(fact(&r, c, "Resolving comment")
        .value
        .starts_with("Red team password spray (engagement RT-2026-02)"));
    assert!(fact(&r, c, "Final status").value.starts_with("Closed"));
}

#[test]
fn minimal_active_facts() {
    let r = fixture_report("minimal-active.json");
    assert_eq!(r.incident_id, "5120");
    assert!(people(&r).is_empty());
    assert!(responders(&r, "automation").is_empty());
    let k = SectionId::KeyTimestamps;
    assert!(fact(&r, k, "First action").time.is_none());
    assert!(fact(&r, k, "Last action").time.is_none());
    assert!(fact(&r, k, "First assignment").time.is_none());
    assert!(!has_fact(&r, k, "Time to assign"));
    assert_eq!(
        rules(&r),
        [
            GapRule::NotResolved,
            GapRule::NotClassified,
            GapRule::NotAssigned,
            GapRule::AlertNotResolved
        ]
        .into()
    );
    assert!(gaps_of(&r, GapRule::AlertNotResolved)[0]
        .text
        .starts_with("'Presenoker' unwanted software was detected"));
    assert_eq!(
        assets(&r),
        [(
            "Device".into(),
            "ws-mkt-0412.corp.contoso.com".into(),
            "Suspicious".into(),
            "Not remediated".into()
        )]
    );
    assert_eq!(fact(&r, SectionId::Summary, "Severity").value, "Low");
}

// ---------------------------------------------------------------- hand-built bundles

const CREATED: &str = "2026-01-01T10:00:00Z";

/// A Graph incident (resolved, classified, assigned: no gaps) with `patch`
/// merged into the bundle and `incident` merged into the Graph incident.
fn bundle(incident: Value, patch: Value) -> Incident {
    let mut graph = json!({
        "id": "1", "displayName": "Test incident", "severity": "medium",
        "status": "resolved", "classification": "truePositive", "determination": "malware",
        "assignedTo": "kai@contoso.com", "createdDateTime": CREATED, "alerts": []
    });
    merge(&mut graph, incident);
    let mut doc = json!({ "incident": graph });
    merge(&mut doc, patch);
    model::parse(&serde_json::to_vec(&doc).unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

fn merge(into: &mut Value, patch: Value) {
    if let (Value::Object(into), Value::Object(patch)) = (into, patch) {
        into.extend(patch);
    }
}

fn kai() -> Value {
    json!({ "displayName": "Kai Carter", "userPrincipalName": "kai@contoso.com", "kind": "user" })
}

fn entry(id: &str, time: &str, action: &str, extra: Value) -> Value {
    let mut e = json!({ "id": id, "time": time, "actor": kai(), "action": action });
    merge(&mut e, extra);
    e
}

#[test]
fn a_settled_incident_has_no_gaps() {
    let i = bundle(
        json!({}),
        json!({ "history": [
            entry("h-1", "2026-01-01T10:05:00Z", "assign", json!({"from": "Unassigned", "to": "kai@contoso.com"})),
            entry("h-2", "2026-01-01T11:00:00Z", "status", json!({"from": "active", "to": "resolved"})),
        ]}),
    );
    let r = build(&i);
    assert!(gaps(&r).is_empty(), "{:?}", gaps(&r));
    assert_eq!(
        fact(&r, SectionId::KeyTimestamps, "Time to resolve").value,
        "1h 00m 00s"
    );
    let md = render::markdown::render(&r);
    assert!(
        md.contains("## Gaps and follow-ups\n\nNone in the data."),
        "{md}"
    );
}

#[test]
fn gap_rules_for_the_incident_itself() {
    let i = bundle(
        json!({ "status": "active", "classification": "unknown", "assignedTo": null }),
        json!({}),
    );
    assert_eq!(
        rules(&build(&i)),
        [
            GapRule::NotResolved,
            GapRule::NotClassified,
            GapRule::NotAssigned
        ]
        .into()
    );
    let i = bundle(
        json!({ "status": "inProgress", "classification": "falsePositive", "assignedTo": "" }),
        json!({}),
    );
    assert_eq!(
        rules(&build(&i)),
        [GapRule::NotResolved, GapRule::NotAssigned].into()
    );
    // Redirected (merged into another incident) counts as settled.
    let i = bundle(json!({ "status": "redirected" }), json!({}));
    assert!(rules(&build(&i)).is_empty());
}

#[test]
fn slow_first_assignment_is_a_gap_past_the_threshold() {
    let at = |time: &str| {
        bundle(
            json!({}),
            json!({ "history": [
                entry("h-1", time, "assign", json!({"from": "Unassigned", "to": "kai@contoso.com"})),
            ]}),
        )
    };
    let slow = build(&at("2026-01-01T10:30:01Z"));
    let gap = gaps_of(&slow, GapRule::SlowAssignment);
    assert_eq!(gap.len(), 1);
    assert!(gap[0].text.contains("30m 01s"), "{}", gap[0].text);
    assert_eq!(gap[0].provenance[1], history("h-1"));
    assert!(gaps_of(&build(&at("2026-01-01T10:30:00Z")), GapRule::SlowAssignment).is_empty());
    let strict = Options {
        slow_assignment_seconds: 60,
        ..Options::default()
    };
    let quick = report::build(&at("2026-01-01T10:02:00Z"), &strict);
    assert_eq!(gaps_of(&quick, GapRule::SlowAssignment).len(), 1);
    // A reassignment is not the first assignment.
    let i = bundle(
        json!({}),
        json!({ "history": [
            entry("h-1", "2026-01-01T10:01:00Z", "assign", json!({"from": "Unassigned", "to": "kai@contoso.com"})),
            entry("h-2", "2026-01-01T12:00:00Z", "assign", json!({"from": "kai@contoso.com", "to": "dana@contoso.com"})),
        ]}),
    );
    let r = build(&i);
    assert_eq!(
        fact(&r, SectionId::KeyTimestamps, "Time to assign").value,
        "1m 00s"
    );
    assert!(gaps_of(&r, GapRule::SlowAssignment).is_empty());
}

#[test]
fn failed_pending_cancelled_history_outcomes_are_gaps() {
    let i = bundle(
        json!({}),
        json!({ "history": [
            entry("h-1", "2026-01-01T10:01:00Z", "remediation", json!({"outcome": "failed", "target": "ws-1", "text": "Isolate device."})),
            entry("h-2", "2026-01-01T10:02:00Z", "remediation", json!({"outcome": "pending", "target": "ws-2"})),
            entry("h-3", "2026-01-01T10:03:00Z", "remediation", json!({"outcome": "cancelled", "target": "ws-3"})),
            entry("h-4", "2026-01-01T10:04:00Z", "remediation", json!({"outcome": "succeeded", "target": "ws-4"})),
        ]}),
    );
    let r = build(&i);
    assert_eq!(cited_history(&gaps_of(&r, GapRule::ActionFailed)), ["h-1"]);
    assert_eq!(cited_history(&gaps_of(&r, GapRule::ActionPending)), ["h-2"]);
    assert_eq!(
        cited_history(&gaps_of(&r, GapRule::ActionCancelled)),
        ["h-3"]
    );
    assert_eq!(gaps(&r).len(), 3);
    let failed = &gaps_of(&r, GapRule::ActionFailed)[0];
    assert!(
        failed
            .text
            .contains("Isolate device (target ws-1), by Kai Carter at 2026-01-01 10:01:00 UTC"),
        "{}",
        failed.text
    );
}

#[test]
fn machine_action_and_playbook_statuses_are_gaps() {
    let ma = |id: &str, status: &str, requestor: &str| {
        json!({ "id": id, "type": "Isolate", "requestor": requestor, "status": status,
                "computerDnsName": "ws-1", "creationDateTimeUtc": "2026-01-01T10:10:00.1234567Z" })
    };
    let run = |name: &str, status: &str| json!({ "playbookName": name, "triggeredBy": "AR-1", "startTime": "2026-01-01T10:20:00Z", "status": status });
    let i = bundle(
        json!({}),
        json!({
            "machineActions": [ma("m1", "TimeOut", "Automation"), ma("m2", "InProgress", "kai@contoso.com"),
                               ma("m3", "Failed", "AutoIR"), ma("m4", "Succeeded", "kai@contoso.com"),
                               ma("m5", "Cancelled", "kai@contoso.com"), ma("m6", "Pending", "kai@contoso.com")],
            "sentinel": { "incident": null, "playbookRuns": [run("P-ok", "Succeeded"), run("P-fail", "Failed"), run("P-run", "Running")] }
        }),
    );
    let r = build(&i);
    let cited = |rule| -> Vec<String> {
        gaps_of(&r, rule)
            .iter()
            .flat_map(|g| &g.provenance)
            .map(|p| p.label())
            .collect()
    };
    assert_eq!(cited(GapRule::ActionTimedOut), ["machine action m1"]);
    assert_eq!(
        cited(GapRule::ActionInProgress),
        ["machine action m2", "sentinel.playbookRuns[2]"]
    );
    assert_eq!(
        cited(GapRule::ActionFailed),
        ["machine action m3", "sentinel.playbookRuns[1]"]
    );
    assert_eq!(cited(GapRule::ActionCancelled), ["machine action m5"]);
    assert_eq!(cited(GapRule::ActionPending), ["machine action m6"]);
    // `Automation` and `AutoIR` requestors are automation; a UPN is a person.
    let automated = items(&r, SectionId::ActionsTaken, "remediation-automated");
    assert_eq!(automated.len(), 5, "m1, m3 and the three runs");
    assert_eq!(people(&r).len(), 1);
}

#[test]
fn unsettled_investigations_are_gaps() {
    let inv = |id: &str, state: &str| json!({ "id": id, "startTime": "2026-01-01T10:00:30Z", "state": state, "computerDnsName": "ws-1" });
    let i = bundle(
        json!({}),
        json!({ "investigations": [
            inv("1", "SuccessfullyRemediated"), inv("2", "Benign"), inv("3", "Running"),
            inv("4", "PendingApproval"), inv("5", "Failed"), inv("6", "TerminatedByUser"),
        ]}),
    );
    let r = build(&i);
    let ids: Vec<String> = gaps_of(&r, GapRule::InvestigationNotSettled)
        .iter()
        .flat_map(|g| &g.provenance)
        .map(|p| p.label())
        .collect();
    assert_eq!(
        ids,
        [
            "investigation 3",
            "investigation 4",
            "investigation 5",
            "investigation 6"
        ]
    );
    // An investigation's start is not an action.
    assert!(fact(&r, SectionId::KeyTimestamps, "First action")
        .time
        .is_none());
}

fn alert(id: &str, status: &str, evidence: Value) -> Value {
    json!({ "id": id, "title": format!("Alert {id}"), "severity": "high", "status": status,
            "firstActivityDateTime": "2026-01-01T09:00:00Z", "lastActivityDateTime": "2026-01-01T09:30:00Z",
            "evidence": evidence })
}

fn device(name: &str, verdict: &str, remediation: &str) -> Value {
    json!({ "@odata.type": "#microsoft.graph.security.deviceEvidence", "deviceDnsName": name,
            "verdict": verdict, "remediationStatus": remediation })
}

#[test]
fn unresolved_alerts_are_counted_and_named() {
    let i = bundle(
        json!({ "alerts": [alert("a1", "resolved", json!([])), alert("a2", "new", json!([])), alert("a3", "inProgress", json!([]))] }),
        json!({}),
    );
    let r = build(&i);
    let open = gaps_of(&r, GapRule::AlertNotResolved);
    assert_eq!(
        open.iter().map(|g| g.text.as_str()).collect::<Vec<_>>(),
        ["Alert a2 (New)", "Alert a3 (In progress)"]
    );
    let md = render::markdown::render(&r);
    assert!(md.contains("2 of 3 alerts not resolved"), "{md}");
}

#[test]
fn malicious_evidence_not_remediated_is_a_gap_once_per_entity() {
    let i = bundle(
        json!({ "alerts": [
            alert("a1", "resolved", json!([device("WS-1", "malicious", "none"), device("ws-2", "malicious", "notFound"),
                                           device("ws-3", "suspicious", "none"), device("ws-4", "malicious", "none")])),
            alert("a2", "resolved", json!([device("ws-1", "malicious", "none"), device("ws-4", "malicious", "remediated")])),
        ]}),
        json!({}),
    );
    let r = build(&i);
    let texts: Vec<String> = gaps_of(&r, GapRule::EvidenceNotRemediated)
        .into_iter()
        .map(|g| g.text)
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].starts_with("Device WS-1: malicious, remediation status none"),
        "{texts:?}"
    );
    assert!(
        texts[1].starts_with("Device ws-2: malicious, remediation status notFound"),
        "{texts:?}"
    );
    // ws-1 is one asset named by two alerts, citing both.
    let first = &gaps_of(&r, GapRule::EvidenceNotRemediated)[0];
    assert_eq!(first.provenance.len(), 2);
    assert_eq!(assets(&r).len(), 4);
}

#[test]
fn follow_ups_in_people_s_comments_are_gaps_once_per_text() {
    let comment =
        |id: &str, time: &str, text: &str| entry(id, time, "comment", json!({"text": text}));
    let i = bundle(
        json!({ "comments": [
            { "comment": "Follow up with HR on the leaver.", "createdByDisplayName": "kai@contoso.com", "createdDateTime": "2026-01-01T10:09:00Z" }
        ]}),
        json!({
            "history": [
                comment("h-1", "2026-01-01T10:01:00Z", "TODO: rotate the service account key."),
                comment("h-2", "2026-01-01T10:02:00Z", "We need to check the VPN logs."),
                comment("h-3", "2026-01-01T10:03:00Z", "Followed the playbook; todos none; needed nothing."),
                comment("h-4", "2026-01-01T10:04:00Z", "TODO: rotate the service account key."),
                { "id": "h-5", "time": "2026-01-01T10:05:00Z", "action": "comment", "text": "Follow-up: automation note",
                  "actor": { "displayName": "Playbook X", "kind": "automation" } },
            ],
            "sentinel": { "incident": null, "comments": [
                { "properties": { "message": "The team needs to confirm the wire.", "createdTimeUtc": "2026-01-01T10:06:00Z",
                                  "author": { "name": "Kai Carter", "userPrincipalName": "kai@contoso.com" } } }
            ]}
        }),
    );
    let r = build(&i);
    let follow = gaps_of(&r, GapRule::FollowUp);
    let texts: Vec<&str> = follow
        .iter()
        .map(|g| g.text.split(" (Kai").next().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "TODO: rotate the service account key.",
            "We need to check the VPN logs.",
            "The team needs to confirm the wire.",
            "Follow up with HR on the leaver.",
        ]
    );
    assert_eq!(
        follow[0].provenance,
        vec![history("h-1"), history("h-4")],
        "repeats are one gap"
    );
}

// ---------------------------------------------------------------- tolerances

#[test]
fn pascal_case_and_old_spellings_are_reconciled_in_the_conclusion() {
    for (classification, determination, class_label, det_label) in [
        (
            "TruePositive",
            "compromisedUser",
            "True positive",
            "Compromised account",
        ),
        ("FalsePositive", "clean", "False positive", "Not malicious"),
        (
            "informationalExpectedActivity",
            "confirmedUserActivity",
            "Informational, expected activity (benign positive)",
            "Confirmed activity",
        ),
        (
            "truePositive",
            "insufficientData",
            "True positive",
            "Not enough data to validate",
        ),
        (
            "truePositive",
            "quantumEntanglement",
            "True positive",
            "quantumEntanglement",
        ),
    ] {
        let i = bundle(
            json!({ "classification": classification, "determination": determination }),
            json!({}),
        );
        let r = build(&i);
        assert_eq!(
            fact(&r, SectionId::Conclusion, "Classification").value,
            class_label
        );
        assert_eq!(
            fact(&r, SectionId::Conclusion, "Determination").value,
            det_label
        );
    }
}

#[test]
fn unknown_actions_statuses_and_evidence_types_are_shown_as_written() {
    let i = bundle(
        json!({ "status": "smouldering", "alerts": [alert("a1", "resolved", json!([
            { "@odata.type": "#microsoft.graph.security.quantumWidgetEvidence", "widgetName": "qw-1", "verdict": "malicious", "remediationStatus": "none" }
        ]))] }),
        json!({ "history": [ entry("h-1", "2026-01-01T10:01:00Z", "escalate", json!({"to": "Tier 3"})) ] }),
    );
    let r = build(&i);
    let management = items(&r, SectionId::ActionsTaken, "management");
    let Item::Action(escalate) = &management[0] else {
        panic!()
    };
    assert_eq!(escalate.what, "escalate set to Tier 3");
    assert_eq!(fact(&r, SectionId::Summary, "Status").value, "smouldering");
    assert!(gaps_of(&r, GapRule::NotResolved)[0]
        .text
        .contains("smouldering"));
    assert_eq!(assets(&r)[0].1, "qw-1");
    assert_eq!(assets(&r)[0].0, "quantumWidgetEvidence");
    assert_eq!(gaps_of(&r, GapRule::EvidenceNotRemediated).len(), 1);
    assert_eq!(responders(&r, "people")[0].actions[0].label, "escalate");
}

#[test]
fn old_comment_keys_and_both_machine_action_update_keys_count_for_their_people() {
    let i = bundle(
        json!({ "comments": [ { "comment": "Old keys.", "createdBy": "Kai Carter", "createdTime": "2026-01-01T10:03:00Z" } ] }),
        json!({
            "history": [ entry("h-1", "2026-01-01T10:01:00Z", "assign", json!({"from": "Unassigned", "to": "kai@contoso.com"})) ],
            "machineActions": [
                { "id": "m1", "type": "Isolate", "requestor": "kai@contoso.com", "status": "Succeeded", "computerDnsName": "ws-1",
                  "creationDateTimeUtc": "2026-01-01T10:05:00Z", "lastUpdateTimeUtc": "2026-01-01T10:06:00Z" },
                { "id": "m2", "type": "Isolate", "requestor": "KAI@contoso.com", "status": "Succeeded", "computerDnsName": "ws-2",
                  "creationDateTimeUtc": "2026-01-01T10:07:00Z", "lastUpdateDateTimeUtc": "2026-01-01T10:08:00Z" }
            ]
        }),
    );
    let r = build(&i);
    assert_eq!(
        people(&r),
        vec![person(
            "Kai Carter",
            "kai@contoso.com",
            4,
            "2026-01-01 10:01:00",
            "2026-01-01 10:07:00"
        )]
    );
    let manual = items(&r, SectionId::ActionsTaken, "remediation-manual");
    let ends: Vec<String> = manual
        .iter()
        .map(|i| match i {
            Item::Action(a) => a.end.as_ref().unwrap().shown.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(ends, ["2026-01-01 10:06:00 UTC", "2026-01-01 10:08:00 UTC"]);
}

#[test]
fn resolved_without_a_recorded_time_and_reopened_incidents() {
    let r = build(&bundle(json!({}), json!({})));
    let resolved = fact(&r, SectionId::KeyTimestamps, "Resolved");
    assert_eq!(resolved.value, "Resolved; when is not in the data");
    assert!(!has_fact(&r, SectionId::KeyTimestamps, "Time to resolve"));

    let i = bundle(
        json!({ "status": "active" }),
        json!({ "history": [
            entry("h-1", "2026-01-01T10:10:00Z", "status", json!({"from": "active", "to": "resolved"})),
            entry("h-2", "2026-01-01T10:20:00Z", "status", json!({"from": "resolved", "to": "active"})),
        ]}),
    );
    let r = build(&i);
    let resolved = fact(&r, SectionId::KeyTimestamps, "Resolved");
    assert!(
        resolved.value.starts_with("Not resolved: reopened"),
        "{}",
        resolved.value
    );
    assert!(!has_fact(&r, SectionId::KeyTimestamps, "Time to resolve"));
    assert_eq!(gaps_of(&r, GapRule::NotResolved).len(), 1);
}

#[test]
fn bare_sentinel_and_bare_graph_incidents_and_nulls_build() {
    let sentinel = json!({ "name": "abc", "properties": { "title": "Bare <b>Sentinel</b>", "severity": "High",
        "status": "New", "createdTimeUtc": "2026-01-01T10:00:00Z", "incidentNumber": 7,
        "classification": null, "labels": null, "owner": null } });
    let i = model::parse(&serde_json::to_vec(&sentinel).unwrap()).unwrap();
    let r = build(&i);
    assert_eq!(r.incident_id, "abc");
    assert_eq!(
        rules(&r),
        [
            GapRule::NotResolved,
            GapRule::NotClassified,
            GapRule::NotAssigned
        ]
        .into()
    );
    let graph = json!({ "id": 99, "displayName": null, "alerts": null, "comments": null, "createdDateTime": null });
    let r = build(&model::parse(&serde_json::to_vec(&graph).unwrap()).unwrap());
    assert_eq!(r.incident_id, "99");
    assert_eq!(
        fact(&r, SectionId::KeyTimestamps, "Created").value,
        "Not in the data"
    );
    for format in formats() {
        assert!(!format(&r).is_empty());
    }
}

// ---------------------------------------------------------------- renderers

fn formats() -> [fn(&Report) -> String; 4] {
    [
        render::markdown::render,
        render::text::render,
        render::html::document,
        render::json,
    ]
}

use common::TITLES;

#[test]
fn markdown_has_the_seven_headings_in_order_for_every_fixture() {
    for name in [
        "phishing-bec.json",
        "ransomware-multistage.json",
        "sentinel-bruteforce.json",
        "minimal-active.json",
    ] {
        let md = render::markdown::render(&fixture_report(name));
        assert!(md.starts_with("# "), "{name}");
        let headings: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("## ")).collect();
        assert_eq!(headings, TITLES, "{name}");
        let text = render::text::render(&fixture_report(name));
        for title in TITLES {
            assert!(
                text.contains(&format!("\n{title}\n{}\n", "-".repeat(title.len()))),
                "{name}: {title}"
            );
        }
    }
    let r = fixture_report("phishing-bec.json");
    let ids: Vec<&str> = r.sections.iter().map(|s| s.id.slug()).collect();
    assert_eq!(
        ids,
        [
            "summary",
            "responders",
            "key-timestamps",
            "actions-taken",
            "impacted-assets",
            "conclusion",
            "gaps"
        ]
    );
}

fn hostile() -> Report {
    let i = bundle(
        json!({ "displayName": "Title <script>alert('t')</script> & *bold*",
                "resolvingComment": "<img src=x onerror=alert(1)>" }),
        json!({ "history": [
            entry("h-<1>", "2026-01-01T10:01:00Z", "comment", json!({"text": "<script>alert(1)</script> follow-up"})),
            entry("h-2", "2026-01-01T10:02:00Z", "comment", json!({"text": "<img src=x onerror=alert(2)> [link](javascript:alert(3)) | # _x_ `code`"})),
            entry("h-3", "2026-01-01T10:03:00Z", "comment", json!({"text": "line one\n# heading\n<!-- c -->"})),
        ]}),
    );
    build(&i)
}

#[test]
fn html_escapes_incident_text_and_has_no_script_handlers_or_style_attributes() {
    let html = render::html::document(&hostile());
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; follow-up"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("data-provenance=\"history h-&lt;1&gt;\""));
    // Every tag is one the renderer writes, with only its own attributes.
    let allowed = [
        "!DOCTYPE", "html", "head", "meta", "title", "body", "article", "h1", "h2", "h3", "p",
        "section", "dl", "dt", "dd", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
        "strong", "cite", "style",
    ];
    let attributes = [
        "class", "data-", "scope", "lang", "charset", "name", "content",
    ];
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap();
        let tag = tag.trim_start_matches('/');
        let mut parts = tag.split_whitespace();
        let name = parts.next().unwrap_or("");
        assert!(allowed.contains(&name), "tag <{tag}>");
        for attribute in tag[name.len()..].split('"').step_by(2) {
            let attribute = attribute.trim().trim_end_matches('=');
            if attribute.is_empty() || name == "!DOCTYPE" {
                continue;
            }
            assert!(
                attributes.iter().any(|a| attribute.starts_with(a)),
                "attribute {attribute:?} in <{tag}>"
            );
        }
    }
    assert!(!html.to_lowercase().contains("<script"));
    assert!(!html.contains("style="));
}

#[test]
fn a_standalone_document_carries_its_stylesheet_as_its_reader_allows() {
    use render::html::{page, Stylesheet, STYLE};
    let report = hostile();
    let inline = page(&report, Stylesheet::Inline);
    assert!(inline.contains(&format!("<style>\n{STYLE}</style>\n</head>")));
    assert!(STYLE.contains("@media print") && !STYLE.contains('<'));
    let linked = page(&report, Stylesheet::Linked("/assets/report.css?a=\"b\""));
    assert!(
        linked.contains("<link rel=\"stylesheet\" href=\"/assets/report.css?a=&quot;b&quot;\">")
    );
    assert!(!linked.contains("<style"));
    // For a page under the host's CSP: no inline style at all.
    let adopted = page(&report, Stylesheet::Adopted);
    assert!(!adopted.contains("<style") && !adopted.contains("<link"));
    assert_eq!(
        inline.replace(&format!("<style>\n{STYLE}</style>\n"), ""),
        adopted
    );
}

/// No `<` or `>` in Markdown that is not backslash-escaped (the renderer writes none).
fn every_angle_bracket_escaped(md: &str) -> bool {
    let bytes = md.as_bytes();
    bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| !matches!(b, b'<' | b'>') || (i > 0 && bytes[i - 1] == b'\\'))
}

/// A `HH:MM:SS UTC` anywhere.
fn has_utc_time(text: &str) -> bool {
    text.match_indices(" UTC").any(|(at, _)| {
        let before = &text.as_bytes()[..at];
        before.len() >= 8 && {
            let t = &before[before.len() - 8..];
            t[2] == b':' && t[5] == b':' && t.iter().filter(|b| b.is_ascii_digit()).count() == 6
        }
    })
}

#[test]
fn markdown_shows_incident_text_literally() {
    let md = render::markdown::render(&hostile());
    assert!(
        md.contains("\\<script\\>alert(1)\\</script\\> follow-up"),
        "{md}"
    );
    assert!(
        md.contains("\\[link\\](javascript:alert(3)) \\| \\# \\_x\\_ \\`code\\`"),
        "{md}"
    );
    assert!(md.contains("Title \\<script\\>"), "{md}");
    assert!(every_angle_bracket_escaped(&md), "{md}");
    assert!(
        !md.contains("\n# heading"),
        "newlines in text cannot start a heading"
    );
    let headings = md.lines().filter(|l| l.starts_with("## ")).count();
    assert_eq!(headings, 7);
    let text = render::text::render(&hostile());
    assert!(text.contains("line one # heading"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for name in [
        "phishing-bec.json",
        "ransomware-multistage.json",
        "sentinel-bruteforce.json",
        "minimal-active.json",
    ] {
        for format in formats() {
            let a = format(&build(&parse_fixture(name)));
            let b = format(&build(&parse_fixture(name)));
            assert_eq!(a, b, "{name}");
        }
    }
}

#[test]
fn json_is_the_structured_report_with_provenance() {
    let r = fixture_report("phishing-bec.json");
    let v: Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(v["incidentId"], "41017");
    assert_eq!(v["generatedForZone"], "UTC");
    assert_eq!(v["sections"][2]["id"], "key-timestamps");
    assert_eq!(v["sections"][6]["title"], "Gaps and follow-ups");
    let first = &v["sections"][1]["groups"][0]["items"][0];
    assert_eq!(first["type"], "responder");
    assert_eq!(first["name"], "Kai Carter");
    assert_eq!(first["actionCount"], 14);
    assert_eq!(
        first["provenance"][0],
        json!({"kind": "history", "id": "h-2"})
    );
}

#[test]
fn json_times_are_rfc3339_in_utc_whatever_the_zone() {
    let i = bundle(
        json!({ "createdDateTime": "2026-01-01T10:00:00.0450000Z" }),
        json!({}),
    );
    let options = Options {
        zone: zone_by_name("Asia/Kolkata").unwrap(),
        ..Options::default()
    };
    let v: Value = serde_json::from_str(&render::json(&report::build(&i, &options))).unwrap();
    let created = &v["sections"][2]["groups"][0]["items"][0]["time"];
    assert_eq!(created["utc"], "2026-01-01T10:00:00.045Z");
    assert_eq!(created["shown"], "2026-01-01 15:30:00 Asia/Kolkata");
}

#[test]
fn durations_read_as_hours_minutes_and_seconds() {
    for (seconds, shown) in [
        (0, "0s"),
        (5, "5s"),
        (60, "1m 00s"),
        (2983, "49m 43s"),
        (11_420, "3h 10m 20s"),
        (259_082, "71h 58m 02s"),
        (-61, "-1m 01s"),
    ] {
        assert_eq!(Duration::from_seconds(seconds).shown, shown);
    }
}

// ---------------------------------------------------------------- time zones

fn in_zone(name: &str, zone: &str) -> Report {
    let options = Options {
        zone: zone_by_name(zone).unwrap(),
        ..Options::default()
    };
    report::build(&parse_fixture(name), &options)
}

#[test]
fn times_are_shown_in_the_zone_asked_for() {
    let r = in_zone("phishing-bec.json", "Europe/Amsterdam");
    assert_eq!(r.generated_for_zone, "Europe/Amsterdam");
    let assign = fact(&r, SectionId::KeyTimestamps, "First assignment");
    assert_eq!(
        shown(&assign),
        "2026-03-14 09:44:10 Europe/Amsterdam",
        "CET before 29 March"
    );
    assert_eq!(
        fact(&r, SectionId::KeyTimestamps, "Time to assign").value,
        "14m 27s"
    );
    let md = render::markdown::render(&r);
    assert!(md.contains("2026-03-14 09:44:10 Europe/Amsterdam"));
    assert!(!has_utc_time(&md), "no time left in UTC");
    let utc = render::markdown::render(&fixture_report("phishing-bec.json"));
    assert!(has_utc_time(&utc));

    let r = in_zone("ransomware-multistage.json", "America/New_York");
    let created = fact(&r, SectionId::KeyTimestamps, "Created");
    assert_eq!(
        created.value, "2026-03-10 05:16:29 America/New_York",
        "EDT since 8 March"
    );
    assert_eq!(
        created.time.unwrap().utc.civil(0).to_string(),
        "2026-03-10 09:16:29"
    );

    let i = bundle(
        json!({ "createdDateTime": "2026-07-01T12:00:00Z" }),
        json!({}),
    );
    let options = Options {
        zone: zone_by_name("Europe/Amsterdam").unwrap(),
        ..Options::default()
    };
    let r = report::build(&i, &options);
    assert_eq!(
        fact(&r, SectionId::KeyTimestamps, "Created").value,
        "2026-07-01 14:00:00 Europe/Amsterdam",
        "CEST"
    );
    assert_eq!(zone_by_name("UTC").unwrap().name(), "UTC");
}

#[test]
fn an_unknown_zone_is_a_clear_error() {
    let err = zone_by_name("Mars/Olympus_Mons").err().expect("unknown");
    let message = err.to_string();
    assert!(
        message.contains("unknown time zone \"Mars/Olympus_Mons\""),
        "{message}"
    );
    assert!(message.contains("IANA"), "{message}");
    assert!(zone_by_name("").is_err());
}

// ---------------------------------------------------------------- the command

fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_incident-report"))
}

fn fixture_path(name: &str) -> PathBuf {
    fixtures_dir().join(name)
}

#[test]
fn render_command_writes_every_format_the_same_way_each_run() {
    for format in ["markdown", "text", "html", "json"] {
        let run = || {
            let out = command()
                .args(["render", "--format", format])
                .arg(fixture_path("ransomware-multistage.json"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let first = run();
        assert_eq!(first, run(), "{format}: byte-identical across processes");
        let text = String::from_utf8(first).unwrap();
        match format {
            "markdown" => assert_eq!(text.lines().filter(|l| l.starts_with("## ")).count(), 7),
            "html" => assert!(text.starts_with("<!DOCTYPE html>")),
            "json" => {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["sections"].as_array().unwrap().len(), 7);
            }
            _ => assert!(text.contains("Gaps and follow-ups\n-------------------")),
        }
    }
    let out = command()
        .args(["render", "--time-zone", "Europe/Amsterdam"])
        .arg(fixture_path("phishing-bec.json"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("2026-03-14 09:44:10 Europe/Amsterdam"));
}

#[test]
fn render_command_fails_with_one_line_on_an_unknown_zone_or_bad_input() {
    let out = command()
        .args(["render", "--time-zone", "Mars/Olympus"])
        .arg(fixture_path("phishing-bec.json"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown time zone \"Mars/Olympus\""), "{err}");
    assert!(out.stdout.is_empty());

    let out = command()
        .arg("render")
        .arg(fixture_path("bad/wrong-types.json"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("$.incident.alerts"), "{err}");
}

// ---------------------------------------------------------------- at scale

/// `gen_large.py`'s default output, written once per test run.
fn large() -> &'static Incident {
    static LARGE: OnceLock<Incident> = OnceLock::new();
    LARGE.get_or_init(|| model::parse(&common::large_bundle()).unwrap())
}

#[test]
fn the_large_incident_keeps_its_facts_and_names_every_responder() {
    let r = build(large());
    let k = SectionId::KeyTimestamps;
    assert_eq!(
        shown(&fact(&r, k, "First action")),
        "2026-02-02 06:00:45 UTC"
    );
    assert_eq!(
        shown(&fact(&r, k, "First assignment")),
        "2026-02-02 06:37:12 UTC"
    );
    assert_eq!(
        shown(&fact(&r, k, "First human action")),
        "2026-02-02 06:37:12 UTC"
    );
    assert_eq!(fact(&r, k, "Time to assign").value, "37m 12s");
    assert_eq!(
        shown(&fact(&r, k, "Last action")),
        "2026-02-05 05:58:02 UTC"
    );
    assert_eq!(shown(&fact(&r, k, "Resolved")), "2026-02-05 05:58:02 UTC");
    assert_eq!(fact(&r, k, "Time to resolve").value, "71h 58m 02s");
    assert_eq!(
        fact(&r, SectionId::Conclusion, "Classification").value,
        "True positive"
    );
    assert_eq!(
        fact(&r, SectionId::Conclusion, "Determination").value,
        "Multi-staged attack"
    );

    let people = people(&r);
    assert_eq!(people.len(), 20);
    assert_eq!(
        people[0],
        person(
            "Kai Carter",
            "kai@contoso.com",
            492,
            "2026-02-02 06:37:12",
            "2026-02-05 05:46:28"
        )
    );
    assert_eq!(people[19].1.as_deref(), Some("elena.petrova@fabrikam.com"));
    assert_eq!(people[19].2, 500);

    let md = render::markdown::render(&r);
    for (name, upn, ..) in &people {
        assert!(
            md.contains(&format!("| {name} | {} |", upn.as_deref().unwrap())),
            "{name} named"
        );
    }
    let html = render::html::render(&r);
    let text = render::text::render(&r);
    for (name, ..) in &people {
        assert!(
            html.contains(&format!("<td>{}</td>", render::html::escape(name))),
            "{name}"
        );
        assert!(text.contains(name.as_str()), "{name}");
    }
    // Readable: long groups are cut with "and N more", repeats counted.
    assert!(md.len() < 400_000, "markdown is {} bytes", md.len());
    assert!(md.contains("… and "));
    assert!(md.contains("Most frequent:"));
    assert!(md.contains("\\<script\\>"));
    assert!(
        every_angle_bracket_escaped(&md),
        "comment markup stays escaped"
    );
    // The JSON keeps every item.
    let v: Value = serde_json::from_str(&render::json(&r)).unwrap();
    let actions: usize = v["sections"][3]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["id"] != "investigations")
        .map(|g| g["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(actions, large().actions.len());
    assert_eq!(actions, 12_090);
}

/// What the server streams to the panel: each group's shown rows only. It
/// must read exactly as the whole report in every format but JSON, which is
/// where the complete lists live.
#[test]
fn a_digest_reads_as_the_whole_report_and_keeps_only_the_shown_rows() {
    let mut reports: Vec<Report> = ["phishing-bec.json", "ransomware-multistage.json"]
        .iter()
        .map(|name| build(&parse_fixture(name)))
        .collect();
    reports.push(build(large()));
    for whole in &reports {
        let digest = Report {
            sections: whole.sections.iter().map(|s| s.digest()).collect(),
            ..whole.clone()
        };
        assert!(whole.is_complete());
        assert_eq!(
            render::markdown::render(&digest),
            render::markdown::render(whole)
        );
        assert_eq!(render::text::render(&digest), render::text::render(whole));
        assert_eq!(
            render::html::document(&digest),
            render::html::document(whole)
        );
        assert_eq!(
            render::text::comment(&digest, 30_000),
            render::text::comment(whole, 30_000)
        );
        for (d, w) in digest.sections.iter().zip(&whole.sections) {
            for (dg, wg) in d.groups.iter().zip(&w.groups) {
                assert_eq!(dg.items.len(), wg.shown.min(wg.items.len()), "{}", wg.id);
                assert_eq!(dg.total(), wg.items.len(), "{}", wg.id);
            }
            // What the panel reads back is what was sent.
            let sent = render::json(&Report {
                sections: vec![d.clone()],
                ..whole.clone()
            });
            let read: Value = serde_json::from_str(&sent).unwrap();
            let back: report::Section =
                serde_json::from_value(read["sections"][0].clone()).unwrap();
            assert_eq!(
                serde_json::to_string(&back).unwrap(),
                serde_json::to_string(d).unwrap()
            );
        }
    }
    // At scale the digest is a small part of the whole, and says so.
    let whole = &reports[2];
    let digest = Report {
        sections: whole.sections.iter().map(|s| s.digest()).collect(),
        ..whole.clone()
    };
    assert!(!digest.is_complete());
    let (small, big) = (render::json(&digest).len(), render::json(whole).len());
    assert!(small * 5 < big, "digest {small} bytes, whole {big}");
}
