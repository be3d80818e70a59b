//! Plain text: underlined headings and indented lines, for a terminal or an
//! e-mail; control characters in incident text are dropped.

use super::{byline, citation, more_line, one_line, repeat_line, Shape, View};
use crate::model::Provenance;
use crate::report::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        &format!("Incident report: {}", one_line(&report.title)),
        '=',
    );
    let _ = writeln!(out, "{}", byline(report));
    for section in &report.sections {
        out.push('\n');
        heading(&mut out, section.title, '-');
        if section.groups.is_empty() {
            let _ = writeln!(out, "None in the data.");
        }
        for group in &section.groups {
            group_text(&mut out, &View::of(group));
        }
    }
    out
}

fn heading(out: &mut String, title: &str, underline: char) {
    let width = title.chars().count();
    let _ = writeln!(out, "{title}\n{}", underline.to_string().repeat(width));
}

fn cite(provenance: &[Provenance]) -> String {
    if provenance.is_empty() {
        String::new()
    } else {
        format!(" [{}]", one_line(&citation(provenance)))
    }
}

fn group_text(out: &mut String, view: &View) {
    if let Some(title) = view.title {
        let _ = writeln!(out, "\n{}:", one_line(title));
    }
    if let Some(summary) = view.summary {
        let _ = writeln!(out, "  {}", one_line(summary));
    }
    if !view.repeats.is_empty() {
        let _ = writeln!(out, "  Most frequent:");
        for tally in view.repeats {
            let _ = writeln!(out, "    {}", one_line(&repeat_line(tally)));
        }
    }
    for row in &view.rows {
        let line = match view.shape {
            Shape::Facts => format!("{}: {}", row.cells[0], row.cells[1]),
            Shape::List => row.cells[0].clone(),
            Shape::Table(_) => row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .map(|(i, c)| match row.attention {
                    Some((at, _)) if at == i => c.to_uppercase(),
                    _ => c.clone(),
                })
                .collect::<Vec<_>>()
                .join(" | "),
        };
        let _ = writeln!(out, "  - {}{}", one_line(&line), cite(row.provenance));
    }
    if view.more > 0 {
        let _ = writeln!(out, "  {}", more_line(view));
    }
}

/// The report as an activity-log comment of at most `limit` characters, and
/// whether it had to be condensed: first fewer rows per group, then only the
/// Summary, Key timestamps, Conclusion and Gaps, then cut at the limit.
pub fn comment(report: &Report, limit: usize) -> (String, bool) {
    let full = render(report);
    if full.chars().count() <= limit {
        return (full, false);
    }
    let mut short = report.clone();
    for group in short.sections.iter_mut().flat_map(|s| s.groups.iter_mut()) {
        group.shown = group.shown.min(5);
    }
    let fewer_rows = render(&short);
    if fewer_rows.chars().count() <= limit {
        return (fewer_rows, true);
    }
    short.sections.retain(|s| {
        use crate::report::SectionId::*;
        matches!(s.id, Summary | KeyTimestamps | Conclusion | Gaps)
    });
    let mut key_sections = render(&short);
    const CUT: &str = "\n… (cut to fit a comment; export the report for all of it)";
    if key_sections.chars().count() > limit {
        let keep = limit.saturating_sub(CUT.chars().count());
        let end = key_sections
            .char_indices()
            .nth(keep)
            .map_or(key_sections.len(), |(i, _)| i);
        key_sections.truncate(end);
        key_sections.push_str(CUT);
    }
    (key_sections, true)
}
