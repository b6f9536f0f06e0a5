//! Autoplay on a drill with a three-step chain of remediations and a harmful step that
//! breaks the chain: the novice and random policies retry what was refused, unresolved
//! runs name where they got stuck, threads change nothing, and the difficulty rule.

use std::sync::Arc;

use super::*;
use crate::scenario;

const MINIMAL: &str = include_str!("../../../tests/fixtures/minimal.ron");
const BLOCKED: &str =
    "Nothing to fail over to: look at the cache first, and the replica must not have been flushed.";

/// The minimal drill, its fix at the end of a chain: fail reads over (after the cache
/// was looked at, and only while nobody flushed everything), warm the node, undrain it.
fn chained() -> Arc<Scenario> {
    let text = MINIMAL
        .replacen(
            "path: [Investigate(\"cache-stats\"), Remediate(\"restore-node\")]",
            "path: [Investigate(\"cache-stats\"), Remediate(\"fail-over\"), Remediate(\"warm-node\"), Remediate(\"restore-node\")]",
            1,
        )
        .replacen(
            "(id: \"restore-node\", label: \"Undrain cache-2\", kind: Fix, takes: \"2m\",",
            &format!(
                "(id: \"fail-over\", label: \"Fail reads over to the replica\", kind: Preparation, takes: \"1m\",
                  requires: All([Investigated(\"cache-stats\"), Not(Flag(\"wiped\"))]), blocked: \"{BLOCKED}\"),
                 (id: \"warm-node\", label: \"Warm cache-2 from the replica\", kind: Preparation, takes: \"1m\",
                  requires: Remediated(\"fail-over\"), blocked: \"Fail reads over first.\"),
                 (id: \"flush-all\", label: \"Flush every cache node\", kind: Harmful, takes: \"1m\",
                  effects: [Set(\"wiped\")]),
                 (id: \"restart-api\", label: \"Restart the API pods\", kind: RedHerring, takes: \"1m\"),
                 (id: \"restore-node\", label: \"Undrain cache-2\", kind: Fix, takes: \"2m\",
                  requires: Remediated(\"warm-node\"), blocked: \"Warm it first.\","
            ),
            1,
        );
    assert!(text.contains("flush-all") && text.contains("Remediate(\"warm-node\")"));
    Arc::new(scenario::parse(&text).expect("the chained drill is valid"))
}

#[test]
fn a_novice_resolves_the_chain_unless_a_wrong_turn_breaks_it_and_says_where_it_stuck() {
    let runs = autoplay_on(chained(), 20, 1, Policy::Novice, 2, |_| {});
    let resolved: Vec<u64> = runs.iter().filter(|r| r.resolved).map(|r| r.seed).collect();
    assert!(!resolved.is_empty() && resolved.len() < 20, "{resolved:?}");
    for run in &runs {
        assert!(
            (1..=2).contains(&run.wrong_turns.len()),
            "seed {}: {:?}",
            run.seed,
            run.wrong_turns
        );
        let flushed = run.wrong_turns.iter().any(|t| t == "flush-all");
        assert_eq!(run.resolved, !flushed, "seed {}", run.seed);
        if run.resolved {
            assert_eq!(run.stuck_at, None);
        } else {
            assert_eq!(run.outcome, Outcome::TimedOut);
            assert_eq!(
                run.stuck_at,
                Some(Stuck {
                    blocked: Some(Blocked {
                        step: Step::Remediate("fail-over".into()),
                        reason: BLOCKED.into(),
                    }),
                    never_reached: Some("fail-over".into()),
                }),
                "seed {}",
                run.seed
            );
        }
    }
    let profile = profile(&chained(), &runs);
    let unresolved = 20 - resolved.len() as u32;
    assert_eq!(profile.resolved, resolved.len() as u32);
    assert_eq!(
        profile.most_blocked,
        Some((
            Blocked {
                step: Step::Remediate("fail-over".into()),
                reason: BLOCKED.into()
            },
            unresolved
        ))
    );
    assert_eq!(
        profile.never_reached,
        Some(("fail-over".into(), unresolved))
    );
    let flushes = profile
        .wrong_turns
        .iter()
        .find(|(id, _)| id == "flush-all")
        .map(|(_, n)| *n);
    assert_eq!(flushes, Some(unresolved));
}

#[test]
fn random_play_retries_the_chain_once_its_preconditions_hold() {
    // Before random play retried a refused remediation, this chain never resolved.
    let runs = autoplay_on(chained(), 20, 1, Policy::Random, 2, |_| {});
    let resolved = runs.iter().filter(|r| r.resolved).count();
    assert!(resolved > 0, "random resolved none of 20");
    let reference = autoplay_on(chained(), 5, 1, Policy::Reference, 2, |_| {});
    assert!(
        reference
            .iter()
            .all(|r| r.resolved && r.wrong_turns.is_empty())
    );
}

#[test]
fn a_novice_acknowledges_later_than_the_reference_bots() {
    let novice = autoplay_on(chained(), 10, 1, Policy::Novice, 1, |_| {});
    let reference = autoplay_on(chained(), 10, 1, Policy::Reference, 1, |_| {});
    for (n, r) in novice.iter().zip(&reference) {
        assert!(
            n.mtta_s > r.mtta_s,
            "seed {}: {:?} vs {:?}",
            n.seed,
            n.mtta_s,
            r.mtta_s
        );
    }
}

#[test]
fn threads_change_nothing_and_runs_come_back_in_seed_order() {
    let done = AtomicU32::new(0);
    let one = autoplay_on(chained(), 12, 7, Policy::Novice, 1, |_| {
        done.fetch_add(1, Ordering::Relaxed);
    });
    assert_eq!(done.load(Ordering::Relaxed), 12);
    let four = autoplay_on(chained(), 12, 7, Policy::Novice, 4, |_| {});
    assert_eq!(one, four);
    let seeds: Vec<u64> = four.iter().map(|r| r.seed).collect();
    assert_eq!(seeds, (7..19).collect::<Vec<_>>());
}

#[test]
fn the_difficulty_rule_at_its_boundaries() {
    let par = 20 * 60;
    assert_eq!(suggest(1.0, Some(par), par), Difficulty::Easy);
    assert_eq!(suggest(0.9, Some(par), par), Difficulty::Easy);
    assert_eq!(suggest(0.85, Some(par), par), Difficulty::Medium);
    assert_eq!(suggest(1.0, Some(par + 1), par), Difficulty::Medium);
    assert_eq!(suggest(0.5, Some(2 * par), par), Difficulty::Medium);
    assert_eq!(suggest(0.45, Some(par), par), Difficulty::Hard);
    assert_eq!(suggest(1.0, Some(2 * par + 1), par), Difficulty::Hard);
    assert_eq!(suggest(0.0, None, par), Difficulty::Hard);
}

/// An investigation that never opens is named as where the runs got stuck, as a
/// remediation would be.
#[test]
fn a_blocked_investigation_is_named_where_the_runs_got_stuck() {
    const LOCKED: &str = "The cache dashboards are behind the VPN, which is down.";
    let text = MINIMAL
        .replacen(
            "(id: \"cache-stats\", label: \"Check cache hit rate\", kind: Dashboard, takes: \"1m\",",
            &format!(
                "(id: \"cache-stats\", label: \"Check cache hit rate\", kind: Dashboard, takes: \"1m\",
                  requires: Flag(\"vpn-up\"), blocked: \"{LOCKED}\","
            ),
            1,
        )
        .replacen(
            "(id: \"restore-node\", label: \"Undrain cache-2\", kind: Fix, takes: \"2m\",",
            "(id: \"restore-node\", label: \"Undrain cache-2\", kind: Fix, takes: \"2m\",
              requires: Investigated(\"cache-stats\"),",
            1,
        );
    let scenario = Arc::new(scenario::parse(&text).expect("valid"));
    let runs = autoplay_on(scenario, 3, 1, Policy::Novice, 1, |_| {});
    for run in &runs {
        let stuck = run.stuck_at.as_ref().expect("never resolved");
        assert_eq!(
            stuck.blocked,
            Some(Blocked {
                step: Step::Investigate("cache-stats".into()),
                reason: LOCKED.into(),
            }),
            "seed {}",
            run.seed
        );
    }
}
