//! Speed of the core: loading (parse + validate) each shipped scenario, and a full
//! headless run of each with bots in every role.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use firedrill_core::run;
use firedrill_core::scenario::{self, builtin::BUILTIN};

fn load(c: &mut Criterion) {
    for (id, source) in BUILTIN {
        c.bench_function(&format!("load/{id}"), |b| {
            b.iter(|| scenario::parse(source).unwrap())
        });
    }
}

fn full_run(c: &mut Criterion) {
    for (id, source) in BUILTIN {
        let scenario = Arc::new(scenario::parse(source).unwrap());
        c.bench_function(&format!("run/{id}"), |b| {
            b.iter(|| run::play(Arc::clone(&scenario), 1, None).outcome())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = load, full_run
}
criterion_main!(benches);
