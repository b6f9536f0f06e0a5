//! Autoplay: bots play every role of a scenario many times, on as many threads as asked,
//! and what those runs say about the drill: how often it resolves, how long it takes,
//! the wrong turns taken most, where the unresolved runs got stuck, and the difficulty
//! they suggest (the rule is in docs/scenario-format.md, "Difficulty").
//!
//! Run `i` always plays seed `seed + i`, whatever thread plays it, and the runs come
//! back in seed order: the result is the same on one thread or sixteen.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Serialize;

use crate::bots::Policy;
use crate::engine::Engine;
use crate::engine::action::Action;
use crate::engine::journal::{Entry, Event, Outcome};
use crate::engine::state::Task;
use crate::run::{outcome_key, percentile};
use crate::scenario::{Difficulty, RemediationKind, Scenario, Step};

/// One autoplay run, reduced to what the profile needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoplayRun {
    pub seed: u64,
    pub policy: Policy,
    pub resolved: bool,
    /// Written as its key: `resolved`, `timed_out`.
    #[serde(serialize_with = "outcome_key")]
    pub outcome: Outcome,
    pub mtta_s: Option<u64>,
    pub mttr_s: Option<u64>,
    pub mtrs_s: Option<u64>,
    pub total: u32,
    /// The red herrings and harmful remediations started, by id, in the order taken.
    pub wrong_turns: Vec<String>,
    /// Where an unresolved run got stuck (`None` for a resolved run).
    pub stuck_at: Option<Stuck>,
}

/// Where an unresolved run got stuck.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Stuck {
    /// The investigation or remediation refused most often in the run, with the reason
    /// it was refused.
    pub blocked: Option<Blocked>,
    /// The first remediation of the reference path that was never started.
    pub never_reached: Option<String>,
}

/// An investigation or remediation the engine refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Blocked {
    /// `Investigate(id)` or `Remediate(id)`.
    pub step: Step,
    pub reason: String,
}

/// The threads to use when nobody says: one per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Bots play every role `runs` times, with seeds `seed`, `seed + 1`, ..., the
/// Technical Lead bot choosing its work by `policy`, on one thread per core.
/// `progress` is told how many runs have finished after each one.
pub fn autoplay(
    scenario: Arc<Scenario>,
    runs: u32,
    seed: u64,
    policy: Policy,
    progress: impl Fn(u32) + Sync,
) -> Vec<AutoplayRun> {
    autoplay_on(scenario, runs, seed, policy, default_jobs(), progress)
}

/// [`autoplay`] on `jobs` threads (at least one). The runs come back in seed order.
pub fn autoplay_on(
    scenario: Arc<Scenario>,
    runs: u32,
    seed: u64,
    policy: Policy,
    jobs: usize,
    progress: impl Fn(u32) + Sync,
) -> Vec<AutoplayRun> {
    let next = AtomicU32::new(0);
    let done = AtomicU32::new(0);
    let threads = jobs.clamp(1, runs.max(1) as usize);
    let worker = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= runs {
                return mine;
            }
            mine.push((i, play(&scenario, seed.wrapping_add(u64::from(i)), policy)));
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
        }
    };
    let mut played: Vec<(u32, AutoplayRun)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    played.sort_by_key(|(i, _)| *i);
    played.into_iter().map(|(_, run)| run).collect()
}

/// One run with bots in every role, summed up.
pub fn play(scenario: &Arc<Scenario>, seed: u64, policy: Policy) -> AutoplayRun {
    let mut engine = Engine::with_policy(Arc::clone(scenario), seed, &[], policy);
    engine.run_to_end();
    let journal = engine.journal();
    let outcome = engine.outcome().unwrap_or(Outcome::TimedOut);
    let card = crate::score::score(scenario, journal, None);
    let times = &card.times;
    let resolved = outcome == Outcome::Resolved;
    let never_reached = || {
        let idle = |id: &String| matches!(engine.state().remediation(id), Some((_, Task::Idle)));
        let on_path = scenario.truth.path.iter().find_map(|step| match step {
            Step::Remediate(id) if idle(id) => Some(id.clone()),
            _ => None,
        });
        on_path.or_else(|| {
            scenario
                .remediations
                .iter()
                .find(|r| r.kind == RemediationKind::Fix && idle(&r.id))
                .map(|r| r.id.clone())
        })
    };
    AutoplayRun {
        seed,
        policy,
        resolved,
        outcome,
        mtta_s: times.mtta_s,
        mttr_s: times.mttr_s,
        mtrs_s: times.mtrs_s,
        total: card.scores.total,
        wrong_turns: wrong_turns(scenario, journal),
        stuck_at: (!resolved).then(|| Stuck {
            blocked: most_blocked(journal),
            never_reached: never_reached(),
        }),
    }
}

/// The red herrings and harmful remediations started, in the order taken.
fn wrong_turns(scenario: &Scenario, journal: &[Entry]) -> Vec<String> {
    journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                action: Action::Remediate(id),
                ..
            } => scenario.remediations.iter().find(|r| {
                &r.id == id
                    && matches!(
                        r.kind,
                        RemediationKind::RedHerring | RemediationKind::Harmful
                    )
            }),
            _ => None,
        })
        .map(|r| r.id.clone())
        .collect()
}

/// The investigation or remediation refused most often, with its reason (the first
/// refused, on a tie).
fn most_blocked(journal: &[Entry]) -> Option<Blocked> {
    let refused = journal.iter().filter_map(|e| match &e.event {
        Event::Refused { action, reason, .. } => {
            let step = match action {
                Action::Investigate(id) => Step::Investigate(id.clone()),
                Action::Remediate(id) => Step::Remediate(id.clone()),
                _ => return None,
            };
            Some(Blocked {
                step,
                reason: reason.clone(),
            })
        }
        _ => None,
    });
    most_common(refused).map(|(blocked, _)| blocked)
}

/// The item seen most often with how often, the first seen on a tie.
fn most_common<T: Ord + Clone>(items: impl Iterator<Item = T>) -> Option<(T, u32)> {
    counted(items).into_iter().next()
}

/// Each distinct item with how often it was seen, most often first, then in the order
/// first seen.
fn counted<T: Ord + Clone>(items: impl Iterator<Item = T>) -> Vec<(T, u32)> {
    let mut counts: BTreeMap<T, (usize, u32)> = BTreeMap::new();
    for (order, item) in items.enumerate() {
        counts.entry(item).or_insert((order, 0)).1 += 1;
    }
    let mut all: Vec<(T, usize, u32)> = counts
        .into_iter()
        .map(|(item, (first, n))| (item, first, n))
        .collect();
    all.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    all.into_iter().map(|(item, _, n)| (item, n)).collect()
}

/// p10, p50 and p90 of a measure over the runs that have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spread {
    pub p10: Option<u64>,
    pub p50: Option<u64>,
    pub p90: Option<u64>,
}

impl Spread {
    fn of(values: &[u64]) -> Spread {
        Spread {
            p10: percentile(values, 10),
            p50: percentile(values, 50),
            p90: percentile(values, 90),
        }
    }
}

/// What many runs of one scenario say about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub runs: u32,
    pub resolved: u32,
    pub resolve_rate: f64,
    pub mtta: Spread,
    pub mttr: Spread,
    pub mtrs: Spread,
    pub total: Spread,
    /// Each wrong turn taken, by remediation id, with the number of runs that took it,
    /// most taken first.
    pub wrong_turns: Vec<(String, u32)>,
    /// Over the unresolved runs: the refusal seen in most of them, with how many.
    pub most_blocked: Option<(Blocked, u32)>,
    /// Over the unresolved runs: the remediation most of them never reached, with how
    /// many.
    pub never_reached: Option<(String, u32)>,
    pub suggested: Difficulty,
}

/// The profile of `runs` of `scenario`.
pub fn profile(scenario: &Scenario, runs: &[AutoplayRun]) -> Profile {
    let resolved = runs.iter().filter(|r| r.resolved).count() as u32;
    let count = runs.len() as u32;
    let resolve_rate = f64::from(resolved) / f64::from(count.max(1));
    let of = |f: fn(&AutoplayRun) -> Option<u64>| {
        Spread::of(&runs.iter().filter_map(f).collect::<Vec<_>>())
    };
    let mttr = of(|r| r.mttr_s);
    let taken = runs.iter().flat_map(|r| {
        let mut once: Vec<&String> = r.wrong_turns.iter().collect();
        once.sort();
        once.dedup();
        once.into_iter().cloned()
    });
    let stuck = || runs.iter().filter_map(|r| r.stuck_at.as_ref());
    Profile {
        runs: count,
        resolved,
        resolve_rate,
        mtta: of(|r| r.mtta_s),
        mttr,
        mtrs: of(|r| r.mtrs_s),
        total: Spread::of(&runs.iter().map(|r| u64::from(r.total)).collect::<Vec<_>>()),
        wrong_turns: counted(taken),
        most_blocked: most_common(stuck().filter_map(|s| s.blocked.clone())),
        never_reached: most_common(stuck().filter_map(|s| s.never_reached.clone())),
        suggested: suggest(resolve_rate, mttr.p50, scenario.par.resolve.as_secs()),
    }
}

/// The difficulty runs suggest (docs/scenario-format.md, "Difficulty"): Hard when under
/// half resolve or the median MTTR is over twice par; Easy when at least nine in ten
/// resolve and the median MTTR is within par; Medium otherwise.
pub fn suggest(resolve_rate: f64, median_mttr_s: Option<u64>, par_resolve_s: u64) -> Difficulty {
    match median_mttr_s {
        None => Difficulty::Hard,
        Some(_) if resolve_rate < 0.5 => Difficulty::Hard,
        Some(mttr) if mttr > 2 * par_resolve_s => Difficulty::Hard,
        Some(mttr) if resolve_rate >= 0.9 && mttr <= par_resolve_s => Difficulty::Easy,
        Some(_) => Difficulty::Medium,
    }
}

#[cfg(test)]
mod tests;
