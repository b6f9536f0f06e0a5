//! Figures and recovery times stated in public and executive status updates, checked
//! against the truth:
//!
//! - a share of failing work against the customer-impact metrics measured in percent
//!   (those `impact_ends_when` reads) over the five minutes before the update;
//! - a count against the metric measured in what it counts ("hosts"), likewise;
//! - a recovery time against when customer impact really ended, with five minutes'
//!   grace beyond the hold the truth asks for ("for: 2m");
//! - a recovery time against the work still to do when it was promised: a promise to
//!   be back before the quickest remaining fix could even finish is impossible, grace
//!   or not.
//!
//! Only what [`statements`] reads with confidence is judged; a figure about something
//! the truth does not measure is not judged either. Levels are the scripted truth
//! ([`Levels`]), and a figure counts as right within half its value (at least 2 units,
//! at least twice the metric's noise) of a level of those five minutes.

use chrono::Timelike;

use super::Facts;
use super::facts::TaskStatus;
use super::levels::Levels;
use super::statements::{Bound, By, Stated, statements};
use super::words::Words;
use crate::engine::action::{Audience, StatusUpdate};
use crate::scenario::{Condition, Duration, Effect, Metric, Phase};

/// A stated figure is checked against every level of this long before the update.
const LOOKBACK: u64 = 5 * 60;

/// How late a recovery may come, beyond the truth's hold, for a promise to count as kept.
const ETA_GRACE: u64 = 5 * 60;

/// One line of `impact_ends_when`: customers are fine while `metric` is above (or below)
/// `value`.
struct Line<'a> {
    metric: &'a str,
    value: f64,
    above: bool,
    hold: u64,
}

impl Line<'_> {
    fn healthy(&self, level: f64) -> bool {
        if self.above {
            level > self.value
        } else {
            level < self.value
        }
    }
}

fn lines<'a>(condition: &'a Condition, out: &mut Vec<Line<'a>>) {
    match condition {
        Condition::Above {
            metric,
            value,
            for_at_least,
        }
        | Condition::Below {
            metric,
            value,
            for_at_least,
        } => out.push(Line {
            metric,
            value: *value,
            above: matches!(condition, Condition::Above { .. }),
            hold: for_at_least.as_secs(),
        }),
        Condition::All(list) | Condition::Any(list) => list.iter().for_each(|c| lines(c, out)),
        _ => {}
    }
}

/// The wrong figures and promises in the public (status page, social) and executive updates: (when, what was
/// said and what was true).
pub fn wrong_statements(facts: &Facts, updates: &[(u64, &StatusUpdate)]) -> Vec<(u64, String)> {
    let check = Check {
        facts,
        levels: Levels::new(facts.scenario, facts.journal),
        lines: {
            let mut out = Vec::new();
            lines(&facts.scenario.truth.impact_ends_when, &mut out);
            out
        },
    };
    let mut faults = Vec::new();
    for &(t, update) in updates {
        if !matches!(
            update.audience,
            Audience::StatusPage | Audience::Social | Audience::Executives
        ) {
            continue;
        }
        for statement in statements(&update.text) {
            let truth = match &statement.stated {
                Stated::FailingShare { percent, bound } => check.share(t, *percent, *bound),
                Stated::Count { value, noun, bound } => check.count(t, *value, noun, *bound),
                Stated::Recovery(by) => check.recovery(t, *by),
            };
            if let Some(truth) = truth {
                faults.push((
                    t,
                    format!(
                        "The {} update to {} said \"{}\"; {truth}",
                        facts.clock(t),
                        update.audience.name(),
                        statement.sentence
                    ),
                ));
            }
        }
    }
    faults
}

struct Check<'f, 'a> {
    facts: &'f Facts<'a>,
    levels: Levels<'a>,
    lines: Vec<Line<'a>>,
}

const FIGURE_ADVICE: &str = "Check a figure against the dashboards before it goes out: a wrong number is quoted back for the rest of the incident.";
const PROMISE_ADVICE: &str =
    "Promise only what the work still to do allows, or say when the next update will come instead.";

impl Check<'_, '_> {
    /// A share of failing work, against the impact metrics measured in percent.
    fn share(&self, t: u64, percent: f64, bound: Bound) -> Option<String> {
        let from = t.saturating_sub(LOOKBACK);
        let mut seen = Vec::new();
        for line in self.lines.iter() {
            let Some(metric) = self.levels.metric(line.metric).filter(|m| m.unit == "%") else {
                continue;
            };
            let (lo, hi) = self.levels.range(line.metric, from, t)?;
            let failing = if line.above {
                (100.0 - hi, 100.0 - lo)
            } else {
                (lo, hi)
            };
            if fits(percent, bound, failing, metric) {
                return None;
            }
            let shown = if line.above {
                format!(
                    "{} was {}%, so {}% was failing",
                    metric.name,
                    range(lo, hi),
                    range(failing.0, failing.1)
                )
            } else {
                format!("{} was {}%", metric.name, range(lo, hi))
            };
            seen.push(shown);
        }
        (!seen.is_empty()).then(|| {
            format!(
                "in the five minutes before, {}. {FIGURE_ADVICE}",
                seen.join(" and ")
            )
        })
    }

    /// A count, against the metrics measured in what it counts.
    fn count(&self, t: u64, value: f64, noun: &str, bound: Bound) -> Option<String> {
        let from = t.saturating_sub(LOOKBACK);
        let counted = Words::new(noun);
        let mut seen = Vec::new();
        for metric in &self.facts.scenario.world.metrics {
            let unit = metric.unit.trim();
            if unit.chars().count() < 3
                || !unit.chars().all(char::is_alphabetic)
                || Words::new(unit).stems() != counted.stems()
            {
                continue;
            }
            let (lo, hi) = self.levels.range(&metric.id, from, t)?;
            if fits(value, bound, (lo, hi), metric) {
                return None;
            }
            seen.push(format!("{} was {} {unit}", metric.name, range(lo, hi)));
        }
        (!seen.is_empty()).then(|| {
            format!(
                "in the five minutes before, {}. {FIGURE_ADVICE}",
                seen.join(" and ")
            )
        })
    }

    /// A promise of recovery by a time.
    fn recovery(&self, t: u64, by: By) -> Option<String> {
        let facts = self.facts;
        if facts.phase_at(t) == Phase::Mitigated || self.lines.is_empty() {
            return None;
        }
        let deadline = self.deadline(t, by)?;
        let hold = self.lines.iter().map(|l| l.hold).max().unwrap_or(0);
        let ended = match facts.times.mitigated_s {
            Some(m) => format!("customer impact ended at {}", facts.clock(m)),
            None => format!(
                "customer impact had still not ended when the run ended at {}",
                facts.clock(facts.end)
            ),
        };
        if let Some((earliest, why)) = self.earliest_recovery(t)
            && earliest > deadline
        {
            return Some(format!(
                "a promise of recovery by {} that the work still to do made impossible: {why}, so customers could not be back before {}. In the end {ended}. {PROMISE_ADVICE}",
                facts.clock(deadline),
                facts.clock(earliest)
            ));
        }
        let missed = match facts.times.mitigated_s {
            Some(m) => m > deadline + ETA_GRACE + hold,
            None => facts.end > deadline + ETA_GRACE + hold,
        };
        missed.then(|| {
            format!(
                "a promise of recovery by {}, but {ended}. {PROMISE_ADVICE}",
                facts.clock(deadline)
            )
        })
    }

    /// The sim second a promised time stands for.
    fn deadline(&self, t: u64, by: By) -> Option<u64> {
        match by {
            By::Within(secs) => Some(t + secs),
            By::Clock { hour, minute, utc } => {
                let now = self.facts.scenario.wall_clock(Duration::from_secs(t))?;
                let now = if utc {
                    now.with_timezone(&chrono::Utc).time()
                } else {
                    now.time()
                };
                let target = i64::from(hour * 3600 + minute * 60);
                let ahead =
                    (target - i64::from(now.num_seconds_from_midnight())).rem_euclid(86_400);
                Some(t + ahead as u64)
            }
        }
    }

    /// The soonest customer impact could end given the work still to do at `t`, with
    /// the reason: the quickest fix that heals an impact metric, running or not yet
    /// started (preconditions and ramps ignored, so the bound errs early). `None` when
    /// nothing bounds it: the metrics are already heading back, or the world may heal
    /// by itself first.
    fn earliest_recovery(&self, t: u64) -> Option<(u64, String)> {
        let facts = self.facts;
        let scenario = facts.scenario;
        if could_end(&scenario.truth.impact_ends_when, &self.levels, t) {
            return None;
        }
        let mut soonest: Option<(u64, String)> = None;
        let tasks = scenario
            .remediations
            .iter()
            .map(|r| (&facts.remediations, &r.id, &r.label, r.takes, &r.effects))
            .chain(
                scenario
                    .investigations
                    .iter()
                    .map(|i| (&facts.investigations, &i.id, &i.label, i.takes, &i.effects)),
            );
        for (runs, id, label, takes, effects) in tasks {
            if !self.heals(effects, 0) {
                continue;
            }
            let takes = takes.as_secs();
            let (done, why) = match facts.status_at(runs, id, t) {
                TaskStatus::Done => continue,
                TaskStatus::Running => {
                    let started = runs
                        .iter()
                        .filter(|r| &r.id == id && r.started <= t)
                        .map(|r| r.started)
                        .max()
                        .unwrap_or(t);
                    (
                        started + takes,
                        format!(
                            "\"{label}\" was still running until {}",
                            facts.clock(started + takes)
                        ),
                    )
                }
                TaskStatus::NotStarted => (
                    t + takes,
                    format!(
                        "\"{label}\" takes {} and had not started",
                        Duration::from_secs(takes)
                    ),
                ),
            };
            if soonest.as_ref().is_none_or(|(at, _)| done < *at) {
                soonest = Some((done, why));
            }
        }
        let (earliest, why) = soonest?;
        // An inject that heals (an outside fix, a provider's change) may come sooner.
        let fired = |id: &str| {
            facts.journal.iter().any(|e| {
                e.at.as_secs() <= t
                    && matches!(&e.event, crate::engine::journal::Event::InjectFired(x) if x == id)
            })
        };
        let world_first = scenario.injects.iter().any(|inject| {
            !fired(&inject.id)
                && self.heals(&inject.effects, 0)
                && inject
                    .at
                    .map(|at| at.as_secs().max(t))
                    .into_iter()
                    .chain(inject.when.as_ref().map(|c| self.earliest(c, t, 0)))
                    .min()
                    .is_some_and(|at| at < earliest)
        });
        (!world_first).then_some((earliest, why))
    }

    /// Whether `effects` move an impact metric to its healthy side.
    fn heals(&self, effects: &[Effect], depth: u32) -> bool {
        effects.iter().any(|effect| match effect {
            Effect::Step { metric, to } | Effect::Ramp { metric, to, .. } => self
                .lines
                .iter()
                .any(|l| l.metric == metric && l.healthy(*to)),
            Effect::Recover { metric, .. } => self.lines.iter().any(|l| {
                l.metric == metric
                    && self
                        .levels
                        .metric(metric)
                        .is_some_and(|m: &Metric| l.healthy(m.baseline))
            }),
            Effect::Trigger(id) => {
                depth < 8
                    && self
                        .facts
                        .scenario
                        .injects
                        .iter()
                        .find(|i| &i.id == id)
                        .is_some_and(|i| self.heals(&i.effects, depth + 1))
            }
            _ => false,
        })
    }

    /// The soonest `condition` could hold, from `t`, erring early: what it waits for
    /// that the run can tell (time, tasks finishing), else now.
    fn earliest(&self, condition: &Condition, t: u64, depth: u32) -> u64 {
        let facts = self.facts;
        let task_done = |runs: &[super::facts::TaskRun], id: &str, takes: Option<u64>| match facts
            .status_at(runs, id, t)
        {
            TaskStatus::Done => t,
            TaskStatus::Running => runs
                .iter()
                .filter(|r| r.id == id && r.started <= t)
                .map(|r| r.started + takes.unwrap_or(0))
                .max()
                .unwrap_or(t)
                .max(t),
            TaskStatus::NotStarted => t + takes.unwrap_or(0),
        };
        match condition {
            Condition::After(at) => at.as_secs().max(t),
            Condition::Remediated(id) => task_done(
                &facts.remediations,
                id,
                facts.remediation(id).map(|r| r.takes.as_secs()),
            ),
            Condition::Investigated(id) => task_done(
                &facts.investigations,
                id,
                facts
                    .scenario
                    .investigations
                    .iter()
                    .find(|i| &i.id == id)
                    .map(|i| i.takes.as_secs()),
            ),
            Condition::All(list) if depth < 8 => list
                .iter()
                .map(|c| self.earliest(c, t, depth + 1))
                .max()
                .unwrap_or(t),
            Condition::Any(list) if depth < 8 => list
                .iter()
                .map(|c| self.earliest(c, t, depth + 1))
                .min()
                .unwrap_or(t),
            _ => t,
        }
    }
}

/// Whether `condition` could come to hold with no further work: its metrics heading to
/// their healthy side. What it does not read from metrics is taken as possible.
fn could_end(condition: &Condition, levels: &Levels, t: u64) -> bool {
    match condition {
        Condition::Above { metric, value, .. } => {
            levels.heading(metric, t).is_none_or(|h| h > *value)
        }
        Condition::Below { metric, value, .. } => {
            levels.heading(metric, t).is_none_or(|h| h < *value)
        }
        Condition::All(list) => list.iter().all(|c| could_end(c, levels, t)),
        Condition::Any(list) => list.iter().any(|c| could_end(c, levels, t)),
        _ => true,
    }
}

/// Whether `stated` fits the true `(lo, hi)` as `bound` puts it, give or take half the
/// level, 2 units, or twice the metric's noise, whichever is most.
fn fits(stated: f64, bound: Bound, (lo, hi): (f64, f64), metric: &Metric) -> bool {
    let slack = |x: f64| (x.abs() / 2.0).max(2.0).max(2.0 * metric.noise);
    let (low, high) = (lo - slack(lo), hi + slack(hi));
    match bound {
        Bound::About => (low..=high).contains(&stated),
        Bound::AtMost => stated >= low,
        Bound::AtLeast => stated <= high,
    }
}

/// "40", "2.5", "38–41": a level or a range of levels as people read them.
fn range(lo: f64, hi: f64) -> String {
    let (lo, hi) = (figure(lo), figure(hi));
    if lo == hi { lo } else { format!("{lo}–{hi}") }
}

fn figure(x: f64) -> String {
    if x.abs() >= 10.0 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map_or(s.clone(), str::to_string)
    }
}
