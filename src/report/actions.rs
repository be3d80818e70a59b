//! Actions taken: incident management, remediation (manual and automated),
//! comments and automated investigations, each with time, actor, target and
//! outcome; what failed or is still pending stands out.

use std::borrow::Cow;

use super::{counts, tally, ActionEntry, Attention, Group, Item, Options, Tally};
use crate::model::{
    Action, ActionKind, Classification, Determination, Incident, Investigation, Outcome,
    Provenance, Severity, Status, Timestamp,
};

/// What an action kind is called when counted: `3 comments`.
pub(super) fn kind_label(kind: &ActionKind) -> &str {
    match kind {
        ActionKind::Assign => "assignment",
        ActionKind::Status => "status change",
        ActionKind::Classify => "classification",
        ActionKind::Determine => "determination",
        ActionKind::Severity => "severity change",
        ActionKind::Tag => "tag",
        ActionKind::Comment => "comment",
        ActionKind::Remediation => "remediation",
        ActionKind::Playbook => "playbook run",
        ActionKind::Other(name) => name,
    }
}

pub(super) fn attention(outcome: &Outcome) -> Option<Attention> {
    match outcome {
        Outcome::Failed => Some(Attention::Failed),
        Outcome::TimedOut => Some(Attention::TimedOut),
        Outcome::Cancelled => Some(Attention::Cancelled),
        Outcome::Pending => Some(Attention::Pending),
        Outcome::InProgress => Some(Attention::InProgress),
        Outcome::Succeeded | Outcome::Unrecognised(_) => None,
    }
}

/// The lists of the section an action goes in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Management,
    RemediationManual,
    RemediationAutomated,
    Comments,
    AutomationComments,
}

fn list(action: &Action) -> List {
    match (&action.kind, action.actor.is_person()) {
        (ActionKind::Remediation | ActionKind::Playbook, _) if action.automated => {
            List::RemediationAutomated
        }
        (ActionKind::Remediation | ActionKind::Playbook, _) => List::RemediationManual,
        (ActionKind::Comment, true) => List::Comments,
        (ActionKind::Comment, false) => List::AutomationComments,
        _ => List::Management,
    }
}

pub(super) fn groups(incident: &Incident, options: &Options) -> Vec<Group> {
    let entries = |wanted: List| -> Vec<ActionEntry> {
        incident
            .actions
            .iter()
            .filter(|a| list(a) == wanted)
            .map(|a| entry(a, options))
            .collect()
    };
    let management_kinds = tally(
        incident
            .actions
            .iter()
            .filter(|a| list(a) == List::Management)
            .map(|a| kind_label(&a.kind)),
    );
    let investigations: Vec<ActionEntry> = incident
        .investigations
        .iter()
        .map(|v| investigation(v, options))
        .collect();
    vec![
        group(
            "management",
            "Incident management",
            entries(List::Management),
            management_kinds,
        ),
        outcome_group(
            "remediation-manual",
            "Remediation, manual",
            "actions",
            entries(List::RemediationManual),
        ),
        outcome_group(
            "remediation-automated",
            "Remediation, automated",
            "actions",
            entries(List::RemediationAutomated),
        ),
        comment_group("comments", "Analyst comments", entries(List::Comments)),
        comment_group(
            "automation-comments",
            "Comments by automation",
            entries(List::AutomationComments),
        ),
        outcome_group(
            "investigations",
            "Automated investigations (AIR)",
            "investigations",
            investigations,
        ),
    ]
}

fn group(id: &str, title: &str, entries: Vec<ActionEntry>, tally: Vec<Tally>) -> Group {
    let summary = (entries.len() > 1).then(|| format!("{} actions", entries.len()));
    let mut group = Group::new(
        id.to_owned(),
        Some(title),
        entries.into_iter().map(Item::Action).collect(),
    );
    group.summary = summary;
    group.tally = tally;
    group
}

/// Counted by outcome in the summary, by what was done in the tally.
fn outcome_group(id: &str, title: &str, noun: &str, entries: Vec<ActionEntry>) -> Group {
    let outcomes = tally(
        entries
            .iter()
            .map(|e| e.outcome.as_deref().unwrap_or("no outcome recorded")),
    );
    let what = repeats(entries.iter().map(|e| e.what.as_str()));
    let count = entries.len();
    let mut group = group(id, title, entries, what);
    if count > 0 {
        group.summary = Some(format!("{count} {noun}: {}", super::counted(&outcomes)));
    }
    group
}

/// Identical comments are counted as repeats.
fn comment_group(id: &str, title: &str, entries: Vec<ActionEntry>) -> Group {
    let repeated = repeats(entries.iter().map(|e| e.what.as_str()));
    group(id, title, entries, repeated)
}

/// What occurs more than once, counted like [`tally`].
fn repeats<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<Tally> {
    counts(labels)
        .into_iter()
        .filter(|&(_, count)| count > 1)
        .map(|(label, count)| Tally {
            label: label.to_owned(),
            count,
        })
        .collect()
}

fn entry(action: &Action, options: &Options) -> ActionEntry {
    ActionEntry {
        time: options.time(action.time),
        end: action.end.map(|t| options.time(t)),
        actor: action.actor.name.clone(),
        actor_upn: action.actor.upn.clone(),
        automated: action.automated,
        channel: channel(action),
        what: describe(action),
        target: action.target.clone(),
        outcome: action.outcome.as_ref().map(|o| o.label().to_owned()),
        attention: action.outcome.as_ref().and_then(attention),
        provenance: action.provenance.clone(),
    }
}

fn investigation(v: &Investigation, options: &Options) -> ActionEntry {
    let state = v.state.to_ascii_lowercase();
    let attention = if v.is_settled() {
        None
    } else if state.contains("fail") {
        Some(Attention::Failed)
    } else if state.contains("pending") {
        Some(Attention::Pending)
    } else if state.contains("terminated") || state.contains("cancel") {
        Some(Attention::Cancelled)
    } else {
        Some(Attention::InProgress)
    };
    let what = match &v.triggering_alert_id {
        Some(alert) => format!("Automated investigation {} (alert {alert})", v.id),
        None => format!("Automated investigation {}", v.id),
    };
    ActionEntry {
        time: options.time(v.start.or(v.end).unwrap_or(Timestamp::from_millis(0))),
        end: v.end.map(|t| options.time(t)),
        actor: "Automated investigation".to_owned(),
        actor_upn: None,
        automated: true,
        channel: Cow::Borrowed("Automated investigation"),
        what,
        target: v.device.clone(),
        outcome: (!v.state.is_empty()).then(|| v.state.clone()),
        attention,
        provenance: vec![v.provenance.clone()],
    }
}

/// Through what an action was carried out.
fn channel(action: &Action) -> Cow<'static, str> {
    let cites = |f: fn(&Provenance) -> bool| action.provenance.iter().any(f);
    let source = |name: &str| action.source.eq_ignore_ascii_case(name);
    Cow::Borrowed(
        if cites(|p| matches!(p, Provenance::MachineAction { .. })) {
            "Defender machine action"
        } else if action.kind == ActionKind::Playbook
            || cites(|p| matches!(p, Provenance::PlaybookRun { .. }))
        {
            "Sentinel playbook"
        } else if action.investigation_id.is_some()
            || action.actor.name == "Automated investigation"
        {
            "Automated investigation"
        } else if source("") {
            "Incident"
        } else if source("defender") {
            "Defender"
        } else if source("sentinel") {
            "Sentinel"
        } else {
            return Cow::Owned(action.source.clone());
        },
    )
}

/// What was done, in words, with the vocabulary of the values reconciled.
fn describe(action: &Action) -> String {
    let (from, to) = (action.from.as_deref(), action.to.as_deref());
    let text = action.text.as_deref().filter(|t| !t.is_empty());
    let change = |what: &str, label: fn(&str) -> String| -> String {
        match (from.filter(|f| !f.is_empty()), to) {
            (Some(f), Some(t)) => format!("{what} changed from {} to {}", label(f), label(t)),
            (None, Some(t)) => format!("{what} set to {}", label(t)),
            (Some(f), None) => format!("{what} {} cleared", label(f)),
            (None, None) => format!("{what} changed"),
        }
    };
    let described = match &action.kind {
        ActionKind::Comment | ActionKind::Remediation | ActionKind::Playbook => {
            return text.map_or_else(|| kind_label(&action.kind).to_owned(), str::to_owned);
        }
        ActionKind::Assign => {
            match (from.filter(|f| !f.is_empty()), to.filter(|t| !t.is_empty())) {
                (Some(f), Some(t)) if !f.eq_ignore_ascii_case("unassigned") => {
                    format!("Reassigned from {f} to {t}")
                }
                (_, Some(t)) => format!("Assigned to {t}"),
                (_, None) => "Unassigned".to_owned(),
            }
        }
        ActionKind::Status => change("Status", |v| Status::from_wire(v).label().to_owned()),
        ActionKind::Classify => change("Classification", |v| {
            Classification::from_wire(v).label().to_owned()
        }),
        ActionKind::Determine => change("Determination", |v| {
            Determination::from_wire(v).label().to_owned()
        }),
        ActionKind::Severity => change("Severity", |v| Severity::from_wire(v).label().to_owned()),
        ActionKind::Tag => match (from, to) {
            (_, Some(tag)) => format!("Tag added: {tag}"),
            (Some(tag), None) => format!("Tag removed: {tag}"),
            (None, None) => "Tags changed".to_owned(),
        },
        ActionKind::Other(name) => change(name, str::to_owned),
    };
    // A note that only repeats the change (`Added tag Qakbot`) adds nothing.
    match text {
        Some(text) if !to.is_some_and(|to| !to.is_empty() && text.contains(to)) => {
            format!("{described}. {text}")
        }
        _ => described,
    }
}
