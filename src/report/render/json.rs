//! The JSON export, written straight from the report's types: byte for byte
//! what `serde_json::to_string(report)` writes (tests hold it to that), at a
//! fraction of the cost, since a large incident's report is megabytes of
//! short strings.

use super::super::{
    with_rfc3339, ActionEntry, Asset, Attention, Duration, Fact, Gap, GapRule, Group, Item, Report,
    Responder, Tally, Time,
};
use crate::model::Provenance;

/// The report as compact JSON.
pub(super) fn document(report: &Report) -> String {
    // Room for the whole document up front.
    let items: usize = report.sections.iter().map(|s| s.items().count()).sum();
    let mut out = Out(String::with_capacity(1024 + 512 * items));
    out.raw("{\"incidentId\":");
    out.str(&report.incident_id);
    out.raw(",\"title\":");
    out.str(&report.title);
    out.raw(",\"generatedForZone\":");
    out.str(&report.generated_for_zone);
    out.raw(",\"sections\":");
    out.list(&report.sections, |out, section| {
        out.raw("{\"id\":");
        out.str(section.id.slug());
        out.raw(",\"title\":");
        out.str(section.title);
        out.raw(",\"groups\":");
        out.list(&section.groups, group);
        out.raw("}");
    });
    out.raw("}");
    out.0
}

struct Out(String);

impl Out {
    fn raw(&mut self, json: &str) {
        self.0.push_str(json);
    }

    /// A string, quoted and escaped as serde_json escapes it.
    fn str(&mut self, text: &str) {
        self.0.push('"');
        if is_plain(text.as_bytes()) {
            self.0.push_str(text);
        } else {
            self.escaped(text);
        }
        self.0.push('"');
    }

    fn escaped(&mut self, text: &str) {
        let mut start = 0;
        for (i, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                b'\t' => "\\t",
                b'\n' => "\\n",
                0x0C => "\\f",
                b'\r' => "\\r",
                0x00..=0x1F => "",
                _ => continue,
            };
            self.0.push_str(&text[start..i]);
            start = i + 1;
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.0.push_str("\\u00");
                self.0.push(char::from(HEX[usize::from(byte >> 4)]));
                self.0.push(char::from(HEX[usize::from(byte & 0xF)]));
            } else {
                self.0.push_str(escape);
            }
        }
        self.0.push_str(&text[start..]);
    }

    fn opt_str(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.str(text),
            None => self.raw("null"),
        }
    }

    fn num(&mut self, value: i64) {
        use std::fmt::Write;
        write!(self.0, "{value}").expect("writing to a String");
    }

    fn bool(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Out, &T)) {
        self.0.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            each(self, item);
        }
        self.0.push(']');
    }
}

/// Nothing to escape: no quote, backslash or control character. Checked
/// sixteen bytes at a time, which the compiler turns into vector code.
fn is_plain(bytes: &[u8]) -> bool {
    let needs_escape = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | needs_escape(b)) {
            return false;
        }
    }
    !chunks.remainder().iter().any(|&b| needs_escape(b))
}

fn group(out: &mut Out, group: &Group) {
    out.raw("{\"id\":");
    out.str(&group.id);
    out.raw(",\"title\":");
    out.opt_str(group.title.as_deref());
    out.raw(",\"summary\":");
    out.opt_str(group.summary.as_deref());
    out.raw(",\"tally\":");
    out.list(&group.tally, tally);
    out.raw(",\"items\":");
    out.list(&group.items, item);
    out.raw(",\"shown\":");
    out.num(group.shown as i64);
    if group.omitted > 0 {
        out.raw(",\"omitted\":");
        out.num(group.omitted as i64);
    }
    out.raw("}");
}

fn tally(out: &mut Out, tally: &Tally) {
    out.raw("{\"label\":");
    out.str(&tally.label);
    out.raw(",\"count\":");
    out.num(tally.count as i64);
    out.raw("}");
}

fn item(out: &mut Out, item: &Item) {
    match item {
        Item::Fact(x) => fact(out, x),
        Item::Responder(x) => responder(out, x),
        Item::Action(x) => action(out, x),
        Item::Asset(x) => asset(out, x),
        Item::Gap(x) => gap(out, x),
    }
    out.raw(",\"provenance\":");
    out.list(item.provenance(), provenance);
    out.raw("}");
}

fn fact(out: &mut Out, fact: &Fact) {
    out.raw("{\"type\":\"fact\",\"label\":");
    out.str(&fact.label);
    out.raw(",\"value\":");
    out.str(&fact.value);
    if let Some(at) = &fact.time {
        out.raw(",\"time\":");
        time(out, at);
    }
    if let Some(d) = &fact.duration {
        out.raw(",\"duration\":");
        duration(out, d);
    }
}

fn responder(out: &mut Out, r: &Responder) {
    out.raw("{\"type\":\"responder\",\"name\":");
    out.str(&r.name);
    out.raw(",\"upn\":");
    out.opt_str(r.upn.as_deref());
    out.raw(",\"person\":");
    out.bool(r.person);
    out.raw(",\"actionCount\":");
    out.num(r.action_count as i64);
    out.raw(",\"first\":");
    time(out, &r.first);
    out.raw(",\"last\":");
    time(out, &r.last);
    out.raw(",\"actions\":");
    out.list(&r.actions, tally);
}

fn action(out: &mut Out, a: &ActionEntry) {
    out.raw("{\"type\":\"action\",\"time\":");
    time(out, &a.time);
    if let Some(end) = &a.end {
        out.raw(",\"end\":");
        time(out, end);
    }
    out.raw(",\"actor\":");
    out.str(&a.actor);
    if let Some(upn) = &a.actor_upn {
        out.raw(",\"actorUpn\":");
        out.str(upn);
    }
    out.raw(",\"automated\":");
    out.bool(a.automated);
    out.raw(",\"channel\":");
    out.str(&a.channel);
    out.raw(",\"what\":");
    out.str(&a.what);
    if let Some(target) = &a.target {
        out.raw(",\"target\":");
        out.str(target);
    }
    if let Some(outcome) = &a.outcome {
        out.raw(",\"outcome\":");
        out.str(outcome);
    }
    if let Some(attention) = a.attention {
        out.raw(",\"attention\":");
        out.str(attention_name(attention));
    }
}

fn asset(out: &mut Out, a: &Asset) {
    out.raw("{\"type\":\"asset\",\"kind\":");
    out.str(&a.kind);
    out.raw(",\"name\":");
    out.str(&a.name);
    if let Some(detail) = &a.detail {
        out.raw(",\"detail\":");
        out.str(detail);
    }
    if let Some(context) = &a.context {
        out.raw(",\"context\":");
        out.str(context);
    }
    out.raw(",\"verdict\":");
    out.str(&a.verdict);
    out.raw(",\"remediation\":");
    out.str(&a.remediation);
    out.raw(",\"roles\":");
    out.list(&a.roles, |out, role| out.str(role));
    out.raw(",\"alertIds\":");
    out.list(&a.alert_ids, |out, id| out.str(id));
}

fn gap(out: &mut Out, g: &Gap) {
    out.raw("{\"type\":\"gap\",\"rule\":");
    out.str(rule_name(g.rule));
    out.raw(",\"text\":");
    out.str(&g.text);
    if let Some(at) = &g.time {
        out.raw(",\"time\":");
        time(out, at);
    }
}

fn time(out: &mut Out, t: &Time) {
    out.raw("{\"utc\":");
    with_rfc3339(t.utc, |utc| out.str(utc));
    out.raw(",\"shown\":");
    out.str(&t.shown);
    out.raw("}");
}

fn duration(out: &mut Out, d: &Duration) {
    out.raw("{\"seconds\":");
    out.num(d.seconds);
    out.raw(",\"shown\":");
    out.str(&d.shown);
    out.raw("}");
}

fn provenance(out: &mut Out, p: &Provenance) {
    let (kind, key, text, index) = match p {
        Provenance::Incident { field } => ("incident", "field", Some(field), None),
        Provenance::SentinelIncident { field } => ("sentinelIncident", "field", Some(field), None),
        Provenance::Alert { id } => ("alert", "id", Some(id), None),
        Provenance::Evidence { alert_id, index } => {
            ("evidence", "alertId", Some(alert_id), Some(index))
        }
        Provenance::History { id } => ("history", "id", Some(id), None),
        Provenance::Comment { index } => ("comment", "index", None, Some(index)),
        Provenance::SentinelComment { index } => ("sentinelComment", "index", None, Some(index)),
        Provenance::MachineAction { id } => ("machineAction", "id", Some(id), None),
        Provenance::PlaybookRun { index } => ("playbookRun", "index", None, Some(index)),
        Provenance::Investigation { id } => ("investigation", "id", Some(id), None),
    };
    out.raw("{\"kind\":\"");
    out.raw(kind);
    out.raw("\",\"");
    out.raw(key);
    out.raw("\":");
    if let Some(text) = text {
        out.str(text);
        if let Some(&index) = index {
            out.raw(",\"index\":");
            out.num(index as i64);
        }
    } else if let Some(&index) = index {
        out.num(index as i64);
    }
    out.raw("}");
}

fn attention_name(attention: Attention) -> &'static str {
    match attention {
        Attention::Failed => "failed",
        Attention::TimedOut => "timedOut",
        Attention::Cancelled => "cancelled",
        Attention::Pending => "pending",
        Attention::InProgress => "inProgress",
    }
}

fn rule_name(rule: GapRule) -> &'static str {
    match rule {
        GapRule::NotResolved => "notResolved",
        GapRule::NotClassified => "notClassified",
        GapRule::NotAssigned => "notAssigned",
        GapRule::SlowAssignment => "slowAssignment",
        GapRule::ActionFailed => "actionFailed",
        GapRule::ActionTimedOut => "actionTimedOut",
        GapRule::ActionCancelled => "actionCancelled",
        GapRule::ActionPending => "actionPending",
        GapRule::ActionInProgress => "actionInProgress",
        GapRule::InvestigationNotSettled => "investigationNotSettled",
        GapRule::AlertNotResolved => "alertNotResolved",
        GapRule::EvidenceNotRemediated => "evidenceNotRemediated",
        GapRule::FollowUp => "followUp",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;
    use std::borrow::Cow;

    fn time(seconds: i64) -> Time {
        Time {
            utc: Timestamp::from_millis(seconds * 1000 + 7),
            shown: format!("at {seconds} \u{1F550}"),
        }
    }

    /// Every variant and every optional field, set and unset, with text that
    /// needs escaping: the same bytes as serde_json.
    #[test]
    fn writes_what_serde_json_writes() {
        let text = "quote \" backslash \\ \u{0} \u{8} \t \n \u{c} \r \u{1f} \u{7f} é <b> ✓ long enough to take the chunked path";
        let provenance = vec![
            Provenance::Incident { field: text.into() },
            Provenance::SentinelIncident { field: "f".into() },
            Provenance::Alert { id: "a".into() },
            Provenance::Evidence {
                alert_id: "a".into(),
                index: 3,
            },
            Provenance::History { id: "h".into() },
            Provenance::Comment { index: 1 },
            Provenance::SentinelComment { index: 2 },
            Provenance::MachineAction { id: "m".into() },
            Provenance::PlaybookRun { index: 4 },
            Provenance::Investigation { id: "i".into() },
        ];
        let attentions = [
            Attention::Failed,
            Attention::TimedOut,
            Attention::Cancelled,
            Attention::Pending,
            Attention::InProgress,
        ];
        let rules = [
            GapRule::NotResolved,
            GapRule::NotClassified,
            GapRule::NotAssigned,
            GapRule::SlowAssignment,
            GapRule::ActionFailed,
            GapRule::ActionTimedOut,
            GapRule::ActionCancelled,
            GapRule::ActionPending,
            GapRule::ActionInProgress,
            GapRule::InvestigationNotSettled,
            GapRule::AlertNotResolved,
            GapRule::EvidenceNotRemediated,
            GapRule::FollowUp,
        ];
        let mut items = vec![
            Item::Fact(Fact {
                label: text.into(),
                value: "v".into(),
                time: None,
                duration: None,
                provenance: provenance.clone(),
            }),
            Item::Fact(Fact {
                label: "l".into(),
                value: text.into(),
                time: Some(time(1)),
                duration: Some(crate::report::Duration::from_seconds(-3725)),
                provenance: Vec::new(),
            }),
            Item::Responder(Responder {
                name: text.into(),
                upn: None,
                person: false,
                action_count: 2,
                first: time(-5),
                last: Time {
                    utc: Timestamp::from_millis(400_000_000_000_000),
                    shown: "far".into(),
                },
                actions: vec![Tally {
                    label: text.into(),
                    count: 9,
                }],
                provenance: provenance.clone(),
            }),
            Item::Responder(Responder {
                name: "n".into(),
                upn: Some("u@x".into()),
                person: true,
                action_count: 0,
                first: time(0),
                last: time(0),
                actions: Vec::new(),
                provenance: Vec::new(),
            }),
            Item::Action(ActionEntry {
                time: time(2),
                end: None,
                actor: "a".into(),
                actor_upn: None,
                automated: false,
                channel: Cow::Borrowed("Defender"),
                what: text.into(),
                target: None,
                outcome: None,
                attention: None,
                provenance: Vec::new(),
            }),
            Item::Asset(Asset {
                kind: "Device".into(),
                name: text.into(),
                detail: None,
                context: None,
                verdict: "v".into(),
                remediation: "r".into(),
                roles: Vec::new(),
                alert_ids: Vec::new(),
                provenance: Vec::new(),
            }),
            Item::Asset(Asset {
                kind: "File".into(),
                name: "n".into(),
                detail: Some(text.into()),
                context: Some("c".into()),
                verdict: "v".into(),
                remediation: "r".into(),
                roles: vec!["a".into(), text.into()],
                alert_ids: vec!["x".into()],
                provenance: provenance.clone(),
            }),
        ];
        for attention in attentions {
            items.push(Item::Action(ActionEntry {
                time: time(2),
                end: Some(time(3)),
                actor: text.into(),
                actor_upn: Some("u".into()),
                automated: true,
                channel: Cow::Owned(text.into()),
                what: "w".into(),
                target: Some(text.into()),
                outcome: Some("o".into()),
                attention: Some(attention),
                provenance: provenance.clone(),
            }));
        }
        for (i, rule) in rules.into_iter().enumerate() {
            items.push(Item::Gap(Gap {
                rule,
                text: text.into(),
                time: (i % 2 == 0).then(|| time(i as i64)),
                provenance: provenance[..i % provenance.len()].to_vec(),
            }));
        }
        let report = Report {
            incident_id: text.into(),
            title: "t".into(),
            generated_for_zone: "Europe/Amsterdam".into(),
            sections: vec![crate::report::Section {
                id: crate::report::SectionId::Gaps,
                title: "Gaps and follow-ups",
                groups: vec![
                    Group {
                        id: text.into(),
                        title: None,
                        summary: Some(text.into()),
                        tally: vec![Tally {
                            label: "x".into(),
                            count: 1,
                        }],
                        items,
                        shown: 25,
                        omitted: 0,
                    },
                    Group {
                        id: "empty".into(),
                        title: Some("e".into()),
                        summary: None,
                        tally: Vec::new(),
                        items: Vec::new(),
                        shown: 0,
                        omitted: 7,
                    },
                ],
            }],
        };
        assert_eq!(document(&report), serde_json::to_string(&report).unwrap());
    }
}
