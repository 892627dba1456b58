//! Native benchmark: decode + aggregate 100,000 records of the demo
//! organization, as the console API's JSON (`cargo bench --bench decode_aggregate`).
//! The browser figure comes from `cargo xtask bench` (tests/bench.rs).

use std::collections::HashMap;
use std::hint::black_box;

use cca::demo::{DemoConfig, DemoOrg};
use cca::model::aggregate::aggregate;
use cca::model::dates::DateRange;
use cca::model::decode::decode_usage_page;
use cca::model::record::UsageRecord;
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
