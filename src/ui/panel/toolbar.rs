//! What an analyst does with a report: copy it, export it, open it alone.

use super::super::dom;
use crate::report::render::html::Stylesheet::Adopted;
use crate::report::render::{html, markdown, text};
use crate::report::{render, Report};
use crate::ui::http::{self, Access};
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

/// Where the complete report is kept (the server's stored copy), for a panel
/// that was sent a digest of it.
#[derive(Clone)]
pub struct Stored {
    pub url: String,
    pub access: Access,
}

#[component]
pub fn Toolbar(
    report: Arc<Report>,
    stored: Option<Stored>,
    host: Host,
    notice: RwSignal<String>,
) -> impl IntoView {
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
            close_menu();
            let file = file.clone();
            let save = move |contents: Result<String, String>, mime: &str, ext: &str| {
                let Some(host) = host.try_get_value() else {
                    return;
                };
                notice.try_set(match contents {
                    Ok(contents) => match dom::download(&host, &file(ext), mime, &contents) {
                        Ok(()) => format!("Exported {}.", file(ext)),
                        Err(_) => "The browser did not allow the download.".into(),
                    },
                    Err(e) => format!("Could not export: {e}."),
                });
            };
            match (format, &stored) {
                ("markdown", _) => save(Ok(markdown::render(&report)), "text/markdown", "md"),
                ("html", _) => save(Ok(html::document(&report)), "text/html", "html"),
                _ if report.is_complete() => {
                    save(Ok(render::json(&report)), "application/json", "json")
                }
                // The JSON holds every item: the server's copy, not the digest shown.
                (_, Some(stored)) => {
                    let stored = stored.clone();
                    notice.set("Fetching the complete report…".into());
                    leptos::task::spawn_local(async move {
                        let whole = match web_sys::AbortController::new() {
                            Ok(abort) => http::get_bytes(&stored.url, &stored.access, &abort)
                                .await
                                .map_err(|e| e.to_string())
                                .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string())),
                            Err(_) => Err("this browser cannot make requests".into()),
                        };
                        save(whole, "application/json", "json");
                    });
                }
                (_, None) => save(Err("the complete report is not available".into()), "", ""),
            }
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
