//! The embeddable panel (Leptos, Wasm only): [`mount`] puts it into a host
//! element, inside an open shadow root, and returns a handle to remove it.

mod dom;
mod http;
mod options;
mod panel;
#[cfg(feature = "local-engine")]
mod zone;

pub use options::PanelOptions;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};

/// A mounted panel; `unmount()` (or dropping it) removes everything it added.
#[wasm_bindgen]
pub struct MountHandle {
    view: Option<Box<dyn std::any::Any>>,
    container: HtmlElement,
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes the panel and its container from the host.
    pub fn unmount(mut self) {
        self.remove();
    }
}

impl MountHandle {
    fn remove(&mut self) {
        self.view.take();
        self.container.remove();
    }
}

impl Drop for MountHandle {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Mounts the panel into `host` with options `{incidentId, apiBase, bundleUrl, timeZone}`.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, options: JsValue) -> Result<MountHandle, JsValue> {
    console_error_panic_hook::set_once();
    let options = PanelOptions::from_js(&options)?;
    mount_with(host, options)
}

/// Mounts the panel with options built in Rust (tests, the custom element).
pub fn mount_with(host: HtmlElement, options: PanelOptions) -> Result<MountHandle, JsValue> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => {
            let init = ShadowRootInit::new(ShadowRootMode::Open);
            host.attach_shadow(&init)?
        }
    };
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(panel::STYLE)?;
    js_sys::Reflect::set(
        &root,
        &"adoptedStyleSheets".into(),
        &js_sys::Array::of1(&sheet),
    )?;
    let document = host
        .owner_document()
        .ok_or("the host element has no document")?;
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name("irp-root");
    root.append_child(&container)?;
    let view = leptos::mount::mount_to(container.clone(), move || {
        let host = StoredValue::new_local(host);
        view! { <panel::Panel options=options host=host/> }
    });
    Ok(MountHandle {
        view: Some(Box::new(view)),
        container,
    })
}
