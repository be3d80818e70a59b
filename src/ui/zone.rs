//! Time zones in the browser, through `Intl.DateTimeFormat` (no tz database
//! in the Wasm). Offsets are cached per quarter hour: zones change on those.

use crate::model::Timestamp;
use crate::report::{UnknownZone, Utc, Zone};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};

pub struct BrowserZone {
    name: String,
    format: js_sys::Intl::DateTimeFormat,
    offsets: RefCell<HashMap<i64, i64>>,
}

/// `UTC`, or an IANA zone the browser knows.
pub fn zone_by_name(name: &str) -> Result<Box<dyn Zone>, UnknownZone> {
    let name = name.trim();
    if name.is_empty() || name.eq_ignore_ascii_case("utc") {
        return Ok(Box::new(Utc));
    }
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    };
    set("timeZone", name);
    set("hourCycle", "h23");
    for key in ["year", "month", "day", "hour", "minute", "second"] {
        set(key, "numeric");
    }
    // An unknown zone makes the constructor throw a RangeError.
    let unknown = || UnknownZone(name.to_owned());
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).map_err(|_| unknown())?;
    let constructor =
        js_sys::Reflect::get(&intl, &"DateTimeFormat".into()).map_err(|_| unknown())?;
    let format = js_sys::Reflect::construct(
        constructor.unchecked_ref::<js_sys::Function>(),
        &js_sys::Array::of2(&JsValue::from_str("en-US"), &options),
    )
    .map_err(|_| unknown())?;
    let format: js_sys::Intl::DateTimeFormat = format.unchecked_into();
    let resolved = js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| name.to_owned());
    Ok(Box::new(BrowserZone {
        name: resolved,
        format,
        offsets: RefCell::default(),
    }))
}

impl BrowserZone {
    /// Local wall-clock fields minus UTC, in seconds.
    fn compute_offset(&self, at: Timestamp) -> i64 {
        let date = js_sys::Date::new(&JsValue::from_f64(at.seconds() as f64 * 1000.0));
        let parts = self.format.format_to_parts(&date);
        let mut fields = [0i64; 6];
        for part in parts.iter() {
            let get = |k: &str| js_sys::Reflect::get(&part, &k.into()).ok()?.as_string();
            let (Some(kind), Some(value)) = (get("type"), get("value")) else {
                continue;
            };
            let slot = match kind.as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                "hour" => 3,
                "minute" => 4,
                "second" => 5,
                _ => continue,
            };
            fields[slot] = value.parse().unwrap_or(0);
        }
        let [y, mo, d, h, mi, s] = fields;
        let local = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
        Timestamp::parse(&local).map_or(0, |local| local.seconds() - at.seconds())
    }
}

impl Zone for BrowserZone {
    fn name(&self) -> &str {
        &self.name
    }

    fn offset_seconds(&self, at: Timestamp) -> i64 {
        let bucket = at.seconds().div_euclid(900);
        if let Some(&offset) = self.offsets.borrow().get(&bucket) {
            return offset;
        }
        let offset = self.compute_offset(Timestamp::from_millis(bucket * 900_000));
        self.offsets.borrow_mut().insert(bucket, offset);
        offset
    }
}
