//! The grounded report: the incident model turned into the seven sections of
//! the contract, each a list of structured items that cite their provenance.

mod actions;
mod assets;
mod conclusion;
mod gaps;
pub mod render;
mod responders;
mod summary;
mod timestamps;
mod zone;

#[cfg(not(target_arch = "wasm32"))]
pub use zone::{zone_by_name, IanaZone};
pub use zone::{UnknownZone, Utc, Zone};

use crate::model::{Incident, Provenance, Timestamp};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;

/// How a report is built.
pub struct Options {
    /// The zone every time is shown in.
    pub zone: Box<dyn Zone>,
    /// A first assignment later than this after creation is a gap.
    pub slow_assignment_seconds: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            zone: Box::new(Utc),
            slow_assignment_seconds: 30 * 60,
        }
    }
}

impl Options {
    /// An instant as the report shows it, in this report's zone.
    fn time(&self, at: Timestamp) -> Time {
        // Written by hand: a report of 10k actions formats tens of thousands of times.
        let c = at.civil(self.zone.offset_seconds(at));
        let name = self.zone.name();
        let mut shown = String::with_capacity(20 + name.len());
        if (0..=9999).contains(&c.year) {
            let year = c.year as u32;
            push_two(&mut shown, year / 100);
            push_two(&mut shown, year % 100);
        } else {
            shown.push_str(&c.year.to_string());
        }
        for (separator, value) in [
            ('-', c.month),
            ('-', c.day),
            (' ', c.hour),
            (':', c.minute),
            (':', c.second),
        ] {
            shown.push(separator);
            push_two(&mut shown, value);
        }
        shown.push(' ');
        shown.push_str(name);
        Time { utc: at, shown }
    }
}

/// Two decimal digits, `07`.
fn push_two(out: &mut String, value: u32) {
    out.push(char::from(b'0' + (value / 10 % 10) as u8));
    out.push(char::from(b'0' + (value % 10) as u8));
}

/// The whole report of one incident.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub incident_id: String,
    pub title: String,
    /// The zone the times are shown in (`UTC`, or an IANA name).
    pub generated_for_zone: String,
    pub sections: Vec<Section>,
}

impl Report {
    /// Every item is here: no section is a digest.
    pub fn is_complete(&self) -> bool {
        self.sections
            .iter()
            .flat_map(|s| &s.groups)
            .all(|g| g.omitted == 0)
    }
}

/// The sections of the report, in the contract's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SectionId {
    Summary,
    Responders,
    KeyTimestamps,
    ActionsTaken,
    ImpactedAssets,
    Conclusion,
    Gaps,
}

impl SectionId {
    pub const ALL: [SectionId; 7] = [
        SectionId::Summary,
        SectionId::Responders,
        SectionId::KeyTimestamps,
        SectionId::ActionsTaken,
        SectionId::ImpactedAssets,
        SectionId::Conclusion,
        SectionId::Gaps,
    ];

    /// The stable slug, e.g. `key-timestamps`.
    pub fn slug(self) -> &'static str {
        match self {
            SectionId::Summary => "summary",
            SectionId::Responders => "responders",
            SectionId::KeyTimestamps => "key-timestamps",
            SectionId::ActionsTaken => "actions-taken",
            SectionId::ImpactedAssets => "impacted-assets",
            SectionId::Conclusion => "conclusion",
            SectionId::Gaps => "gaps",
        }
    }

    /// The heading, exactly as the contract writes it.
    pub fn title(self) -> &'static str {
        match self {
            SectionId::Summary => "Summary",
            SectionId::Responders => "Responders",
            SectionId::KeyTimestamps => "Key timestamps",
            SectionId::ActionsTaken => "Actions taken",
            SectionId::ImpactedAssets => "Impacted assets",
            SectionId::Conclusion => "Conclusion",
            SectionId::Gaps => "Gaps and follow-ups",
        }
    }

    pub fn from_slug(slug: &str) -> Option<SectionId> {
        SectionId::ALL.into_iter().find(|id| id.slug() == slug)
    }
}

impl Serialize for SectionId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.slug())
    }
}

impl<'de> Deserialize<'de> for SectionId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let slug = String::deserialize(deserializer)?;
        SectionId::from_slug(&slug)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown section {slug:?}")))
    }
}

/// One section: a heading and groups of items.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub id: SectionId,
    pub title: &'static str,
    pub groups: Vec<Group>,
}

/// A section as a client reads it back (the server streams them): the
/// heading comes from the id, so it is always the contract's.
impl<'de> Deserialize<'de> for Section {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            id: SectionId,
            groups: Vec<Group>,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(Section {
            id: wire.id,
            title: wire.id.title(),
            groups: wire.groups,
        })
    }
}

impl Section {
    fn new(id: SectionId, groups: Vec<Group>) -> Self {
        let groups = groups
            .into_iter()
            .filter(|g| !g.items.is_empty() || g.summary.is_some())
            .collect();
        Section {
            id,
            title: id.title(),
            groups,
        }
    }

    /// All items of every group.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.groups.iter().flat_map(|g| g.items.iter())
    }

    /// The section as a reader sees it: each group's shown items and how many
    /// were left out. Every renderer but JSON writes the same of it as of
    /// the whole section (what the panel is sent while the report streams).
    pub fn digest(&self) -> Section {
        Section {
            id: self.id,
            title: self.title,
            groups: self.groups.iter().map(Group::digest).collect(),
        }
    }
}

/// Items of one kind under an optional subheading. `items` is complete (but
/// in a [`Section::digest`]); a rendered report shows the first `shown` of
/// them and says how many more.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Stable within its section, e.g. `failed`, `remediation-manual`.
    pub id: String,
    pub title: Option<String>,
    /// One line that counts what the group holds, e.g. `7 of 9 alerts not resolved`.
    pub summary: Option<String>,
    /// Repeats, counted: the most frequent first.
    pub tally: Vec<Tally>,
    pub items: Vec<Item>,
    pub shown: usize,
    /// Items left out of `items` (a digest); 0, and absent, in a whole report.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How many items a rendered group shows before "and N more".
pub const SHOWN: usize = 25;

impl Group {
    fn new(id: impl Into<String>, title: Option<&str>, items: Vec<Item>) -> Self {
        Group {
            id: id.into(),
            title: title.map(str::to_owned),
            summary: None,
            tally: Vec::new(),
            shown: items.len().min(SHOWN),
            items,
            omitted: 0,
        }
    }

    /// The shown items only, counting the others as omitted.
    fn digest(&self) -> Group {
        let kept = self.shown.min(self.items.len());
        Group {
            id: self.id.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            tally: self.tally.clone(),
            items: self.items[..kept].to_vec(),
            shown: self.shown,
            omitted: self.omitted + self.items.len() - kept,
        }
    }

    /// How many items the group has, in this copy or left out of it.
    pub fn total(&self) -> usize {
        self.items.len() + self.omitted
    }

    fn with_summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    /// Every item is shown, however many (the people who acted).
    fn show_all(mut self) -> Self {
        self.shown = self.items.len();
        self
    }
}

/// A label and how often it occurs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub label: String,
    pub count: usize,
}

/// Counts labels; the most frequent first, ties by label.
fn tally<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<Tally> {
    counts(labels)
        .into_iter()
        .map(|(label, count)| Tally {
            label: label.to_owned(),
            count,
        })
        .collect()
}

/// Labels and how often each occurs, in [`tally`]'s order, not yet copied
/// (a large incident has thousands of distinct comments).
fn counts<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut labels: Vec<&str> = labels.collect();
    labels.sort_unstable();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for label in labels {
        match counts.last_mut() {
            Some((last, count)) if *last == label => *count += 1,
            _ => counts.push((label, 1)),
        }
    }
    // Stable: labels of the same count stay in order.
    counts.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    counts
}

/// `3 comments, 1 assignment` from a tally.
fn counted(tally: &[Tally]) -> String {
    tally
        .iter()
        .map(|t| format!("{} {}", t.count, t.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One statement of the report.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Item {
    Fact(Fact),
    Responder(Responder),
    Action(ActionEntry),
    Asset(Asset),
    Gap(Gap),
}

impl Item {
    pub fn provenance(&self) -> &[Provenance] {
        match self {
            Item::Fact(x) => &x.provenance,
            Item::Responder(x) => &x.provenance,
            Item::Action(x) => &x.provenance,
            Item::Asset(x) => &x.provenance,
            Item::Gap(x) => &x.provenance,
        }
    }
}

/// A labelled value: `Severity: High`, `Time to assign: 49m 43s`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fact {
    pub label: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
    pub provenance: Vec<Provenance>,
}

impl Fact {
    fn new(label: &str, value: impl Into<String>, provenance: Vec<Provenance>) -> Self {
        Fact {
            label: label.to_owned(),
            value: value.into(),
            time: None,
            duration: None,
            provenance,
        }
    }

    fn at(label: &str, time: Time, provenance: Vec<Provenance>) -> Self {
        Fact {
            time: Some(time.clone()),
            ..Fact::new(label, time.shown, provenance)
        }
    }
}

/// A person, or an automation, who acted on the incident.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Responder {
    pub name: String,
    pub upn: Option<String>,
    pub person: bool,
    pub action_count: usize,
    pub first: Time,
    pub last: Time,
    /// What they did, counted by kind.
    pub actions: Vec<Tally>,
    pub provenance: Vec<Provenance>,
}

/// One action taken, as the report lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionEntry {
    pub time: Time,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    pub actor: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_upn: Option<String>,
    pub automated: bool,
    /// Through what it was done: `Defender machine action`, `Automated
    /// investigation`, `Sentinel playbook`, `Defender`, ...
    pub channel: Cow<'static, str>,
    /// What was done, in words.
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Set when the action did not (yet) do what was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention: Option<Attention>,
    pub provenance: Vec<Provenance>,
}

/// Why an action stands out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Attention {
    Failed,
    TimedOut,
    Cancelled,
    Pending,
    InProgress,
}

impl Attention {
    pub fn label(self) -> &'static str {
        match self {
            Attention::Failed => "Failed",
            Attention::TimedOut => "Timed out",
            Attention::Cancelled => "Cancelled",
            Attention::Pending => "Pending",
            Attention::InProgress => "In progress",
        }
    }
}

/// An entity named by one or more alerts, counted once.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    /// The kind's label: `Device`, `User`, `File`, ...
    pub kind: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The most severe verdict any alert gave.
    pub verdict: String,
    /// The most advanced remediation status any alert recorded.
    pub remediation: String,
    pub roles: Vec<String>,
    pub alert_ids: Vec<String>,
    pub provenance: Vec<Provenance>,
}

/// Something still open or gone wrong, found by one of the rules.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gap {
    pub rule: GapRule,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
    pub provenance: Vec<Provenance>,
}

/// The rules that find gaps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GapRule {
    NotResolved,
    NotClassified,
    NotAssigned,
    SlowAssignment,
    ActionFailed,
    ActionTimedOut,
    ActionCancelled,
    ActionPending,
    ActionInProgress,
    InvestigationNotSettled,
    AlertNotResolved,
    EvidenceNotRemediated,
    FollowUp,
}

/// An instant, and how the report shows it in its zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Time {
    #[serde(serialize_with = "rfc3339")]
    pub utc: Timestamp,
    /// `2026-03-14 08:44:10 UTC`
    pub shown: String,
}

fn rfc3339<S: Serializer>(at: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    with_rfc3339(*at, |utc| serializer.serialize_str(utc))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as the model writes it, without an allocation
/// per time (a large report has tens of thousands).
fn with_rfc3339<R>(at: Timestamp, f: impl FnOnce(&str) -> R) -> R {
    let c = at.civil(0);
    if !(0..=9999).contains(&c.year) {
        return f(&at.to_rfc3339());
    }
    let mut buf = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, value: u32| {
        let mut value = value;
        for i in (at..at + width).rev() {
            buf[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, c.year as u32);
    put(5, 2, c.month);
    put(8, 2, c.day);
    put(11, 2, c.hour);
    put(14, 2, c.minute);
    put(17, 2, c.second);
    put(20, 3, at.millis().rem_euclid(1000) as u32);
    f(std::str::from_utf8(&buf).expect("ASCII digits"))
}

/// A span of time, in whole seconds, and as shown (`49m 43s`, `3h 10m 20s`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Duration {
    pub seconds: i64,
    pub shown: String,
}

impl Duration {
    /// From `start` to `end`, both floored to the second.
    pub fn between(start: Timestamp, end: Timestamp) -> Self {
        Duration::from_seconds(end.seconds() - start.seconds())
    }

    pub fn from_seconds(seconds: i64) -> Self {
        let (sign, s) = if seconds < 0 {
            ("-", -seconds)
        } else {
            ("", seconds)
        };
        let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
        let shown = if h > 0 {
            format!("{sign}{h}h {m:02}m {s:02}s")
        } else if m > 0 {
            format!("{sign}{m}m {s:02}s")
        } else {
            format!("{sign}{s}s")
        };
        Duration { seconds, shown }
    }
}

/// Builds one section on its own (the server streams them one by one).
pub fn build_section(id: SectionId, incident: &Incident, options: &Options) -> Section {
    section(id, &Shared::new(incident), options)
}

/// What more than one section needs, worked out once per report.
struct Shared<'a> {
    incident: &'a Incident,
    entities: std::cell::OnceCell<Vec<assets::Entity<'a>>>,
}

impl<'a> Shared<'a> {
    fn new(incident: &'a Incident) -> Self {
        Shared {
            incident,
            entities: std::cell::OnceCell::new(),
        }
    }

    /// The distinct entities the alerts name (Summary, Impacted assets, Gaps).
    fn entities(&self) -> &[assets::Entity<'a>] {
        self.entities
            .get_or_init(|| assets::entities(self.incident))
    }
}

fn section(id: SectionId, shared: &Shared, options: &Options) -> Section {
    let incident = shared.incident;
    let groups = match id {
        SectionId::Summary => summary::groups(incident, options, shared.entities()),
        SectionId::Responders => responders::groups(incident, options),
        SectionId::KeyTimestamps => timestamps::groups(incident, options),
        SectionId::ActionsTaken => actions::groups(incident, options),
        SectionId::ImpactedAssets => assets::groups(shared.entities()),
        SectionId::Conclusion => conclusion::groups(incident, options),
        SectionId::Gaps => gaps::groups(incident, options, shared.entities()),
    };
    Section::new(id, groups)
}

/// The sections in order, each built when asked for.
pub fn sections<'a>(
    incident: &'a Incident,
    options: &'a Options,
) -> impl Iterator<Item = Section> + 'a {
    let shared = Shared::new(incident);
    SectionId::ALL
        .into_iter()
        .map(move |id| section(id, &shared, options))
}

/// Builds the whole report.
pub fn build(incident: &Incident, options: &Options) -> Report {
    Report {
        incident_id: incident.id.clone(),
        title: incident.title.clone(),
        generated_for_zone: options.zone.name().to_owned(),
        sections: sections(incident, options).collect(),
    }
}

impl Report {
    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}

/// A field of the incident itself, as a citation.
fn incident_field(field: &str) -> Provenance {
    Provenance::Incident {
        field: field.to_owned(),
    }
}
