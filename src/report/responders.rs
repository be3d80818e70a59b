//! Responders: every person who acted, merged by UPN, with what they did and
//! when; automation (AIR, rules, playbooks, system) listed apart.

use super::{actions::kind_label, tally, Group, Item, Options, Responder};
use crate::model::{Action, Incident};
use std::collections::HashMap;

pub(super) fn groups(incident: &Incident, options: &Options) -> Vec<Group> {
    let mut people: HashMap<&str, Vec<&Action>> = HashMap::new();
    let mut automation: HashMap<&str, Vec<&Action>> = HashMap::new();
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

/// One responder per key, the earliest to act first, then by name and key.
fn responders(by_key: HashMap<&str, Vec<&Action>>, person: bool, options: &Options) -> Vec<Item> {
    let mut by_key: Vec<(&str, Vec<&Action>)> = by_key.into_iter().collect();
    // Actions are in time order already (the model sorts them).
    by_key.sort_unstable_by(|(a_key, a), (b_key, b)| {
        (a[0].time.seconds(), &a[0].actor.name, a_key).cmp(&(
            b[0].time.seconds(),
            &b[0].actor.name,
            b_key,
        ))
    });
    by_key
        .into_iter()
        .map(|(_, actions)| {
            let (first, last) = (actions[0], actions[actions.len() - 1]);
            let mut provenance =
                Vec::with_capacity(actions.iter().map(|a| a.provenance.len()).sum());
            for action in &actions {
                provenance.extend(action.provenance.iter().cloned());
            }
            Item::Responder(Responder {
                name: first.actor.name.clone(),
                upn: first.actor.upn.clone(),
                person,
                action_count: actions.len(),
                first: options.time(first.time),
                last: options.time(last.time),
                actions: tally(actions.iter().map(|a| kind_label(&a.kind))),
                provenance,
            })
        })
        .collect()
}
