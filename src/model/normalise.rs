//! Wire records → domain types. Runs once per document; afterwards nothing
//! sees Graph, Defender or Sentinel spellings.

use super::parse::Document;
use super::wire::{self, GraphEvidence};
use super::*;
use std::collections::HashMap;

pub(super) fn incident(mut doc: Document) -> Incident {
    let people = People::from_document(&doc);
    // The largest part, moved rather than copied.
    let history = std::mem::take(&mut doc.history);
    let sentinel = doc.sentinel.incident.as_ref();
    let sentinel_props = sentinel.map(|s| &s.properties);

    let mut incident = match &doc.incident {
        Some(graph) => from_graph(graph),
        None => from_sentinel(sentinel.expect("parse guarantees one incident")),
    };
    if let Some(props) = sentinel_props {
        if incident.resolving_comment.is_none() {
            incident.resolving_comment = props.classification_comment.clone();
        }
        if let Some(data) = &props.additional_data {
            incident.tactics = data.tactics.clone();
        }
    }
    incident.sentinel = sentinel.map(|s| {
        let p = &s.properties;
        let data = p.additional_data.as_ref();
        SentinelLink {
            number: p.incident_number.as_ref().map(|n| n.0.clone()),
            name: s.name.clone(),
            provider: p.provider_name.clone(),
            url: p.incident_url.clone(),
            classification_reason: p.classification_reason.clone(),
            first_activity: p.first_activity_time_utc,
            last_activity: p.last_activity_time_utc,
            alert_count: data.and_then(|d| d.alerts_count),
            products: data
                .map(|d| d.alert_product_names.clone())
                .unwrap_or_default(),
            techniques: data.map(|d| d.techniques.clone()).unwrap_or_default(),
        }
    });
    if let Some(graph) = &doc.incident {
        incident.alerts = graph.alerts.iter().map(alert).collect();
    }
    incident.actions = actions(history, &doc, &people);
    incident.investigations = doc
        .investigations
        .iter()
        .map(|v| Investigation {
            id: v.id.0.clone(),
            start: v.start_time,
            end: v.end_time,
            state: v.state.clone().unwrap_or_default(),
            device: v.computer_dns_name.clone(),
            triggering_alert_id: v.triggering_alert_id.as_ref().map(|a| a.0.clone()),
            provenance: Provenance::Investigation { id: v.id.0.clone() },
        })
        .collect();
    incident
}

fn vocab<T>(value: &Option<String>, from_wire: fn(&str) -> T) -> T {
    from_wire(value.as_deref().unwrap_or(""))
}

fn from_graph(g: &wire::GraphIncident) -> Incident {
    let mut tags = g.custom_tags.clone();
    for tag in &g.system_tags {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    Incident {
        id: g.id.0.clone(),
        title: g.display_name.clone(),
        description: g.description.clone().or_else(|| g.summary.clone()),
        severity: vocab(&g.severity, Severity::from_wire),
        status: vocab(&g.status, Status::from_wire),
        classification: vocab(&g.classification, Classification::from_wire),
        determination: vocab(&g.determination, Determination::from_wire),
        resolving_comment: g.resolving_comment.clone(),
        assigned_to: g.assigned_to.clone(),
        created: g.created_date_time,
        last_updated: g.last_update_date_time,
        tags,
        web_url: g.incident_web_url.clone(),
        tactics: Vec::new(),
        sentinel: None,
        alerts: Vec::new(),
        actions: Vec::new(),
        investigations: Vec::new(),
    }
}

fn from_sentinel(s: &wire::SentinelIncident) -> Incident {
    let p = &s.properties;
    let id = p
        .provider_incident_id
        .as_ref()
        .map(|i| i.0.clone())
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| s.name.clone());
    let owner = p.owner.as_ref();
    Incident {
        id,
        title: p.title.clone(),
        description: p.description.clone().filter(|d| !d.is_empty()),
        severity: vocab(&p.severity, Severity::from_wire),
        status: vocab(&p.status, Status::from_wire),
        classification: vocab(&p.classification, Classification::from_wire),
        determination: vocab(&p.classification_reason, Determination::from_wire),
        resolving_comment: None,
        assigned_to: owner.and_then(|o| {
            o.user_principal_name
                .clone()
                .or_else(|| o.email.clone())
                .or_else(|| o.assigned_to.clone())
        }),
        created: p.created_time_utc,
        last_updated: p.last_modified_time_utc,
        tags: p.labels.iter().map(|l| l.label_name.clone()).collect(),
        web_url: p.incident_url.clone(),
        tactics: Vec::new(),
        sentinel: None,
        alerts: Vec::new(),
        actions: Vec::new(),
        investigations: Vec::new(),
    }
}

fn alert(a: &wire::GraphAlert) -> Alert {
    Alert {
        id: a.id.0.clone(),
        title: a.title.clone(),
        description: a.description.clone(),
        severity: vocab(&a.severity, Severity::from_wire),
        status: vocab(&a.status, Status::from_wire),
        service_source: a.service_source.clone(),
        detection_source: a.detection_source.clone(),
        category: a.category.clone(),
        mitre_techniques: a.mitre_techniques.clone(),
        first_activity: a.first_activity_date_time,
        last_activity: a.last_activity_date_time,
        resolved: a.resolved_date_time,
        threat: a
            .threat_display_name
            .clone()
            .or_else(|| a.threat_family_name.clone()),
        threat_actor: a.actor_display_name.clone(),
        assigned_to: a.assigned_to.clone(),
        recommended_actions: a.recommended_actions.clone(),
        web_url: a.alert_web_url.clone(),
        evidence: a
            .evidence
            .iter()
            .enumerate()
            .map(|(index, e)| evidence(e, &a.id.0, index))
            .collect(),
        provenance: Provenance::Alert { id: a.id.0.clone() },
    }
}

fn evidence(e: &GraphEvidence, alert_id: &str, index: usize) -> Evidence {
    let type_name = e.odata_type.rsplit('.').next().unwrap_or_default();
    let kind = EvidenceKind::from_wire(type_name);
    let account = e.user_account.as_ref();
    let upn = account.and_then(|u| {
        u.user_principal_name
            .clone()
            .or_else(|| u.account_name.clone())
    });
    let file = e.file_details.as_ref().or(e.image_file.as_ref());
    let file_name = file.and_then(|f| f.file_name.clone());
    let display_name = account
        .and_then(|u| u.display_name.clone())
        .or_else(|| e.display_name.clone());
    let (name, detail, context) = match kind {
        EvidenceKind::Device => (
            e.device_dns_name.clone().or_else(|| e.host_name.clone()),
            None,
            None,
        ),
        EvidenceKind::User => (upn, None, display_name),
        EvidenceKind::Mailbox => (e.primary_address.clone().or(upn), None, display_name),
        EvidenceKind::Message => (
            e.subject.clone().or_else(|| e.network_message_id.clone()),
            e.network_message_id.clone(),
            e.recipient_email_address.clone().map(|r| format!("to {r}")),
        ),
        EvidenceKind::File => (
            file_name,
            file.and_then(|f| f.sha256.clone().or_else(|| f.sha1.clone())),
            file.and_then(|f| f.file_path.clone()),
        ),
        EvidenceKind::Process => (
            file_name,
            e.process_id
                .as_ref()
                .and_then(|p| p.0.clone())
                .map(|pid| format!("pid {pid}")),
            e.process_command_line.clone(),
        ),
        EvidenceKind::Ip => (e.ip_address.clone(), None, e.country_letter_code.clone()),
        EvidenceKind::Url => (e.url.clone(), None, None),
        EvidenceKind::CloudApp => (e.display_name.clone(), None, None),
        EvidenceKind::RegistryKey => (
            match (&e.registry_hive, &e.registry_key) {
                (Some(h), Some(k)) => Some(format!("{h}\\{k}")),
                (h, k) => k.clone().or_else(|| h.clone()),
            },
            None,
            None,
        ),
        EvidenceKind::Unrecognised(_) => (
            e.name
                .clone()
                .or_else(|| e.display_name.clone())
                .or_else(|| first_naming_field(&e.other)),
            None,
            None,
        ),
    };
    let kind = match kind {
        EvidenceKind::Unrecognised(_) => EvidenceKind::Unrecognised(type_name.to_owned()),
        known => known,
    };
    Evidence {
        name: name.unwrap_or_else(|| "(unnamed)".to_owned()),
        detail,
        context,
        kind,
        verdict: vocab(&e.verdict, Verdict::from_wire),
        remediation: vocab(&e.remediation_status, Remediation::from_wire),
        roles: e.roles.clone(),
        provenance: Provenance::Evidence {
            alert_id: alert_id.to_owned(),
            index,
        },
    }
}

/// For an evidence type no one told us about: its first `...Name` / `...Id` field.
fn first_naming_field(other: &std::collections::BTreeMap<String, wire::Scalar>) -> Option<String> {
    let named = |suffixes: &[&str]| {
        other.iter().find_map(|(key, value)| {
            let lower = key.to_ascii_lowercase();
            suffixes
                .iter()
                .any(|s| lower.ends_with(s))
                .then(|| value.0.clone())
                .flatten()
        })
    };
    named(&["name"]).or_else(|| named(&["id"]))
}

/// The people in the document, so that a comment signed `kai@contoso.com` and
/// one signed `Kai Carter` are the same responder.
struct People {
    name_by_upn: HashMap<String, String>,
    upn_by_name: HashMap<String, String>,
}

impl People {
    fn from_document(doc: &Document) -> Self {
        let mut name_by_upn = HashMap::new();
        let history = doc.history.iter().filter_map(|h| {
            let upn = h.actor.user_principal_name.as_deref()?;
            Some((upn, h.actor.display_name.as_str()))
        });
        let sentinel = doc.sentinel.comments.iter().filter_map(|c| {
            let author = c.properties.author.as_ref()?;
            let upn = author.user_principal_name.as_deref()?;
            Some((upn, author.name.as_deref().unwrap_or(upn)))
        });
        for (upn, name) in history.chain(sentinel) {
            if !upn.is_empty() && !name.is_empty() {
                name_by_upn
                    .entry(upn.to_lowercase())
                    .or_insert_with(|| name.to_owned());
            }
        }
        let upn_by_name = name_by_upn
            .iter()
            .map(|(upn, name)| (name.clone(), upn.clone()))
            .collect();
        People {
            name_by_upn,
            upn_by_name,
        }
    }

    /// A person known by a UPN or a display name.
    fn person(&self, who: &str) -> Actor {
        let upn = if who.contains('@') {
            Some(who.to_lowercase())
        } else {
            self.upn_by_name.get(who).cloned()
        };
        let name = upn
            .as_ref()
            .and_then(|u| self.name_by_upn.get(u))
            .cloned()
            .unwrap_or_else(|| who.to_owned());
        Actor {
            name,
            upn,
            kind: ActorKind::Person,
        }
    }

    /// A requestor or trigger: a person when it is a UPN, automation otherwise.
    fn requestor(&self, who: Option<&str>) -> Actor {
        match who {
            Some(who) if who.contains('@') => self.person(who),
            who => Actor {
                name: who.unwrap_or("Automation").to_owned(),
                upn: None,
                kind: ActorKind::Automation,
            },
        }
    }
}

fn actions(history: Vec<wire::HistoryEntry>, doc: &Document, people: &People) -> Vec<Action> {
    // Records that mirror a history entry become citations of that entry:
    // which entry each one mirrors, found before the entries are moved.
    let mut comment_at = HashMap::new();
    let mut machine_action_at = HashMap::new();
    let mut playbook_at = HashMap::new();
    for (i, h) in history.iter().enumerate() {
        match ActionKind::from_wire(&h.action) {
            ActionKind::Comment => {
                let text = h.text.as_deref().unwrap_or("");
                comment_at.entry((text, h.time.seconds())).or_insert(i);
            }
            ActionKind::Playbook => {
                if let Some(name) = &h.playbook_name {
                    playbook_at
                        .entry((name.as_str(), h.time.seconds()))
                        .or_insert(i);
                }
            }
            _ => {}
        }
        if let Some(id) = &h.machine_action_id {
            machine_action_at.entry(id.0.as_str()).or_insert(i);
        }
    }
    let comment_of: Vec<Option<usize>> = doc.incident.as_ref().map_or(Vec::new(), |graph| {
        graph
            .comments
            .iter()
            .map(|c| {
                let key = (c.comment.as_str(), c.created_date_time.seconds());
                comment_at.get(&key).copied()
            })
            .collect()
    });
    let machine_action_of: Vec<Option<usize>> = doc
        .machine_actions
        .iter()
        .map(|m| machine_action_at.get(m.id.0.as_str()).copied())
        .collect();
    let playbook_of: Vec<Option<usize>> = doc
        .sentinel
        .playbook_runs
        .iter()
        .map(|run| {
            let key = (run.playbook_name.as_str(), run.start_time.seconds());
            playbook_at.get(&key).copied()
        })
        .collect();
    drop((comment_at, machine_action_at, playbook_at));

    let mut actions: Vec<Action> = history
        .into_iter()
        .map(|h| history_action(h, people))
        .collect();

    if let Some(graph) = &doc.incident {
        for (index, c) in graph.comments.iter().enumerate() {
            let provenance = Provenance::Comment { index };
            let time = c.created_date_time;
            match comment_of[index] {
                Some(i) => actions[i].provenance.push(provenance),
                None => actions.push(Action {
                    actor: people.person(c.created_by_display_name.as_deref().unwrap_or("Unknown")),
                    text: Some(c.comment.clone()),
                    source: "defender".to_owned(),
                    ..Action::new(time, ActionKind::Comment, provenance)
                }),
            }
        }
    }

    for (index, c) in doc.sentinel.comments.iter().enumerate() {
        let p = &c.properties;
        let author = p.author.as_ref();
        let upn = author.and_then(|a| a.user_principal_name.as_deref().or(a.email.as_deref()));
        let actor = match upn {
            Some(upn) if !upn.is_empty() => people.person(upn),
            _ => people.requestor(author.and_then(|a| a.name.as_deref())),
        };
        actions.push(Action {
            automated: !actor.is_person(),
            actor,
            text: Some(p.message.clone()),
            source: "sentinel".to_owned(),
            ..Action::new(
                p.created_time_utc,
                ActionKind::Comment,
                Provenance::SentinelComment { index },
            )
        });
    }

    for (m, mirrored) in doc.machine_actions.iter().zip(machine_action_of) {
        let provenance = Provenance::MachineAction { id: m.id.0.clone() };
        let outcome = m.status.as_deref().map(Outcome::from_wire);
        if let Some(i) = mirrored {
            let action = &mut actions[i];
            action.provenance.push(provenance);
            action.end = action.end.or(m.last_update_date_time_utc);
            action.outcome = action.outcome.clone().or(outcome);
            action.target = action
                .target
                .clone()
                .or_else(|| m.computer_dns_name.clone());
            continue;
        }
        let actor = people.requestor(m.requestor.as_deref());
        let what = match &m.scope {
            Some(scope) => format!("{} ({scope})", m.action_type),
            None => m.action_type.clone(),
        };
        let mut text = match m.requestor_comment.as_deref().filter(|c| !c.is_empty()) {
            Some(comment) => format!("{what}: {comment}"),
            None => what,
        };
        if let Some(code) = m.error_h_result.filter(|&c| c != 0) {
            text.push_str(&format!(" (error 0x{:08X})", code as u32));
        }
        actions.push(Action {
            end: m.last_update_date_time_utc,
            automated: !actor.is_person(),
            actor,
            text: Some(text),
            target: m.computer_dns_name.clone(),
            outcome,
            source: "defender".to_owned(),
            ..Action::new(
                m.creation_date_time_utc,
                ActionKind::Remediation,
                provenance,
            )
        });
    }

    for (index, run) in doc.sentinel.playbook_runs.iter().enumerate() {
        let provenance = Provenance::PlaybookRun { index };
        if let Some(i) = playbook_of[index] {
            let action = &mut actions[i];
            action.provenance.push(provenance);
            action.end = action.end.or(run.end_time);
            continue;
        }
        let actor = people.requestor(run.triggered_by.as_deref());
        let text = match run.incident_actions.as_deref().filter(|t| !t.is_empty()) {
            Some(did) => format!("Playbook {}: {did}", run.playbook_name),
            None => format!("Playbook {}", run.playbook_name),
        };
        actions.push(Action {
            end: run.end_time,
            automated: !actor.is_person(),
            actor,
            text: Some(text),
            outcome: run.status.as_deref().map(Outcome::from_wire),
            source: "sentinel".to_owned(),
            ..Action::new(run.start_time, ActionKind::Playbook, provenance)
        });
    }

    actions.sort_by_key(|a| a.time.seconds());
    actions
}

fn history_action(h: wire::HistoryEntry, people: &People) -> Action {
    let actor_kind = match h.actor.kind.as_deref() {
        Some(kind) => ActorKind::from_wire(kind),
        None if h.actor.user_principal_name.is_some() => ActorKind::Person,
        None => ActorKind::Automation,
    };
    let actor = match (&actor_kind, h.actor.user_principal_name.as_deref()) {
        (ActorKind::Person, Some(upn)) => people.person(upn),
        _ => Actor {
            upn: h
                .actor
                .user_principal_name
                .as_ref()
                .map(|u| u.to_lowercase()),
            name: h.actor.display_name,
            kind: actor_kind,
        },
    };
    let mut text = h.text;
    if let (Some(name), None) = (&h.playbook_name, &text) {
        text = Some(format!("Playbook {name}"));
    }
    Action {
        end: None,
        automated: h.automated.unwrap_or(!actor.is_person()),
        actor,
        from: h.from,
        to: h.to,
        text,
        target: h.target,
        outcome: h.outcome.as_deref().map(Outcome::from_wire),
        source: h.source.unwrap_or_default(),
        alert_id: h.alert_id.map(|a| a.0),
        investigation_id: h.investigation_id.map(|a| a.0),
        ..Action::new(
            h.time,
            ActionKind::from_wire(&h.action),
            Provenance::History { id: h.id.0 },
        )
    }
}

impl Action {
    fn new(time: Timestamp, kind: ActionKind, provenance: Provenance) -> Self {
        Action {
            time,
            end: None,
            actor: Actor {
                name: String::new(),
                upn: None,
                kind: ActorKind::Person,
            },
            kind,
            from: None,
            to: None,
            text: None,
            target: None,
            outcome: None,
            automated: false,
            source: String::new(),
            alert_id: None,
            investigation_id: None,
            provenance: vec![provenance],
        }
    }
}
