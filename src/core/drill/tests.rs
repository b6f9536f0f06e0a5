//! Team drills through inputs and journals: seats, the facilitator's console, per-seat
//! scores, the drill file round trip.

use std::sync::Arc;

use proptest::prelude::*;

use super::*;
use crate::engine::action::{Presence, Release};
use crate::inputs;
use crate::scenario::{self, builtin};
use crate::score::AdjustmentKind;

fn edge() -> Arc<Scenario> {
    Arc::new(scenario::parse(builtin::source("edge-waf-regex").expect("built-in")).expect("valid"))
}

fn repo_file(path: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
    std::fs::read_to_string(format!("{root}{path}")).expect("a shipped file")
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn input(at: u64, by: By, action: Action) -> DrillInput {
    DrillInput {
        at: secs(at),
        by,
        action,
    }
}

fn take(at: u64, role: Role, name: &str) -> DrillInput {
    input(
        at,
        By::Host,
        Action::TakeSeat {
            role,
            by: name.into(),
        },
    )
}

/// Three people take the seats at the start and play the shipped walkthroughs of
/// edge-waf-regex; a facilitator joins, notes, holds one red herring and fires the
/// CEO's tweet early.
fn team_drill() -> DrillFile {
    let scenario = edge();
    let mut inputs = vec![
        take(0, Role::Commander, "ana"),
        take(0, Role::Comms, "bo"),
        take(0, Role::Tech, "cy"),
        input(
            0,
            By::Host,
            Action::Join {
                by: "dee".into(),
                presence: Presence::Facilitator,
            },
        ),
        input(
            0,
            By::Facilitator,
            Action::HoldInject("grenade-ddos".into()),
        ),
        input(
            15 * 60,
            By::Facilitator,
            Action::Note("ana ran the bridge calmly".into()),
        ),
        input(
            16 * 60,
            By::Facilitator,
            Action::FireInject("ceo-tweet".into()),
        ),
    ];
    for role in Role::ALL {
        let path = format!("scenarios/walkthroughs/edge-waf-regex.{}.ron", role.key());
        let file = inputs::parse(&repo_file(&path), &scenario).expect("a valid walkthrough");
        inputs.extend(
            file.actions
                .into_iter()
                .map(|a| input(a.at.as_secs(), By::Seat(role), a.action)),
        );
    }
    DrillFile {
        scenario: "edge-waf-regex".into(),
        seed: 4,
        inputs,
    }
}

fn fired_at(journal: &[Entry], id: &str) -> Option<u64> {
    journal.iter().find_map(|e| match &e.event {
        Event::InjectFired(x) if x == id => Some(e.at.as_secs()),
        _ => None,
    })
}

fn bot_acts(journal: &[Entry], role: Role) -> Vec<u64> {
    journal
        .iter()
        .filter(|e| matches!(&e.event, Event::Did { actor: Actor::Bot(r), .. } if *r == role))
        .map(|e| e.at.as_secs())
        .collect()
}

#[test]
fn three_seats_and_a_facilitator_play_one_drill_and_each_seat_is_scored() {
    let scenario = edge();
    let engine = play(Arc::clone(&scenario), &team_drill()).expect("a checked drill");
    let journal = engine.journal();
    assert_eq!(engine.outcome(), Some(Outcome::Resolved));
    // People play every role: no bot acts at all.
    for role in Role::ALL {
        assert_eq!(bot_acts(journal, role), Vec::<u64>::new(), "{role:?}");
    }
    // The held red herring never fires; the tweet fires when the facilitator says.
    assert_eq!(fired_at(journal, "grenade-ddos"), None);
    assert_eq!(fired_at(journal, "ceo-tweet"), Some(16 * 60));
    let report = report(&engine);
    let seats: Vec<(&str, Role, u32)> = report
        .seats
        .iter()
        .map(|s| (s.name.as_str(), s.role, s.scorecard.scores.total))
        .collect();
    assert_eq!(
        seats,
        [
            ("ana", Role::Commander, 100),
            ("bo", Role::Comms, 98),
            ("cy", Role::Tech, 100),
        ]
    );
    // Each seat is graded on its own people's work: the commander's CAN reports are
    // the commander's, not the other seats'.
    let commander = &report.seats[0].scorecard;
    assert!(
        commander
            .can_reports
            .iter()
            .all(|g| g.by == Actor::Trainee(Role::Commander))
    );
    assert_eq!(commander.findings[0].who.as_deref(), Some("ana"));
    // The timeline names the people in the seats and the facilitator's work.
    let lines: Vec<(String, String)> = report
        .timeline
        .iter()
        .map(|l| (l.who.clone(), l.text.clone()))
        .collect();
    for expected in [
        ("Host", "ana takes the Incident Commander seat"),
        ("Host", "dee joins as facilitator"),
        ("Facilitator", "held the inject \"grenade-ddos\""),
        ("Facilitator", "note: ana ran the bridge calmly"),
        ("Incident Commander (ana)", "acknowledged the page"),
    ] {
        assert!(
            lines.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} missing"
        );
    }
}

#[test]
fn a_drill_file_round_trips_and_replays_to_the_same_journal() {
    let scenario = edge();
    let file = team_drill();
    let text = file.to_ron();
    assert!(text.starts_with("Drill(\n"), "{}", &text[..40]);
    assert!(looks_like_drill(&text));
    assert!(!inputs::looks_like_inputs(&text));
    let reparsed = parse(&text, &scenario).expect("its own output parses");
    assert_eq!(reparsed, file);
    let first = play(Arc::clone(&scenario), &file).expect("plays");
    let again = play(Arc::clone(&scenario), &reparsed).expect("plays");
    assert_eq!(first.journal(), again.journal());
}

#[test]
fn a_seat_taken_from_the_bot_mid_run_and_handed_back() {
    let scenario = edge();
    // Bots everywhere; cy takes the Technical Lead's seat at 12m, reviews the recent
    // deploys herself, and hands the seat back at 15m while that is still running.
    let file = DrillFile {
        scenario: "edge-waf-regex".into(),
        seed: 1,
        inputs: vec![
            take(12 * 60, Role::Tech, "cy"),
            input(
                12 * 60 + 5,
                By::Seat(Role::Tech),
                Action::Investigate("recent-deploys".into()),
            ),
            input(
                15 * 60,
                By::Host,
                Action::ReleaseSeat {
                    role: Role::Tech,
                    by: "cy".into(),
                    reason: Release::HandedBack,
                },
            ),
        ],
    };
    let engine = play(Arc::clone(&scenario), &file).expect("plays");
    let journal = engine.journal();
    assert_eq!(engine.outcome(), Some(Outcome::Resolved));
    let tech_bot = bot_acts(journal, Role::Tech);
    assert!(
        tech_bot.iter().any(|&t| t < 12 * 60),
        "the bot played first"
    );
    assert!(
        !tech_bot.iter().any(|&t| (12 * 60..15 * 60).contains(&t)),
        "the bot is quiet while cy sits: {tech_bot:?}"
    );
    assert!(tech_bot.iter().any(|&t| t >= 15 * 60), "and resumes after");
    // The resumed bot picks up the run: it neither redoes what was done nor is refused.
    assert!(
        !journal.iter().any(|e| matches!(
            &e.event,
            Event::Refused {
                actor: Actor::Bot(_),
                ..
            }
        )),
        "no bot action refused"
    );
    let waf_rules_started = journal
        .iter()
        .filter(|e| {
            matches!(&e.event, Event::Did { action: Action::Investigate(id), .. } if id == "recent-deploys")
        })
        .count();
    assert_eq!(waf_rules_started, 1);
    // The seat's report names cy; her work is graded in it, saying who.
    let report = report(&engine);
    assert_eq!(report.seats.len(), 1);
    assert_eq!(
        (report.seats[0].name.as_str(), report.seats[0].role),
        ("cy", Role::Tech)
    );
    let theirs: Vec<&str> = report.seats[0]
        .scorecard
        .findings
        .iter()
        .filter_map(|f| f.who.as_deref())
        .collect();
    assert!(theirs.iter().all(|who| *who == "cy"), "{theirs:?}");
    // A seat's input after the hand-back is refused, not played by the person.
    let late = DrillFile {
        inputs: [
            file.inputs.clone(),
            vec![input(
                16 * 60,
                By::Seat(Role::Tech),
                Action::Page("security".into()),
            )],
        ]
        .concat(),
        ..file
    };
    let engine = play(Arc::clone(&scenario), &late).expect("plays");
    assert!(engine.journal().iter().any(|e| matches!(
        &e.event,
        Event::Refused { actor: Actor::Trainee(Role::Tech), reason, .. }
            if reason == "the Technical Lead seat is played by its bot now"
    )));
}

#[test]
fn seats_are_refused_when_taken_or_not_held() {
    let scenario = edge();
    let release = |by: &str| Action::ReleaseSeat {
        role: Role::Comms,
        by: by.into(),
        reason: Release::Left,
    };
    let file = DrillFile {
        scenario: "edge-waf-regex".into(),
        seed: 1,
        inputs: vec![
            take(0, Role::Comms, "bo"),
            take(1, Role::Comms, "cy"),
            take(2, Role::Tech, "bo"),
            input(3, By::Host, release("cy")),
            input(4, By::Host, Action::Leave("bo".into())),
            input(5, By::Host, release("bo")),
            input(6, By::Host, release("bo")),
        ],
    };
    let engine = play(scenario, &file).expect("plays");
    let refusals: Vec<(u64, &str)> = engine
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::Refused { reason, .. } => Some((e.at.as_secs(), reason.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        refusals,
        [
            (1, "the Communications Lead seat is already taken by bo"),
            (2, "bo already sits in the Communications Lead seat"),
            (3, "cy does not hold the Communications Lead seat: bo does"),
            (
                4,
                "bo is not watching or facilitating: a seat is given back instead"
            ),
            (6, "bo does not hold the Communications Lead seat"),
        ]
    );
}

#[test]
fn held_released_and_fired_injects() {
    let scenario = edge();
    let file = DrillFile {
        scenario: "edge-waf-regex".into(),
        seed: 1,
        inputs: vec![
            // grenade-ddos is due at 6m: held until 8m, it fires on release.
            input(
                60,
                By::Facilitator,
                Action::HoldInject("grenade-ddos".into()),
            ),
            input(
                8 * 60,
                By::Facilitator,
                Action::ReleaseInject("grenade-ddos".into()),
            ),
            // The CEO's tweet waits for a condition; fired by hand at 2m.
            input(120, By::Facilitator, Action::FireInject("ceo-tweet".into())),
            input(130, By::Facilitator, Action::FireInject("ceo-tweet".into())),
            input(
                140,
                By::Facilitator,
                Action::Speak {
                    character: "support".into(),
                    channel: crate::scenario::Channel::Incidents,
                    text: "Twitter is on fire".into(),
                },
            ),
        ],
    };
    let engine = play(scenario, &file).expect("plays");
    let journal = engine.journal();
    assert_eq!(fired_at(journal, "grenade-ddos"), Some(8 * 60));
    assert_eq!(fired_at(journal, "ceo-tweet"), Some(120));
    assert!(journal.iter().any(|e| e.at == secs(130)
        && matches!(&e.event, Event::Refused { reason, .. } if reason == "that inject has already fired")));
    assert!(journal.iter().any(|e| e.at == secs(140)
        && e.event
            == Event::Message {
                from: crate::engine::journal::Speaker::Character("support".into()),
                channel: crate::scenario::Channel::Incidents,
                text: "Twitter is on fire".into(),
            }));
}

#[test]
fn a_facilitator_only_inject_fires_only_by_hand() {
    let source = builtin::source("edge-waf-regex")
        .expect("built-in")
        .replace(
            r#"(id: "grenade-ddos", at: "6m", kind: RedHerring,"#,
            r#"(id: "grenade-ddos", at: "6m", kind: RedHerring, facilitator_only: true,"#,
        );
    let scenario = Arc::new(scenario::parse(&source).expect("still valid"));
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[]);
    engine.run_to_end();
    assert_eq!(fired_at(engine.journal(), "grenade-ddos"), None);
    let file = DrillFile {
        scenario: "edge-waf-regex".into(),
        seed: 1,
        inputs: vec![input(
            7 * 60,
            By::Facilitator,
            Action::FireInject("grenade-ddos".into()),
        )],
    };
    let engine = play(scenario, &file).expect("plays");
    assert_eq!(fired_at(engine.journal(), "grenade-ddos"), Some(7 * 60));
    // On a condition it would fire by itself: the validator says so where it is.
    let bad = builtin::source("edge-waf-regex")
        .expect("built-in")
        .replace(
            r#"(id: "press-asks", when:"#,
            r#"(id: "press-asks", facilitator_only: true, when:"#,
        );
    let problems = scenario::parse(&bad).expect_err("facilitator-only with `when`");
    let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "a facilitator-only inject fires by hand, never on a condition: drop `when` (`at` may suggest a time)"
        ]
    );
}

#[test]
fn a_hint_costs_its_seat_five_points_and_nobody_else_any() {
    let scenario = edge();
    let plain = team_drill();
    let mut hinted = plain.clone();
    hinted.inputs.push(input(
        11 * 60,
        By::Facilitator,
        Action::Hint {
            to: Role::Comms,
            text: "The VP is waiting for an executive update".into(),
        },
    ));
    let totals = |file: &DrillFile| -> Vec<u32> {
        let engine = play(Arc::clone(&scenario), file).expect("plays");
        report(&engine)
            .seats
            .iter()
            .map(|s| s.scorecard.scores.total)
            .collect()
    };
    assert_eq!(totals(&plain), [100, 98, 100]);
    assert_eq!(totals(&hinted), [100, 93, 100]);
    let engine = play(Arc::clone(&scenario), &hinted).expect("plays");
    let comms = &report(&engine).seats[1].scorecard;
    let hint = comms
        .adjustments
        .iter()
        .find(|a| a.kind == AdjustmentKind::Hint)
        .expect("the hint is an adjustment");
    assert_eq!(
        (hint.at_s, hint.lost, hint.who.as_deref()),
        (660, 5, Some("bo"))
    );
    assert_eq!(
        hint.text,
        "At 14:51 the facilitator gave this seat a hint: \"The VP is waiting for an executive update\". Every hint costs the total 5 points."
    );
}

#[test]
fn ending_the_drill_stops_the_clock() {
    let scenario = edge();
    let file = DrillFile {
        scenario: "edge-waf-regex".into(),
        seed: 1,
        inputs: vec![input(10 * 60, By::Facilitator, Action::EndDrill)],
    };
    let engine = play(scenario, &file).expect("plays");
    assert_eq!(engine.outcome(), Some(Outcome::Stopped));
    let last = engine.journal().last().expect("something happened");
    assert_eq!(last.at, secs(600));
    assert_eq!(last.event, Event::Ended(Outcome::Stopped));
}

#[test]
fn a_drill_file_is_checked_with_positions() {
    let scenario = edge();
    let text = r#"Drill(
    scenario: "edge-waf-regex",
    seed: 1,
    inputs: [
        (at: "1m", by: Seat(Comms), do: Acknowledge),
        (at: "2m", by: Host, do: TakeSeat(role: Comms, by: "bo")),
        (at: "3m", by: Seat(Comms), do: Declare(Sev1)),
        (at: "4m", by: Host, do: Resolve),
        (at: "5m", by: Facilitator, do: FireInject("no-such")),
        (at: "9h", by: Facilitator, do: Note("late")),
    ],
)
"#;
    let problems = parse(text, &scenario).expect_err("invalid");
    let found: Vec<(usize, usize, &str)> = problems
        .iter()
        .map(|d| (d.at.line, d.at.col, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                5,
                24,
                "nobody has taken the Communications Lead seat by 1m: add a TakeSeat before it"
            ),
            (
                7,
                41,
                "the Communications Lead cannot declare: that is for the Incident Commander"
            ),
            (8, 34, "the host cannot resolve: the host only seats people"),
            (
                9,
                41,
                "unknown inject \"no-such\" (known: rules-published, cpu-saturates, retry-storm, edge-errors, control-panel-down, status-page-down, status-page-back, support-502s, gate-down, bulwark-anomaly, grenade-ddos, exec-swoop, status-page-mocked, grenade-asns, vp-got-update, press-asks, ceo-tweet, no-ack, no-declare, long-outage, waf-eng-joins, soc-joins, restart-warning, kill-started, rollback-canary, restart-fallout, asn-block-fallout, kill-confirmed, waf-off-pressure, recovery-noticed, recovery-vp-asks, recovery-vp-told)"
            ),
            (10, 14, "9h is not before the scenario's time limit 1h45m"),
        ]
    );
    // A one-seat input file loads as before and is no drill file.
    let walkthrough = repo_file("scenarios/walkthroughs/edge-waf-regex.commander.ron");
    assert!(!looks_like_drill(&walkthrough));
    assert!(inputs::parse(&walkthrough, &scenario).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// A host submits each input as its second comes, however the clock is stepped;
    /// the journal, seat changes included, is the same as the file played at once.
    #[test]
    fn stepping_time_differently_gives_the_same_journal(
        steps in proptest::collection::vec(1u64..400, 1..40),
    ) {
        let scenario = edge();
        let mut file = team_drill();
        file.inputs.extend([
            input(
                30 * 60,
                By::Host,
                Action::ReleaseSeat { role: Role::Tech, by: "cy".into(), reason: Release::Dropped },
            ),
            take(31 * 60, Role::Tech, "cy"),
        ]);
        let whole = play(Arc::clone(&scenario), &file).expect("plays");
        let mut stepped = Engine::new(Arc::clone(&scenario), file.seed, &[]);
        let mut queue: Vec<Input> = file.engine_inputs().collect();
        queue.sort_by_key(|i| i.at);
        let mut queue = queue.into_iter().peekable();
        for step in steps.iter().cycle() {
            if stepped.outcome().is_some() {
                break;
            }
            let until = secs(stepped.next_time().as_secs() + *step - 1);
            while let Some(next) = queue.next_if(|i| i.at <= until) {
                stepped.submit(next).expect("taken");
            }
            stepped.advance_to(until);
        }
        prop_assert_eq!(stepped.journal(), whole.journal());
    }
}

#[test]
fn a_commander_and_comms_handed_back_are_picked_up_by_their_bots() {
    let scenario = edge();
    let seat = By::Seat;
    let release = |at: u64, role: Role, by: &str| {
        input(
            at,
            By::Host,
            Action::ReleaseSeat {
                role,
                by: by.into(),
                reason: Release::Left,
            },
        )
    };
    let file = DrillFile {
        scenario: "edge-waf-regex".into(),
        seed: 2,
        inputs: vec![
            take(0, Role::Commander, "ana"),
            take(0, Role::Comms, "bo"),
            input(5 * 60 + 10, seat(Role::Commander), Action::Acknowledge),
            input(
                5 * 60 + 40,
                seat(Role::Commander),
                Action::Declare(crate::scenario::Severity::Sev1),
            ),
            release(8 * 60, Role::Commander, "ana"),
            release(8 * 60, Role::Comms, "bo"),
        ],
    };
    let engine = play(scenario, &file).expect("plays");
    let journal = engine.journal();
    assert_eq!(engine.outcome(), Some(Outcome::Resolved));
    assert!(
        !journal.iter().any(|e| matches!(
            &e.event,
            Event::Refused {
                actor: Actor::Bot(_),
                ..
            }
        )),
        "the resumed bots neither re-acknowledge nor re-declare"
    );
    let declares = journal
        .iter()
        .filter(|e| {
            matches!(
                &e.event,
                Event::Did {
                    action: Action::Declare(_),
                    ..
                }
            )
        })
        .count();
    assert_eq!(declares, 1);
    // Nobody sent a status update before the hand-back: the resumed Communications
    // Lead sends its first three minutes after the declaration, as it would have.
    let first_update = journal.iter().find_map(|e| match &e.event {
        Event::Did {
            actor: Actor::Bot(Role::Comms),
            action: Action::StatusUpdate(_),
        } => Some(e.at.as_secs()),
        _ => None,
    });
    assert_eq!(first_update, Some(8 * 60 + 40));
}
