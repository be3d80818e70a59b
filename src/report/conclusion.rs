//! Conclusion: how the incident was classified and determined, what the
//! resolver wrote, and where it stands.

use super::{incident_field, timestamps, Fact, Group, Item, Options};
use crate::model::{Classification, Determination, Incident};

pub(super) fn groups(incident: &Incident, options: &Options) -> Vec<Group> {
    let mut facts = vec![
        Fact::new(
            "Classification",
            incident.classification.label(),
            vec![incident_field("classification")],
        ),
        Fact::new(
            "Determination",
            incident.determination.label(),
            vec![incident_field("determination")],
        ),
    ];
    if incident.classification == Classification::Unknown
        && incident.determination == Determination::Unknown
    {
        facts[0].value = "Not classified yet".to_owned();
    }
    facts.push(
        match incident
            .resolving_comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            Some(comment) => Fact::new(
                "Resolving comment",
                comment,
                vec![incident_field("resolvingComment")],
            ),
            None => Fact::new(
                "Resolving comment",
                "None",
                vec![incident_field("resolvingComment")],
            ),
        },
    );
    let mut status = Fact::new(
        "Final status",
        incident.status.label(),
        vec![incident_field("status")],
    );
    if let Some(resolved) = timestamps::resolution(incident) {
        status.value = format!(
            "{}, since {}",
            incident.status.label(),
            options.time(resolved.time).shown
        );
        status.time = Some(options.time(resolved.time));
        status
            .provenance
            .extend(resolved.provenance.iter().cloned());
    }
    facts.push(status);
    facts.push(Fact::new(
        "Assigned to",
        incident
            .assigned_to
            .as_deref()
            .filter(|a| !a.is_empty())
            .unwrap_or("Nobody"),
        vec![incident_field("assignedTo")],
    ));
    vec![Group::new("facts", None, facts.into_iter().map(Item::Fact).collect()).show_all()]
}
