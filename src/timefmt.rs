//! Dates and times as people read them, shared by the terminal app and the CLI's tables: in the
//! user's time zone (`TZ`, else the system's), with the zone spelled out where a time of day
//! matters (details, the audit trail). JSON and CSV keep RFC 3339 UTC and do not come here.
//!
//! The zone is passed in, not read here: the app and the CLI use [`Zone::Local`], tests and
//! snapshots pick a fixed one, so drawing never depends on the machine it runs on.

use chrono::{DateTime, FixedOffset, Local, Offset, TimeZone, Utc};

/// Which clock the screen's dates are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    /// UTC: what tests and snapshots draw unless they say otherwise.
    #[default]
    Utc,
    /// The zone of the machine the app runs on (chrono's `Local`: `TZ`, else /etc/localtime).
    Local,
    /// A fixed offset from UTC (tests).
    Fixed(FixedOffset),
}

impl Zone {
    /// The offset from UTC at `at` (a local zone's offset changes with summer time).
    pub fn offset_at(self, at: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Utc => Utc.fix(),
            Zone::Local => Local.offset_from_utc_datetime(&at.naive_utc()).fix(),
            Zone::Fixed(offset) => offset,
        }
    }

    fn at(self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset_at(at))
    }
}

/// "2026-03-01", the day in the zone.
pub fn date(at: DateTime<Utc>, zone: Zone) -> String {
    zone.at(at).format("%Y-%m-%d").to_string()
}

/// "14:05:09", the time of day in the zone (the title bar's last refresh).
pub fn clock(at: DateTime<Utc>, zone: Zone) -> String {
    zone.at(at).format("%H:%M:%S").to_string()
}

/// "2026-03-01 14:05 -03:00" (or "… UTC"): a moment with the zone it is given in.
pub fn date_time(at: DateTime<Utc>, zone: Zone) -> String {
    let local = zone.at(at);
    format!(
        "{} {}",
        local.format("%Y-%m-%d %H:%M"),
        zone_name(local.offset())
    )
}

/// "2026-03-01 14:05:09 -03:00" (or "… UTC"): as [`date_time`], to the second (the CLI's
/// audit and `keys show`, where entries a few seconds apart must stay apart).
pub fn date_time_seconds(at: DateTime<Utc>, zone: Zone) -> String {
    let local = zone.at(at);
    format!(
        "{} {}",
        local.format("%Y-%m-%d %H:%M:%S"),
        zone_name(local.offset())
    )
}

/// "UTC" for a zero offset, else "+05:30" / "-03:00".
fn zone_name(offset: &FixedOffset) -> String {
    if offset.local_minus_utc() == 0 {
        "UTC".to_string()
    } else {
        offset.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 1, 5, 9).unwrap()
    }

    #[test]
    fn a_fixed_zone_moves_the_day_and_names_the_offset() {
        let sao_paulo = Zone::Fixed(FixedOffset::west_opt(3 * 3600).unwrap());
        assert_eq!(date(moment(), sao_paulo), "2026-02-28");
        assert_eq!(date_time(moment(), sao_paulo), "2026-02-28 22:05 -03:00");
        assert_eq!(clock(moment(), sao_paulo), "22:05:09");
        assert_eq!(date_time(moment(), Zone::Utc), "2026-03-01 01:05 UTC");
        assert_eq!(
            date_time_seconds(moment(), sao_paulo),
            "2026-02-28 22:05:09 -03:00"
        );
    }
}
