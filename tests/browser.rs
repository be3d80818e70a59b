//! The real panel, mounted into a container in headless Chromium, judged by
//! what a person sees. Bundles are served from Blob URLs through real `fetch`.
#![cfg(target_arch = "wasm32")]

mod common;

use incident_report::ui::{mount_with, MountHandle, PanelOptions};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Blob, BlobPropertyBag, HtmlElement, Url};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../www/demo/oauth-consent-phishing.json");
const RANSOMWARE: &str = include_str!("../../shared/fixtures/ransomware-multistage.json");

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A blob: URL that serves `body` like a static file.
fn served(body: &str) -> String {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let bag = BlobPropertyBag::new();
    bag.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &bag).unwrap();
    Url::create_object_url_with_blob(&blob).unwrap()
}

/// A fresh host element in the page.
fn host() -> HtmlElement {
    let el: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn mount_bundle(host: &HtmlElement, id: &str, url: String) -> MountHandle {
    mount_in_zone(host, id, url, "UTC")
}

fn mount_in_zone(host: &HtmlElement, id: &str, url: String, zone: &str) -> MountHandle {
    let options = PanelOptions {
        incident_id: id.into(),
        bundle_url: Some(url),
        time_zone: zone.into(),
        ..PanelOptions::default()
    };
    mount_with(host.clone(), options).unwrap()
}

/// Clicks the button whose visible name is `name`.
fn click(host: &HtmlElement, name: &str) {
    let root = host.shadow_root().unwrap();
    let buttons = root.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let button: HtmlElement = buttons.get(i).unwrap().unchecked_into();
        if button.inner_text().trim() == name {
            button.click();
            return;
        }
    }
    panic!("no button named {name:?} in {:?}", seen(host));
}

/// The headings of the report's sections, in order.
fn section_headings(host: &HtmlElement) -> Vec<String> {
    let root = host.shadow_root().unwrap();
    let list = root
        .query_selector_all("[role=region][aria-label='Incident report'] h3")
        .unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().text_content().unwrap())
        .collect()
}

/// The text a person sees inside the panel's shadow root.
fn seen(host: &HtmlElement) -> String {
    let root = host
        .shadow_root()
        .expect("the panel renders in a shadow root");
    let mut text = String::new();
    read_text(&root.first_element_child().unwrap(), &mut text);
    text
}

/// The text a person can read, laid out roughly as `innerText` does, but
/// read from the DOM: `innerText` leaves out groups the browser has not
/// rendered yet because they are off screen (content-visibility), which a
/// person would scroll to.
fn read_text(node: &web_sys::Node, out: &mut String) {
    if let Some(element) = node.dyn_ref::<web_sys::Element>() {
        if element.has_attribute("hidden") {
            return;
        }
        let mut child = node.first_child();
        while let Some(c) = child {
            read_text(&c, out);
            child = c.next_sibling();
        }
        match element.tag_name().as_str() {
            "TD" | "TH" => out.push('\t'),
            "SPAN" | "STRONG" | "A" | "LABEL" | "SELECT" => {}
            _ => out.push('\n'),
        }
    } else if let Some(text) = node.text_content() {
        out.push_str(&text);
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits (up to 5 s) until the panel shows `text`; answers what it shows.
async fn until_seen(host: &HtmlElement, text: &str) -> String {
    for _ in 0..100 {
        let now = seen(host);
        if now.contains(text) {
            return now;
        }
        sleep(50).await;
    }
    panic!("the panel never showed {text:?}; it shows {:?}", seen(host));
}

#[wasm_bindgen_test]
async fn shows_the_incident_header_of_a_bundle() {
    let host = host();
    let _panel = mount_bundle(&host, "3150442", served(DEMO));
    let text = until_seen(&host, "Incident 3150442").await;
    assert!(text.contains("High severity"), "{text}");
    assert!(text.contains("Resolved"), "{text}");
    assert!(text.contains("5 alerts"), "{text}");
}

#[wasm_bindgen_test]
async fn shows_sentinel_number_and_status_of_an_active_incident() {
    let host = host();
    let _panel = mount_bundle(&host, "2972395", served(RANSOMWARE));
    let text = until_seen(&host, "Incident 2972395").await;
    assert!(text.contains("Sentinel #1187"), "{text}");
    assert!(text.contains("Active"), "{text}");
    assert!(text.contains("9 alerts"), "{text}");
    assert!(text.contains("Updated 2026-03-10 13:45:52 UTC"), "{text}");
}

#[wasm_bindgen_test]
async fn says_what_is_wrong_with_bad_data_and_offers_a_retry() {
    let host = host();
    let _panel = mount_bundle(
        &host,
        "1",
        served(r#"{"incident": {"id": "1", "alerts": "many"}}"#),
    );
    let text = until_seen(&host, "not valid").await;
    assert!(text.contains("$.incident.alerts"), "{text}");
    let root = host.shadow_root().unwrap();
    let alert = root.query_selector("[role=alert]").unwrap();
    assert!(alert.is_some(), "the error is announced");
    let button = root.query_selector("button").unwrap().unwrap();
    assert_eq!(button.text_content().unwrap(), "Retry");
}

#[wasm_bindgen_test]
async fn says_when_the_incident_cannot_be_fetched() {
    let host = host();
    let url = served("{}");
    Url::revoke_object_url(&url).unwrap();
    let _panel = mount_bundle(&host, "404", url);
    until_seen(&host, "Could not load the incident").await;
}

#[wasm_bindgen_test]
async fn unmount_leaves_nothing_behind() {
    let host = host();
    let panel = mount_bundle(&host, "3150442", served(DEMO));
    until_seen(&host, "Incident 3150442").await;
    panel.unmount();
    let root = host.shadow_root().unwrap();
    assert_eq!(root.child_element_count(), 0);
}

#[wasm_bindgen_test]
async fn generates_the_seven_sections_with_their_sources() {
    let host = host();
    let _panel = mount_bundle(&host, "2972395", served(RANSOMWARE));
    until_seen(&host, "Incident 2972395").await;
    click(&host, "Generate incident report");
    let text = until_seen(&host, "Gaps and follow-ups").await;
    assert_eq!(section_headings(&host), common::TITLES);
    for who in ["Kai Carter", "Dana Whitfield", "Sam Okafor"] {
        assert!(text.contains(who), "{who} is a responder");
    }
    assert!(text.contains("49m 43s"), "time to assign");
    assert!(text.contains("Report generated"), "progress is announced");

    // Sources are hidden until asked for.
    let root = host.shadow_root().unwrap();
    let cite: HtmlElement = root
        .query_selector(".irp-cite")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(cite.hidden());
    let toggle: HtmlElement = root
        .query_selector(".irp-source")
        .unwrap()
        .unwrap()
        .unchecked_into();
    toggle.click();
    sleep(20).await;
    assert!(!cite.hidden());
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(!cite.inner_text().is_empty());

    click(&host, "Regenerate");
    until_seen(&host, "Gaps and follow-ups").await;
}

#[wasm_bindgen_test]
async fn shows_times_in_the_zone_asked_for() {
    let host = host();
    let _panel = mount_in_zone(&host, "2972395", served(RANSOMWARE), "Europe/Amsterdam");
    until_seen(&host, "Incident 2972395").await;
    click(&host, "Generate incident report");
    // Created 09:16:29 UTC is 10:16:29 in Amsterdam in March 2026 (CET).
    let text = until_seen(&host, "2026-03-10 10:16:29 Europe/Amsterdam").await;
    assert!(!text.contains("09:16:29 UTC"), "no time stays in UTC");
}

#[wasm_bindgen_test]
async fn says_so_when_the_zone_is_unknown() {
    let host = host();
    let _panel = mount_in_zone(&host, "3150442", served(DEMO), "Mars/Olympus_Mons");
    until_seen(&host, "Incident 3150442").await;
    click(&host, "Generate incident report");
    until_seen(&host, "unknown time zone").await;
}

#[wasm_bindgen_test]
async fn incident_text_is_shown_as_text_never_run_as_markup() {
    let host = host();
    let _panel = mount_bundle(&host, "3150442", served(DEMO));
    until_seen(&host, "Incident 3150442").await;
    click(&host, "Generate incident report");
    let text = until_seen(&host, "Gaps and follow-ups").await;
    assert!(
        text.contains("<script>alert(1)</script>"),
        "the pasted script shows as text"
    );
    let root = host.shadow_root().unwrap();
    assert!(root.query_selector("script").unwrap().is_none());
    assert!(root
        .query_selector("a[href^='javascript']")
        .unwrap()
        .is_none());
}

/// Records the details of `incident-report:{name}` events reaching `document`.
fn record_events(name: &str) -> std::rc::Rc<std::cell::RefCell<Vec<JsValue>>> {
    use wasm_bindgen::closure::Closure;
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = seen.clone();
    let listener =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            sink.borrow_mut().push(e.detail());
        });
    document()
        .add_event_listener_with_callback(
            &format!("incident-report:{name}"),
            listener.as_ref().unchecked_ref(),
        )
        .unwrap();
    listener.forget();
    seen
}

fn field(detail: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(detail, &key.into()).unwrap()
}

#[wasm_bindgen_test]
async fn tells_the_host_page_what_happened() {
    let generated = record_events("generated");
    let host = host();
    let _panel = mount_bundle(
        &host,
        "3150517",
        served(include_str!("../www/demo/cryptominer-linux.json")),
    );
    until_seen(&host, "Incident 3150517").await;
    click(&host, "Generate incident report");
    until_seen(&host, "Gaps and follow-ups").await;
    let details: Vec<JsValue> = generated
        .borrow()
        .iter()
        .filter(|d| field(d, "incidentId").as_string().as_deref() == Some("3150517"))
        .cloned()
        .collect();
    assert_eq!(
        details.len(),
        1,
        "one generated event, bubbled and composed out of the shadow root"
    );
    assert_eq!(field(&details[0], "sections").as_f64(), Some(7.0));
    assert_eq!(
        field(&details[0], "engine").as_string().as_deref(),
        Some("grounded")
    );
}

/// A click from a test is not a user gesture, so the browser refuses both the
/// Clipboard API and the selection fallback: the panel must say so, not pretend.
/// (The end-to-end suite copies for real, with a user gesture.)
#[wasm_bindgen_test]
async fn says_so_when_the_browser_refuses_the_clipboard() {
    let errors = record_events("error");
    let host = host();
    let _panel = mount_bundle(&host, "3150442", served(DEMO));
    until_seen(&host, "Incident 3150442").await;
    click(&host, "Generate incident report");
    until_seen(&host, "Gaps and follow-ups").await;
    click(&host, "Copy to clipboard");
    until_seen(
        &host,
        "Could not copy: the browser did not allow copying; use Export instead.",
    )
    .await;
    let mine = errors
        .borrow()
        .iter()
        .any(|d| field(d, "incidentId").as_string().as_deref() == Some("3150442"));
    assert!(mine, "an error event reached the page");
}

#[wasm_bindgen_test]
async fn exports_and_offers_print_from_the_export_menu() {
    let host = host();
    let _panel = mount_bundle(&host, "3150442", served(DEMO));
    until_seen(&host, "Incident 3150442").await;
    click(&host, "Generate incident report");
    until_seen(&host, "Gaps and follow-ups").await;
    let root = host.shadow_root().unwrap();
    let menu: HtmlElement = root
        .query_selector(".irp-menu-list")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(menu.hidden(), "the menu starts closed");
    click(&host, "Export");
    sleep(20).await;
    assert!(!menu.hidden());
    let text = seen(&host);
    for entry in [
        "Markdown (.md)",
        "HTML (.html)",
        "JSON (.json)",
        "Print / Save as PDF",
    ] {
        assert!(text.contains(entry), "{entry}");
    }
    click(&host, "Markdown (.md)");
    until_seen(&host, "Exported incident-3150442-report.md").await;
    assert!(menu.hidden(), "the menu closes after a choice");

    // From the keyboard: Escape closes it and the focus returns to Export.
    click(&host, "Export");
    sleep(20).await;
    assert!(!menu.hidden());
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let escape =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    menu.dispatch_event(&escape).unwrap();
    sleep(20).await;
    assert!(menu.hidden(), "Escape closes the menu");
    let focused: HtmlElement = root.active_element().unwrap().unchecked_into();
    assert_eq!(focused.inner_text(), "Export");
}

#[wasm_bindgen_test]
async fn remembers_the_zone_the_analyst_picks() {
    let first = host();
    let panel = mount_bundle(&first, "2972395", served(RANSOMWARE));
    until_seen(&first, "Incident 2972395").await;
    click(&first, "Generate incident report");
    until_seen(&first, "2026-03-10 09:16:29 UTC").await;
    let root = first.shadow_root().unwrap();
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    select.set_value("America/New_York");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    // New York is on daylight time from 8 March 2026: UTC-4.
    until_seen(&first, "2026-03-10 05:16:29 America/New_York").await;
    panel.unmount();

    let again = host();
    let _panel = mount_bundle(&again, "2972395", served(RANSOMWARE));
    until_seen(&again, "Incident 2972395").await;
    click(&again, "Generate incident report");
    until_seen(&again, "05:16:29 America/New_York").await;
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("incident-report:time-zone").unwrap();
}

/// The real server that `./scripts/test` starts for these tests, with the
/// shared fixtures and the demo incidents, e.g. `http://127.0.0.1:18431/api`.
#[allow(clippy::option_env_unwrap)] // a clear message when run outside ./scripts/test
fn api_base() -> String {
    option_env!("IRP_TEST_API")
        .expect("run the browser tests through ./scripts/test, which starts the server")
        .to_owned()
}

fn mount_api(host: &HtmlElement, id: &str) -> MountHandle {
    let options = PanelOptions {
        incident_id: id.into(),
        api_base: api_base(),
        ..PanelOptions::default()
    };
    mount_with(host.clone(), options).unwrap()
}

#[wasm_bindgen_test]
async fn streams_the_report_from_the_server() {
    let generated = record_events("generated");
    let host = host();
    let _panel = mount_api(&host, "41017");
    until_seen(&host, "Incident 41017").await;
    click(&host, "Generate incident report");
    let text = until_seen(&host, "Report generated by the grounded engine: 7 sections").await;
    assert_eq!(section_headings(&host).len(), 7);
    assert!(text.contains("Kai Carter") && text.contains("Dana Whitfield"));
    assert!(text.contains("14m 27s"), "time to assign");
    assert!(text.contains("3h 10m 20s"), "time to resolve");
    let detail = generated
        .borrow()
        .iter()
        .find(|d| field(d, "incidentId").as_string().as_deref() == Some("41017"))
        .cloned()
        .expect("a generated event");
    let report_id = field(&detail, "reportId")
        .as_string()
        .expect("the server's report id");
    assert!(!report_id.is_empty());
}

#[wasm_bindgen_test]
async fn cancel_stops_the_stream_and_regenerate_starts_again() {
    let host = host();
    let _panel = mount_api(&host, "900001");
    until_seen(&host, "Incident 900001").await;
    click(&host, "Generate incident report");
    // The 10k-entry incident streams long enough to cancel it midway.
    for _ in 0..500 {
        if seen(&host).contains("Cancel\n") {
            break;
        }
        sleep(2).await;
    }
    click(&host, "Cancel");
    let text = until_seen(&host, "Cancelled after").await;
    assert!(
        !text.contains("Report generated"),
        "a cancelled run never completes"
    );
    sleep(300).await;
    assert!(
        seen(&host).contains("Cancelled after"),
        "no late answer lands on the card"
    );
    click(&host, "Regenerate");
    until_seen(&host, "Report generated by the grounded engine: 7 sections").await;
}

#[wasm_bindgen_test]
async fn an_unknown_incident_says_so_with_a_retry() {
    let host = host();
    let _panel = mount_api(&host, "no-such-incident");
    let text = until_seen(&host, "Could not load the incident").await;
    assert!(text.contains("404"), "{text}");
    assert!(text.contains("Retry"));
}

/// GETs a JSON list from the test server and answers how many items it has.
async fn count(path: &str) -> usize {
    let window = web_sys::window().unwrap();
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(&format!("{}{path}", api_base())))
            .await
            .unwrap()
            .unchecked_into();
    let body = JsFuture::from(response.json().unwrap()).await.unwrap();
    let value: js_sys::Array = js_sys::Reflect::get(&body, &"value".into())
        .unwrap()
        .unchecked_into();
    value.length() as usize
}

#[wasm_bindgen_test]
async fn posts_the_report_to_the_activity_log_once() {
    let posted = record_events("posted");
    let before = count("/incidents/5120/comments").await;
    let host = host();
    let _panel = mount_api(&host, "5120");
    until_seen(&host, "Incident 5120").await;
    click(&host, "Generate incident report");
    until_seen(&host, "Report generated by the grounded engine").await;
    click(&host, "Post to activity log");
    until_seen(&host, "Post this report as a comment on the incident?").await;
    // An impatient analyst clicks twice: one comment all the same.
    click(&host, "Post");
    click(&host, "Post");
    let text = until_seen(&host, "Posted the report to the incident's activity log.").await;
    assert!(text.contains("Activity log"), "the posted comment is shown");
    assert!(text.contains("Incident report:"), "{text}");
    assert_eq!(count("/incidents/5120/comments").await, before + 1);
    assert_eq!(
        posted
            .borrow()
            .iter()
            .filter(|d| field(d, "incidentId").as_string().as_deref() == Some("5120"))
            .count(),
        1
    );
}

#[wasm_bindgen_test]
async fn posts_a_condensed_report_when_the_full_one_is_too_long_and_says_so() {
    let posted = record_events("posted");
    let before = count("/incidents/900001/comments").await;
    let host = host();
    let _panel = mount_api(&host, "900001");
    until_seen(&host, "Incident 900001").await;
    click(&host, "Generate incident report");
    until_seen(&host, "Report generated by the grounded engine: 7 sections").await;
    click(&host, "Post to activity log");
    until_seen(&host, "Post this report as a comment on the incident?").await;
    click(&host, "Post");
    let text = until_seen(&host, "Posted a condensed report").await;
    assert!(
        text.contains("longer than the 30,000 characters a comment allows"),
        "{text}"
    );
    assert_eq!(count("/incidents/900001/comments").await, before + 1);
    let detail = posted
        .borrow()
        .iter()
        .find(|d| field(d, "incidentId").as_string().as_deref() == Some("900001"))
        .cloned()
        .expect("a posted event");
    assert_eq!(field(&detail, "condensed").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn takes_feedback_and_thanks_for_it() {
    let host = host();
    let _panel = mount_api(&host, "1162");
    until_seen(&host, "Incident 1162").await;
    click(&host, "Generate incident report");
    until_seen(&host, "Report generated by the grounded engine").await;
    let before = count("/incidents/1162/report/feedback").await;
    for rating in [
        "Confirmed, it looks great",
        "Off-target, inaccurate",
        "Potentially harmful, inappropriate",
    ] {
        assert!(seen(&host).contains(rating), "{rating}");
    }
    click(&host, "Off-target, inaccurate");
    sleep(20).await;
    let root = host.shadow_root().unwrap();
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into();
    area.set_value("The time to assign looks right; the summary misses the red team ticket.");
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    click(&host, "Submit");
    until_seen(&host, "Thank you for your feedback.").await;
    assert_eq!(count("/incidents/1162/report/feedback").await, before + 1);
}
