//! Lint: the drill cannot be resolved. No sequence of remediations ends the impact.
//!
//! The rule: a search over abstract states of the world, as a diligent responder
//! would drive it. A state is the scripted level of every metric (noise and `for`
//! ignored), the remediations applied, the injects fired, the flags set and the sim
//! time, stepped between the times the scenario names (injects' `at`, `After(..)`).
//! The search starts at `impact_starts` with every timed inject up to then fired; from
//! each state it may apply any remediation whose `requires` holds, or wait until the
//! next named time. After each move, injects fire as the engine fires them (`at`
//! reached, `when` holding, `Trigger`) and every investigation whose `requires` holds
//! is done, until nothing more fires or completes. The responder has acknowledged, declared, paged every team and sent
//! every status update; the incident is not resolved and the impact not over.
//! The drill is resolvable when some reached state, after the impact has shown (the
//! condition failed once), meets `impact_ends_when`. The search stops at
//! [`MAX_STATES`] states without a verdict: then nothing is reported.

use std::collections::{BTreeSet, VecDeque};

use super::Linter;
use crate::scenario::model::{Condition, Effect, IncidentState, Scenario};

/// Past this many states the search gives up (no warning).
const MAX_STATES: usize = 20_000;

/// How deep alert conditions nest inside each other (`Firing` of an alert whose
/// condition reads another `Firing`) before the search treats them as not holding.
const MAX_DEPTH: usize = 8;

pub(super) fn check(s: &Scenario, linter: &mut Linter<'_>) {
    if let Verdict::Unresolvable(states) = search(s) {
        linter.warn(
            &["truth".into(), "impact_ends_when".into()],
            format!(
                "the drill cannot be resolved: no sequence of remediations makes impact_ends_when hold \
                 (searched {states} state(s): every remediation whose requires can hold, in every order, \
                 at every time the scenario names)"
            ),
        );
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Resolvable,
    Unresolvable(usize),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct State {
    /// Index into the search's times.
    time: usize,
    /// Each metric's scripted level, as `f64` bits.
    levels: Vec<u64>,
    remediated: Vec<bool>,
    investigated: Vec<bool>,
    fired: Vec<bool>,
    flags: BTreeSet<String>,
    /// The impact has shown: `impact_ends_when` failed in this state or an earlier one.
    impact_seen: bool,
}

struct Search<'s> {
    s: &'s Scenario,
    /// The sim times (seconds) a state can be at, from `impact_starts` on.
    times: Vec<u64>,
}

fn search(s: &Scenario) -> Verdict {
    let start = s.truth.impact_starts.as_secs();
    let limit = s.time_limit.as_secs();
    let mut times: BTreeSet<u64> = BTreeSet::from([start]);
    times.extend(
        s.injects
            .iter()
            .filter(|x| x.fires_by_itself())
            .filter_map(|x| x.at.map(|at| at.as_secs())),
    );
    for site in super::conditions(s) {
        for atom in super::atoms(site.condition) {
            if let Condition::After(at) = atom {
                times.insert(at.as_secs());
            }
        }
    }
    let search = Search {
        s,
        times: times
            .into_iter()
            .filter(|t| (start..limit).contains(t))
            .collect(),
    };
    let mut first = State {
        time: 0,
        levels: s
            .world
            .metrics
            .iter()
            .map(|m| m.baseline.to_bits())
            .collect(),
        remediated: vec![false; s.remediations.len()],
        investigated: vec![false; s.investigations.len()],
        fired: vec![false; s.injects.len()],
        flags: BTreeSet::new(),
        impact_seen: false,
    };
    search.settle(&mut first);

    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([first]);
    while let Some(state) = queue.pop_front() {
        if seen.contains(&state) {
            continue;
        }
        if seen.len() >= MAX_STATES {
            return Verdict::Unknown;
        }
        if state.impact_seen && search.holds(&state, &s.truth.impact_ends_when, 0) {
            return Verdict::Resolvable;
        }
        for next in search.moves(&state) {
            if !seen.contains(&next) {
                queue.push_back(next);
            }
        }
        seen.insert(state);
    }
    Verdict::Unresolvable(seen.len())
}

impl Search<'_> {
    fn now(&self, state: &State) -> u64 {
        self.times.get(state.time).copied().unwrap_or(0)
    }

    fn moves(&self, state: &State) -> Vec<State> {
        let mut next = Vec::new();
        for (i, rem) in self.s.remediations.iter().enumerate() {
            let allowed = rem
                .requires
                .as_ref()
                .is_none_or(|c| self.holds(state, c, 0));
            if !state.remediated[i] && allowed {
                let mut after = state.clone();
                after.remediated[i] = true;
                self.apply(&mut after, &rem.effects);
                self.settle(&mut after);
                next.push(after);
            }
        }
        if state.time + 1 < self.times.len() {
            let mut later = state.clone();
            later.time += 1;
            self.settle(&mut later);
            next.push(later);
        }
        next
    }

    /// Fires every inject that would fire now and does every investigation whose
    /// `requires` holds, until nothing more happens; notes the impact.
    fn settle(&self, state: &mut State) {
        let now = self.now(state);
        loop {
            let due = self.s.injects.iter().enumerate().find(|(i, x)| {
                !state.fired[*i]
                    && x.fires_by_itself()
                    && (x.at.is_some_and(|at| at.as_secs() <= now)
                        || x.when.as_ref().is_some_and(|c| self.holds(state, c, 0)))
            });
            if let Some((i, _)) = due {
                self.fire(state, i);
                continue;
            }
            let ready = self.s.investigations.iter().enumerate().find(|(i, x)| {
                !state.investigated[*i]
                    && x.requires.as_ref().is_none_or(|c| self.holds(state, c, 0))
            });
            let Some((i, inv)) = ready else { break };
            state.investigated[i] = true;
            self.apply(state, &inv.effects);
        }
        if !self.holds(state, &self.s.truth.impact_ends_when, 0) {
            state.impact_seen = true;
        }
    }

    fn fire(&self, state: &mut State, i: usize) {
        state.fired[i] = true;
        self.apply(state, &self.s.injects[i].effects);
    }

    fn apply(&self, state: &mut State, effects: &[Effect]) {
        for effect in effects {
            match effect {
                Effect::Step { metric, to } | Effect::Ramp { metric, to, .. } => {
                    self.set_level(state, metric, *to);
                }
                Effect::Recover { metric, .. } => {
                    if let Some(m) = self.s.world.metrics.iter().find(|m| &m.id == metric) {
                        self.set_level(state, metric, m.baseline);
                    }
                }
                Effect::Set(flag) => {
                    state.flags.insert(flag.clone());
                }
                Effect::Clear(flag) => {
                    state.flags.remove(flag);
                }
                Effect::Trigger(id) => {
                    if let Some(i) = self.s.injects.iter().position(|x| &x.id == id)
                        && !state.fired[i]
                    {
                        self.fire(state, i);
                    }
                }
                Effect::Say { .. }
                | Effect::Log { .. }
                | Effect::Page { .. }
                | Effect::Dark { .. }
                | Effect::Light { .. }
                | Effect::StatusPageDown
                | Effect::StatusPageUp => {}
            }
        }
    }

    fn set_level(&self, state: &mut State, metric: &str, to: f64) {
        if let Some(i) = self.s.world.metrics.iter().position(|m| m.id == metric) {
            let m = &self.s.world.metrics[i];
            let clamped = to
                .max(m.min.unwrap_or(f64::MIN))
                .min(m.max.unwrap_or(f64::MAX));
            state.levels[i] = clamped.to_bits();
        }
    }

    fn level(&self, state: &State, metric: &str) -> Option<f64> {
        let i = self.s.world.metrics.iter().position(|m| m.id == metric)?;
        Some(f64::from_bits(state.levels[i]))
    }

    fn holds(&self, state: &State, condition: &Condition, depth: usize) -> bool {
        let s = self.s;
        match condition {
            Condition::After(at) => self.now(state) >= at.as_secs(),
            Condition::Above { metric, value, .. } => {
                self.level(state, metric).is_some_and(|v| v > *value)
            }
            Condition::Below { metric, value, .. } => {
                self.level(state, metric).is_some_and(|v| v < *value)
            }
            Condition::Acknowledged
            | Condition::Declared
            | Condition::Paged(_)
            | Condition::Joined(_)
            | Condition::StatusSent { .. } => true,
            Condition::Investigated(id) => s
                .investigations
                .iter()
                .position(|x| &x.id == id)
                .is_some_and(|i| state.investigated[i]),
            // Time is stepped only between named times: what counts is that it happened.
            Condition::Since { what, .. } => self.holds(state, what, depth),
            Condition::Reached(reached) => *reached < IncidentState::Resolved,
            Condition::Resolved | Condition::ImpactOver => false,
            Condition::Started(id) | Condition::Remediated(id) => s
                .remediations
                .iter()
                .position(|r| &r.id == id)
                .is_some_and(|i| state.remediated[i]),
            Condition::Firing(id) => {
                depth < MAX_DEPTH
                    && s.world
                        .alerts
                        .iter()
                        .find(|a| &a.id == id)
                        .is_some_and(|a| self.holds(state, &a.when, depth + 1))
            }
            Condition::Fired(id) => s
                .injects
                .iter()
                .position(|x| &x.id == id)
                .is_some_and(|i| state.fired[i]),
            Condition::Flag(flag) => state.flags.contains(flag),
            Condition::All(list) => list.iter().all(|c| self.holds(state, c, depth)),
            Condition::Any(list) => list.iter().any(|c| self.holds(state, c, depth)),
            Condition::Not(inner) => !self.holds(state, inner, depth),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{MINIMAL, edit, warnings};
    use super::{Verdict, search};
    use crate::scenario::{self, builtin};

    #[test]
    fn a_fix_that_leaves_the_metric_above_the_line_cannot_resolve() {
        let broken = edit(&[(
            "Recover(metric: \"api_p99\", over: \"3m\")",
            "Ramp(metric: \"api_p99\", to: 450.0, over: \"3m\")",
        )]);
        assert_eq!(
            warnings(&broken),
            vec![
                "32:27: the drill cannot be resolved: no sequence of remediations makes impact_ends_when hold \
                 (searched 4 state(s): every remediation whose requires can hold, in every order, \
                 at every time the scenario names)"
                    .to_string(),
                "40:15: the reference bots never resolve this drill (5 runs, seeds 1 to 5): check that truth.path leads to the fix and the fix ends the impact".to_string(),
            ]
        );
        let fixed = edit(&[(
            "Recover(metric: \"api_p99\", over: \"3m\")",
            "Ramp(metric: \"api_p99\", to: 350.0, over: \"3m\")",
        )]);
        assert_eq!(warnings(&fixed), Vec::<String>::new());
        assert_eq!(warnings(MINIMAL), Vec::<String>::new());
    }

    #[test]
    fn a_fix_that_needs_a_flag_only_a_second_remediation_sets_resolves() {
        // The fix requires a flag; a preparation sets it: resolvable in two moves.
        let chained = edit(&[
            (
                "kind: Fix, takes: \"2m\",",
                "kind: Fix, takes: \"2m\", requires: Flag(\"drained-checked\"),",
            ),
            (
                "    remediations: [\n",
                "    remediations: [\n        (id: \"check\", label: \"Check drain\", kind: Preparation, takes: \"1m\",\n         effects: [Set(\"drained-checked\")]),\n",
            ),
        ]);
        let parsed = scenario::parse(&chained).unwrap();
        assert_eq!(search(&parsed), Verdict::Resolvable);
    }

    #[test]
    fn a_fix_that_needs_an_investigation_whose_requires_never_holds_cannot_resolve() {
        // The fix needs the investigation; the investigation needs a flag that only the
        // fix sets: deadlocked.
        let locked = edit(&[
            (
                "kind: Fix, takes: \"2m\",",
                "kind: Fix, takes: \"2m\", requires: Investigated(\"cache-stats\"),",
            ),
            (
                "reveals_cause: true),",
                "reveals_cause: true, requires: Flag(\"node-back\")),",
            ),
            (
                "effects: [Recover(metric: \"api_p99\", over: \"3m\")]",
                "effects: [Recover(metric: \"api_p99\", over: \"3m\"), Set(\"node-back\")]",
            ),
        ]);
        let parsed = scenario::parse(&locked).unwrap();
        assert_eq!(search(&parsed), Verdict::Unresolvable(2));
        // Once the investigation only waits for the declaration, it resolves.
        let open = locked.replace("requires: Flag(\"node-back\")", "requires: Declared");
        let parsed = scenario::parse(&open).unwrap();
        assert_eq!(search(&parsed), Verdict::Resolvable);
    }

    #[test]
    fn the_shipped_scenarios_are_resolvable() {
        for s in builtin::all() {
            assert_eq!(search(&s), Verdict::Resolvable, "{}", s.id);
        }
    }
}
