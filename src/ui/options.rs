//! What a host tells the panel: which incident, and where to get it.

use super::http::Access;
use wasm_bindgen::{JsCast, JsValue};

/// Options of [`super::mount`], with their defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelOptions {
    /// The incident to show (required).
    pub incident_id: String,
    /// Base of the HTTP API (`/api`).
    pub api_base: String,
    /// A static URL of the incident bundle: when set, the panel needs no
    /// server and builds the report in the browser.
    pub bundle_url: Option<String>,
    /// IANA zone for the times shown (`UTC`).
    pub time_zone: String,
    /// Extra request headers (e.g. `Authorization`) and the credentials mode.
    pub access: Access,
}

impl Default for PanelOptions {
    fn default() -> Self {
        PanelOptions {
            incident_id: String::new(),
            api_base: "/api".into(),
            bundle_url: None,
            time_zone: "UTC".into(),
            access: Access::default(),
        }
    }
}

impl PanelOptions {
    /// Reads a plain JS object; unknown keys are ignored, wrong types are errors.
    pub fn from_js(value: &JsValue) -> Result<Self, JsValue> {
        let mut options = PanelOptions::default();
        let text = |key: &str| -> Result<Option<String>, JsValue> {
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            let field = js_sys::Reflect::get(value, &key.into())?;
            if field.is_undefined() || field.is_null() {
                return Ok(None);
            }
            field
                .as_string()
                .map(Some)
                .ok_or_else(|| JsValue::from_str(&format!("option {key} must be a string")))
        };
        options.incident_id = text("incidentId")?.ok_or("option incidentId is required")?;
        if let Some(base) = text("apiBase")? {
            options.api_base = base.trim_end_matches('/').to_owned();
        }
        options.bundle_url = text("bundleUrl")?;
        if options.bundle_url.is_some() && !cfg!(feature = "local-engine") {
            return Err(
                "option bundleUrl needs the panel built with its own engine \
                        (cargo feature local-engine); this build asks the server (apiBase)"
                    .into(),
            );
        }
        if let Some(zone) = text("timeZone")? {
            options.time_zone = zone;
        }
        options.access.credentials = text("credentials")?;
        let headers = js_sys::Reflect::get(value, &"headers".into())?;
        if let Some(headers) = headers.dyn_ref::<js_sys::Object>() {
            for entry in js_sys::Object::entries(headers).iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                let (name, value) = (pair.get(0).as_string(), pair.get(1).as_string());
                match (name, value) {
                    (Some(name), Some(value)) => options.access.headers.push((name, value)),
                    _ => return Err("option headers must map names to strings".into()),
                }
            }
        }
        Ok(options)
    }

    /// The report is built by the server's generation endpoint (not in the browser).
    pub fn uses_api(&self) -> bool {
        self.bundle_url.is_none()
    }

    /// The generation endpoint, and where comments and feedback go.
    pub fn incident_url(&self, rest: &str) -> String {
        format!(
            "{}/incidents/{}{rest}",
            self.api_base,
            js_sys::encode_uri_component(&self.incident_id)
        )
    }

    /// Where the incident bundle is fetched from.
    pub fn bundle_location(&self) -> String {
        match &self.bundle_url {
            Some(url) => url.clone(),
            None => self.incident_url(""),
        }
    }
}
