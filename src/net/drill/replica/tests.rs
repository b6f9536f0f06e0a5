//! Replicas fed the messages of a host scripted on a real engine ([`ScriptedHost`]):
//! catching up late equals following live, a tampered fingerprint is a desync, and the
//! journal does not depend on when messages arrive.

use std::time::Instant;

use firedrill_core::drill::{self, By};
use firedrill_core::engine::action::{Action, Role};
use firedrill_core::scenario::{Channel, Duration};
use proptest::prelude::*;

use super::*;
use crate::drill::script::ScriptedHost;

fn post(text: &str) -> Action {
    Action::Post {
        channel: Channel::WarRoom,
        text: text.to_owned(),
    }
}

fn feed(replica: &mut Replica, messages: impl IntoIterator<Item = Down>) {
    for message in messages {
        replica
            .apply(message)
            .expect("the replica follows the host");
    }
}

#[test]
fn catching_up_at_two_hours_equals_following_live() {
    // The Commander's seat is taken and nobody declares: the run goes on to its limit.
    let mut host = ScriptedHost::new("chat-gateway-saturation", 7);
    let seated = host.seat("ana", Role::Commander);
    let Down::Welcome(first) = host.welcome(Seat::Observer) else {
        unreachable!("welcome() makes a Welcome")
    };
    let mut live = Replica::new(*first, "ben").expect("welcome at 0");
    // The seat's input came in the welcome already; the lobby message is new.
    feed(&mut live, [seated[1].clone()]);
    let mut step = 1;
    while host.engine.next_time() < Duration::from_secs(7150) && host.engine.outcome().is_none() {
        let mut batch = Vec::new();
        if step % 40 == 0 {
            batch.push(host.take(By::Seat(Role::Commander), post("still looking")));
        }
        batch.push(host.advance(step % 37 + 1));
        if step % 5 == 0 {
            batch.push(host.check());
        }
        feed(&mut live, batch);
        step += 1;
    }
    let next = host.engine.next_time();
    assert!(next >= Duration::from_secs(7150), "the run ended at {next}");
    let Down::Welcome(late) = host.welcome(Seat::Observer) else {
        unreachable!("welcome() makes a Welcome")
    };
    let started = Instant::now();
    let mut late = Replica::new(*late, "cy").expect("welcome at 2h");
    let took = started.elapsed();
    eprintln!(
        "catch-up at {next} ({} inputs, {} journal entries): {took:?}",
        late.drill_file().inputs.len(),
        late.engine().journal().len()
    );
    let check = host.check();
    feed(&mut late, [check.clone()]);
    feed(&mut live, [check]);
    assert_eq!(late.engine().next_time(), next);
    assert_eq!(late.engine().journal(), host.engine.journal());
    assert_eq!(live.engine().journal(), host.engine.journal());
    assert_eq!(late.drill_file(), live.drill_file());
    assert_eq!(late.drill_file().inputs, host.inputs);
    // One seating and a post every 40 updates: a long run, not a trivial one.
    assert_eq!(host.inputs.len() as u64, 1 + (step - 1) / 40);
    assert!(host.engine.journal().len() > 100);
    assert_eq!(late.seat(), Seat::Observer);
    assert_eq!(live.lobby(), late.lobby());
}

#[test]
fn a_tampered_fingerprint_is_a_desync_naming_the_sim_time() {
    let mut host = ScriptedHost::new("edge-waf-regex", 3);
    let Down::Welcome(welcome) = host.welcome(Seat::Observer) else {
        unreachable!("welcome() makes a Welcome")
    };
    let mut replica = Replica::new(*welcome, "ana").expect("welcome at 0");
    feed(&mut replica, [host.advance(600), host.check()]);
    let clock = host.advance(30);
    let Down::Check { next, fingerprint } = host.check() else {
        unreachable!("check() makes a Check")
    };
    replica.apply(clock).expect("the clock is the host's");
    let tampered = Fingerprint {
        hash: fingerprint.hash ^ 1,
        ..fingerprint
    };
    let error = replica
        .apply(Down::Check {
            next,
            fingerprint: tampered,
        })
        .expect_err("a wrong fingerprint is a desync");
    assert_eq!(
        error,
        ReplicaError::Desync {
            at: Duration::from_secs(630),
            mine: fingerprint,
            host: tampered
        }
    );
    let line = error.to_string();
    assert!(line.starts_with("desync at 10m30s: "), "{line}");
    assert!(!line.contains('\n'), "{line}");
}

#[test]
fn a_check_ahead_of_the_clock_waits_for_those_seconds() {
    let mut host = ScriptedHost::new("edge-waf-regex", 3);
    let Down::Welcome(welcome) = host.welcome(Seat::Observer) else {
        unreachable!("welcome() makes a Welcome")
    };
    let mut replica = Replica::new(*welcome, "ana").expect("welcome at 0");
    let clock = host.advance(90);
    let Down::Check { next, fingerprint } = host.check() else {
        unreachable!("check() makes a Check")
    };
    let wrong = Fingerprint {
        entries: fingerprint.entries + 1,
        ..fingerprint
    };
    // Not judged before the clock gets there; judged, and wrong, once it does.
    replica
        .apply(Down::Check {
            next,
            fingerprint: wrong,
        })
        .expect("not yet played");
    let error = replica.apply(clock).expect_err("judged at 1m30s");
    assert!(matches!(error, ReplicaError::Desync { at, .. } if at == next));
}

#[test]
fn an_input_for_a_second_already_played_or_refused_is_a_typed_error() {
    let mut host = ScriptedHost::new("edge-waf-regex", 3);
    let Down::Welcome(welcome) = host.welcome(Seat::Observer) else {
        unreachable!("welcome() makes a Welcome")
    };
    let mut replica = Replica::new(*welcome, "ana").expect("welcome at 0");
    feed(&mut replica, [host.advance(120)]);
    let late = DrillInput {
        at: Duration::from_secs(60),
        by: By::Facilitator,
        action: Action::Note("late".into()),
    };
    assert_eq!(
        replica.apply(Down::Input(late)),
        Err(ReplicaError::Late {
            at: Duration::from_secs(60),
            next: Duration::from_secs(120)
        })
    );
    // A seat's action with nobody in the seat: the host would never have taken it.
    let unseated = DrillInput {
        at: Duration::from_secs(120),
        by: By::Seat(Role::Tech),
        action: Action::Acknowledge,
    };
    let error = replica
        .apply(Down::Input(unseated))
        .expect_err("nobody sits in Tech");
    assert_eq!(
        error.to_string(),
        "desync at 2m: this copy of the drill refused an input the host took (Technical Lead is played by a bot in this run)"
    );
}

#[test]
fn a_welcome_whose_scenario_does_not_parse_is_refused_with_its_reason() {
    let host = ScriptedHost::new("edge-waf-regex", 3);
    let Down::Welcome(mut welcome) = host.welcome(Seat::Observer) else {
        unreachable!("welcome() makes a Welcome")
    };
    welcome.scenario_text = "Scenario(".into();
    let error = Replica::new(*welcome, "ana").err().expect("no scenario");
    assert!(matches!(error, ReplicaError::Scenario(_)), "{error}");
}

/// One update of a scripted host: maybe an input from the seated Comms, then the clock.
#[derive(Debug, Clone)]
struct Update {
    post: bool,
    secs: u64,
    check: bool,
}

fn update() -> impl Strategy<Value = Update> {
    (any::<bool>(), 1u64..400, any::<bool>()).prop_map(|(post, secs, check)| Update {
        post,
        secs,
        check,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whenever a client joins and however the messages are grouped on their way, its
    /// journal is the host's, and the host's is a headless replay of its drill file.
    #[test]
    fn the_journal_does_not_depend_on_when_messages_arrive(
        updates in prop::collection::vec(update(), 1..30),
        join_at in any::<prop::sample::Index>(),
        batches in prop::collection::vec(1usize..6, 1..60),
    ) {
        let mut host = ScriptedHost::new("edge-waf-regex", 11);
        let mut stream: Vec<Down> = host.seat("ben", Role::Comms).to_vec();
        let mut welcomes = vec![(stream.len(), host.welcome(Seat::Observer))];
        for (i, u) in updates.iter().enumerate() {
            if u.post && host.engine.outcome().is_none() {
                stream.push(host.take(By::Seat(Role::Comms), post(&format!("update {i}"))));
            }
            stream.push(host.advance(u.secs));
            if u.check {
                stream.push(host.check());
            }
            welcomes.push((stream.len(), host.welcome(Seat::Observer)));
        }
        stream.push(host.end());

        let (cut, Down::Welcome(welcome)) = welcomes[join_at.index(welcomes.len())].clone() else {
            unreachable!("welcome() makes a Welcome")
        };
        let mut replica = Replica::new(*welcome, "cy").expect("catches up");
        let mut rest = stream[cut..].iter().cloned();
        for size in batches.iter().cycle() {
            let batch: Vec<Down> = rest.by_ref().take(*size).collect();
            if batch.is_empty() {
                break;
            }
            feed(&mut replica, batch);
        }
        prop_assert!(replica.ended());
        prop_assert_eq!(replica.engine().journal(), host.engine.journal());
        let replayed = drill::play(Arc::new(host.engine.scenario().clone()), replica.drill_file())
            .expect("the drill file replays");
        prop_assert_eq!(replayed.journal(), host.engine.journal());
    }
}
