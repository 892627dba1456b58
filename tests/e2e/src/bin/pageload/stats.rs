//! Samples per metric, their median/min/max, and the `BENCH …` lines
//! `cargo xtask bench` parses (xtask/src/bench.rs).

use std::fmt::Write as _;

/// What a metric's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Ms,
    /// Mebibytes (2^20 bytes).
    MiB,
    /// Kibibytes (2^10 bytes).
    KiB,
    /// A dimensionless ratio (×).
    Ratio,
}

impl Unit {
    /// The `unit=` word of a `BENCH` line.
    pub fn word(self) -> &'static str {
        match self {
            Unit::Ms => "ms",
            Unit::MiB => "MiB",
            Unit::KiB => "KiB",
            Unit::Ratio => "x",
        }
    }
}

/// Median (the mean of the middle two for an even count), min and max.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// `None` for no values.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = match n {
        0 => return None,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    };
    Some(Summary {
        median,
        min: sorted[0],
        max: sorted[n - 1],
    })
}

/// One metric: its samples in run order.
#[derive(Debug, Clone)]
pub struct Metric {
    pub name: String,
    pub unit: Unit,
    pub samples: Vec<f64>,
    /// The ideal time (ms) it should approach, when there is one.
    pub ideal_ms: Option<f64>,
    pub note: String,
}

impl Metric {
    pub fn new(name: impl Into<String>, unit: Unit) -> Self {
        Metric {
            name: name.into(),
            unit,
            samples: Vec::new(),
            ideal_ms: None,
            note: String::new(),
        }
    }

    /// `BENCH <name> runs=<n> median=<v> min=<v> max=<v> unit=<u> [ideal=<ms>] <note>`;
    /// `None` without samples.
    pub fn bench_line(&self) -> Option<String> {
        let s = summarize(&self.samples)?;
        let mut line = format!(
            "BENCH {} runs={} median={:.3} min={:.3} max={:.3} unit={}",
            self.name,
            self.samples.len(),
            s.median,
            s.min,
            s.max,
            self.unit.word()
        );
        if let Some(ideal) = self.ideal_ms {
            let _ = write!(line, " ideal={ideal:.0}");
        }
        if !self.note.is_empty() {
            let _ = write!(line, " {}", self.note);
        }
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_min_max() {
        assert_eq!(summarize(&[]), None);
        assert_eq!(
            summarize(&[3.0, 1.0, 2.0]),
            Some(Summary {
                median: 2.0,
                min: 1.0,
                max: 3.0
            })
        );
        assert_eq!(
            summarize(&[4.0, 1.0, 2.0, 10.0]).map(|s| s.median),
            Some(3.0)
        );
    }

    #[test]
    fn bench_lines_carry_unit_and_ideal() {
        let mut m = Metric::new("memory_bare", Unit::MiB);
        assert_eq!(m.bench_line(), None);
        m.samples = vec![157.25, 156.0, 160.5];
        m.note = "largest renderer VmRSS".into();
        assert_eq!(
            m.bench_line().as_deref(),
            Some("BENCH memory_bare runs=3 median=157.250 min=156.000 max=160.500 unit=MiB largest renderer VmRSS")
        );
        let mut m = Metric::new("load_90d_latency_20ms", Unit::Ms);
        m.samples = vec![410.0];
        m.ideal_ms = Some(300.0);
        assert_eq!(
            m.bench_line().as_deref(),
            Some("BENCH load_90d_latency_20ms runs=1 median=410.000 min=410.000 max=410.000 unit=ms ideal=300")
        );
    }
}
