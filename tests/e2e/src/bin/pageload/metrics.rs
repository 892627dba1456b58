//! Every run's figures per metric, and the notes and `BENCH` lines made of them.

use cca::loading::DEFAULT_CONCURRENCY;

use crate::loads::{Memory, Paint, RangeLoadTimes, LATENCIES_MS};
use crate::stats::{self, Metric, Unit};

/// The samples of one latency's loads.
pub struct LatencyMetric {
    latency_ms: u64,
    metric: Metric,
    requests: Vec<f64>,
    first_request: Vec<f64>,
}

impl LatencyMetric {
    fn new(latency_ms: u64) -> Self {
        let name = match latency_ms {
            0 => "load_90d_no_latency",
            20 => "load_90d_latency_20ms",
            100 => "load_90d_latency_100ms",
            _ => "load_90d_latency",
        };
        LatencyMetric {
            latency_ms,
            metric: Metric::new(name, Unit::Ms),
            requests: Vec::new(),
            first_request: Vec::new(),
        }
    }

    pub fn latency_ms(&self) -> u64 {
        self.latency_ms
    }

    /// The latest load's time, for the progress line.
    pub fn last(&self) -> Option<f64> {
        self.metric.samples.last().copied()
    }

    pub fn push(&mut self, times: &RangeLoadTimes) {
        self.metric.samples.push(times.load);
        self.requests.push(times.requests as f64);
        self.first_request.push(times.first_request);
    }

    /// The ideal time and the note, from every run's request count.
    fn finish(&mut self) {
        let (Some(c), Some(first)) = (
            stats::summarize(&self.requests),
            stats::summarize(&self.first_request),
        ) else {
            return;
        };
        let ms = self.latency_ms;
        let n = c.median;
        let spread = if c.min < c.max {
            format!(" ({:.0}–{:.0})", c.min, c.max)
        } else {
            String::new()
        };
        let ideal = if ms > 0 {
            let rounds = (n / DEFAULT_CONCURRENCY as f64).ceil();
            self.metric.ideal_ms = Some(rounds * ms as f64);
            format!(": ideal ⌈{n:.0} ÷ {DEFAULT_CONCURRENCY}⌉ × {ms} ms")
        } else {
            String::new()
        };
        let latency = if ms > 0 {
            format!("{ms} ms added to every usage request")
        } else {
            "no added latency".to_owned()
        };
        self.metric.note = format!(
            "activity ?range=90d, {latency}: first usage request's start → cca:range-loaded; {n:.0}{spread} usage requests, concurrency {DEFAULT_CONCURRENCY}{ideal}; the first request starts {:.0} ms after navigation start (median)",
            first.median
        );
    }
}

/// One run's cold loads: paint times and memory of each page.
pub struct Run {
    pub bare: (Paint, Memory),
    pub app: (Paint, Memory),
    /// The minimal Leptos + plotters page, when it was built.
    pub minimal: Option<(Paint, Memory)>,
}

pub struct Metrics {
    first_chart_app: Metric,
    first_chart_bare: Metric,
    first_chart_minimal: Metric,
    ratio: Metric,
    ratio_minimal: Metric,
    fcp_app: Metric,
    fcp_bare: Metric,
    memory_app: Metric,
    memory_bare: Metric,
    memory_minimal: Metric,
    /// VmRSS − RssFile of the app's and the bare page's renderers.
    not_file_app: Metric,
    not_file_bare: Metric,
    pss_app: Vec<f64>,
    pss_bare: Vec<f64>,
    file_app: Vec<f64>,
    file_bare: Vec<f64>,
    file_minimal: Vec<f64>,
    wasm_app: Vec<f64>,
    js_app: Vec<f64>,
    ui_rss: Vec<f64>,
    latency: Vec<LatencyMetric>,
}

impl Metrics {
    pub fn new() -> Self {
        Metrics {
            first_chart_app: Metric::new("first_chart_app_30d", Unit::Ms),
            first_chart_bare: Metric::new("first_chart_bare", Unit::Ms),
            first_chart_minimal: Metric::new("first_chart_minimal_leptos", Unit::Ms),
            ratio: Metric::new("first_chart_ratio", Unit::Ratio),
            ratio_minimal: Metric::new("first_chart_ratio_minimal_leptos", Unit::Ratio),
            fcp_app: Metric::new("fcp_app_30d", Unit::Ms),
            fcp_bare: Metric::new("fcp_bare", Unit::Ms),
            memory_app: Metric::new("memory_app_overview_90d", Unit::MiB),
            memory_bare: Metric::new("memory_bare", Unit::MiB),
            memory_minimal: Metric::new("memory_minimal_leptos", Unit::MiB),
            not_file_app: Metric::new("memory_app_overview_90d_not_file", Unit::MiB),
            not_file_bare: Metric::new("memory_bare_not_file", Unit::MiB),
            pss_app: Vec::new(),
            pss_bare: Vec::new(),
            file_app: Vec::new(),
            file_bare: Vec::new(),
            file_minimal: Vec::new(),
            wasm_app: Vec::new(),
            js_app: Vec::new(),
            ui_rss: Vec::new(),
            latency: LATENCIES_MS.into_iter().map(LatencyMetric::new).collect(),
        }
    }

    /// One run's pages, loaded one after the other.
    pub fn record(&mut self, run: &Run) {
        let ((bare_paint, bare_mem), (app_paint, app_mem)) = (&run.bare, &run.app);
        if let Some((paint, mem)) = &run.minimal {
            self.first_chart_minimal.samples.push(paint.first_chart);
            self.ratio_minimal
                .samples
                .push(paint.first_chart / bare_paint.first_chart);
            self.memory_minimal.samples.push(mem.rss);
            self.file_minimal.extend(mem.file);
            self.ui_rss.extend(mem.ui_rss);
        }
        self.first_chart_app.samples.push(app_paint.first_chart);
        self.first_chart_bare.samples.push(bare_paint.first_chart);
        self.ratio
            .samples
            .push(app_paint.first_chart / bare_paint.first_chart);
        self.fcp_app.samples.push(app_paint.fcp);
        self.fcp_bare.samples.push(bare_paint.fcp);
        self.memory_app.samples.push(app_mem.rss);
        self.memory_bare.samples.push(bare_mem.rss);
        self.pss_app.extend(app_mem.pss);
        self.pss_bare.extend(bare_mem.pss);
        self.file_app.extend(app_mem.file);
        self.file_bare.extend(bare_mem.file);
        self.not_file_app.samples.extend(app_mem.not_file());
        self.not_file_bare.samples.extend(bare_mem.not_file());
        self.wasm_app.extend(app_mem.heaps.map(|h| h.wasm));
        self.js_app.extend(app_mem.heaps.map(|h| h.js));
        self.ui_rss.extend(app_mem.ui_rss);
        self.ui_rss.extend(bare_mem.ui_rss);
    }

    pub fn latencies(&mut self) -> &mut [LatencyMetric] {
        &mut self.latency
    }

    /// Writes the notes (they need every run's figures) and returns the lines.
    pub fn finish(mut self) -> Vec<String> {
        let median = |label: &str, values: &[f64]| {
            stats::summarize(values)
                .map(|s| format!("; {label} median {:.1} MiB", s.median))
                .unwrap_or_default()
        };
        let pss = |values: &[f64]| median("PSS", values);
        let file = |values: &[f64]| median("file-backed (RssFile)", values);
        self.first_chart_app.note =
            "overview ?range=30d: navigation start → cca:first-chart (first chart drawn with data)"
                .into();
        self.first_chart_bare.note =
            "bare page: navigation start → the mark its inline script sets after painting a canvas"
                .into();
        self.first_chart_minimal.note =
            "minimal Leptos + plotters page (tests/reference: a heading and seven bars on axes, same versions and release profile): navigation start → the mark it sets after drawing"
                .into();
        self.ratio.note =
            "first_chart_app_30d ÷ first_chart_bare of the same run (a ratio, not ms)".into();
        self.ratio_minimal.note =
            "first_chart_minimal_leptos ÷ first_chart_bare of the same run: what any Leptos + plotters page costs here"
                .into();
        self.memory_minimal.note = format!(
            "minimal Leptos + plotters page: page renderer's VmRSS 1 s after its mark{}",
            file(&self.file_minimal)
        );
        self.fcp_app.note = "overview ?range=30d: first-contentful-paint".into();
        self.fcp_bare.note = "bare page: first-contentful-paint".into();
        let heaps = match (
            stats::summarize(&self.wasm_app),
            stats::summarize(&self.js_app),
        ) {
            (Some(wasm), Some(js)) => format!(
                "; of it wasm memory {:.1} MiB, used JS heap {:.1} MiB (medians)",
                wasm.median, js.median
            ),
            _ => String::new(),
        };
        self.memory_app.note = format!(
            "overview ?range=90d (and its previous period): page renderer's VmRSS after cca:range-loaded, requests quiet 0.5 s, then 1 s{}{}{heaps}",
            file(&self.file_app),
            pss(&self.pss_app)
        );
        let ui = stats::summarize(&self.ui_rss)
            .map(|s| {
                format!(
                    "; Chromium's own UI renderer, not counted: {:.1} MiB",
                    s.median
                )
            })
            .unwrap_or_default();
        self.memory_bare.note = format!(
            "bare page: page renderer's VmRSS 1 s after its mark{}{}{ui}",
            file(&self.file_bare),
            pss(&self.pss_bare)
        );
        self.not_file_app.note =
            "memory_app_overview_90d less its file-backed part (VmRSS − RssFile): the page's heaps, tiles and canvases, without the pages of Chromium's binary and fonts that move with the machine's page cache"
                .into();
        self.not_file_bare.note = "memory_bare less its file-backed part (VmRSS − RssFile)".into();
        for latency in &mut self.latency {
            latency.finish();
        }
        let mut lines = Vec::new();
        for metric in [
            &self.first_chart_app,
            &self.first_chart_bare,
            &self.first_chart_minimal,
            &self.ratio,
            &self.ratio_minimal,
            &self.fcp_app,
            &self.fcp_bare,
            &self.memory_app,
            &self.memory_bare,
            &self.memory_minimal,
            &self.not_file_app,
            &self.not_file_bare,
        ]
        .into_iter()
        .chain(self.latency.iter().map(|l| &l.metric))
        {
            lines.extend(metric.bench_line());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_per_run_and_ideal_times() {
        let mut m = Metrics::new();
        let paint = |first_chart, fcp| Paint { first_chart, fcp };
        let mem = |rss: f64| Memory {
            rss,
            file: Some(rss - 30.0),
            pss: Some(rss / 2.0),
            ui_rss: Some(155.0),
            heaps: (rss > 150.0).then_some(crate::loads::Heaps {
                wasm: rss / 60.0,
                js: 4.0,
            }),
        };
        m.record(&Run {
            bare: (paint(50.0, 80.0), mem(120.0)),
            app: (paint(300.0, 150.0), mem(198.0)),
            minimal: Some((paint(90.0, 85.0), mem(130.0))),
        });
        m.record(&Run {
            bare: (paint(100.0, 90.0), mem(121.0)),
            app: (paint(400.0, 160.0), mem(199.0)),
            minimal: Some((paint(150.0, 95.0), mem(131.0))),
        });
        for l in m.latencies() {
            l.push(&RangeLoadTimes {
                load: 1000.0,
                first_request: 200.0,
                requests: 90,
            });
        }
        let lines = m.finish();
        assert_eq!(lines.len(), 12 + LATENCIES_MS.len());
        let line = |name: &str| {
            lines
                .iter()
                .find(|l| l.starts_with(&format!("BENCH {name} ")))
                .cloned()
                .unwrap_or_default()
        };
        // 300/50 and 400/100: the ratio of each run, not of the medians.
        assert!(line("first_chart_ratio").starts_with(
            "BENCH first_chart_ratio runs=2 median=5.000 min=4.000 max=6.000 unit=x "
        ));
        // 90/50 and 150/100.
        assert!(line("first_chart_ratio_minimal_leptos").starts_with(
            "BENCH first_chart_ratio_minimal_leptos runs=2 median=1.650 min=1.500 max=1.800 unit=x "
        ));
        assert!(line("memory_minimal_leptos").contains("median=130.500"));
        assert!(line("memory_bare").contains("PSS median 60.2 MiB"));
        // 120 − 30 and 121 − 30.
        assert!(line("memory_bare").contains("file-backed (RssFile) median 90.5 MiB"));
        assert!(line("memory_minimal_leptos").contains("file-backed (RssFile) median 100.5 MiB"));
        // VmRSS − RssFile is 30 MiB in every sample.
        assert!(line("memory_bare_not_file").contains("median=30.000 min=30.000 max=30.000"));
        assert!(line("memory_app_overview_90d_not_file").contains("median=30.000"));
        assert!(line("memory_app_overview_90d")
            .contains("of it wasm memory 3.3 MiB, used JS heap 4.0 MiB (medians)"));
        assert!(!line("memory_bare").contains("wasm memory"));
        assert!(line("load_90d_latency_20ms").contains("unit=ms ideal=300 "));
        assert!(line("load_90d_latency_100ms").contains("unit=ms ideal=1500 "));
        assert!(!line("load_90d_no_latency").contains("ideal="));
        assert!(line("load_90d_no_latency").contains("90 usage requests"));
    }

    #[test]
    fn without_the_minimal_page_its_lines_are_left_out() {
        let mut m = Metrics::new();
        let paint = Paint {
            first_chart: 100.0,
            fcp: 50.0,
        };
        let mem = Memory {
            rss: 150.0,
            file: None,
            pss: None,
            ui_rss: None,
            heaps: None,
        };
        m.record(&Run {
            bare: (Paint { ..paint }, mem),
            app: (Paint { ..paint }, mem),
            minimal: None,
        });
        let lines = m.finish();
        assert_eq!(lines.len(), 7);
        assert!(!lines.iter().any(|l| l.contains("minimal")));
    }
}
