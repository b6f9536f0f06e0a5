//! The engine through its inputs and journal: paging and escalation, harmful fixes,
//! refused resolves, role gating, bots finishing drills, and determinism however time
//! is stepped.

use std::sync::Arc;

use proptest::prelude::*;

use super::action::{Action, Actor, Input, Role};
use super::journal::{Event, Outcome};
use super::{Engine, SubmitError};
use crate::bots::Policy;
use crate::run;
use crate::scenario::{self, Duration, IncidentState, Scenario, Severity, builtin};
use crate::score::Times;

const MINIMAL: &str = include_str!("../../../tests/fixtures/minimal.ron");

/// The minimal fixture with text replacements applied.
fn minimal_with(edits: &[(&str, &str)]) -> Arc<Scenario> {
    let mut text = MINIMAL.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "fixture lacks {from:?}");
        text = text.replacen(from, to, 1);
    }
    Arc::new(scenario::parse(&text).expect("valid variant"))
}

fn minimal() -> Arc<Scenario> {
    minimal_with(&[])
}

fn builtin(id: &str) -> Arc<Scenario> {
    Arc::new(scenario::parse(builtin::source(id).unwrap()).unwrap())
}

fn mins(m: u64) -> Duration {
    Duration::from_mins(m)
}

fn trainee(role: Role, at: Duration, action: Action) -> Input {
    Input {
        at,
        actor: Actor::Trainee(role),
        action,
    }
}

fn events(engine: &Engine) -> impl Iterator<Item = (u64, &Event)> {
    engine.journal().iter().map(|e| (e.at.as_secs(), &e.event))
}

#[test]
fn an_unacknowledged_alert_repages_and_escalates() {
    let scenario = minimal_with(&[
        (
            "repage_every: \"5m\"",
            "repage_every: \"5m\", escalate_to: \"db-team\", escalate_after: \"8m\"",
        ),
        (
            "teams: [(id: \"api-team\", name: \"API on-call\")]",
            "teams: [(id: \"api-team\", name: \"API on-call\"), (id: \"db-team\", name: \"DB\")]",
        ),
    ]);
    // The trainee is IC and does nothing: nobody acknowledges.
    let mut engine = Engine::new(scenario, 1, &[Role::Commander]);
    engine.advance_to(mins(30));
    let fired = events(&engine)
        .find(|(_, e)| matches!(e, Event::AlertFired { alert, .. } if alert == "api-slow"))
        .map(|(t, _)| t)
        .expect("the alert fires");
    let pages: Vec<u64> = events(&engine)
        .filter(|(_, e)| matches!(e, Event::Paged { team, .. } if team == "api-team"))
        .map(|(t, _)| t)
        .collect();
    assert_eq!(
        pages[..3],
        [fired, fired + 300, fired + 600],
        "page, then re-page every 5m"
    );
    let escalated: Vec<u64> = events(&engine)
        .filter(|(_, e)| matches!(e, Event::Escalated { team, .. } if team == "db-team"))
        .map(|(t, _)| t)
        .collect();
    assert_eq!(escalated, [fired + 480], "escalated once, 8m after firing");
    assert!(
        events(&engine)
            .any(|(t, e)| *e == Event::TeamJoined("db-team".into()) && t == fired + 480 + 180)
    );
}

#[test]
fn acknowledging_stops_the_paging() {
    let mut engine = Engine::new(minimal(), 1, &[Role::Commander]);
    engine.advance_to(Duration::from_secs(359));
    let fired = engine.state().triggered_at.expect("paged by 6m");
    engine
        .submit(trainee(Role::Commander, mins(6), Action::Acknowledge))
        .unwrap();
    engine.advance_to(mins(30));
    let late_pages = events(&engine)
        .filter(|(t, e)| matches!(e, Event::Paged { .. }) && *t > 360)
        .count();
    assert_eq!(
        late_pages, 0,
        "no re-page after the acknowledgement (alert fired at {fired})"
    );
    assert_eq!(engine.state().acknowledged_at, Some(360));
}

#[test]
fn a_harmful_remediation_makes_the_metric_worse() {
    let harmful = r#"remediations: [
        (id: "flush-cache", label: "Flush the whole cache", kind: Harmful, takes: "1m",
         destroys_evidence: true, effects: [Ramp(metric: "api_p99", to: 4000.0, over: "1m")]),"#;
    let scenario = minimal_with(&[("remediations: [", harmful)]);
    let p99_at_20m = |actions: Vec<Action>| {
        let mut engine = Engine::new(Arc::clone(&scenario), 3, &[Role::Tech, Role::Commander]);
        for action in actions {
            engine.submit(trainee(Role::Tech, mins(8), action)).unwrap();
        }
        engine.advance_to(mins(20));
        engine.state().metric("api_p99").unwrap().level(20 * 60)
    };
    let untouched = p99_at_20m(vec![]);
    let harmed = p99_at_20m(vec![Action::Remediate("flush-cache".into())]);
    assert_eq!(untouched, 1500.0);
    assert_eq!(harmed, 4000.0);
}

#[test]
fn a_premature_resolve_is_refused_and_the_clock_keeps_running() {
    let ic = |at: u64, action: Action| trainee(Role::Commander, mins(at), action);
    let mut engine = Engine::new(minimal(), 1, &[Role::Commander]);
    for input in [
        ic(6, Action::Acknowledge),
        ic(7, Action::Declare(Severity::Sev3)),
        ic(9, Action::Resolve),
        ic(30, Action::Resolve),
    ] {
        engine.submit(input).unwrap();
    }
    assert_eq!(engine.run_to_end(), Outcome::Resolved);
    let refused = events(&engine)
        .find_map(|(t, e)| match e {
            Event::Refused {
                action: Action::Resolve,
                reason,
                ..
            } => Some((t, reason.clone())),
            _ => None,
        })
        .expect("the early resolve is refused");
    assert_eq!(refused.0, 9 * 60);
    assert!(
        refused.1.contains("customers are still affected"),
        "{}",
        refused.1
    );
    let times = Times::from_journal(engine.scenario(), engine.journal());
    assert_eq!(
        times.resolved_s,
        Some(30 * 60),
        "resolved by the second, accepted resolve"
    );
    assert_eq!(times.mttr_s, Some(30 * 60 - 6 * 60));
}

#[test]
fn roles_are_gated() {
    let mut engine = Engine::new(minimal(), 1, &[Role::Comms]);
    engine
        .submit(trainee(
            Role::Comms,
            mins(6),
            Action::Investigate("cache-stats".into()),
        ))
        .unwrap();
    engine
        .submit(trainee(Role::Comms, mins(6), Action::Resolve))
        .unwrap();
    engine.advance_to(mins(7));
    let refusals: Vec<&str> = events(&engine)
        .filter_map(|(_, e)| match e {
            Event::Refused {
                actor: Actor::Trainee(Role::Comms),
                reason,
                ..
            } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        refusals,
        [
            "the Communications Lead cannot investigate: that is for the Technical Lead or Incident Commander",
            "the Communications Lead cannot resolve: that is for the Incident Commander",
        ]
    );
    assert_eq!(engine.state().investigations[0], super::state::Task::Idle);
    // A role played by a bot cannot take trainee input at all.
    let err = engine
        .submit(trainee(Role::Tech, mins(8), Action::Acknowledge))
        .unwrap_err();
    assert!(matches!(err, SubmitError::NotYourRole(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Technical Lead is played by a bot in this run"
    );
}

#[test]
fn a_finished_run_takes_no_more_input() {
    let mut engine = Engine::new(minimal(), 1, &[Role::Commander]);
    assert_eq!(engine.run_to_end(), Outcome::TimedOut);
    assert_eq!(
        engine.submit(trainee(Role::Commander, mins(1), Action::Acknowledge)),
        Err(SubmitError::Ended)
    );
}

#[test]
fn inputs_stamped_in_the_past_take_effect_at_the_next_second() {
    let mut engine = Engine::new(minimal(), 1, &[Role::Commander]);
    engine.advance_to(mins(6));
    let at = engine
        .submit(trainee(Role::Commander, mins(1), Action::Acknowledge))
        .unwrap();
    assert_eq!(at, Duration::from_secs(361));
}

#[test]
fn bots_alone_resolve_every_shipped_scenario() {
    for (id, _) in builtin::BUILTIN {
        for seed in 1..=5 {
            let engine = run::play(builtin(id), seed, None);
            assert_eq!(
                engine.outcome(),
                Some(Outcome::Resolved),
                "{id} seed {seed}"
            );
            assert_eq!(engine.state().incident, Some(IncidentState::Resolved));
        }
    }
}

#[test]
fn random_flailing_does_worse_than_the_reference_path() {
    let scenario = builtin("db-replica-lag");
    let spread = |policy| run::autoplay(Arc::clone(&scenario), 8, 1, policy, |_| {});
    let (reference, random) = (spread(Policy::Reference), spread(Policy::Random));
    let resolved = |runs: &[run::AutoplayRun]| runs.iter().filter(|r| r.resolved).count();
    let total = |runs: &[run::AutoplayRun]| runs.iter().map(|r| r.total).sum::<u32>();
    assert_eq!(resolved(&reference), 8);
    assert!(
        resolved(&random) < 8,
        "random resolved {}",
        resolved(&random)
    );
    assert!(total(&random) < total(&reference));
}

#[test]
fn bots_carry_an_idle_comms_trainee_but_not_an_idle_tech_lead() {
    // The fix is the tech lead's job: with a human there doing nothing, impact never ends.
    for (id, _) in builtin::BUILTIN {
        let scenario = builtin(id);
        let mut engine = Engine::new(Arc::clone(&scenario), 1, &[Role::Comms]);
        engine.run_to_end();
        assert_eq!(
            engine.outcome(),
            Some(Outcome::Resolved),
            "{id}: comms trainee idle"
        );
        let mut engine = Engine::new(Arc::clone(&scenario), 1, &[Role::Tech]);
        engine.run_to_end();
        assert_eq!(
            engine.outcome(),
            Some(Outcome::TimedOut),
            "{id}: nobody does the tech work"
        );
    }
}

fn journal_json(engine: &Engine) -> String {
    serde_json::to_string(engine.journal()).unwrap()
}

fn scripted_ic_run(scenario: &Arc<Scenario>, seed: u64) -> Engine {
    let mut engine = Engine::new(Arc::clone(scenario), seed, &[Role::Commander]);
    for (at, action) in [
        (5, Action::Acknowledge),
        (6, Action::Declare(Severity::Sev2)),
        (7, Action::Page("api-team".into())),
        (40, Action::Resolve),
    ] {
        engine
            .submit(trainee(Role::Commander, mins(at), action))
            .unwrap();
    }
    engine
}

#[test]
fn same_seed_same_inputs_give_byte_identical_journals_and_reports() {
    for (id, _) in builtin::BUILTIN {
        let a = run::play(builtin(id), 42, None);
        let b = run::play(builtin(id), 42, None);
        assert_eq!(journal_json(&a), journal_json(&b), "{id}");
        let report = |e: &Engine| serde_json::to_string(&run::report(e)).unwrap();
        assert_eq!(report(&a), report(&b), "{id}");
        let c = run::play(builtin(id), 43, None);
        assert_ne!(journal_json(&a), journal_json(&c), "{id}: the seed matters");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// One `advance_to(end)` or many uneven steps: the same journal.
    #[test]
    fn stepping_does_not_change_the_journal(
        seed in 0u64..1000,
        steps in proptest::collection::vec(1u64..400, 1..60),
    ) {
        let scenario = minimal();
        let mut whole = scripted_ic_run(&scenario, seed);
        whole.run_to_end();
        let mut stepped = scripted_ic_run(&scenario, seed);
        for step in steps.iter().cycle().take(2000) {
            if stepped.outcome().is_some() {
                break;
            }
            stepped.advance(Duration::from_secs(*step));
        }
        stepped.run_to_end();
        prop_assert_eq!(journal_json(&whole), journal_json(&stepped));
    }

    /// The same holds for every shipped drill with every bot at work.
    #[test]
    fn stepping_a_shipped_drill_does_not_change_the_journal(
        seed in 0u64..1000,
        step in 1u64..900,
    ) {
        for (id, _) in builtin::BUILTIN {
            let scenario = builtin(id);
            let whole = run::play(Arc::clone(&scenario), seed, None);
            let mut stepped = Engine::new(scenario, seed, &[]);
            while stepped.outcome().is_none() {
                stepped.advance(Duration::from_secs(step));
            }
            prop_assert_eq!(journal_json(&whole), journal_json(&stepped), "{}", id);
        }
    }
}
