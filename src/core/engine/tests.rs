//! The engine through its inputs and journal: paging and escalation, harmful fixes,
//! refused resolves, role gating, bots finishing drills, and determinism however time
//! is stepped.

use std::sync::Arc;

use proptest::prelude::*;

use super::action::{Action, Actor, Audience, Input, Role, StatusState, StatusUpdate};
use super::journal::{Event, Outcome, Speaker};
use super::{Engine, SubmitError};
use crate::bots::Policy;
use crate::run;
use crate::scenario::{self, Channel, Duration, IncidentState, Scenario, Severity, builtin};
use crate::score::Times;

const MINIMAL: &str = include_str!("../../../tests/fixtures/minimal.ron");

/// The minimal fixture with text replacements applied.
pub(super) fn minimal_with(edits: &[(&str, &str)]) -> Arc<Scenario> {
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

/// The minimal fixture without noise, plus a database CPU metric that has nothing to
/// do with the impact and sits above its critical line the whole run.
fn with_an_unrelated_hot_metric(impact_ends_when: &str) -> Arc<Scenario> {
    minimal_with(&[
        ("noise: 8.0", "noise: 0.0"),
        (
            "critical: 800.0, min: 0.0),",
            "critical: 800.0, min: 0.0),
            (id: \"db_cpu\", service: \"cache\", name: \"Database CPU\", unit: \"%\",
             baseline: 97.0, noise: 0.0, warning: 80.0, critical: 90.0, min: 0.0, max: 100.0),",
        ),
        (
            "impact_ends_when: Below(metric: \"api_p99\", value: 400.0)",
            impact_ends_when,
        ),
    ])
}

fn refusals_of_resolve(engine: &Engine) -> Vec<(u64, &str)> {
    events(engine)
        .filter_map(|(t, e)| match e {
            Event::Refused {
                action: Action::Resolve,
                reason,
                ..
            } => Some((t, reason.as_str())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_refused_resolve_names_the_impacts_own_metric_and_its_true_value() {
    let scenario =
        with_an_unrelated_hot_metric("impact_ends_when: Below(metric: \"api_p99\", value: 400.0)");
    let mut engine = Engine::new(scenario, 1, &[Role::Commander]);
    for (at, action) in [
        (6, Action::Acknowledge),
        (7, Action::Declare(Severity::Sev3)),
        (9, Action::Resolve),
    ] {
        engine
            .submit(trainee(Role::Commander, mins(at), action))
            .unwrap();
    }
    engine.advance_to(mins(10));
    // The inject ramps the latency to 1,500 ms by 3m; the database CPU (97%, above its
    // critical line) is not part of the impact and is not named.
    assert_eq!(
        refusals_of_resolve(&engine),
        [(
            540,
            "customers are still affected (API p99 latency is at 1500.0 ms, and must be below 400 ms), so the incident stays open"
        )]
    );
}

#[test]
fn a_refused_resolve_says_how_long_recovery_has_held_and_how_long_it_must() {
    let scenario = with_an_unrelated_hot_metric(
        "impact_ends_when: Below(metric: \"api_p99\", value: 400.0, for: \"5m\")",
    );
    let mut engine = Engine::new(scenario, 1, &[Role::Commander, Role::Tech]);
    for (at, role, action) in [
        (6, Role::Commander, Action::Acknowledge),
        (7, Role::Commander, Action::Declare(Severity::Sev3)),
        // Done at 10m, then the latency falls from 1,500 to 120 ms over 3m: the first
        // sample under 400 ms is at 12m25s (388 ms).
        (8, Role::Tech, Action::Remediate("restore-node".into())),
        (14, Role::Commander, Action::Resolve),
    ] {
        engine.submit(trainee(role, mins(at), action)).unwrap();
    }
    engine.advance_to(mins(15));
    // The resolve at 14m is judged on the truth of 13m59s: under the line since 12m25s.
    assert_eq!(
        refusals_of_resolve(&engine),
        [(
            840,
            "customers are still affected (API p99 latency has been below 400 ms for only 1m34s, and must stay there for 5m), so the incident stays open"
        )]
    );
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

fn status(audience: Audience, state: StatusState) -> Action {
    Action::StatusUpdate(StatusUpdate {
        audience,
        state,
        text: "We are investigating elevated errors. Next update in 15 minutes.".into(),
    })
}

/// When each inject fired, by id.
fn fired_at(engine: &Engine, id: &str) -> Option<u64> {
    events(engine).find_map(|(t, e)| matches!(e, Event::InjectFired(x) if x == id).then_some(t))
}

#[test]
fn status_sent_hears_its_audience_within_the_window_from_the_state_on() {
    let scenario = minimal_with(&[(
        "injects: [",
        r#"injects: [
        (id: "execs-heard", when: StatusSent(audience: Executives, within: "5m"), do: [Set("a")]),
        (id: "execs-quiet", when: All([Fired("execs-heard"), Not(StatusSent(audience: Executives, within: "5m"))]), do: [Set("b")]),
        (id: "public-knows-cause", when: StatusSent(audience: StatusPage, state: Identified), do: [Set("c")]),"#,
    )]);
    let mut engine = Engine::new(scenario, 1, &[Role::Comms]);
    for (at, audience, state) in [
        (10, Audience::StatusPage, StatusState::Investigating),
        (12, Audience::Executives, StatusState::Investigating),
        (14, Audience::StatusPage, StatusState::Monitoring),
        (16, Audience::Internal, StatusState::Identified),
    ] {
        engine
            .submit(trainee(Role::Comms, mins(at), status(audience, state)))
            .unwrap();
    }
    engine.advance_to(mins(30));
    assert_eq!(fired_at(&engine, "execs-heard"), Some(12 * 60));
    // Heard at 12:00, so it holds through 17:00; an internal update is not for them.
    assert_eq!(fired_at(&engine, "execs-quiet"), Some(17 * 60 + 1));
    // The 10m update said Investigating; Monitoring at 14m is past Identified.
    assert_eq!(fired_at(&engine, "public-knows-cause"), Some(14 * 60));
}

/// What a character said in the run, with the second.
fn said_by<'e>(engine: &'e Engine, who: &str) -> Vec<(u64, &'e str)> {
    events(engine)
        .filter_map(|(t, e)| match e {
            Event::Message {
                from: Speaker::Character(c),
                text,
                ..
            } if c == who => Some((t, text.as_str())),
            _ => None,
        })
        .collect()
}

const NOTHING_TO_TELL: &str = "I've got nothing to tell her";

#[test]
fn the_vp_with_no_executive_update_says_she_has_nothing_to_tell_the_ceo() {
    // A Communications Lead who sends nothing: the VP asks at 30m.
    let mut engine = Engine::new(builtin("chat-gateway-saturation"), 1, &[Role::Comms]);
    engine.advance_to(mins(40));
    let asks: Vec<u64> = said_by(&engine, "exec")
        .into_iter()
        .filter(|(_, text)| text.contains(NOTHING_TO_TELL))
        .map(|(t, _)| t)
        .collect();
    assert_eq!(asks, [30 * 60]);
}

#[test]
fn the_vp_does_not_say_she_has_nothing_minutes_after_an_executive_update() {
    let mut engine = Engine::new(builtin("chat-gateway-saturation"), 1, &[Role::Comms]);
    engine
        .submit(trainee(
            Role::Comms,
            mins(20),
            status(Audience::Executives, StatusState::Investigating),
        ))
        .unwrap();
    engine.advance_to(mins(35));
    let exec = said_by(&engine, "exec");
    assert!(
        exec.iter().all(|(_, text)| !text.contains(NOTHING_TO_TELL)),
        "an update went out at 20m: {exec:?}"
    );
    // Fifteen quiet minutes later she asks; the next update is thanked in its second
    // (a trainee's input takes effect at the start of its second).
    engine
        .submit(trainee(
            Role::Comms,
            mins(37),
            status(Audience::Executives, StatusState::Investigating),
        ))
        .unwrap();
    engine.advance_to(mins(40));
    let after: Vec<(u64, &str)> = said_by(&engine, "exec")
        .into_iter()
        .filter(|(t, _)| *t > 35 * 60)
        .collect();
    assert_eq!(
        after,
        [
            (
                35 * 60 + 1,
                "CEO is asking me what's going on and I've got nothing to tell her. what do we know, what are we doing, and when is it fixed? short version please"
            ),
            (
                37 * 60,
                "thanks, that's what I needed. forwarded to the CEO. same again in 15 please"
            ),
        ]
    );
}

#[test]
fn support_asks_for_more_than_investigating_only_until_the_cause_is_announced() {
    let enterprise = |engine: &Engine| {
        said_by(engine, "support")
            .iter()
            .filter(|(_, text)| text.contains("beyond 'we're investigating'"))
            .map(|(t, _)| *t)
            .collect::<Vec<_>>()
    };
    let mut silent = Engine::new(builtin("chat-gateway-saturation"), 1, &[Role::Comms]);
    silent.advance_to(mins(45));
    assert_eq!(enterprise(&silent), [42 * 60]);

    let mut told = Engine::new(builtin("chat-gateway-saturation"), 1, &[Role::Comms]);
    told.submit(trainee(
        Role::Comms,
        mins(40),
        status(Audience::StatusPage, StatusState::Identified),
    ))
    .unwrap();
    told.advance_to(mins(45));
    assert_eq!(enterprise(&told), Vec::<u64>::new());
}

#[test]
fn a_reply_follows_what_the_character_has_been_told() {
    let ask = |at: u64| {
        trainee(
            Role::Comms,
            mins(at),
            Action::Ask {
                character: "support".into(),
                question: "What should the status page say?".into(),
            },
        )
    };
    let mut engine = Engine::new(builtin("edge-waf-regex"), 1, &[Role::Comms]);
    for input in [
        ask(5),
        trainee(
            Role::Comms,
            mins(6),
            status(Audience::Social, StatusState::Investigating),
        ),
        ask(7),
    ] {
        engine.submit(input).unwrap();
    }
    engine.advance_to(mins(8));
    let answers: Vec<(u64, &str)> = events(&engine)
        .filter_map(|(t, e)| match e {
            Event::Message {
                from: Speaker::Character(who),
                channel: Channel::WarRoom,
                text,
            } if who == "support" => Some((t, text.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        answers,
        [
            (
                5 * 60,
                "The status page is a 502 like everything else behind our edge, so nobody can see it or update it. Post on @NorthwindStatus instead and give me one line I can paste into tickets."
            ),
            (
                7 * 60,
                "I saw the public update, thanks. I'm pasting it into tickets and pointing people at it. Post the next one as soon as you know more."
            ),
        ]
    );
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

/// The latency hovers on its critical line (800 ms) with heavy noise until the fix,
/// then settles under it.
fn bouncing_latency() -> Arc<Scenario> {
    minimal_with(&[
        ("noise: 8.0", "noise: 150.0"),
        ("to: 1500.0, over: \"1m\"", "to: 800.0, over: \"1m\""),
    ])
}

/// Checks the journal's crossings of each line of `metric` against its samples:
/// they alternate, and wherever the samples have stayed on one side for the quiet
/// window, the journal has the metric on that side.
fn check_crossings(engine: &Engine, metric: &str) -> Result<(), TestCaseError> {
    use super::journal::Threshold;
    use super::metrics::{CROSSING_QUIET, SAMPLE_EVERY};
    let spec = engine
        .scenario()
        .world
        .metrics
        .iter()
        .find(|m| m.id == metric)
        .unwrap();
    let samples = &engine.state().metric(metric).unwrap().samples;
    let window = (CROSSING_QUIET / SAMPLE_EVERY + 1) as usize;
    for (line, level) in [
        (Threshold::Warning, spec.warning.unwrap()),
        (Threshold::Critical, spec.critical.unwrap()),
    ] {
        let crossings: Vec<(u64, bool)> = events(engine)
            .filter_map(|(t, e)| match e {
                Event::MetricCrossed {
                    metric: m,
                    line: l,
                    rising,
                } if m == metric && *l == line => Some((t, *rising)),
                _ => None,
            })
            .collect();
        let mut journaled = samples[0].1 > level;
        let mut next = 0;
        for k in 0..samples.len() {
            let (t, value) = samples[k];
            while let Some(&(at, rising)) = crossings.get(next)
                && at <= t
            {
                prop_assert_ne!(rising, journaled, "{:?} crossings alternate", line);
                journaled = rising;
                next += 1;
            }
            let side = value > level;
            let held = k + 1 >= window
                && samples[k + 1 - window..=k]
                    .iter()
                    .all(|&(_, v)| (v > level) == side);
            if held {
                prop_assert_eq!(journaled, side, "{:?} line at {}s", line, t);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// However noise bounces a metric across its lines, the journal ends up where the
    /// metric stays: the old per-direction quiet window could end on "fell below"
    /// while the metric stayed above.
    #[test]
    fn journaled_crossings_follow_a_metric_that_settles(seed in 0u64..1000) {
        let mut engine = scripted_ic_run(&bouncing_latency(), seed);
        engine.run_to_end();
        check_crossings(&engine, "api_p99")?;
    }

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

/// The minimal fixture with a recovering phase: the cache warms back up over 10m
/// once cache-2 is undrained.
fn recovering_minimal() -> Arc<Scenario> {
    minimal_with(&[
        (
            "        can: [",
            "        recovering_when: Remediated(\"restore-node\"),\n        can: [",
        ),
        (
            "Recover(metric: \"api_p99\", over: \"3m\")",
            "Recover(metric: \"api_p99\", over: \"10m\")",
        ),
    ])
}

/// The phases the journal records, with their sim seconds.
fn phases(engine: &Engine) -> Vec<(u64, crate::scenario::Phase)> {
    events(engine)
        .filter_map(|(t, e)| match e {
            Event::PhaseChanged(p) => Some((t, *p)),
            _ => None,
        })
        .collect()
}

/// The minimal drill played to its end by a Technical Lead who looks at the cache at 5m
/// and undrains cache-2 at 7m.
fn investigated_then_restored(scenario: Arc<Scenario>) -> Engine {
    let mut engine = Engine::new(scenario, 1, &[Role::Tech]);
    for (at, action) in [
        (5, Action::Investigate("cache-stats".into())),
        (7, Action::Remediate("restore-node".into())),
    ] {
        engine
            .submit(trainee(Role::Tech, mins(at), action))
            .unwrap();
    }
    engine.run_to_end();
    engine
}

#[test]
fn a_staged_recovery_goes_through_the_recovering_phase() {
    use crate::scenario::Phase;
    let engine = investigated_then_restored(recovering_minimal());
    let seen = phases(&engine);
    let names: Vec<Phase> = seen.iter().map(|&(_, p)| p).collect();
    assert_eq!(
        names,
        [
            Phase::Investigating,
            Phase::Identified,
            Phase::Recovering,
            Phase::Mitigated
        ]
    );
    // Impact at 2m, the cause found at 6m, cache-2 undrained at 9m; the impact ends
    // once p99 is under 400 ms, about 8 of the 10 minutes of the ramp down.
    assert_eq!(
        seen[..3],
        [
            (120, Phase::Investigating),
            (360, Phase::Identified),
            (540, Phase::Recovering)
        ]
    );
    assert!((960..=1080).contains(&seen[3].0), "{seen:?}");
}

#[test]
fn a_drill_without_recovering_when_never_enters_the_phase() {
    use crate::scenario::Phase;
    let scenario = minimal_with(&[(
        "Recover(metric: \"api_p99\", over: \"3m\")",
        "Recover(metric: \"api_p99\", over: \"10m\")",
    )]);
    let engine = investigated_then_restored(scenario);
    let names: Vec<Phase> = phases(&engine).iter().map(|&(_, p)| p).collect();
    assert_eq!(
        names,
        [Phase::Investigating, Phase::Identified, Phase::Mitigated]
    );
}
