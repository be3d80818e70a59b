//! What an analyst does with a report: copy it, export it, open it alone.

use super::super::dom;
use crate::report::render::html::Stylesheet::Adopted;
use crate::report::render::{html, markdown, text};
use crate::report::{render, Report};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

/// The host element, for events and for the document it lives in.
pub type Host = StoredValue<HtmlElement, LocalStorage>;

/// Tells the host page what happened, if the panel is still mounted.
pub fn tell(host: Host, name: &str, detail: &[(&str, JsValue)]) {
    if let Some(host) = host.try_get_value() {
        dom::emit(&host, name, detail);
    }
}

#[component]
pub fn Toolbar(report: Arc<Report>, host: Host, notice: RwSignal<String>) -> impl IntoView {
    let export_open = RwSignal::new(false);
    let incident_id = report.incident_id.clone();
    let file = move |ext: &str| format!("incident-{}-report.{ext}", incident_id);

    let copy = {
        let report = report.clone();
        move |_| {
            let report = report.clone();
            leptos::task::spawn_local(async move {
                let host = host.get_value();
                let result = dom::copy(&host, &text::render(&report), &html::render(&report)).await;
                let id = JsValue::from_str(&report.incident_id);
                match result {
                    Ok(how) => {
                        let format = if how == dom::Copied::Rich {
                            "text and HTML"
                        } else {
                            "text"
                        };
                        notice.try_set(format!("Copied the report to the clipboard ({format})."));
                        dom::emit(
                            &host,
                            "copied",
                            &[("incidentId", id), ("format", format.into())],
                        );
                    }
                    Err(message) => {
                        notice.try_set(format!("Could not copy: {message}."));
                        dom::emit(
                            &host,
                            "error",
                            &[("incidentId", id), ("message", message.into())],
                        );
                    }
                }
            });
        }
    };

    // Closing the menu gives the focus back to its button.
    let export_button = NodeRef::<leptos::html::Button>::new();
    let close_menu = move || {
        export_open.set(false);
        if let Some(button) = export_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let export = {
        let report = report.clone();
        move |format: &'static str| {
            let host = host.get_value();
            let (contents, mime, ext) = match format {
                "markdown" => (markdown::render(&report), "text/markdown", "md"),
                "html" => (html::document(&report), "text/html", "html"),
                _ => (render::json(&report), "application/json", "json"),
            };
            let result = dom::download(&host, &file(ext), mime, &contents);
            close_menu();
            notice.set(match result {
                Ok(()) => format!("Exported {}.", file(ext)),
                Err(_) => "The browser did not allow the download.".into(),
            });
        }
    };
    let print = {
        let report = report.clone();
        move |_| {
            close_menu();
            if dom::print_document(&host.get_value(), &html::page(&report, Adopted)).is_err() {
                notice.set("The browser did not allow printing.".into());
            }
        }
    };
    let open_tab = move |_| {
        if let Err(e) = dom::open_in_new_tab(&html::page(&report, Adopted)) {
            let why = e
                .as_string()
                .unwrap_or_else(|| "the browser refused".into());
            notice.set(format!("Could not open a new tab: {why}."));
        }
    };
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && export_open.get_untracked() {
            close_menu();
        }
    };
    let item = move |label: &'static str, format: &'static str| {
        let export = export.clone();
        view! { <li><button type="button" on:click=move |_| export(format)>{label}</button></li> }
    };

    view! {
        <button type="button" on:click=copy>"Copy to clipboard"</button>
        <div class="irp-menu" on:keydown=close_on_escape>
            <button type="button" node_ref=export_button aria-expanded=move || export_open.get().to_string()
                aria-controls="irp-export-menu" on:click=move |_| export_open.update(|o| *o = !*o)>
                "Export"
            </button>
            <ul id="irp-export-menu" class="irp-menu-list" hidden=move || !export_open.get()>
                {item("Markdown (.md)", "markdown")}
                {item("HTML (.html)", "html")}
                {item("JSON (.json)", "json")}
                <li><button type="button" on:click=print>"Print / Save as PDF"</button></li>
            </ul>
        </div>
        <button type="button" on:click=open_tab>"Open in new tab"</button>
    }
}
