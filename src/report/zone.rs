//! The zone times are shown in: UTC built in, IANA zones natively (chrono-tz);
//! the browser brings its own through `Intl`.

use crate::model::Timestamp;
use std::fmt;

/// A time zone as the report needs it.
pub trait Zone {
    /// What the report writes after a time: `UTC`, `Europe/Amsterdam`.
    fn name(&self) -> &str;
    /// The zone's offset from UTC at that instant, in seconds.
    fn offset_seconds(&self, at: Timestamp) -> i64;
}

/// Coordinated Universal Time, the default.
#[derive(Clone, Copy, Debug, Default)]
pub struct Utc;

impl Zone for Utc {
    fn name(&self) -> &str {
        "UTC"
    }

    fn offset_seconds(&self, _at: Timestamp) -> i64 {
        0
    }
}

/// A zone name the engine does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownZone(pub String);

impl fmt::Display for UnknownZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown time zone {:?}: expected UTC or an IANA name such as Europe/Amsterdam",
            crate::model::clip(&self.0, 60)
        )
    }
}

impl std::error::Error for UnknownZone {}

#[cfg(not(target_arch = "wasm32"))]
pub use iana::{zone_by_name, IanaZone};

#[cfg(not(target_arch = "wasm32"))]
mod iana {
    use super::{UnknownZone, Utc, Zone};
    use crate::model::Timestamp;
    use chrono::{Offset, TimeZone};

    /// An IANA zone from the tz database compiled into the binary.
    #[derive(Clone, Copy, Debug)]
    pub struct IanaZone(chrono_tz::Tz);

    impl Zone for IanaZone {
        fn name(&self) -> &str {
            self.0.name()
        }

        fn offset_seconds(&self, at: Timestamp) -> i64 {
            chrono::DateTime::from_timestamp(at.seconds(), 0).map_or(0, |utc| {
                let offset = self.0.offset_from_utc_datetime(&utc.naive_utc());
                i64::from(offset.fix().local_minus_utc())
            })
        }
    }

    /// `UTC` or an IANA name, e.g. `Europe/Amsterdam`.
    pub fn zone_by_name(name: &str) -> Result<Box<dyn Zone>, UnknownZone> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("z") {
            return Ok(Box::new(Utc));
        }
        name.parse::<chrono_tz::Tz>()
            .map(|tz| Box::new(IanaZone(tz)) as Box<dyn Zone>)
            .map_err(|_| UnknownZone(name.to_owned()))
    }
}
