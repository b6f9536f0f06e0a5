//! Scoring through runs of the engine: hand-computed times, CAN reports graded in the
//! order a coach would rank them, claims checked against the journal, premature
//! resolves, blame, the postmortem, and the promise that every point is explained.

use std::sync::Arc;

use super::{Category, Finding, Scorecard, score};
use crate::engine::Engine;
use crate::engine::action::{
    Action, Actor, Audience, CanAction, CanReport, Conditions, Input, Role, StatusState,
    StatusUpdate,
};
use crate::engine::journal::Event;
use crate::inputs;
use crate::report::postmortem::postmortem;
use crate::report::timeline::timeline;
use crate::run;
use crate::scenario::{self, Channel, Duration, IncidentState, Scenario, Severity, builtin};

const MINIMAL: &str = include_str!("../../../tests/fixtures/minimal.ron");

fn minimal() -> Arc<Scenario> {
    Arc::new(scenario::parse(MINIMAL).unwrap())
}

fn at(m: u64, s: u64) -> Duration {
    Duration::from_secs(m * 60 + s)
}

/// Plays the minimal fixture with the trainee in `role` doing `actions`.
fn play(role: Role, actions: Vec<(Duration, Action)>) -> (Engine, Scorecard) {
    let mut engine = Engine::new(minimal(), 1, &[role]);
    for (when, action) in actions {
        engine
            .submit(Input {
                at: when,
                actor: Actor::Trainee(role),
                action,
            })
            .unwrap();
    }
    engine.run_to_end();
    let card = score(engine.scenario(), engine.journal(), Some(role));
    (engine, card)
}

fn can(kind: &str, severity: Option<Severity>, summary: &str, radius: &str) -> CanReport {
    CanReport {
        conditions: Conditions {
            kind: kind.into(),
            state: Some(IncidentState::Investigating),
            severity,
            summary: summary.into(),
            blast_radius: radius.into(),
        },
        actions: Vec::new(),
        needs: vec!["none".into()],
    }
}

fn with_action(mut report: CanReport, what: &str, who: &str) -> CanReport {
    report.actions.push(CanAction {
        what: what.into(),
        who: who.into(),
    });
    report
}

fn lost(findings: &[&Finding]) -> u32 {
    findings.iter().map(|f| f.lost()).sum()
}

#[test]
fn times_and_the_time_score_match_a_hand_computed_run() {
    // Impact starts at 2m (the truth). The IC acknowledges at 6m, declares, tries to
    // resolve at 9m while the API is still slow, and resolves for good at 40m.
    let (_, card) = play(
        Role::Commander,
        vec![
            (at(6, 0), Action::Acknowledge),
            (at(6, 30), Action::Declare(Severity::Sev3)),
            (at(9, 0), Action::Resolve),
            (at(40, 0), Action::Resolve),
            // A repeat during the wrap-up is refused too, but it is not premature.
            (at(41, 0), Action::Resolve),
        ],
    );
    let t = &card.times;
    assert_eq!(t.start_s, 120);
    assert_eq!(t.acknowledged_s, Some(360));
    assert_eq!(t.mtta_s, Some(240), "6m - 2m");
    assert_eq!(
        t.resolved_s,
        Some(2400),
        "the refused resolve at 9m does not count"
    );
    assert_eq!(t.mttr_s, Some(2040), "40m - 6m");
    assert_eq!(t.mtrs_s, Some(2280), "MTTA + MTTR");
    // MTTA is under its 5m par: 50 of 50. MTTR is 34m against a 20m par, 14m over: the
    // points fall linearly to none at 3 × par (40m over), so 50 × (40 - 14) / 40 = 32.
    assert_eq!(card.scores.time, 82);
    let premature: Vec<&Finding> = card
        .category(Category::Decisions)
        .filter(|f| f.text.contains("declared the incident resolved"))
        .collect();
    assert_eq!(premature.len(), 1);
    assert_eq!(premature[0].at_s, 540);
    assert_eq!(lost(&premature), 5);
}

#[test]
fn an_unreached_milestone_is_null_and_scores_nothing() {
    let (_, card) = play(Role::Commander, vec![]);
    assert_eq!(card.times.acknowledged_s, None);
    assert_eq!(card.times.mttr_s, None);
    assert_eq!(card.scores.time, 0);
    let json = serde_json::to_value(&card).unwrap();
    assert!(json["times"]["mtta_s"].is_null());
}

#[test]
fn good_mediocre_and_empty_can_reports_are_graded_in_that_order() {
    let good = with_action(
        can(
            "cache failure",
            Some(Severity::Sev3),
            "Public API slow: p99 latency at 1.5 s since 09:02",
            "All API clients",
        ),
        "Next: check the cache hit rate",
        "Technical Lead",
    );
    let mut mediocre = with_action(
        can("cache failure", Some(Severity::Sev1), "API is slow", ""),
        "Looking at it",
        "",
    );
    mediocre.needs = vec!["more people".into()];
    let (_, card) = play(
        Role::Commander,
        vec![
            (at(6, 0), Action::Declare(Severity::Sev3)),
            (at(7, 0), Action::Can(good)),
            (at(7, 0), Action::Can(mediocre)),
            (at(7, 0), Action::Can(CanReport::default())),
        ],
    );
    let grades: Vec<u32> = card.can_reports.iter().map(|g| g.score).collect();
    assert_eq!(grades.len(), 3);
    assert_eq!(grades[0], 100, "{:#?}", card.can_reports[0].findings);
    assert!(grades[0] > grades[1] && grades[1] > grades[2], "{grades:?}");
    assert_eq!(grades[2], 0, "{:#?}", card.can_reports[2].findings);
    let mediocre = &card.can_reports[1].findings;
    for expected in [
        "said SEV1",
        "blast radius",
        "without an owner",
        "nothing more was needed",
    ] {
        assert!(
            mediocre
                .iter()
                .any(|f| f.lost() > 0 && f.text.contains(expected)),
            "no finding says {expected:?}: {mediocre:#?}"
        );
    }
}

#[test]
fn a_can_report_claiming_work_that_never_ran_loses_points() {
    let report = |what: &str| {
        with_action(
            can(
                "cache failure",
                Some(Severity::Sev3),
                "API slow",
                "all customers",
            ),
            what,
            "Technical Lead",
        )
    };
    let claims = |actions: Vec<(Duration, Action)>| -> Vec<(u32, String)> {
        let (_, card) = play(Role::Tech, actions);
        card.can_reports
            .iter()
            .map(|g| {
                let claim = g
                    .findings
                    .iter()
                    .find(|f| f.text.contains("claim") || f.text.contains("matched what"))
                    .expect("a claims finding");
                (claim.points, claim.text.clone())
            })
            .collect()
    };
    // Nobody has touched cache-2 at 8m.
    let idle = claims(vec![
        (at(8, 0), Action::Can(report("Undrained cache-2, done"))),
        (at(8, 0), Action::Can(report("Next: undrain cache-2"))),
        (
            at(8, 0),
            Action::Can(report("Undrain of cache-2 done, then watching latency")),
        ),
        (
            at(8, 0),
            Action::Can(report("Decided against undraining cache-2")),
        ),
    ]);
    assert_eq!(idle[0].0, 0);
    assert!(idle[0].1.contains("had not been started"), "{}", idle[0].1);
    assert_eq!(idle[1].0, 10, "a plan is not a claim: {}", idle[1].1);
    assert_eq!(
        idle[2].0, 0,
        "done, then a plan, is still a claim: {}",
        idle[2].1
    );
    assert_eq!(
        idle[3].0, 10,
        "a step ruled out is not a claim: {}",
        idle[3].1
    );
    // The undrain runs from 7m to 9m: "undraining" is true at 8m, "done" is not.
    let running = claims(vec![
        (at(7, 0), Action::Remediate("restore-node".into())),
        (at(8, 0), Action::Can(report("Undraining cache-2"))),
        (
            at(8, 0),
            Action::Can(report("Undrained cache-2, completed")),
        ),
    ]);
    assert_eq!(running[0].0, 10, "{}", running[0].1);
    assert_eq!(running[1].0, 0);
    assert!(running[1].1.contains("still running"), "{}", running[1].1);
}

#[test]
fn blameful_wording_is_flagged_and_blameless_wording_is_not() {
    let post = |text: &str| Action::Post {
        channel: Channel::Incidents,
        text: text.into(),
    };
    let blameless = |actions| {
        let (_, card) = play(Role::Tech, actions);
        card.category(Category::Comms)
            .filter(|f| f.lost() > 0)
            .map(|f| f.text.clone())
            .collect::<Vec<_>>()
    };
    let flagged = blameless(vec![(
        at(8, 0),
        post("Found it: Sam drained the wrong node. This is his fault."),
    )]);
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(flagged[0].contains("This is his fault"), "{}", flagged[0]);
    assert!(
        blameless(vec![(
            at(8, 0),
            post("Found it: cache-2 was drained by a maintenance script that targeted the wrong host."),
        )])
        .is_empty()
    );
}

#[test]
fn a_status_page_saying_resolved_too_early_is_wrong() {
    let update = |state| {
        Action::StatusUpdate(StatusUpdate {
            audience: Audience::Internal,
            state,
            text: "API latency".into(),
        })
    };
    let (_, card) = play(
        Role::Comms,
        vec![
            (at(8, 0), update(StatusState::Investigating)),
            (at(8, 30), update(StatusState::Resolved)),
        ],
    );
    let wrong: Vec<&Finding> = card
        .category(Category::Comms)
        .filter(|f| f.lost() > 0 && f.text.contains("said Resolved"))
        .collect();
    assert_eq!(wrong.len(), 1, "{:#?}", card.findings);
    assert_eq!(wrong[0].at_s, 510);
}

#[test]
fn the_postmortem_is_built_from_the_real_timeline() {
    let scenario = minimal();
    let engine = run::play(Arc::clone(&scenario), 3, None);
    let card = score(&scenario, engine.journal(), None);
    let md = postmortem(&scenario, engine.journal(), &card, 3);
    // The timeline section has a row for every line of the run's timeline, in order,
    // with the time in Berlin (CET, UTC+1 in March) and UTC. Some of them, as read off
    // this run: the bots acknowledge 2m after the 09:04:30 page, declare 2m later, fix
    // by 09:13:31, and resolve 5m after impact ends at 09:15:55.
    let section = &md[md.find("## Timeline").expect("a timeline section")..];
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| 09:")).collect();
    assert_eq!(rows.len(), timeline(&scenario, engine.journal()).len());
    let expected = [
        "| 09:02:00 | 08:02:00 | world | customer impact begins |",
        "| 09:04:30 | 08:04:30 | world | alert api-slow fires (Critical) |",
        "| 09:06:30 | 08:06:30 | Incident Commander | acknowledged the page |",
        "| 09:07:30 | 08:07:30 | API on-call | joined the war room |",
        "| 09:08:30 | 08:08:30 | Incident Commander | declared a SEV3 incident |",
        "| 09:09:31 | 08:09:31 | Technical Lead | started: Check cache hit rate |",
        "| 09:13:31 | 08:13:31 | change | finished: Undrain cache-2 |",
        "| 09:15:55 | 08:15:55 | world | customer impact ends |",
        "| 09:20:55 | 08:20:55 | Incident Commander | declared the incident resolved |",
        "| 09:25:55 | 08:25:55 | world | the drill ends: resolved |",
    ];
    let mut after = 0;
    for row in expected {
        let at = rows[after..]
            .iter()
            .position(|r| *r == row)
            .unwrap_or_else(|| panic!("no row {row} after row {after}:\n{section}"));
        after += at + 1;
    }
    for section in [
        "## Summary",
        "## Impact and key times",
        "## Contributing factors",
        "### What went well",
        "### What went wrong",
        "## Action items",
        "## Timeline",
    ] {
        assert!(md.contains(section), "no {section}");
    }
    assert!(md.contains(scenario.truth.root_cause.as_str()));
}

#[test]
fn the_postmortem_withholds_blameful_words() {
    let (engine, card) = play(
        Role::Commander,
        vec![(
            at(6, 0),
            Action::Post {
                channel: Channel::WarRoom,
                text: "Sam broke the cache. Undrain cache-2 please.".into(),
            },
        )],
    );
    let md = postmortem(engine.scenario(), engine.journal(), &card, 1);
    assert!(!md.contains("Sam broke the cache"));
    assert!(md.contains("[blameful wording removed]. Undrain cache-2 please."));
}

/// Every category's stakes add up to 100 and its score is what its findings earned;
/// every CAN report's findings add up to its grade.
pub(super) fn assert_explained(card: &Scorecard, what: &str) {
    for category in Category::ALL {
        let findings: Vec<&Finding> = card.category(category).collect();
        let Some(score) = card.scores.get(category) else {
            assert!(
                findings.is_empty(),
                "{what}: ungraded {category:?} has findings"
            );
            continue;
        };
        if findings.is_empty() {
            continue;
        }
        let max: u32 = findings.iter().map(|f| f.max).sum();
        let points: u32 = findings.iter().map(|f| f.points).sum();
        assert_eq!(max, 100, "{what}: {category:?} stakes {findings:#?}");
        assert_eq!(points, score, "{what}: {category:?}");
        assert!(
            findings
                .iter()
                .all(|f| !f.text.is_empty() && f.points <= f.max)
        );
    }
    for grade in &card.can_reports {
        let max: u32 = grade.findings.iter().map(|f| f.max).sum();
        let points: u32 = grade.findings.iter().map(|f| f.points).sum();
        assert_eq!(
            (max, points),
            (100, grade.score),
            "{what}: CAN at {}",
            grade.at_s
        );
    }
    assert!(card.scores.total <= 100);
}

pub(super) fn repo_file(path: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
    std::fs::read_to_string(format!("{root}{path}")).unwrap()
}

pub(super) fn walkthrough(scenario: &Arc<Scenario>, path: &str) -> Scorecard {
    let file = inputs::parse(&repo_file(path), scenario).unwrap();
    let engine = run::play(Arc::clone(scenario), 1, Some(&file));
    score(scenario, engine.journal(), Some(file.role))
}

#[test]
fn every_point_is_explained_in_every_shipped_run() {
    for &(id, _) in builtin::BUILTIN {
        let scenario = Arc::new(scenario::parse(builtin::source(id).unwrap()).unwrap());
        for role in Role::ALL {
            let path = format!("scenarios/walkthroughs/{id}.{}.ron", role.key());
            assert_explained(&walkthrough(&scenario, &path), &path);
        }
        for seed in 1..=3 {
            let engine = run::play(Arc::clone(&scenario), seed, None);
            let card = score(&scenario, engine.journal(), None);
            assert_explained(&card, &format!("{id} bots seed {seed}"));
        }
    }
}

#[test]
fn walkthroughs_score_well_and_poor_runs_clearly_worse() {
    for (id, role) in [
        ("edge-waf-regex", "commander"),
        ("chat-gateway-saturation", "comms"),
        ("db-replica-lag", "tech"),
    ] {
        let scenario = Arc::new(scenario::parse(builtin::source(id).unwrap()).unwrap());
        let good = walkthrough(
            &scenario,
            &format!("scenarios/walkthroughs/{id}.{role}.ron"),
        );
        let poor = walkthrough(
            &scenario,
            &format!("scenarios/walkthroughs/poor/{id}.{role}.ron"),
        );
        assert_explained(&poor, id);
        assert!(good.scores.total >= 95, "{id} {role}: {:?}", good.scores);
        assert!(
            poor.scores.total + 35 <= good.scores.total,
            "{id} {role}: poor {} vs good {}",
            poor.scores.total,
            good.scores.total
        );
        let lost: u32 = poor.findings.iter().map(Finding::lost).sum();
        assert!(lost >= 100, "{id} {role}: only {lost} points lost");
    }
}

#[test]
fn the_incident_stays_open_for_a_wrap_up_after_resolving() {
    let (engine, _) = play(
        Role::Commander,
        vec![
            (at(6, 0), Action::Declare(Severity::Sev3)),
            (at(40, 0), Action::Resolve),
            (at(41, 0), Action::Page("api-team".into())),
            (at(41, 0), Action::AssignPostmortem("Technical Lead".into())),
        ],
    );
    let journal = engine.journal();
    let last = journal.last().unwrap();
    assert_eq!(last.at.as_secs(), 40 * 60 + crate::engine::WRAP_UP);
    let after: Vec<&Event> = journal
        .iter()
        .filter(|e| e.at.as_secs() >= 40 * 60)
        .map(|e| &e.event)
        .collect();
    assert!(after.iter().any(|e| matches!(
        e,
        Event::Refused {
            action: Action::Page(_),
            ..
        }
    )));
    assert!(after.iter().any(|e| matches!(
        e,
        Event::Did {
            action: Action::AssignPostmortem(_),
            ..
        }
    )));
    assert!(after.iter().any(|e| matches!(
        e,
        Event::Did { actor: Actor::Bot(Role::Comms), action: Action::StatusUpdate(u) }
            if u.state == StatusState::Resolved
    )));
}

#[test]
fn the_timeline_names_teams_as_people_know_them() {
    let scenario = Arc::new(crate::scenario::builtin::load("edge-waf-regex").unwrap());
    let engine = run::play(Arc::clone(&scenario), 1, None);
    let names: Vec<&str> = scenario
        .world
        .teams
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let lines = timeline(&scenario, engine.journal());
    let mut teams_seen = 0;
    for line in &lines {
        let named = if let Some(team) = line.text.strip_prefix("paged ") {
            Some(team)
        } else if let Some(rest) = line.text.strip_prefix("pager: ") {
            rest.split(": ").next()
        } else if line.text == "joined the war room" {
            Some(line.who.as_str())
        } else {
            None
        };
        if let Some(team) = named {
            assert!(names.contains(&team), "{team} in {:?}", line.text);
            teams_seen += 1;
        }
    }
    assert!(
        teams_seen >= 2,
        "pages and joins in a bots' run: {lines:#?}"
    );
}

#[test]
fn a_report_written_while_recovering_is_graded_against_the_recovering_expectation() {
    // Cache-2 is undrained at 9m and the API warms up over 10m: from 9m until about
    // 17m the incident is Recovering, and a report at 13m is graded against that
    // phase's expectation (recovering API, watching) alone.
    let text = MINIMAL
        .replace(
            "        can: [",
            "        recovering_when: Remediated(\"restore-node\"),\n        can: [\n            (phase: Recovering, summary: [[\"recovering\", \"improving\"], [\"api\"]],\n             actions: [[\"watch\", \"monitoring\"]]),",
        )
        .replace(
            "Recover(metric: \"api_p99\", over: \"3m\")",
            "Recover(metric: \"api_p99\", over: \"10m\")",
        );
    let scenario = Arc::new(scenario::parse(&text).unwrap());
    let mut engine = Engine::new(scenario, 1, &[Role::Commander, Role::Tech]);
    let report = |summary: &str, what: &str| {
        let mut r = with_action(
            can(
                "cache failure",
                Some(Severity::Sev3),
                summary,
                "all customers",
            ),
            what,
            "Technical Lead",
        );
        r.conditions.state = Some(IncidentState::Identified);
        r
    };
    let inputs = [
        (at(5, 0), Role::Commander, Action::Declare(Severity::Sev3)),
        (
            at(5, 0),
            Role::Tech,
            Action::Investigate("cache-stats".into()),
        ),
        (
            at(7, 0),
            Role::Tech,
            Action::Remediate("restore-node".into()),
        ),
        (
            at(13, 0),
            Role::Commander,
            Action::Can(report(
                "API latency recovering",
                "Watching p99 as cache-2 warms",
            )),
        ),
        (
            at(13, 0),
            Role::Commander,
            Action::Can(report("API is slow", "Investigating the cache")),
        ),
    ];
    for (when, role, action) in inputs {
        engine
            .submit(Input {
                at: when,
                actor: Actor::Trainee(role),
                action,
            })
            .unwrap();
    }
    engine.run_to_end();
    let card = score(engine.scenario(), engine.journal(), Some(Role::Commander));
    let grades: Vec<u32> = card.can_reports.iter().map(|g| g.score).collect();
    // The second misses "recovering" (5 of the summary's 10) and the watching (the
    // work's 10).
    assert_eq!(grades, [100, 85]);
    let said: Vec<&str> = card.can_reports[1]
        .findings
        .iter()
        .map(|f| f.text.as_str())
        .collect();
    assert!(
        said.iter()
            .any(|t| t.contains("mentioned none of the work this phase calls for (\"watch\")")),
        "{said:#?}"
    );
}
