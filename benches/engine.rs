//! Speed of the core: loading (parse + validate) each shipped scenario, a full headless
//! run of each with bots in every role, scoring plus the postmortem draft of that run,
//! and the war room's per-frame work: building its view model half-way through a run.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use firedrill_core::engine::action::Role;
use firedrill_core::report::postmortem::postmortem;
use firedrill_core::run;
use firedrill_core::scenario::Duration;
use firedrill_core::scenario::{self, builtin::BUILTIN};
use firedrill_core::score::score;
use firedrill_core::session::Session;

fn load(c: &mut Criterion) {
    for (id, source) in BUILTIN {
        c.bench_function(&format!("load/{id}"), |b| {
            b.iter(|| scenario::parse(source).expect("shipped scenarios parse"))
        });
    }
}

fn full_run(c: &mut Criterion) {
    for (id, source) in BUILTIN {
        let scenario = Arc::new(scenario::parse(source).expect("shipped scenarios parse"));
        c.bench_function(&format!("run/{id}"), |b| {
            b.iter(|| run::play(Arc::clone(&scenario), 1, None).outcome())
        });
    }
}

fn debrief(c: &mut Criterion) {
    for (id, source) in BUILTIN {
        let scenario = Arc::new(scenario::parse(source).expect("shipped scenarios parse"));
        let engine = run::play(Arc::clone(&scenario), 1, None);
        c.bench_function(&format!("score/{id}"), |b| {
            b.iter(|| score(&scenario, engine.journal(), None).scores.total)
        });
        let card = score(&scenario, engine.journal(), None);
        c.bench_function(&format!("postmortem/{id}"), |b| {
            b.iter(|| postmortem(&scenario, engine.journal(), &card, 1).len())
        });
    }
}

/// The app rebuilds the war room's view every frame: its cost bounds the frame rate.
fn war_room_frame(c: &mut Criterion) {
    for (id, source) in BUILTIN {
        let scenario = Arc::new(scenario::parse(source).expect("shipped scenarios parse"));
        let mut session = Session::spectate(scenario, 1, Role::Commander);
        session.fast_forward_to(Duration::from_secs(30 * 60));
        c.bench_function(&format!("war-room-view/{id}"), |b| {
            b.iter(|| firedrill_panels::war_room::build(&session).war_room.len())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = load, full_run, debrief, war_room_frame
}
criterion_main!(benches);
