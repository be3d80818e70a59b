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
