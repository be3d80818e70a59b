//! Responders: every person who acted, merged by UPN, with what they did and
//! when; automation (AIR, rules, playbooks, system) listed apart.

use super::{actions::kind_label, tally, Group, Item, Options, Responder};
use crate::model::{Action, Incident};
use std::collections::BTreeMap;

pub(super) fn groups(incident: &Incident, options: &Options) -> Vec<Group> {
    let mut people: BTreeMap<&str, Vec<&Action>> = BTreeMap::new();
    let mut automation: BTreeMap<&str, Vec<&Action>> = BTreeMap::new();
    for action in &incident.actions {
        let actor = &action.actor;
        if actor.is_person() {
            let key = actor.upn.as_deref().unwrap_or(&actor.name);
            people.entry(key).or_default().push(action);
        } else {
            automation.entry(&actor.name).or_default().push(action);
        }
    }
    let people = responders(people, true, options);
    let automation = responders(automation, false, options);
    let people_summary = match people.len() {
        0 => "Nobody acted on the incident.".to_owned(),
        1 => "1 person acted on the incident.".to_owned(),
        n => format!("{n} people acted on the incident."),
    };
    let automation_summary = (!automation.is_empty()).then(|| {
        format!(
            "{} automation and system actors, listed apart from people.",
            automation.len()
        )
    });
    let mut automation = Group::new("automation", Some("Automation"), automation);
    automation.summary = automation_summary;
    vec![
        Group::new("people", Some("People"), people)
            .with_summary(people_summary)
            .show_all(),
        automation,
    ]
}

/// One responder per key, the earliest to act first.
fn responders(by_key: BTreeMap<&str, Vec<&Action>>, person: bool, options: &Options) -> Vec<Item> {
    let mut responders: Vec<Responder> = by_key
        .into_values()
        .map(|actions| {
            // Actions are in time order already (the model sorts them).
            let (first, last) = (actions[0], actions[actions.len() - 1]);
            Responder {
                name: first.actor.name.clone(),
                upn: first.actor.upn.clone(),
                person,
                action_count: actions.len(),
                first: options.time(first.time),
                last: options.time(last.time),
                actions: tally(actions.iter().map(|a| kind_label(&a.kind))),
                provenance: actions
                    .iter()
                    .flat_map(|a| a.provenance.iter().cloned())
                    .collect(),
            }
        })
        .collect();
    responders.sort_by(|a, b| {
        a.first
            .utc
            .seconds()
            .cmp(&b.first.utc.seconds())
            .then_with(|| a.name.cmp(&b.name))
    });
    responders.into_iter().map(Item::Responder).collect()
}
