//! Timestamps as VTEX writes them: UTC with seven fractional digits ("2018-07-04T14:09:08.2718405Z").
//! Fixed width, so stored strings also sort in time order.

use chrono::{DateTime, Utc};

pub fn format_vtex(at: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        at.format("%Y-%m-%dT%H:%M:%S"),
        at.timestamp_subsec_nanos() / 100
    )
}

pub fn now_vtex() -> String {
    format_vtex(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn seven_fractional_digits() {
        let at = Utc.with_ymd_and_hms(2018, 7, 4, 14, 9, 8).unwrap()
            + chrono::Duration::nanoseconds(271_840_512);
        assert_eq!(format_vtex(at), "2018-07-04T14:09:08.2718405Z");
    }
}
