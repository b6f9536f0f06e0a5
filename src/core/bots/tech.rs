//! The Technical Lead bot: once the incident is declared (or has gone unattended for a
//! while), works its plan step by step with a pause to think between steps: the
//! scenario's reference path with the wrong turns the scenario tunes it to, the same
//! path after a novice's wrong turns, or everything in a random order. The reference
//! bot waits for an investigation's or remediation's precondition; the others try it,
//! are refused, go on, and try it again once the precondition holds.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Policy;
use super::report::{CanRequests, can_from_truth};
use crate::engine::action::{Action, Role};
use crate::engine::state::{State, Task};
use crate::scenario::{Channel, Condition, RemediationKind, Scenario, Step};

/// Without a declaration, the tech lead starts on their own this long after the ack.
const START_UNDECLARED_AFTER: u64 = 10 * 60;
/// Salt so the bot's stream differs from the metric noise stream of the same seed.
const STREAM: u64 = 0x7465_6368;

#[derive(Clone)]
pub struct TechBot {
    plan: Vec<Step>,
    policy: Policy,
    requests: CanRequests,
    next: usize,
    /// When the next step may start; `None` until the bot has been engaged.
    ready_at: Option<u64>,
    /// The step it started and waits to finish.
    waiting: Option<Waiting>,
    /// Investigations and remediations refused for their precondition, to try again
    /// once it holds.
    deferred: Vec<Step>,
}

#[derive(Clone)]
enum Waiting {
    /// The plan's current step.
    Plan,
    /// An investigation or remediation tried again.
    Retry(Step),
}

impl TechBot {
    /// The Technical Lead taking over the run as it stands (at the start, nothing has
    /// happened): its plan, drawn from the seed alone, goes on after the last of its
    /// steps already done or running, whoever did them; only CAN requests made from now
    /// on are its to answer.
    pub fn resume(s: &State, seed: u64, policy: Policy) -> Self {
        let scenario = &*s.scenario;
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STREAM);
        let plan = match policy {
            Policy::Reference => {
                let tuned = scenario
                    .bots
                    .wrong_turns
                    .iter()
                    .filter(|_| rng.random::<f64>() < scenario.bots.wrong_turn_chance)
                    .cloned()
                    .collect();
                with_wrong_turns(scenario, tuned)
            }
            Policy::Novice => {
                let turns = novice_wrong_turns(scenario, &mut rng);
                with_wrong_turns(scenario, turns)
            }
            Policy::Random => {
                let mut plan: Vec<Step> = scenario
                    .investigations
                    .iter()
                    .map(|i| Step::Investigate(i.id.clone()))
                    .chain(
                        scenario
                            .remediations
                            .iter()
                            .map(|r| Step::Remediate(r.id.clone())),
                    )
                    .collect();
                plan.shuffle(&mut rng);
                plan
            }
        };
        let started = |step: &Step| task(s, step);
        let last = plan
            .iter()
            .rposition(|step| started(step).is_some_and(|task| *task != Task::Idle));
        let waiting = last.is_some_and(|i| matches!(started(&plan[i]), Some(Task::Running { .. })));
        let next = match last {
            Some(i) if waiting => i,
            Some(i) => i + 1,
            None => 0,
        };
        TechBot {
            plan,
            policy,
            requests: CanRequests::from_now(s),
            next,
            ready_at: None,
            waiting: waiting.then_some(Waiting::Plan),
            deferred: Vec::new(),
        }
    }

    pub fn act(&mut self, s: &State) -> Vec<Action> {
        if s.is_resolved() {
            return Vec::new();
        }
        let mut actions = self.work(s);
        if self.requests.answer_due(s, Role::Tech) {
            actions.push(Action::Can(can_from_truth(s)));
        }
        actions
    }

    /// The next step of the plan, when it is time for it.
    fn work(&mut self, s: &State) -> Vec<Action> {
        let t = s.now;
        let think = s.scenario.bots.think_time.as_secs();
        if self.ready_at.is_none() {
            let engaged = s.declared_at.is_some()
                || s.acknowledged_at
                    .is_some_and(|at| t >= at + START_UNDECLARED_AFTER);
            if !engaged {
                return Vec::new();
            }
            self.ready_at = Some(t + think);
        }
        if let Some(waiting) = &self.waiting {
            let step = match waiting {
                Waiting::Plan => self.plan.get(self.next),
                Waiting::Retry(step) => Some(step),
            };
            let running =
                step.is_some_and(|step| matches!(task(s, step), Some(Task::Running { .. })));
            if running {
                return Vec::new();
            }
            if matches!(waiting, Waiting::Plan) {
                self.next += 1;
            }
            self.waiting = None;
            self.ready_at = Some(t + think);
        }
        loop {
            if self.ready_at.is_some_and(|r| t < r) {
                return Vec::new();
            }
            if let Some(actions) = self.retry(s) {
                return actions;
            }
            let Some(step) = self.plan.get(self.next) else {
                return Vec::new();
            };
            match self.attempt(s, step) {
                Attempt::Skip => self.next += 1,
                Attempt::Wait => {
                    self.ready_at = Some(t + think);
                    return Vec::new();
                }
                Attempt::Do(actions, waits) => {
                    if waits {
                        self.waiting = Some(Waiting::Plan);
                    } else {
                        self.next += 1;
                        self.ready_at = Some(t + think);
                    }
                    return actions;
                }
                Attempt::Refused(actions, step) => {
                    self.deferred.push(step);
                    self.next += 1;
                    self.ready_at = Some(t + think);
                    return actions;
                }
            }
        }
    }

    /// Starts again the first refused step whose precondition now holds.
    fn retry(&mut self, s: &State) -> Option<Vec<Action>> {
        if self.deferred.is_empty() {
            return None;
        }
        self.deferred
            .retain(|step| matches!(task(s, step), Some(Task::Idle)));
        let pos = self.deferred.iter().position(|step| {
            gate(s, step).is_some_and(|(_, requires)| requires.is_none_or(|c| s.holds(c)))
        })?;
        let step = self.deferred.remove(pos);
        let (label, _) = gate(s, &step)?;
        let actions = vec![say(format!("Trying again: {label}.")), start(&step)?];
        self.waiting = Some(Waiting::Retry(step));
        Some(actions)
    }

    fn attempt(&self, s: &State, step: &Step) -> Attempt {
        match step {
            Step::Page(team) if s.paged.contains_key(team) => Attempt::Skip,
            Step::Page(team) => Attempt::Do(vec![Action::Page(team.clone())], false),
            Step::Investigate(_) | Step::Remediate(_) => {
                let (Some(task), Some((label, requires)), Some(action)) =
                    (task(s, step), gate(s, step), start(step))
                else {
                    return Attempt::Skip;
                };
                match task {
                    Task::Done { .. } => Attempt::Skip,
                    Task::Running { .. } => Attempt::Wait,
                    // The reference path waits for what it needs; the others try, are
                    // refused, and come back to it later.
                    Task::Idle if requires.is_some_and(|c| !s.holds(c)) => match self.policy {
                        Policy::Reference => Attempt::Wait,
                        Policy::Random | Policy::Novice => Attempt::Refused(
                            vec![say(format!("Trying: {label}.")), action],
                            step.clone(),
                        ),
                    },
                    Task::Idle => {
                        let verb = match step {
                            Step::Investigate(_) => "Looking into it",
                            _ => "Starting",
                        };
                        Attempt::Do(vec![say(format!("{verb}: {label}.")), action], true)
                    }
                }
            }
        }
    }
}

/// The task of an investigation or remediation step.
fn task<'s>(s: &'s State, step: &Step) -> Option<&'s Task> {
    match step {
        Step::Investigate(id) => s.investigation(id).map(|(_, task)| task),
        Step::Remediate(id) => s.remediation(id).map(|(_, task)| task),
        Step::Page(_) => None,
    }
}

/// The label and precondition of an investigation or remediation step.
fn gate<'s>(s: &'s State, step: &Step) -> Option<(&'s str, Option<&'s Condition>)> {
    match step {
        Step::Investigate(id) => {
            let (i, _) = s.investigation(id)?;
            let inv = &s.scenario.investigations[i];
            Some((&inv.label, inv.requires.as_ref()))
        }
        Step::Remediate(id) => {
            let (i, _) = s.remediation(id)?;
            let rem = &s.scenario.remediations[i];
            Some((&rem.label, rem.requires.as_ref()))
        }
        Step::Page(_) => None,
    }
}

/// The action that starts an investigation or remediation step.
fn start(step: &Step) -> Option<Action> {
    match step {
        Step::Investigate(id) => Some(Action::Investigate(id.clone())),
        Step::Remediate(id) => Some(Action::Remediate(id.clone())),
        Step::Page(_) => None,
    }
}

/// The scenario's reference path with `taken` inserted where wrong turns happen:
/// while the cause is still unknown, before the step that reveals it (or after the
/// first look around when no step does).
fn with_wrong_turns(scenario: &Scenario, taken: Vec<Step>) -> Vec<Step> {
    let mut plan = scenario.truth.path.clone();
    let reveals_cause = |step: &Step| match step {
        Step::Investigate(id) => scenario
            .investigations
            .iter()
            .any(|i| &i.id == id && i.reveals_cause),
        _ => false,
    };
    let at = plan
        .iter()
        .position(reveals_cause)
        .unwrap_or(plan.len().min(1));
    plan.splice(at..at, taken);
    plan
}

/// A novice's one or two wrong turns: the scenario's red herrings and harmful
/// remediations (its tuned wrong turns when it has none), drawn from `rng`.
fn novice_wrong_turns(scenario: &Scenario, rng: &mut ChaCha8Rng) -> Vec<Step> {
    let mut candidates: Vec<Step> = scenario
        .remediations
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                RemediationKind::RedHerring | RemediationKind::Harmful
            )
        })
        .map(|r| Step::Remediate(r.id.clone()))
        .collect();
    if candidates.is_empty() {
        candidates = scenario.bots.wrong_turns.clone();
    }
    candidates.shuffle(rng);
    candidates.truncate(rng.random_range(1..=2));
    candidates
}

enum Attempt {
    Skip,
    Wait,
    /// Actions to take, and whether to wait for the step to finish.
    Do(Vec<Action>, bool),
    /// Actions the engine will refuse for the step's precondition: try it again once
    /// that holds.
    Refused(Vec<Action>, Step),
}

fn say(text: String) -> Action {
    Action::Post {
        channel: Channel::WarRoom,
        text,
    }
}
