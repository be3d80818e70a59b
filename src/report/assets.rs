//! Impacted assets: the evidence of every alert, one asset per entity however
//! many alerts name it, grouped by kind with its verdict and remediation.

use super::{Asset, Group, Item};
use crate::model::{Evidence, EvidenceKind, Incident, Provenance, Remediation, Verdict};
use std::collections::BTreeMap;

/// One entity and the evidence items (from any alert) that name it.
pub(super) struct Entity<'a> {
    pub kind: EvidenceKind,
    /// `Evidence::identity`'s key, lower-case.
    key: String,
    pub verdict: Verdict,
    pub remediation: Remediation,
    pub evidence: Vec<&'a Evidence>,
}

impl Entity<'_> {
    /// Named malicious, and nothing removed or blocked it.
    pub fn is_unremediated_threat(&self) -> bool {
        self.verdict == Verdict::Malicious
            && matches!(self.remediation, Remediation::None | Remediation::NotFound)
    }

    pub fn asset(&self) -> Asset {
        let first = self.evidence[0];
        let mut roles: Vec<String> = Vec::new();
        let mut alert_ids: Vec<String> = Vec::new();
        for e in &self.evidence {
            for role in &e.roles {
                if !roles.contains(role) {
                    roles.push(role.clone());
                }
            }
            if let Provenance::Evidence { alert_id, .. } = &e.provenance {
                if !alert_ids.contains(alert_id) {
                    alert_ids.push(alert_id.clone());
                }
            }
        }
        Asset {
            kind: self.kind.label().to_owned(),
            name: first.name.clone(),
            detail: first.detail.clone(),
            context: first.context.clone(),
            verdict: self.verdict.label().to_owned(),
            remediation: self.remediation.label().to_owned(),
            roles,
            alert_ids,
            provenance: self.evidence.iter().map(|e| e.provenance.clone()).collect(),
        }
    }
}

fn verdict_rank(v: &Verdict) -> u8 {
    match v {
        Verdict::Malicious => 4,
        Verdict::Suspicious => 3,
        Verdict::Unrecognised(_) => 2,
        Verdict::NoThreatsFound => 1,
        Verdict::Unknown => 0,
    }
}

fn remediation_rank(r: &Remediation) -> u8 {
    match r {
        r if r.is_done() => 3,
        Remediation::NotFound | Remediation::Unrecognised(_) => 1,
        _ => 0,
    }
}

/// Every distinct entity: by kind, then the most severe verdict first, then name.
pub(super) fn entities(incident: &Incident) -> Vec<Entity<'_>> {
    let mut by_identity: BTreeMap<(EvidenceKind, String), Entity> = BTreeMap::new();
    for e in incident.alerts.iter().flat_map(|a| &a.evidence) {
        let identity = e.identity();
        let key = identity.1.clone();
        let entity = by_identity.entry(identity).or_insert_with(|| Entity {
            kind: e.kind.clone(),
            key,
            verdict: e.verdict.clone(),
            remediation: e.remediation.clone(),
            evidence: Vec::new(),
        });
        if verdict_rank(&e.verdict) > verdict_rank(&entity.verdict) {
            entity.verdict = e.verdict.clone();
        }
        if remediation_rank(&e.remediation) > remediation_rank(&entity.remediation) {
            entity.remediation = e.remediation.clone();
        }
        entity.evidence.push(e);
    }
    let mut entities: Vec<Entity> = by_identity.into_values().collect();
    entities.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| verdict_rank(&b.verdict).cmp(&verdict_rank(&a.verdict)))
            .then_with(|| a.key.cmp(&b.key))
    });
    entities
}

pub(super) fn groups(entities: &[Entity]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for chunk in entities.chunk_by(|a, b| a.kind == b.kind) {
        let kind = &chunk[0].kind;
        let items: Vec<Item> = chunk.iter().map(|e| Item::Asset(e.asset())).collect();
        let threats = chunk
            .iter()
            .filter(|e| e.verdict == Verdict::Malicious)
            .count();
        let remediated = chunk.iter().filter(|e| e.remediation.is_done()).count();
        let summary = format!(
            "{} distinct: {threats} malicious, {remediated} remediated",
            chunk.len()
        );
        groups.push(Group::new(kind.as_str(), Some(kind.label()), items).with_summary(summary));
    }
    groups
}
