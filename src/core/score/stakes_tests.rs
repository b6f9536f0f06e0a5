//! What a run's outcome and its words cost, through runs of the engine: every harmful
//! step taken off the total, the cap on a run that was not resolved, the figures and
//! recovery times of status updates checked against the truth, and which ids count as
//! jargon.

use std::sync::Arc;

use super::tests::{assert_explained, repo_file, walkthrough};
use super::{Adjustment, AdjustmentKind, Category, Finding, Scorecard, score};
use crate::engine::Engine;
use crate::engine::action::{Action, Actor, Audience, Input, Role, StatusState, StatusUpdate};
use crate::scenario::{self, Duration, Scenario, builtin};
use crate::{inputs, run};

fn builtin(id: &str) -> Arc<Scenario> {
    Arc::new(builtin::load(id).expect("a built-in scenario"))
}

fn adjustments(card: &Scorecard, kind: AdjustmentKind) -> Vec<&Adjustment> {
    card.adjustments.iter().filter(|a| a.kind == kind).collect()
}

#[test]
fn a_run_that_never_resolves_is_capped_and_the_cap_says_what_it_took() {
    let scenario = builtin("edge-waf-regex");
    let card = walkthrough(
        &scenario,
        "tests/fixtures/edge-waf-regex.never-resolved.commander.ron",
    );
    assert_explained(&card, "never resolved");
    assert_eq!(card.times.resolved_s, None);
    assert_eq!(card.times.mitigated_s, Some(1180), "19m40s");
    // The same run resolved at 25m50s totals 100. Unresolved, time loses MTTR's 50 and
    // CAN its cadence after the impact: (25×50 + 25×84 + 15×100 + 20×100 + 15×100) / 100
    // = 83.5, a mean of 84, capped at 40.
    assert_eq!(card.mean(), 84, "{:?}", card.scores);
    assert_eq!(card.scores.total, 40);
    let caps = adjustments(&card, AdjustmentKind::Unresolved);
    assert_eq!(caps.len(), 1);
    assert_eq!(caps[0].lost, 44);
    assert_eq!(
        caps[0].at_s, 6300,
        "the end of the run, at the 1h45m time limit"
    );
    for said in [
        "customer impact had ended at 14:59, but nobody declared the incident resolved",
        "totals at most 40",
        "it would have totalled 84, so the cap took 44 points off",
    ] {
        assert!(caps[0].text.contains(said), "{said:?} in {}", caps[0].text);
    }
}

#[test]
fn the_cap_takes_nothing_from_a_run_already_below_it() {
    let scenario = builtin("edge-waf-regex");
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[Role::Commander]);
    engine.run_to_end();
    let card = score(&scenario, engine.journal(), Some(Role::Commander));
    let caps = adjustments(&card, AdjustmentKind::Unresolved);
    assert_eq!(caps.len(), 1);
    assert_eq!(caps[0].lost, 0);
    // A commander who does nothing: time and CAN 0; comms, decisions and discipline
    // 60 each, so (25×0 + 25×0 + 15×60 + 20×60 + 15×60) / 100 = 30, under the cap.
    assert_eq!(
        (card.mean(), card.scores.total),
        (30, 30),
        "{:?}",
        card.scores
    );
    assert!(
        caps[0].text.contains("customers were still affected")
            && caps[0].text.contains("under the cap already"),
        "{}",
        caps[0].text
    );
}

#[test]
fn every_harmful_step_costs_the_total_and_is_named_with_its_lesson() {
    let scenario = builtin("db-replica-lag");
    let card = walkthrough(
        &scenario,
        "tests/fixtures/db-replica-lag.two-harmful-steps.tech.ron",
    );
    assert_explained(&card, "two harmful steps");
    assert!(card.times.resolved_s.is_some(), "the IC bot resolves");
    let harms = adjustments(&card, AdjustmentKind::HarmfulStep);
    let costs: Vec<(u64, u32)> = harms.iter().map(|a| (a.at_s, a.lost)).collect();
    assert_eq!(costs, [(630, 15), (810, 15)], "10m30s and 13m30s, 15 each");
    let lesson = |id: &str| {
        scenario
            .remediations
            .iter()
            .find(|r| r.id == id)
            .map(|r| (r.label.clone(), r.lesson.clone()))
            .unwrap()
    };
    for (adjustment, id) in harms.iter().zip(["scale-sidekiq", "wipe-data-dir"]) {
        let (label, lesson) = lesson(id);
        assert!(
            adjustment.text.contains(&label) && adjustment.text.contains(&lesson),
            "{id}: {}",
            adjustment.text
        );
    }
    // Harmful steps cost the total, not the Decisions category (which would have let
    // the second one go free).
    assert!(
        card.category(Category::Decisions)
            .all(|f| !f.text.contains("harmful")),
        "{:#?}",
        card.findings
    );
    assert_eq!((card.mean(), card.scores.total), (80, 50));
    let clean = walkthrough(&scenario, "scenarios/walkthroughs/db-replica-lag.tech.ron");
    assert_eq!(clean.scores.total, 100);
    assert!(clean.adjustments.is_empty());
}

/// Plays edge-waf-regex as `role`, sending one status update at 10m (13:50 UTC, 14:50
/// in London; the status page is down then, so public updates go to `Social`). The bots find the bad rule, start the 4-minute global kill at 16m11s and
/// impact ends at 24m10s (15:04); the edge 5xx rate is at 78% from 4m to 16m.
fn edge_update(role: Role, audience: Audience, text: &str) -> Scorecard {
    let scenario = builtin("edge-waf-regex");
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[role]);
    engine
        .submit(Input {
            at: Duration::from_secs(600),
            actor: Actor::Trainee(role),
            action: Action::StatusUpdate(StatusUpdate {
                audience,
                state: StatusState::Investigating,
                text: text.into(),
            }),
        })
        .unwrap();
    engine.run_to_end();
    score(&scenario, engine.journal(), Some(role))
}

/// The comms findings about what an update said that lost points.
fn untrue(card: &Scorecard) -> Vec<&Finding> {
    card.category(Category::Comms)
        .filter(|f| f.lost() > 0 && f.text.contains(" said \""))
        .collect()
}

#[test]
fn figures_and_promises_that_held_cost_nothing() {
    for (audience, text) in [
        (Audience::Social, "About 80% of requests are failing."),
        (
            Audience::Executives,
            "Roughly 75 percent of page loads error.",
        ),
        (Audience::Social, "We expect to be back within the hour."),
        (Audience::Social, "Sites should be restored by 15:30."),
        // Internal updates are not held to their figures.
        (Audience::Internal, "About 2% of requests are failing."),
        // Nothing read with confidence: no figure, a next-update time, a hedge.
        (Audience::Social, "Next update in 5 minutes."),
        (
            Audience::Social,
            "If the fix works, we are back in 2 minutes.",
        ),
    ] {
        let card = edge_update(Role::Comms, audience, text);
        assert!(untrue(&card).is_empty(), "{text}: {:#?}", untrue(&card));
        let part = card
            .category(Category::Comms)
            .find(|f| f.text.contains("matched what was really going on"))
            .expect("the truthful part, in full");
        assert_eq!((part.points, part.max), (20, 20), "{text}");
    }
}

#[test]
fn a_wrong_figure_is_a_finding_saying_what_was_true() {
    let card = edge_update(
        Role::Comms,
        Audience::Social,
        "About 2% of requests are failing.",
    );
    let wrong = untrue(&card);
    assert_eq!(wrong.len(), 1, "{wrong:#?}");
    assert_eq!((wrong[0].at_s, wrong[0].lost()), (600, 10));
    assert!(
        wrong[0]
            .text
            .contains("said \"About 2% of requests are failing\"")
            && wrong[0]
                .text
                .contains("HTTP 5xx rate served to visitors was 78%"),
        "{}",
        wrong[0].text
    );
    // The Incident Commander's own updates are held to the same standard.
    let card = edge_update(
        Role::Commander,
        Audience::Executives,
        "Only 5% of requests fail.",
    );
    assert_eq!(untrue(&card).len(), 1, "{:#?}", card.findings);
}

#[test]
fn a_missed_recovery_time_is_a_finding_saying_when_impact_ended() {
    assert_eq!(
        edge_update(Role::Comms, Audience::Internal, "-")
            .times
            .mitigated_s,
        Some(1450),
        "24m10s"
    );
    for text in [
        "Sites will be restored within 5 minutes.",
        // 13:55 UTC is 14:55 in London: the same promise.
        "Fixed by 13:55 UTC.",
    ] {
        let card = edge_update(Role::Comms, Audience::Social, text);
        let wrong = untrue(&card);
        assert_eq!(wrong.len(), 1, "{text}: {wrong:#?}");
        assert!(
            wrong[0]
                .text
                .contains("a promise of recovery by 14:55, but customer impact ended at 15:04"),
            "{}",
            wrong[0].text
        );
    }
}

#[test]
fn a_promise_the_remaining_work_cannot_keep_is_a_finding() {
    let card = edge_update(
        Role::Comms,
        Audience::Executives,
        "Sites will be back in 2 minutes.",
    );
    let wrong = untrue(&card);
    assert_eq!(wrong.len(), 1, "{wrong:#?}");
    for said in [
        "a promise of recovery by 14:52 that the work still to do made impossible",
        "\"Global kill of the WAF managed rules engine (nwctl via bastion)\" takes 4m and had not started",
        "could not be back before 14:54",
        "In the end customer impact ended at 15:04",
    ] {
        assert!(
            wrong[0].text.contains(said),
            "{said:?} in {}",
            wrong[0].text
        );
    }
}

#[test]
fn ids_that_are_ordinary_words_are_not_jargon() {
    // The minimal drill with a metric called "latency" and an alert called "tickets".
    let source = include_str!("../../../tests/fixtures/minimal.ron")
        .replace("api_p99", "latency")
        .replace("\"api-slow\"", "\"tickets\"");
    let scenario = Arc::new(scenario::parse(&source).unwrap());
    let jargon = |text: &str| {
        let mut engine = Engine::new(Arc::clone(&scenario), 1, &[Role::Comms]);
        engine
            .submit(Input {
                at: Duration::from_secs(480),
                actor: Actor::Trainee(Role::Comms),
                action: Action::StatusUpdate(StatusUpdate {
                    audience: Audience::StatusPage,
                    state: StatusState::Investigating,
                    text: text.into(),
                }),
            })
            .unwrap();
        engine.run_to_end();
        score(&scenario, engine.journal(), Some(Role::Comms))
            .category(Category::Comms)
            .filter(|f| f.text.contains("internal jargon"))
            .map(|f| f.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        jargon("Support tickets report slow latency on the API."),
        Vec::<String>::new()
    );
    for (text, word) in [
        ("We are running restore-node now.", "restore-node"),
        ("cache-2 was drained.", "cache-2"),
        ("The cpu is saturated.", "cpu"),
    ] {
        let found = jargon(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert!(found[0].contains(&format!("(\"{word}\")")), "{}", found[0]);
    }
}

#[test]
fn the_input_fixtures_are_valid_input_files() {
    for (id, path) in [
        (
            "edge-waf-regex",
            "tests/fixtures/edge-waf-regex.never-resolved.commander.ron",
        ),
        (
            "db-replica-lag",
            "tests/fixtures/db-replica-lag.two-harmful-steps.tech.ron",
        ),
    ] {
        let file = inputs::parse(&repo_file(path), &builtin(id)).expect(path);
        let engine = run::play(builtin(id), 1, Some(&file));
        let refused = engine
            .journal()
            .iter()
            .filter(|e| {
                matches!(
                    &e.event,
                    crate::engine::journal::Event::Refused {
                        actor: Actor::Trainee(_),
                        ..
                    }
                )
            })
            .count();
        assert_eq!(refused, 0, "{path}: every input is accepted");
    }
}
