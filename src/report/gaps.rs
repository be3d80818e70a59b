//! Gaps and follow-ups: what is still open or went wrong, each found by a
//! stated rule and citing the records that show it.

use super::{
    actions::attention, assets, incident_field, timestamps, Attention, Duration, Gap, GapRule,
    Group, Item, Options,
};
use crate::model::{Action, ActionKind, Classification, Incident, Provenance};
use std::collections::BTreeMap;

pub(super) fn groups(
    incident: &Incident,
    options: &Options,
    entities: &[assets::Entity],
) -> Vec<Group> {
    let mut groups = vec![incident_gaps(incident, options)];
    groups.extend(action_gaps(incident, options));
    groups.push(investigation_gaps(incident, options));
    groups.push(alert_gaps(incident));
    groups.push(evidence_gaps(entities));
    groups.push(follow_ups(incident, options));
    groups
}

fn gap(rule: GapRule, text: String, provenance: Vec<Provenance>) -> Gap {
    Gap {
        rule,
        text,
        time: None,
        provenance,
    }
}

fn incident_gaps(incident: &Incident, options: &Options) -> Group {
    let mut gaps = Vec::new();
    if !incident.status.is_resolved() {
        gaps.push(gap(
            GapRule::NotResolved,
            format!(
                "The incident is not resolved: its status is {}.",
                incident.status.label()
            ),
            vec![incident_field("status")],
        ));
    }
    if incident.classification == Classification::Unknown {
        gaps.push(gap(
            GapRule::NotClassified,
            "The incident has no classification (true or false positive).".to_owned(),
            vec![incident_field("classification")],
        ));
    }
    if incident.assigned_to.as_deref().is_none_or(str::is_empty) {
        gaps.push(gap(
            GapRule::NotAssigned,
            "Nobody is assigned to the incident.".to_owned(),
            vec![incident_field("assignedTo")],
        ));
    }
    if let (Some(created), Some(assignment)) =
        (incident.created, timestamps::first_assignment(incident))
    {
        let waited = Duration::between(created, assignment.time);
        if waited.seconds > options.slow_assignment_seconds {
            let limit = Duration::from_seconds(options.slow_assignment_seconds);
            let mut provenance = vec![incident_field("createdDateTime")];
            provenance.extend(assignment.provenance.iter().cloned());
            gaps.push(Gap {
                time: Some(options.time(assignment.time)),
                ..gap(
                    GapRule::SlowAssignment,
                    format!(
                        "Slow first assignment: {} after the incident was created (more than {}).",
                        waited.shown, limit.shown
                    ),
                    provenance,
                )
            });
        }
    }
    Group::new("incident", Some("The incident"), into_items(gaps))
}

fn into_items(gaps: Vec<Gap>) -> Vec<Item> {
    gaps.into_iter().map(Item::Gap).collect()
}

const ATTENTION: [(Attention, GapRule, &str, &str); 5] = [
    (
        Attention::Failed,
        GapRule::ActionFailed,
        "failed",
        "Failed actions",
    ),
    (
        Attention::TimedOut,
        GapRule::ActionTimedOut,
        "timed-out",
        "Timed-out actions",
    ),
    (
        Attention::Cancelled,
        GapRule::ActionCancelled,
        "cancelled",
        "Cancelled actions",
    ),
    (
        Attention::Pending,
        GapRule::ActionPending,
        "pending",
        "Pending actions",
    ),
    (
        Attention::InProgress,
        GapRule::ActionInProgress,
        "in-progress",
        "Actions still in progress",
    ),
];

/// Failed, timed-out, cancelled, pending and running actions, one group each.
fn action_gaps(incident: &Incident, options: &Options) -> Vec<Group> {
    ATTENTION
        .iter()
        .map(|&(wanted, rule, id, title)| {
            let gaps: Vec<Gap> = incident
                .actions
                .iter()
                .filter(|a| a.outcome.as_ref().and_then(attention) == Some(wanted))
                .map(|a| {
                    let time = options.time(a.time);
                    let text = action_text(a, &time.shown);
                    Gap {
                        time: Some(time),
                        ..gap(rule, text, a.provenance.clone())
                    }
                })
                .collect();
            let count = gaps.len();
            let mut group = Group::new(id, Some(title), into_items(gaps));
            if count > 1 {
                group.summary = Some(format!("{count} {}", title.to_lowercase()));
            }
            group
        })
        .collect()
}

/// `shown`: the action's time as the report shows it.
fn action_text(action: &Action, shown: &str) -> String {
    let what = match (&action.kind, action.text.as_deref()) {
        (ActionKind::Playbook | ActionKind::Remediation, Some(text)) => text.to_owned(),
        (kind, _) => super::actions::kind_label(kind).to_owned(),
    };
    let target = match action.target.as_deref().filter(|t| !t.is_empty()) {
        Some(target) if !what.contains(target) => format!(" (target {target})"),
        _ => String::new(),
    };
    format!(
        "{}{target}, by {} at {shown}.",
        what.trim_end_matches('.'),
        action.actor.name,
    )
}

fn investigation_gaps(incident: &Incident, options: &Options) -> Group {
    let gaps = incident
        .investigations
        .iter()
        .filter(|v| !v.is_settled())
        .map(|v| {
            let on = v
                .device
                .as_deref()
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            let state = if v.state.is_empty() {
                "unknown"
            } else {
                &v.state
            };
            Gap {
                time: v.start.map(|t| options.time(t)),
                ..gap(
                    GapRule::InvestigationNotSettled,
                    format!("Automated investigation {}{on} is {state}.", v.id),
                    vec![v.provenance.clone()],
                )
            }
        })
        .collect();
    Group::new(
        "investigations",
        Some("Automated investigations not finished"),
        into_items(gaps),
    )
}

fn alert_gaps(incident: &Incident) -> Group {
    let open: Vec<Gap> = incident
        .alerts
        .iter()
        .filter(|a| !a.status.is_resolved())
        .map(|a| {
            gap(
                GapRule::AlertNotResolved,
                format!("{} ({})", a.title, a.status.label()),
                vec![a.provenance.clone()],
            )
        })
        .collect();
    let summary = format!(
        "{} of {} alerts not resolved",
        open.len(),
        incident.alerts.len()
    );
    let has_open = !open.is_empty();
    let group = Group::new("alerts", Some("Alerts not resolved"), into_items(open));
    if has_open {
        group.with_summary(summary)
    } else {
        group
    }
}

fn evidence_gaps(entities: &[assets::Entity]) -> Group {
    let gaps = entities
        .iter()
        .filter(|e| e.is_unremediated_threat())
        .map(|e| {
            let asset = e.asset();
            let detail = asset
                .detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            gap(
                GapRule::EvidenceNotRemediated,
                format!(
                    "{} {}{detail}: malicious, remediation status {}.",
                    asset.kind,
                    asset.name,
                    e.remediation.as_str()
                ),
                asset.provenance,
            )
        })
        .collect();
    Group::new(
        "evidence",
        Some("Malicious evidence not remediated"),
        into_items(gaps),
    )
}

/// Whether an analyst wrote that something is left to do.
pub fn is_follow_up(text: &str) -> bool {
    let lower = text.to_lowercase();
    let phrases = ["follow-up", "follow up", "followup", "need to", "needs to"];
    phrases.iter().any(|p| contains_word(&lower, p)) || contains_word(&lower, "todo")
}

/// `phrase` occurs in `text` not as part of a longer word.
fn contains_word(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Follow-ups in people's comments, one per distinct text.
fn follow_ups(incident: &Incident, options: &Options) -> Group {
    let mut gaps: Vec<Gap> = Vec::new();
    let mut by_text: BTreeMap<&str, usize> = BTreeMap::new();
    let comments = incident
        .actions
        .iter()
        .filter(|a| a.kind == ActionKind::Comment && a.actor.is_person());
    for action in comments {
        let Some(text) = action.text.as_deref().map(str::trim) else {
            continue;
        };
        if !is_follow_up(text) {
            continue;
        }
        match by_text.get(text) {
            Some(&i) => gaps[i].provenance.extend(action.provenance.iter().cloned()),
            None => {
                by_text.insert(text, gaps.len());
                let time = options.time(action.time);
                let text = format!("{} ({}, {})", text, action.actor.name, time.shown);
                gaps.push(Gap {
                    time: Some(time),
                    ..gap(GapRule::FollowUp, text, action.provenance.clone())
                });
            }
        }
    }
    let count = gaps.len();
    let mut group = Group::new(
        "follow-ups",
        Some("Follow-ups in comments"),
        into_items(gaps),
    );
    if count > 1 {
        group.summary = Some(format!("{count} distinct follow-ups"));
    }
    group
}
