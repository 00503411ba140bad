//! Timestamps as VTEX sends them: "2018-07-04T14:09:08.2718405Z" (seven fractional digits),
//! and in other endpoints "2019-12-11T21:06:33" with no zone at all (taken as UTC).

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn parse(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp(at.with_timezone(&Utc)));
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
            .ok()
            .map(|naive| Timestamp(naive.and_utc()))
    }
}

impl Timestamp {
    /// RFC 3339 in UTC with `Z`, as every date in the CLI's JSON and CSV is written: whole
    /// seconds, or the fraction the server gave ("2026-03-01T17:05:09Z",
    /// "2018-07-04T14:09:08.271840500Z").
    pub fn rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("not a timestamp: {:?}", truncate(&text, 40)))
        })
    }
}

fn truncate(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(at, _)| &text[..at])
}

/// For optional timestamps: missing, null, or an empty string are all "none". Read from the
/// borrowed text, without a `String` per date (a listing of 100 000 keys holds 300 000).
pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    deserializer.deserialize_option(OptionalTimestamp)
}

struct OptionalTimestamp;

impl<'de> Visitor<'de> for OptionalTimestamp {
    type Value = Option<Timestamp>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a timestamp or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        match text.trim() {
            "" => Ok(None),
            text => Timestamp::parse(text).map(Some).ok_or_else(|| {
                de::Error::custom(format!("not a timestamp: {:?}", truncate(text, 40)))
            }),
        }
    }
}

/// For the answers that carry a token (create, renew): an unreadable date becomes "none"
/// rather than an error, because failing the whole answer would lose the token.
pub fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .and_then(Timestamp::parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vtex_variants() {
        let seven = Timestamp::parse("2018-07-04T14:09:08.2718405Z").unwrap();
        assert_eq!(seven.0.timestamp_subsec_nanos(), 271_840_500);
        let zoneless = Timestamp::parse("2019-12-11T21:06:33").unwrap();
        assert_eq!(zoneless.0.to_rfc3339(), "2019-12-11T21:06:33+00:00");
        let offset = Timestamp::parse("2025-02-18T12:00:00-03:00").unwrap();
        assert_eq!(offset.0.to_rfc3339(), "2025-02-18T15:00:00+00:00");
        assert!(Timestamp::parse("yesterday").is_none());
    }

    #[derive(Deserialize)]
    struct Dated {
        #[serde(default, deserialize_with = "optional")]
        at: Option<Timestamp>,
    }

    fn dated(json: &str) -> Result<Option<Timestamp>, String> {
        serde_json::from_str::<Dated>(json)
            .map(|d| d.at)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn optional_reads_missing_null_empty_escaped_and_refuses_the_rest() {
        assert_eq!(dated("{}"), Ok(None));
        assert_eq!(dated(r#"{"at":null}"#), Ok(None));
        assert_eq!(dated(r#"{"at":" "}"#), Ok(None));
        let plain = dated(r#"{"at":"2019-12-11T21:06:33Z"}"#).unwrap();
        // An escape makes serde hand over a copied, not a borrowed, string: same answer.
        let escaped = dated(r#"{"at":"2019-12-11T21:06:33\u005A"}"#).unwrap();
        assert_eq!(plain, escaped);
        assert!(plain.is_some());
        assert!(
            dated(r#"{"at":"soon"}"#)
                .unwrap_err()
                .contains("not a timestamp")
        );
        assert!(dated(r#"{"at":42}"#).is_err());
    }
}
