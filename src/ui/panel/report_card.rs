//! The report card: the seven sections as the engine built them, every row
//! able to reveal the records it came from. Text is always text, never markup.

use crate::model::clip;
use crate::report::render::{citation, more_line, repeat_line, Row, Shape, View};
use crate::report::Section;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ReportCard(sections: RwSignal<Vec<Arc<Section>>>, zone: RwSignal<String>) -> impl IntoView {
    view! {
        <section class="irp-report" role="region" aria-label="Incident report">
            <p class="irp-byline">
                "Times in " {move || zone.get()}
                ". Built from the incident data; every row can show its source."
            </p>
            <For
                each=move || sections.get()
                key=|section| section.id.slug()
                children=|section| view! { <ReportSection section=section/> }
            />
        </section>
    }
}

#[component]
fn ReportSection(section: Arc<Section>) -> impl IntoView {
    let heading_id = format!("irp-{}", section.id.slug());
    let labelled_by = heading_id.clone();
    let body = if section.groups.is_empty() {
        view! { <p class="irp-none">"None in the data."</p> }.into_any()
    } else {
        section
            .groups
            .iter()
            .map(|group| group_view(&View::of(group)))
            .collect_view()
            .into_any()
    };
    view! {
        <section class="irp-section" data-section=section.id.slug() aria-labelledby=labelled_by>
            <h3 id=heading_id>{section.title}</h3>
            {body}
        </section>
    }
}

fn group_view(group: &View) -> AnyView {
    let title = group.title.map(|t| view! { <h4>{t.to_owned()}</h4> });
    let summary = group
        .summary
        .map(|s| view! { <p class="irp-summary">{s.to_owned()}</p> });
    let rows = match &group.shape {
        Shape::Facts => view! {
            <dl class="irp-facts-list">
                {group.rows.iter().map(|row| view! {
                    <div class="irp-fact">
                        <dt>{row.cells[0].clone()}</dt>
                        <dd>{row.cells.get(1).cloned().unwrap_or_default()} {sources(row, 0)}</dd>
                    </div>
                }).collect_view()}
            </dl>
        }
        .into_any(),
        Shape::List => view! {
            <ul class="irp-list">
                {group.rows.iter().map(|row| view! {
                    <li>{row.cells.join(" ")} {sources(row, 0)}</li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
        Shape::Table(headers) => view! {
            <div class="irp-table-wrap">
                <table>
                    <thead><tr>
                        {headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}
                        <th scope="col">"Source"</th>
                    </tr></thead>
                    <tbody>
                        {group.rows.iter().map(|row| table_row(row, headers)).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    };
    let repeats = (!group.repeats.is_empty()).then(|| {
        view! {
            <p class="irp-summary">"Most frequent: "
                {group.repeats.iter().map(repeat_line).collect::<Vec<_>>().join("; ")}
            </p>
        }
    });
    let more = (group.more > 0).then(|| view! { <p class="irp-more">{more_line(group)}</p> });
    view! { <div class="irp-group">{title}{summary}{rows}{repeats}{more}</div> }.into_any()
}

/// The column that names what a table row is about (an action's own text,
/// else the first: a person, an asset).
fn subject_column(headers: &[&str]) -> usize {
    headers.iter().position(|h| *h == "Action").unwrap_or(0)
}

/// Columns of long tokens (host names, paths, addresses) that may break
/// anywhere, so that the table fits; other columns break between words.
const TOKEN_COLUMNS: [&str; 5] = ["UPN", "Action", "Target", "Asset", "Detail"];

fn table_row(row: &Row, headers: &[&str]) -> impl IntoView {
    let mark = row.attention.map(|(_, attention)| attention.label());
    let cells = row
        .shown_cells()
        .zip(headers)
        .map(|((cell, stands_out), header)| {
            let cell = cell.to_owned();
            let class = TOKEN_COLUMNS.contains(header).then_some("irp-tokens");
            if stands_out {
                view! { <td class=class><strong class="irp-attention" data-attention=mark>{cell}</strong></td> }
                    .into_any()
            } else {
                view! { <td class=class>{cell}</td> }.into_any()
            }
        })
        .collect_view();
    let subject = subject_column(headers);
    let class = mark.map(|_| "irp-row-attention");
    view! { <tr class=class>{cells}<td>{sources(row, subject)}</td></tr> }
}

/// A toggle that reveals which records a row was built from; its accessible
/// name says which row (`Source of First human action`).
fn sources(row: &Row, subject: usize) -> AnyView {
    if row.provenance.is_empty() {
        return ().into_any();
    }
    let open = RwSignal::new(false);
    let text = citation(row.provenance);
    let subject = row.cells.get(subject).map_or("", String::as_str);
    let name = format!("Source of {}", clip(subject, 80));
    view! {
        <button type="button" class="irp-source" aria-label=name aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>
            "Source"
        </button>
        <span class="irp-cite" hidden=move || !open.get()>{text}</span>
    }
    .into_any()
}
