//! HTML: semantic sections, headings, lists and tables, every piece of text
//! escaped; no script, no style attribute or event handler (works under a
//! strict CSP). A standalone document carries the report stylesheet in the
//! way its reader allows (see [`Stylesheet`]).

use super::{byline, citation, more_line, repeat_line, Shape, View};
use crate::model::Provenance;
use crate::report::Report;
use std::fmt::Write;

/// Escapes text for element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report as an `<article>`, to place in a page.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<article class=\"incident-report\" data-incident-id=\"{}\" data-zone=\"{}\">",
        escape(&report.incident_id),
        escape(&report.generated_for_zone)
    );
    let _ = writeln!(out, "<h1>Incident report: {}</h1>", escape(&report.title));
    let _ = writeln!(out, "<p class=\"byline\">{}</p>", escape(&byline(report)));
    for section in &report.sections {
        let _ = writeln!(
            out,
            "<section data-section=\"{}\">\n<h2>{}</h2>",
            section.id.slug(),
            section.title
        );
        if section.groups.is_empty() {
            let _ = writeln!(out, "<p>None in the data.</p>");
        }
        for group in &section.groups {
            group_html(&mut out, &View::of(group));
        }
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n");
    out
}

/// The stylesheet of a standalone report, for screen and print.
pub const STYLE: &str = include_str!("report.css");

/// How a standalone document gets [`STYLE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stylesheet<'a> {
    /// In a `<style>` element: a file that stands alone (export, `render`).
    Inline,
    /// A `<link>` to this URL: a page served under a CSP without inline styles.
    Linked(&'a str),
    /// None in the markup: whoever shows it adopts [`STYLE`] (the panel,
    /// whose print frame and new tab inherit the host page's CSP).
    Adopted,
}

/// A complete HTML document holding the report, styled inline.
pub fn document(report: &Report) -> String {
    page(report, Stylesheet::Inline)
}

/// A complete HTML document holding the report, its stylesheet as asked.
pub fn page(report: &Report, stylesheet: Stylesheet) -> String {
    let style = match stylesheet {
        Stylesheet::Inline => format!("<style>\n{STYLE}</style>\n"),
        Stylesheet::Linked(url) => format!("<link rel=\"stylesheet\" href=\"{}\">\n", escape(url)),
        Stylesheet::Adopted => String::new(),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Incident report: {}</title>\n{style}</head>\n<body>\n{}</body>\n</html>\n",
        escape(&report.title),
        render(report)
    )
}

fn cite(provenance: &[Provenance]) -> String {
    if provenance.is_empty() {
        return String::new();
    }
    let all = provenance
        .iter()
        .map(Provenance::label)
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "<cite data-provenance=\"{}\">{}</cite>",
        escape(&all),
        escape(&citation(provenance))
    )
}

fn group_html(out: &mut String, view: &View) {
    if let Some(title) = view.title {
        let _ = writeln!(out, "<h3>{}</h3>", escape(title));
    }
    if let Some(summary) = view.summary {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", escape(summary));
    }
    if !view.repeats.is_empty() {
        out.push_str("<p>Most frequent:</p>\n<ul class=\"repeats\">\n");
        for tally in view.repeats {
            let _ = writeln!(out, "<li>{}</li>", escape(&repeat_line(tally)));
        }
        out.push_str("</ul>\n");
    }
    if !view.rows.is_empty() {
        match view.shape {
            Shape::Facts => {
                out.push_str("<dl>\n");
                for row in &view.rows {
                    let _ = writeln!(
                        out,
                        "<dt>{}</dt><dd>{} {}</dd>",
                        escape(&row.cells[0]),
                        escape(&row.cells[1]),
                        cite(row.provenance)
                    );
                }
                out.push_str("</dl>\n");
            }
            Shape::List => {
                out.push_str("<ul>\n");
                for row in &view.rows {
                    let _ = writeln!(
                        out,
                        "<li>{} {}</li>",
                        escape(&row.cells[0]),
                        cite(row.provenance)
                    );
                }
                out.push_str("</ul>\n");
            }
            Shape::Table(headers) => table(out, headers, view),
        }
    }
    if view.more > 0 {
        let _ = writeln!(out, "<p class=\"more\">{}</p>", escape(&more_line(view)));
    }
}

fn table(out: &mut String, headers: &[&str], view: &View) {
    out.push_str("<table>\n<thead><tr>");
    for header in headers.iter().chain(&["Source"]) {
        let _ = write!(out, "<th scope=\"col\">{header}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &view.rows {
        match row.attention {
            Some((_, attention)) => {
                let _ = write!(
                    out,
                    "<tr class=\"attention\" data-attention=\"{}\">",
                    attention.label()
                );
            }
            None => out.push_str("<tr>"),
        }
        for (cell, stands_out) in row.shown_cells() {
            if stands_out {
                let _ = write!(out, "<td><strong>{}</strong></td>", escape(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", escape(cell));
            }
        }
        let _ = writeln!(out, "<td>{}</td></tr>", cite(row.provenance));
    }
    out.push_str("</tbody>\n</table>\n");
}
