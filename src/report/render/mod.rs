//! Renderers: Markdown, plain text, HTML and JSON. They share one view of a
//! group (facts, a table or a list, the rows shown and how many are left out);
//! each escapes incident text for its own format.

pub mod html;
mod json;
pub mod markdown;
pub mod text;

use super::{counted, Attention, Group, Item, Report, Tally};
use crate::model::Provenance;

/// The structured report with every item and its provenance, as compact JSON
/// (what `serde_json::to_string` writes, only faster).
pub fn json(report: &Report) -> String {
    json::document(report)
}

/// How many citations a rendered row shows before "and N more".
const CITATIONS: usize = 3;
/// How many repeats a truncated group lists.
const REPEATS: usize = 10;

/// The shape of a group's items.
pub(crate) enum Shape {
    /// `label: value` pairs.
    Facts,
    /// Sentences.
    List,
    Table(&'static [&'static str]),
}

/// One item, as cells of text (not yet escaped).
pub(crate) struct Row<'a> {
    pub cells: Vec<String>,
    /// Which cell holds the outcome to stand out, if one must.
    pub attention: Option<(usize, Attention)>,
    pub provenance: &'a [Provenance],
}

impl Row<'_> {
    /// Each cell's text and whether it is the outcome that must stand out;
    /// an empty outcome cell then says what stands out.
    pub fn shown_cells(&self) -> impl Iterator<Item = (&str, bool)> {
        self.cells
            .iter()
            .enumerate()
            .map(move |(i, cell)| match self.attention {
                Some((at, attention)) if at == i && cell.is_empty() => (attention.label(), true),
                Some((at, _)) if at == i => (cell.as_str(), true),
                _ => (cell.as_str(), false),
            })
    }
}

/// What a renderer shows of one group.
pub(crate) struct View<'a> {
    pub title: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub shape: Shape,
    pub rows: Vec<Row<'a>>,
    /// The most frequent repeats, when the group is cut short.
    pub repeats: &'a [Tally],
    pub more: usize,
}

impl<'a> View<'a> {
    pub fn of(group: &'a Group) -> Self {
        let shown = &group.items[..group.shown.min(group.items.len())];
        let more = group.total() - shown.len();
        let repeats = if more > 0 {
            &group.tally[..group.tally.len().min(REPEATS)]
        } else {
            &[]
        };
        View {
            title: group.title.as_deref(),
            summary: group.summary.as_deref(),
            shape: group.items.first().map_or(Shape::List, shape),
            rows: shown.iter().map(row).collect(),
            repeats,
            more,
        }
    }
}

fn shape(item: &Item) -> Shape {
    match item {
        Item::Fact(_) => Shape::Facts,
        Item::Gap(_) => Shape::List,
        Item::Responder(_) => Shape::Table(&["Name", "UPN", "Actions", "First", "Last", "What"]),
        Item::Action(_) => {
            Shape::Table(&["Time", "Actor", "Action", "Target", "Through", "Outcome"])
        }
        Item::Asset(_) => Shape::Table(&["Asset", "Detail", "Verdict", "Remediation", "Alerts"]),
    }
}

fn row(item: &Item) -> Row<'_> {
    let mut attention = None;
    let cells = match item {
        Item::Fact(f) => vec![f.label.clone(), f.value.clone()],
        Item::Gap(g) => vec![g.text.clone()],
        Item::Responder(r) => vec![
            r.name.clone(),
            r.upn.clone().unwrap_or_default(),
            r.action_count.to_string(),
            r.first.shown.clone(),
            r.last.shown.clone(),
            counted(&r.actions),
        ],
        Item::Action(a) => {
            attention = a.attention.map(|at| (5, at));
            let time = match &a.end {
                Some(end) if end.utc.seconds() != a.time.utc.seconds() => {
                    format!("{} (ended {})", a.time.shown, end.shown)
                }
                _ => a.time.shown.clone(),
            };
            vec![
                time,
                a.actor.clone(),
                a.what.clone(),
                a.target.clone().unwrap_or_default(),
                a.channel.to_string(),
                a.outcome.clone().unwrap_or_default(),
            ]
        }
        Item::Asset(a) => {
            let detail = [a.detail.as_deref(), a.context.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                a.name.clone(),
                detail,
                a.verdict.clone(),
                a.remediation.clone(),
                a.alert_ids.len().to_string(),
            ]
        }
    };
    Row {
        cells,
        attention,
        provenance: item.provenance(),
    }
}

/// `history h-7; incident.comments[4]`, at most a few, then how many more.
pub(crate) fn citation(provenance: &[Provenance]) -> String {
    let mut labels: Vec<String> = provenance
        .iter()
        .take(CITATIONS)
        .map(Provenance::label)
        .collect();
    if provenance.len() > CITATIONS {
        labels.push(format!("and {} more", provenance.len() - CITATIONS));
    }
    labels.join("; ")
}

/// `… and 12 more (the JSON export lists all 37)`.
pub(crate) fn more_line(view: &View) -> String {
    format!(
        "… and {} more (the JSON export lists all {})",
        view.more,
        view.more + view.rows.len()
    )
}

/// `Isolate device (full). (×40)` lines of the most frequent repeats.
pub(crate) fn repeat_line(tally: &Tally) -> String {
    format!("{} (×{})", tally.label, tally.count)
}

/// One line: runs of whitespace and control characters become one space.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The line under the title: which incident, in which zone.
pub(crate) fn byline(report: &Report) -> String {
    format!(
        "Incident {}. Times are shown in {}. Built from the incident data; every item cites its source.",
        report.incident_id, report.generated_for_zone
    )
}
