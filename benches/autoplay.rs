//! Autoplay throughput: runs per second on one core (one thread, one run per
//! iteration, each on the next seed) for each shipped drill and each bot policy. Each
//! run is a whole drill with bots in every role, scored, with its wrong turns and where
//! it got stuck: what `firedrill autoplay` does per run on each of its threads.

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use firedrill_core::autoplay;
use firedrill_core::bots::Policy;
use firedrill_core::scenario::{self, builtin::BUILTIN};

fn runs_per_second(c: &mut Criterion) {
    for (id, source) in BUILTIN {
        let scenario = Arc::new(scenario::parse(source).expect("shipped scenarios parse"));
        let mut group = c.benchmark_group(format!("autoplay/{id}"));
        group.throughput(Throughput::Elements(1));
        for policy in [Policy::Reference, Policy::Novice, Policy::Random] {
            let mut seed = 0;
            group.bench_function(policy.key(), |b| {
                b.iter(|| {
                    seed += 1;
                    autoplay::play(&scenario, seed, policy).total
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = runs_per_second
}
criterion_main!(benches);
