//! Communications scoring when the public status page is down (edge-waf-regex: from
//! 4m until impact ends at 24m10s): social updates count in the page's place while it
//! is down, and only then.

use std::sync::Arc;

use super::{Category, Finding, Scorecard, score};
use crate::engine::Engine;
use crate::engine::action::{Action, Actor, Audience, Input, Role, StatusState, StatusUpdate};
use crate::scenario::{Duration, builtin};

/// edge-waf-regex played as Communications Lead with these updates; bots elsewhere
/// (the IC declares SEV1 at 9m10s and resolves at 29m10s).
fn comms_run(updates: &[(u64, Audience, StatusState)]) -> Scorecard {
    let scenario = Arc::new(builtin::load("edge-waf-regex").expect("built-in"));
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[Role::Comms]);
    for &(at, audience, state) in updates {
        engine
            .submit(Input {
                at: Duration::from_secs(at),
                actor: Actor::Trainee(Role::Comms),
                action: Action::StatusUpdate(StatusUpdate {
                    audience,
                    state,
                    text: "Websites behind Northwind Edge show errors; we are working on it. Next update in 10 minutes.".into(),
                }),
            })
            .expect("queued");
    }
    engine.run_to_end();
    score(&scenario, engine.journal(), Some(Role::Comms))
}

fn part<'c>(card: &'c Scorecard, says: &str) -> &'c Finding {
    card.category(Category::Comms)
        .find(|f| f.text.contains(says))
        .unwrap_or_else(|| panic!("{says:?} in {:#?}", card.findings))
}

use Audience::{Executives, Social, StatusPage};
use StatusState::{Investigating, Resolved};

#[test]
fn social_updates_stand_in_for_the_status_page_while_it_is_down() {
    let card = comms_run(&[
        (600, Social, Investigating),
        (600, Executives, Investigating),
        (1800, StatusPage, Resolved),
        (1800, Executives, Resolved),
    ]);
    let audiences = part(&card, "this severity calls for");
    assert_eq!((audiences.points, audiences.max), (15, 15));
    assert_eq!(
        audiences.text,
        "Updates reached everyone this severity calls for: the public status page (and the company's social account while the page was down) and executives."
    );
    let all_clear = part(&card, "all-clear");
    assert_eq!((all_clear.points, all_clear.max), (10, 10));
}

#[test]
fn without_the_social_account_the_public_is_never_told() {
    // The page update at 10m is refused (the page is down): nothing reached the public
    // until the all-clear, which went to the social account after the page was back.
    let card = comms_run(&[
        (600, StatusPage, Investigating),
        (600, Executives, Investigating),
        (1800, Social, Resolved),
        (1800, Executives, Resolved),
    ]);
    let audiences = part(&card, "No update ever went to");
    assert_eq!(
        (audiences.points, audiences.max),
        (8, 15),
        "1 of 2 audiences, 7.5 rounded"
    );
    assert!(
        audiences.text.starts_with(
            "No update ever went to the public status page (nor, while it was down, the company's social account)."
        ),
        "{}",
        audiences.text
    );
    let all_clear = part(&card, "No \"Resolved\" update went to");
    assert_eq!((all_clear.points, all_clear.max), (0, 10));
}
