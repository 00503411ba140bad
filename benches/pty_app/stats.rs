//! Order statistics of latency samples, and how they are printed.

use std::time::Duration;

/// The nearest-rank percentile `p` (0 < p ≤ 100) of `samples`: the smallest sample with at
/// least p % of all samples at or below it. `None` for no samples.
pub fn percentile(samples: &[Duration], p: f64) -> Option<Duration> {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

pub fn median(samples: &[Duration]) -> Option<Duration> {
    percentile(samples, 50.0)
}

pub fn max(samples: &[Duration]) -> Option<Duration> {
    samples.iter().max().copied()
}

/// Milliseconds with two decimals, or "n/a" where there was no sample.
pub fn ms(value: Option<Duration>) -> String {
    match value {
        Some(d) => format!("{:.2} ms", d.as_secs_f64() * 1000.0),
        None => "n/a".into(),
    }
}

/// "NAME (N keys, S samples): median X ms, p99 Y ms, max Z ms" to the first byte, the same
/// to the last byte of the redraw, plus the samples thrown away.
pub fn print_median_p99(
    name: &str,
    keys: usize,
    first: &[Duration],
    last: &[Duration],
    discarded: usize,
) {
    println!(
        "{name:<28} ({keys} keys, {} samples): median {}, p99 {}, max {} \
         | whole redraw: median {}, p99 {}{}",
        first.len(),
        ms(median(first)),
        ms(percentile(first, 99.0)),
        ms(max(first)),
        ms(median(last)),
        ms(percentile(last, 99.0)),
        discarded_note(discarded),
    );
}

pub fn discarded_note(discarded: usize) -> String {
    if discarded == 0 {
        String::new()
    } else {
        format!(" [{discarded} discarded: output before the key, or no redraw]")
    }
}
