//! Key timestamps: created, first action, first assignment, last action,
//! resolved; time to assign and time to resolve.

use super::{incident_field, Duration, Fact, Group, Item, Options};
use crate::model::{Action, ActionKind, Incident, Provenance, Status};

/// The first assignment: an `assign` away from nobody (`Unassigned` or empty).
pub(super) fn first_assignment(incident: &Incident) -> Option<&Action> {
    incident.actions.iter().find(|a| {
        a.kind == ActionKind::Assign
            && a.from
                .as_deref()
                .is_none_or(|f| f.is_empty() || f.eq_ignore_ascii_case("unassigned"))
    })
}

fn is_resolution(action: &Action) -> bool {
    action.kind == ActionKind::Status
        && matches!(
            action.to.as_deref().map(Status::from_wire),
            Some(Status::Resolved | Status::Closed)
        )
}

/// The last status change, when it resolved or closed the incident.
pub(super) fn resolution(incident: &Incident) -> Option<&Action> {
    incident
        .actions
        .iter()
        .rev()
        .find(|a| a.kind == ActionKind::Status)
        .filter(|a| is_resolution(a))
}

pub(super) fn groups(incident: &Incident, options: &Options) -> Vec<Group> {
    let mut facts = Vec::new();
    let at = |label: &str, action: &Action, how: String| Fact {
        value: format!("{} ({how})", options.time(action.time).shown),
        ..Fact::at(label, options.time(action.time), action.provenance.clone())
    };
    let none = |label: &str, value: &str| Fact::new(label, value, Vec::new());

    facts.push(match incident.created {
        Some(created) => Fact::at(
            "Created",
            options.time(created),
            vec![incident_field("createdDateTime")],
        ),
        None => none("Created", "Not in the data"),
    });
    let actions = &incident.actions;
    match (actions.first(), actions.last()) {
        (Some(first), Some(last)) => {
            facts.push(at("First action", first, first.actor.name.clone()));
            if let Some(human) = actions.iter().find(|a| a.actor.is_person()) {
                facts.push(at("First human action", human, human.actor.name.clone()));
            }
            facts.push(match first_assignment(incident) {
                Some(a) => {
                    let to =
                        a.to.as_deref()
                            .filter(|t| !t.is_empty())
                            .unwrap_or("nobody");
                    at(
                        "First assignment",
                        a,
                        format!("{} assigned {to}", a.actor.name),
                    )
                }
                None => none("First assignment", "Never assigned in the data"),
            });
            facts.push(at("Last action", last, last.actor.name.clone()));
        }
        _ => {
            facts.push(none("First action", "None: nobody acted on the incident"));
            facts.push(none("First assignment", "Never assigned in the data"));
            facts.push(none("Last action", "None"));
        }
    }
    let resolved = resolution(incident);
    facts.push(match resolved {
        Some(a) => at("Resolved", a, a.actor.name.clone()),
        None if incident.status.is_resolved() => Fact::new(
            "Resolved",
            format!("{}; when is not in the data", incident.status.label()),
            vec![incident_field("status")],
        ),
        None => match actions.iter().rev().find(|a| is_resolution(a)) {
            Some(earlier) => Fact::new(
                "Resolved",
                format!(
                    "Not resolved: reopened after it was resolved at {}",
                    options.time(earlier.time).shown
                ),
                earlier.provenance.clone(),
            ),
            None => Fact::new("Resolved", "Not resolved", vec![incident_field("status")]),
        },
    });
    if let Some(created) = incident.created {
        let durations = [
            ("Time to assign", first_assignment(incident)),
            ("Time to resolve", resolved),
        ];
        for (label, until) in durations {
            if let Some(a) = until {
                let duration = Duration::between(created, a.time);
                facts.push(duration_fact(label, duration, a.provenance.clone()));
            }
        }
    }
    vec![Group::new("facts", None, facts.into_iter().map(Item::Fact).collect()).show_all()]
}

fn duration_fact(label: &str, duration: Duration, mut provenance: Vec<Provenance>) -> Fact {
    provenance.insert(0, incident_field("createdDateTime"));
    Fact {
        duration: Some(duration.clone()),
        ..Fact::new(label, duration.shown, provenance)
    }
}
