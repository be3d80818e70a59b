//! Browser services the panel uses: events on the host, downloads, the
//! clipboard, a new tab, and a remembered setting.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, CustomEvent, CustomEventInit, HtmlElement, Url};

/// Dispatches `incident-report:{name}` on the host: bubbling, composed, with a plain-object detail.
pub fn emit(host: &HtmlElement, name: &str, detail: &[(&str, JsValue)]) {
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(event) =
        CustomEvent::new_with_event_init_dict(&format!("incident-report:{name}"), &init)
    {
        let _ = host.dispatch_event(&event);
    }
}

fn blob(contents: &str, mime: &str) -> Result<Blob, JsValue> {
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&contents.into()), &bag)
}

/// Saves `contents` as a file named `filename`.
pub fn download(
    host: &HtmlElement,
    filename: &str,
    mime: &str,
    contents: &str,
) -> Result<(), JsValue> {
    let url = Url::create_object_url_with_blob(&blob(contents, mime)?)?;
    let document = host.owner_document().ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    Url::revoke_object_url(&url)
}

/// Styles a document the panel opened (a print frame, a new tab) with the
/// report stylesheet, built by that document's own window: an adopted sheet
/// is not an inline style, so the host page's CSP, which such a document
/// inherits, allows it.
fn adopt_report_style(window: &web_sys::Window) -> Result<(), JsValue> {
    let constructor: js_sys::Function =
        js_sys::Reflect::get(window, &"CSSStyleSheet".into())?.dyn_into()?;
    let sheet: web_sys::CssStyleSheet =
        js_sys::Reflect::construct(&constructor, &js_sys::Array::new())?.unchecked_into();
    sheet.replace_sync(crate::report::render::html::STYLE)?;
    let document = window.document().ok_or("no document")?;
    js_sys::Reflect::set(
        &document,
        &"adoptedStyleSheets".into(),
        &js_sys::Array::of1(&sheet),
    )?;
    Ok(())
}

/// Opens a standalone HTML document (styled by the panel) in a new tab.
pub fn open_in_new_tab(html: &str) -> Result<(), JsValue> {
    let url = Url::create_object_url_with_blob(&blob(html, "text/html;charset=utf-8")?)?;
    let window = web_sys::window().ok_or("no window")?;
    let tab = window
        .open_with_url_and_target(&url, "_blank")?
        .ok_or("the browser blocked the new tab")?;
    // The tab is same-origin (a blob of this page); its window stays the same
    // object when the blob replaces the first blank document, and loads once.
    let loaded = tab.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = adopt_report_style(&loaded);
    });
    tab.add_event_listener_with_callback("load", onload.unchecked_ref())?;
    // The new tab has loaded the blob by the time a user could need it again.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    Ok(())
}

/// How a copy reached the clipboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copied {
    /// Plain text and rich HTML, through the Clipboard API.
    Rich,
    /// Plain text only, through the older selection-based command.
    PlainText,
}

/// Copies the report as plain text and HTML together, or as plain text
/// where the Clipboard API is missing or denied.
pub async fn copy(host: &HtmlElement, text: &str, html: &str) -> Result<Copied, String> {
    if let Some(clipboard) = clipboard() {
        let items = js_sys::Object::new();
        let rich = blob(text, "text/plain")
            .and_then(|plain| {
                js_sys::Reflect::set(&items, &"text/plain".into(), &plain)?;
                js_sys::Reflect::set(
                    &items,
                    &"text/html".into(),
                    &blob(html, "text/html")?.into(),
                )?;
                web_sys::ClipboardItem::new_with_record_from_str_to_blob_promise(&items)
            })
            .map(|item| clipboard.write(&js_sys::Array::of1(&item)));
        if let Ok(promise) = rich {
            if JsFuture::from(promise).await.is_ok() {
                return Ok(Copied::Rich);
            }
        }
    }
    copy_by_selection(host, text)
        .then_some(Copied::PlainText)
        .ok_or_else(|| "the browser did not allow copying; use Export instead".to_owned())
}

fn clipboard() -> Option<web_sys::Clipboard> {
    let window = web_sys::window()?;
    if !window.is_secure_context() {
        return None;
    }
    let navigator = window.navigator();
    let has = js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false);
    has.then(|| navigator.clipboard())
}

/// The pre-Clipboard-API way: select a hidden text area and run `copy`.
fn copy_by_selection(host: &HtmlElement, text: &str) -> bool {
    let Some(document) = host.owner_document() else {
        return false;
    };
    let Ok(area) = document.create_element("textarea") else {
        return false;
    };
    let area: web_sys::HtmlTextAreaElement = area.unchecked_into();
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("aria-hidden", "true");
    let Some(body) = document.body() else {
        return false;
    };
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let done = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    done
}

/// A setting remembered across visits (localStorage), if the page allows it.
pub fn remembered(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

pub fn remember(key: &str, value: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}

/// The browser's own zone, e.g. `Europe/Amsterdam`.
pub fn local_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

/// Prints a standalone HTML document (and nothing of the host page) through
/// a hidden frame, which removes itself once printing is done.
pub fn print_document(host: &HtmlElement, html: &str) -> Result<(), JsValue> {
    let document = host.owner_document().ok_or("no document")?;
    let frame: web_sys::HtmlIFrameElement = document.create_element("iframe")?.unchecked_into();
    frame.set_srcdoc(html);
    frame.set_attribute("aria-hidden", "true")?;
    frame.set_attribute("tabindex", "-1")?;
    frame.set_width("0");
    frame.set_height("0");
    let loaded = frame.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(window) = loaded.content_window() {
            let _ = adopt_report_style(&window);
            let _ = window.print();
        }
        loaded.remove();
    });
    frame.set_onload(Some(onload.unchecked_ref()));
    document.body().ok_or("no body")?.append_child(&frame)?;
    Ok(())
}
