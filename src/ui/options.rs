//! What a host tells the panel: which incident, and where to get it.

use wasm_bindgen::JsValue;

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
}

impl Default for PanelOptions {
    fn default() -> Self {
        PanelOptions {
            incident_id: String::new(),
            api_base: "/api".into(),
            bundle_url: None,
            time_zone: "UTC".into(),
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
        if let Some(zone) = text("timeZone")? {
            options.time_zone = zone;
        }
        Ok(options)
    }

    /// Where the incident bundle is fetched from.
    pub fn bundle_location(&self) -> String {
        match &self.bundle_url {
            Some(url) => url.clone(),
            None => format!(
                "{}/incidents/{}",
                self.api_base,
                js_sys::encode_uri_component(&self.incident_id)
            ),
        }
    }
}
