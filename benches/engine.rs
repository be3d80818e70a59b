//! The report engine on `gen_large.py`'s default bundle (10k history entries,
//! 500 alerts, 2k machine actions): parse, build, and each renderer.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use incident_report::model;
use incident_report::report::{self, render, Options};
use std::hint::black_box;

fn engine(c: &mut Criterion) {
    let bytes = common::large_bundle();
    let incident = model::parse(&bytes).expect("the large bundle parses");
    let options = Options::default();
    let report = report::build(&incident, &options);

    let mut group = c.benchmark_group("large");
    group.sample_size(20);
    group.bench_function("parse", |b| b.iter(|| model::parse(black_box(&bytes))));
    group.bench_function("build", |b| {
        b.iter(|| report::build(black_box(&incident), &options))
    });
    group.bench_function("render markdown", |b| {
        b.iter(|| render::markdown::render(black_box(&report)))
    });
    group.bench_function("render html", |b| {
        b.iter(|| render::html::render(black_box(&report)))
    });
    group.bench_function("render text", |b| {
        b.iter(|| render::text::render(black_box(&report)))
    });
    group.bench_function("render json", |b| {
        b.iter(|| render::json(black_box(&report)))
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
