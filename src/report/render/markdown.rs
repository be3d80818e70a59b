//! Markdown: a `# ` title, one `## ` heading per section; incident text is
//! escaped so that it shows literally and never becomes markup or a link.

use super::{byline, citation, more_line, one_line, repeat_line, Shape, View};
use crate::model::Provenance;
use crate::report::Report;
use std::fmt::Write;

/// Backslash-escapes what Markdown (CommonMark and GFM) would read as markup.
pub fn escape(text: &str) -> String {
    let text = one_line(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Incident report: {}\n", escape(&report.title));
    let _ = writeln!(out, "{}", escape(&byline(report)));
    for section in &report.sections {
        let _ = writeln!(out, "\n## {}", section.title);
        if section.groups.is_empty() {
            let _ = writeln!(out, "\nNone in the data.");
        }
        for group in &section.groups {
            group_md(&mut out, &View::of(group));
        }
    }
    out
}

fn cite(provenance: &[Provenance]) -> String {
    if provenance.is_empty() {
        String::new()
    } else {
        format!(" _(source: {})_", escape(&citation(provenance)))
    }
}

fn group_md(out: &mut String, view: &View) {
    if let Some(title) = view.title {
        let _ = writeln!(out, "\n### {}", escape(title));
    }
    if let Some(summary) = view.summary {
        let _ = writeln!(out, "\n{}", escape(summary));
    }
    if !view.repeats.is_empty() {
        let _ = writeln!(out, "\nMost frequent:\n");
        for tally in view.repeats {
            let _ = writeln!(out, "- {}", escape(&repeat_line(tally)));
        }
    }
    if view.rows.is_empty() {
        return;
    }
    out.push('\n');
    match view.shape {
        Shape::Facts => {
            for row in &view.rows {
                let _ = writeln!(
                    out,
                    "- **{}:** {}{}",
                    escape(&row.cells[0]),
                    escape(&row.cells[1]),
                    cite(row.provenance)
                );
            }
        }
        Shape::List => {
            for row in &view.rows {
                let _ = writeln!(out, "- {}{}", escape(&row.cells[0]), cite(row.provenance));
            }
        }
        Shape::Table(headers) => {
            let _ = writeln!(out, "| {} | Source |", headers.join(" | "));
            let _ = writeln!(out, "|{}", " --- |".repeat(headers.len() + 1));
            for row in &view.rows {
                out.push('|');
                for (cell, stands_out) in row.shown_cells() {
                    if stands_out {
                        let _ = write!(out, " **{}** |", escape(cell));
                    } else {
                        let _ = write!(out, " {} |", escape(cell));
                    }
                }
                let _ = writeln!(out, " {} |", escape(&citation(row.provenance)));
            }
        }
    }
    if view.more > 0 {
        let _ = writeln!(out, "\n{}", escape(&more_line(view)));
    }
}
