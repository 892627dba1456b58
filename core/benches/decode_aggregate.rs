//! Native benchmark: decode + aggregate 100,000 records of the demo
//! organization, as the console API's JSON (`cargo bench -p cca-core --bench decode_aggregate`).
//! The browser figure comes from `cargo xtask bench` (tests/bench.rs).

use std::collections::HashMap;
use std::hint::black_box;

use cca_core::demo::{DemoConfig, DemoOrg};
use cca_core::model::aggregate::aggregate;
use cca_core::model::dates::DateRange;
use cca_core::model::decode::decode_usage_page;
use cca_core::model::record::UsageRecord;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Days of JSON, newest first, until `wanted` records.
fn api_days(wanted: usize) -> (DateRange, Vec<(NaiveDate, String)>) {
    DemoOrg::new(DemoConfig {
        members: 2_000,
        ..DemoConfig::default()
    })
    .api_days_json(wanted)
}

fn decode_and_aggregate(c: &mut Criterion) {
    let (range, days) = api_days(100_000);
    let mut group = c.benchmark_group("records");
    group.sample_size(10);
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("decode_aggregate_100k", |b| {
        b.iter(|| {
            let decoded: HashMap<NaiveDate, Vec<UsageRecord>> = days
                .iter()
                .map(|(day, json)| (*day, decode_usage_page(*day, json).expect("decodes").data))
                .collect();
            black_box(aggregate(range, |d| decoded.get(&d).map(Vec::as_slice)))
        })
    });
    group.finish();
}

criterion_group!(benches, decode_and_aggregate);
criterion_main!(benches);
