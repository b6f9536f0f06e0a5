//! The conditions and gates added for authors, through inputs and journals:
//! investigations with `requires` and findings by state, `Joined`, `Since` and
//! clearable flags, and the bots working around a blocked investigation.

use std::sync::Arc;

use super::Engine;
use super::action::{Action, Actor, Input, Role};
use super::journal::{Event, Outcome};
use crate::bots::Policy;
use crate::scenario::{self, Duration, Scenario, Severity};

use super::tests::minimal_with;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn tech(at: u64, action: Action) -> Input {
    Input {
        at: secs(at),
        actor: Actor::Trainee(Role::Tech),
        action,
    }
}

fn commander(at: u64, action: Action) -> Input {
    Input {
        at: secs(at),
        actor: Actor::Trainee(Role::Commander),
        action,
    }
}

/// A run where people play the Commander and the Tech seats with `inputs`, to `until`.
fn played(scenario: &Arc<Scenario>, inputs: Vec<Input>, until: u64) -> Engine {
    let mut engine = Engine::new(Arc::clone(scenario), 1, &[Role::Commander, Role::Tech]);
    for input in inputs {
        engine.submit(input).expect("queued");
    }
    engine.advance_to(secs(until));
    engine
}

/// When the inject fired, from the journal.
fn fired_at(engine: &Engine, id: &str) -> Option<u64> {
    engine.journal().iter().find_map(|e| match &e.event {
        Event::InjectFired(x) if x == id => Some(e.at.as_secs()),
        _ => None,
    })
}

/// An inject that logs a line `when` the condition holds.
fn logging_inject(id: &str, when: &str) -> String {
    format!(
        "(id: \"{id}\", when: {when}, do: [Log(service: \"cache\", level: Info, text: \"{id}\")]),\n        "
    )
}

fn with_injects(injects: &[String]) -> Arc<Scenario> {
    minimal_with(&[(
        "(id: \"slowdown\"",
        &format!("{}(id: \"slowdown\"", injects.concat()),
    )])
}

#[test]
fn an_investigation_is_refused_with_its_blocked_text_until_its_requires_holds() {
    let scenario = minimal_with(&[(
        "reveals_cause: true),",
        "reveals_cause: true, requires: Declared,\n         blocked: \"Open the incident first: the cache dashboards are behind the war room.\"),",
    )]);
    let engine = played(
        &scenario,
        vec![
            tech(240, Action::Investigate("cache-stats".into())),
            commander(300, Action::Declare(Severity::Sev3)),
            tech(360, Action::Investigate("cache-stats".into())),
        ],
        600,
    );
    let tries: Vec<(u64, Option<&str>)> = engine
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::Refused {
                action: Action::Investigate(_),
                reason,
                ..
            } => Some((e.at.as_secs(), Some(reason.as_str()))),
            Event::Did {
                action: Action::Investigate(_),
                ..
            } => Some((e.at.as_secs(), None)),
            _ => None,
        })
        .collect();
    assert_eq!(
        tries,
        [
            (
                240,
                Some("Open the incident first: the cache dashboards are behind the war room.")
            ),
            (360, None),
        ]
    );
    assert_eq!(
        engine.state().found("cache-stats"),
        Some("Hit rate fell from 97% to 12% at 09:02; node cache-2 is drained.")
    );
}

#[test]
fn an_investigation_shows_the_first_finding_that_holds_as_it_completes() {
    let scenario = minimal_with(&[(
        "reveals_cause: true),",
        "reveals_cause: true,\n         findings: [(when: Remediated(\"restore-node\"), reveals: \"Hit rate is back at 97%; cache-2 serves again.\"),\n                    (when: Started(\"restore-node\"), reveals: \"cache-2 is coming back; hit rate 40% and rising.\")]),",
    )]);
    let clue = |inputs: Vec<Input>| {
        let engine = played(&scenario, inputs, 900);
        let clue = engine.journal().iter().find_map(|e| match &e.event {
            Event::InvestigationDone { clue, .. } => Some((e.at.as_secs(), clue.clone())),
            _ => None,
        });
        assert_eq!(
            clue.as_ref().map(|(_, c)| c.as_str()),
            engine.state().found("cache-stats")
        );
        clue
    };
    // During the outage: the default.
    assert_eq!(
        clue(vec![tech(300, Action::Investigate("cache-stats".into()))]),
        Some((
            360,
            "Hit rate fell from 97% to 12% at 09:02; node cache-2 is drained.".into()
        ))
    );
    // The fix runs 300..420: read at 330..390, the second finding.
    assert_eq!(
        clue(vec![
            tech(300, Action::Remediate("restore-node".into())),
            tech(330, Action::Investigate("cache-stats".into())),
        ]),
        Some((
            390,
            "cache-2 is coming back; hit rate 40% and rising.".into()
        ))
    );
    // After the fix: the first finding, though the second holds too.
    assert_eq!(
        clue(vec![
            tech(300, Action::Remediate("restore-node".into())),
            tech(480, Action::Investigate("cache-stats".into())),
        ]),
        Some((540, "Hit rate is back at 97%; cache-2 serves again.".into()))
    );
}

#[test]
fn joined_holds_once_the_team_has_joined_not_when_it_is_paged() {
    let scenario = minimal_with(&[
        (
            "teams: [(id: \"api-team\", name: \"API on-call\")]",
            "teams: [(id: \"api-team\", name: \"API on-call\"), (id: \"db-team\", name: \"DB\", joins_after: \"4m\")]",
        ),
        (
            "(id: \"slowdown\"",
            &format!(
                "{}{}(id: \"slowdown\"",
                logging_inject("db-paged", "Paged(\"db-team\")"),
                logging_inject("db-speaks", "Joined(\"db-team\")")
            ),
        ),
    ]);
    let engine = played(
        &scenario,
        vec![commander(500, Action::Page("db-team".into()))],
        1200,
    );
    assert_eq!(fired_at(&engine, "db-paged"), Some(500));
    assert_eq!(
        fired_at(&engine, "db-speaks"),
        Some(740),
        "joins_after 4m after the page"
    );
    assert_eq!(engine.state().joined.get("db-team"), Some(&740));
    // Never paged, never joined.
    let quiet = played(&scenario, Vec::new(), 1200);
    assert_eq!(fired_at(&quiet, "db-speaks"), None);
}

#[test]
fn since_holds_from_the_second_its_time_has_passed_after_the_event() {
    let scenario = with_injects(&[logging_inject(
        "follow-up",
        "Since(what: Remediated(\"restore-node\"), for: \"10m\")",
    )]);
    // The fix starts at 300 and finishes at 420: the follow-up comes at 1020.
    let engine = played(
        &scenario,
        vec![tech(300, Action::Remediate("restore-node".into()))],
        1019,
    );
    assert_eq!(fired_at(&engine, "follow-up"), None);
    let mut engine = engine;
    engine.advance_to(secs(1020));
    assert_eq!(fired_at(&engine, "follow-up"), Some(1020));
    assert_eq!(
        engine
            .state()
            .happened_at(&scenario::Condition::Remediated("restore-node".into())),
        Some(420)
    );
}

#[test]
fn a_cleared_flag_stops_holding_and_since_counts_from_its_latest_set() {
    let scenario = with_injects(&[
        "(id: \"set-1\", at: \"3m\", do: [Set(\"failover\")]),\n        ".into(),
        "(id: \"clear\", at: \"5m\", do: [Clear(\"failover\")]),\n        ".into(),
        "(id: \"set-2\", at: \"8m\", do: [Set(\"failover\")]),\n        ".into(),
        logging_inject("while-set", "All([After(\"6m\"), Flag(\"failover\")])"),
        logging_inject("settled", "Since(what: Flag(\"failover\"), for: \"4m\")"),
    ]);
    let engine = played(&scenario, Vec::new(), 1200);
    let flags: Vec<(u64, &Event)> = engine
        .journal()
        .iter()
        .filter(|e| matches!(e.event, Event::FlagSet(_) | Event::FlagCleared(_)))
        .map(|e| (e.at.as_secs(), &e.event))
        .collect();
    assert_eq!(
        flags,
        [
            (180, &Event::FlagSet("failover".into())),
            (300, &Event::FlagCleared("failover".into())),
            (480, &Event::FlagSet("failover".into())),
        ]
    );
    // Cleared at 6m: it holds again only once set again at 8m.
    assert_eq!(fired_at(&engine, "while-set"), Some(480));
    // 4m after the first set (420) the flag is cleared; 4m after the latest: 720.
    assert_eq!(fired_at(&engine, "settled"), Some(720));
}

/// The minimal fixture whose investigation is blocked until 20m.
fn late_dashboards() -> Arc<Scenario> {
    minimal_with(&[(
        "reveals_cause: true),",
        "reveals_cause: true, requires: After(\"20m\"),\n         blocked: \"The dashboards are still loading.\"),",
    )])
}

fn refused_investigations(engine: &Engine) -> Vec<(u64, &str)> {
    engine
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::Refused {
                actor: Actor::Bot(Role::Tech),
                action: Action::Investigate(_),
                reason,
            } => Some((e.at.as_secs(), reason.as_str())),
            _ => None,
        })
        .collect()
}

fn investigated_at(engine: &Engine) -> Option<u64> {
    engine.journal().iter().find_map(|e| match &e.event {
        Event::Did {
            action: Action::Investigate(_),
            ..
        } => Some(e.at.as_secs()),
        _ => None,
    })
}

#[test]
fn the_reference_bot_waits_for_a_blocked_investigation_and_resolves() {
    let mut engine = Engine::new(late_dashboards(), 1, &[]);
    assert_eq!(engine.run_to_end(), Outcome::Resolved);
    assert_eq!(refused_investigations(&engine), Vec::<(u64, &str)>::new());
    // It looks again every think_time (1m) from when it got ready: the first look
    // at or after 20m is at 20m31s.
    assert_eq!(investigated_at(&engine), Some(1231));
}

#[test]
fn the_novice_bot_is_refused_a_blocked_investigation_and_retries_it_once_it_opens() {
    let play = || {
        let mut engine = Engine::with_policy(late_dashboards(), 1, &[], Policy::Novice);
        assert_eq!(engine.run_to_end(), Outcome::Resolved);
        engine
    };
    let engine = play();
    let refused = refused_investigations(&engine);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].1, "The dashboards are still loading.");
    assert!(refused[0].0 < 1200);
    assert_eq!(investigated_at(&engine), Some(1200));
    // Deterministic: the same run again gives the same journal.
    let again = play();
    assert_eq!(
        serde_json::to_string(engine.journal()).expect("json"),
        serde_json::to_string(again.journal()).expect("json")
    );
}
