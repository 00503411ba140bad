//! Grace periods as people write them: `0`, `90s`, `30m`, `24h`, `7d`, `2w`, or a sum (`1d12h`).

use std::time::Duration;

/// The longest grace accepted: a year. Longer, the old token outlives any sane rotation.
const MAX: Duration = Duration::from_secs(366 * 24 * 3600);

/// Parses a grace period; the error is a sentence naming what is accepted.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let invalid = || {
        format!(
            "{text:?} is not a grace period: write 0 (delete the old token at once) or a number \
             with a unit — 90s, 30m, 24h, 7d, 2w — or a sum such as 1d12h (at most 366d)"
        )
    };
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: u64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(invalid()),
        };
        let n: u64 = digits.parse().map_err(|_| invalid())?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|secs| total.checked_add(secs))
            .ok_or_else(invalid)?;
    }
    if !digits.is_empty() || text.is_empty() {
        return Err(invalid());
    }
    let grace = Duration::from_secs(total);
    if grace > MAX {
        return Err(invalid());
    }
    Ok(grace)
}

/// The shortest way to write `grace` back: `0`, `45s`, `24h`, `7d`, `1d12h`.
pub fn show(grace: Duration) -> String {
    let mut secs = grace.as_secs();
    if secs == 0 {
        return "0".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out += &format!("{}{unit}", secs / size);
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_periods_read_as_written() {
        assert_eq!(parse("0"), Ok(Duration::ZERO));
        assert_eq!(parse(" 1s "), Ok(Duration::from_secs(1)));
        assert_eq!(parse("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse("1d12h"), Ok(Duration::from_secs(129_600)));
        assert_eq!(parse("2w"), Ok(Duration::from_secs(14 * 86_400)));
        for bad in [
            "",
            "24",
            "h",
            "1y",
            "-1h",
            "1.5h",
            "367d",
            "99999999999999999999d",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(parse("1y").unwrap_err().contains("24h"));
        assert_eq!(show(Duration::from_secs(129_600)), "1d12h");
        assert_eq!(show(Duration::ZERO), "0");
        assert_eq!(show(Duration::from_secs(45)), "45s");
    }
}
