//! Outages through inputs and the journal: a dark alert rule that cannot fire, the
//! truth moving on under dark telemetry, and status updates refused while the public
//! status page is down (and the comms bot telling the public on the social account).

use std::sync::Arc;

use super::Engine;
use super::action::{Action, Actor, Audience, Input, Role, StatusState, StatusUpdate};
use super::journal::{Event, Telemetry};
use crate::scenario::{self, Duration, Scenario, TelemetryKind};

const MINIMAL: &str = include_str!("../../../tests/fixtures/minimal.ron");

/// The minimal drill (the API slows from 2m, alert `api-slow` on p99 above 800 ms for
/// 2m) with `injects` added.
fn minimal_with_injects(injects: &str) -> Arc<Scenario> {
    let text = MINIMAL.replacen("    injects: [\n", &format!("    injects: [\n{injects}"), 1);
    Arc::new(scenario::parse(&text).expect("valid variant"))
}

fn events(engine: &Engine) -> impl Iterator<Item = (u64, &Event)> {
    engine.journal().iter().map(|e| (e.at.as_secs(), &e.event))
}

fn update(audience: Audience) -> Action {
    Action::StatusUpdate(StatusUpdate {
        audience,
        state: StatusState::Investigating,
        text: "We are investigating slow responses from the API.".into(),
    })
}

#[test]
fn a_dark_alert_does_not_fire_while_its_condition_holds_and_fires_once_lit() {
    let scenario = minimal_with_injects(
        "        (id: \"lookout-dark\", at: \"1m\", do: [Dark(metrics: [\"api_p99\"], alerts: [\"api-slow\"])]),\n         (id: \"lookout-back\", at: \"10m\", do: [Light(metrics: [\"api_p99\"], alerts: [\"api-slow\"])]),\n",
    );
    // The trainee is IC and does nothing, so only the alert could page.
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[Role::Commander]);
    engine.advance_to(Duration::from_mins(12));
    let both = Telemetry {
        metrics: vec!["api_p99".into()],
        dashboards: vec![],
        alerts: vec!["api-slow".into()],
    };
    let dark: Vec<(u64, &Event)> = events(&engine)
        .filter(|(_, e)| {
            matches!(
                e,
                Event::WentDark(_)
                    | Event::CameBack(_)
                    | Event::AlertFired { .. }
                    | Event::Paged { .. }
            )
        })
        .collect();
    assert_eq!(
        dark[..3],
        [
            (60, &Event::WentDark(both.clone())),
            (600, &Event::CameBack(both)),
            (
                600,
                &Event::AlertFired {
                    alert: "api-slow".into(),
                    severity: scenario::AlertSeverity::Critical
                }
            ),
        ],
        "no fire, no page while dark, though p99 was above 800 ms from about 2m35s"
    );
    assert!(
        matches!(dark[3], (600, Event::Paged { team, .. }) if team == "api-team"),
        "{:?}",
        dark[3]
    );
    // The truth moved on under the dark: samples were taken and the impact began.
    let series = engine.state().metric("api_p99").expect("metric");
    assert!(series.value_at(300).is_some_and(|v| v > 1000.0));
    assert_eq!(
        engine
            .state()
            .outages
            .periods(TelemetryKind::Metric, "api_p99")
            .len(),
        1
    );
    assert!(events(&engine).any(|(t, e)| t == 120 && matches!(e, Event::ImpactStarted)));
}

#[test]
fn a_firing_alert_that_goes_dark_keeps_firing_and_does_not_clear() {
    let scenario = minimal_with_injects(
        "        (id: \"lookout-dark\", at: \"8m\", do: [Dark(alerts: [\"api-slow\"])]),\n         (id: \"recovers\", at: \"9m\", do: [Recover(metric: \"api_p99\", over: \"0s\")]),\n",
    );
    let mut engine = Engine::new(scenario, 1, &[Role::Commander]);
    engine.advance_to(Duration::from_mins(20));
    assert!(engine.state().alerts[0].firing, "frozen in its last state");
    assert!(
        !events(&engine).any(|(_, e)| matches!(e, Event::AlertCleared(_))),
        "a dark rule does not clear"
    );
    // And it does not re-page: the last page is before 8m.
    let last_page = events(&engine)
        .filter(|(_, e)| matches!(e, Event::Paged { .. }))
        .map(|(t, _)| t)
        .last()
        .expect("paged before going dark");
    assert!(last_page < 480, "{last_page}");
}

#[test]
fn a_status_page_update_is_refused_while_the_page_is_down_and_social_is_not() {
    let scenario = minimal_with_injects(
        "        (id: \"page-down\", at: \"1m\", do: [StatusPageDown]),\n         (id: \"page-up\", at: \"20m\", do: [StatusPageUp]),\n",
    );
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[Role::Comms]);
    for (at, audience) in [
        (300, Audience::StatusPage),
        (301, Audience::Social),
        (302, Audience::Public),
        (1260, Audience::StatusPage),
    ] {
        engine
            .submit(Input {
                at: Duration::from_secs(at),
                actor: Actor::Trainee(Role::Comms),
                action: update(audience),
            })
            .expect("queued");
    }
    // Just before the page update at 21m: StatusSent(audience: Public) heard the social
    // update; StatusSent(audience: StatusPage) did not hear the refused one.
    engine.advance_to(Duration::from_secs(1259));
    let sent = |audience| {
        engine.state().holds(&scenario::Condition::StatusSent {
            audience,
            within: None,
            state: None,
        })
    };
    assert!(sent(Audience::Public) && sent(Audience::Social));
    assert!(!sent(Audience::StatusPage));
    engine.advance_to(Duration::from_mins(22));
    let refused: Vec<(u64, &str)> = events(&engine)
        .filter_map(|(t, e)| match e {
            Event::Refused { reason, .. } => Some((t, reason.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        refused,
        [
            (
                300,
                "the public status page has been down since 09:01: tell customers on the company's social account instead, and update the page once it is back"
            ),
            (
                302,
                "\"the public\" is not a channel: send to the public status page (or the company's social account while the page is down)"
            ),
        ]
    );
    let did: Vec<u64> = events(&engine)
        .filter_map(|(t, e)| match e {
            Event::Did {
                action: Action::StatusUpdate(_),
                ..
            } => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(
        did,
        [301, 1260],
        "social while down, the page once it is up"
    );
    assert!(events(&engine).any(|(t, e)| t == 60 && *e == Event::StatusPageDown));
    assert!(events(&engine).any(|(t, e)| t == 1200 && *e == Event::StatusPageUp));
}

#[test]
fn the_comms_bot_tells_the_public_on_the_social_account_while_the_page_is_down() {
    // Bots in every role on edge-waf-regex: the page is down from 4m until impact ends.
    let scenario = Arc::new(crate::scenario::builtin::load("edge-waf-regex").expect("built-in"));
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[]);
    engine.run_to_end();
    let down = events(&engine)
        .find(|(_, e)| **e == Event::StatusPageDown)
        .map(|(t, _)| t)
        .expect("the page goes down");
    let up = events(&engine)
        .find(|(_, e)| **e == Event::StatusPageUp)
        .map(|(t, _)| t)
        .expect("and comes back");
    let public: Vec<(u64, Audience)> = events(&engine)
        .filter_map(|(t, e)| match e {
            Event::Did {
                action: Action::StatusUpdate(u),
                ..
            } if matches!(u.audience, Audience::StatusPage | Audience::Social) => {
                Some((t, u.audience))
            }
            _ => None,
        })
        .collect();
    assert_eq!((down, up), (240, 1450));
    assert!(!public.is_empty());
    for (t, audience) in &public {
        let expected = if (down..up).contains(t) {
            Audience::Social
        } else {
            Audience::StatusPage
        };
        assert_eq!(*audience, expected, "at {t}s");
    }
    assert!(public.iter().any(|(_, a)| *a == Audience::Social));
    assert!(
        !events(&engine).any(|(_, e)| matches!(e, Event::Refused { .. })),
        "the bot never tries the page while it is down"
    );
}
