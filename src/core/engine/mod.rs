//! The deterministic simulation engine: plays a scenario on a simulated clock, applies
//! inputs from trainees, bots and a facilitator, and records everything in a journal.
//!
//! Time advances in whole sim seconds. Each second is one tick, processed in a fixed
//! order (inputs due, finished tasks, teams joining, metric samples, truth, injects,
//! alerts, bots, time limit), so the same scenario, seed and inputs give the same
//! journal however the caller steps time: one `advance_to(1h)` or 3,600 small steps.
//!
//! Declaring the incident resolved does not end the run at once: a [`WRAP_UP`] follows
//! in which people can still post, send the final status update and name the
//! postmortem owner, but not change the incident.
//!
//! # Bots live inside the engine
//!
//! The engine owns the [`Bots`] of the roles no human plays. In each tick, after the
//! alerts, they read the state of that very second and act, and their actions are
//! applied there and then as `Actor::Bot` inputs, in role order. They are not driven
//! from outside, for three reasons:
//!
//! - A run is a function of scenario, seed and the humans' inputs alone. The bots are
//!   deterministic (their randomness comes from the seed), so an input file holds one
//!   trainee's inputs and still replays the whole run, bots included.
//! - They act within the tick, on the state they act on, as a responder watching the
//!   dashboards would; driven from outside they would see the world between ticks and
//!   act a second late, on a clock of their own.
//! - Networked team drills need exactly this. The host runs the one true engine, with
//!   bots in the open seats, and broadcasts the humans' inputs in order; each client's
//!   replica runs the same engine, so its bots take the same actions in the same second
//!   and its journal matches the host's without a bot action on the wire. A seat
//!   switching between a person and a bot mid-run is one more ordered input
//!   (`Action::TakeSeat`, `Action::ReleaseSeat`), taken at the start of its second
//!   before the bots act, on every replica alike. A bot that gets its seat back is a
//!   new one that picks the run up as it stands; its randomness comes from the seed
//!   alone, so nobody else's draws change.
//!
//! # Team drills
//!
//! Besides the roles' actions, a facilitator's console (fire, hold and release
//! injects, speak as a character, hint, note, end the drill) and the host's seating
//! (take and give back seats, join and leave) are inputs too, journaled as
//! `Event::Did` like everything else, so a whole team drill replays from its inputs.
//!
//! The cost: changing a bot changes what an old input file replays to, as changing the
//! engine itself does.

pub mod action;
#[cfg(test)]
mod condition_tests;
mod explain;
pub mod journal;
pub mod metrics;
#[cfg(test)]
mod outage_tests;
pub mod outages;
pub mod state;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::bots::{Bots, Policy};
use crate::scenario::{Channel, Duration, Effect, IncidentState, Phase, Scenario};
use action::{Action, Actor, Input, Role};
use journal::{Event, Outcome, Speaker, Threshold};
use metrics::{LineWatch, SAMPLE_EVERY};
use state::{State, Task};

/// How long the run goes on after the incident is declared resolved.
pub const WRAP_UP: u64 = 5 * 60;

/// Why an input could not even be queued.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubmitError {
    #[error("the run is over")]
    Ended,
    #[error("{} is played by a bot in this run", .0.title())]
    NotYourRole(Role),
}

#[derive(Clone)]
pub struct Engine {
    state: State,
    seed: u64,
    humans: Vec<Role>,
    /// Inputs not yet due, by (sim second, submission order).
    pending: BTreeMap<(u64, u64), Input>,
    submitted: u64,
    /// The next sim second to process.
    next_tick: u64,
    noise: ChaCha8Rng,
    bots: Bots,
    /// The journaled side of each metric line, by (metric index, critical).
    lines: BTreeMap<(usize, bool), LineWatch>,
}

impl Engine {
    /// A run of `scenario` where `humans` play those roles and bots the rest.
    pub fn new(scenario: impl Into<Arc<Scenario>>, seed: u64, humans: &[Role]) -> Self {
        Engine::with_policy(scenario, seed, humans, Policy::Reference)
    }

    /// Like [`Engine::new`], with the Technical Lead bot choosing its work by `policy`.
    pub fn with_policy(
        scenario: impl Into<Arc<Scenario>>,
        seed: u64,
        humans: &[Role],
        policy: Policy,
    ) -> Self {
        let state = State::new(scenario.into());
        let bot_roles: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| !humans.contains(r))
            .collect();
        let bots = Bots::new(&state, &bot_roles, seed, policy);
        Engine {
            state,
            seed,
            humans: Role::ALL
                .into_iter()
                .filter(|r| humans.contains(r))
                .collect(),
            pending: BTreeMap::new(),
            submitted: 0,
            next_tick: 0,
            noise: ChaCha8Rng::seed_from_u64(seed),
            bots,
            lines: BTreeMap::new(),
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn scenario(&self) -> &Scenario {
        &self.state.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The roles people play now, in role order.
    pub fn humans(&self) -> &[Role] {
        &self.humans
    }

    pub fn journal(&self) -> &[journal::Entry] {
        &self.state.journal
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.state.outcome
    }

    /// The earliest sim time an input can still take effect.
    pub fn next_time(&self) -> Duration {
        Duration::from_secs(self.next_tick)
    }

    /// Queues an input. One stamped earlier than [`Engine::next_time`] is moved to it,
    /// so the journal shows when it really took effect.
    pub fn submit(&mut self, mut input: Input) -> Result<Duration, SubmitError> {
        if self.state.outcome.is_some() {
            return Err(SubmitError::Ended);
        }
        if let Actor::Trainee(role) = input.actor
            && !self.humans.contains(&role)
            && !self
                .pending
                .values()
                .any(|p| matches!(p.action, Action::TakeSeat { role: r, .. } if r == role))
        {
            return Err(SubmitError::NotYourRole(role));
        }
        input.at = input.at.max(self.next_time());
        let at = input.at;
        self.pending.insert((at.as_secs(), self.submitted), input);
        self.submitted += 1;
        Ok(at)
    }

    /// Processes every sim second up to and including `until` (or until the run ends).
    pub fn advance_to(&mut self, until: Duration) {
        while self.next_tick <= until.as_secs() && self.state.outcome.is_none() {
            self.tick(self.next_tick);
            self.next_tick += 1;
        }
    }

    /// Advances by `by` sim seconds from the next unprocessed second.
    pub fn advance(&mut self, by: Duration) {
        if by.as_secs() > 0 {
            let until = self.next_tick + by.as_secs() - 1;
            self.advance_to(Duration::from_secs(until));
        }
    }

    /// Plays on until the run ends (resolved or time limit).
    pub fn run_to_end(&mut self) -> Outcome {
        let limit = self.state.scenario.time_limit;
        self.advance_to(limit);
        self.state.outcome.unwrap_or(Outcome::TimedOut)
    }

    fn tick(&mut self, t: u64) {
        self.state.now = t;
        while let Some(entry) = self.pending.first_entry() {
            if entry.key().0 > t || self.state.outcome.is_some() {
                break;
            }
            let input = entry.remove();
            self.apply(input.actor, input.action);
        }
        if self.state.outcome.is_some() {
            // The facilitator ended the drill.
            return;
        }
        self.finish_tasks(t);
        self.join_teams(t);
        if t.is_multiple_of(SAMPLE_EVERY) {
            self.sample_metrics(t);
        }
        self.update_truth(t);
        self.fire_injects(t);
        self.update_alerts(t);
        for (role, action) in self.bots.act(&self.state) {
            self.apply(Actor::Bot(role), action);
        }
        if self.state.outcome.is_none() {
            if self.state.resolved_at.is_some_and(|r| t >= r + WRAP_UP) {
                self.end(Outcome::Resolved);
            } else if t >= self.state.scenario.time_limit.as_secs() {
                let outcome = if self.state.is_resolved() {
                    Outcome::Resolved
                } else {
                    Outcome::TimedOut
                };
                self.end(outcome);
            }
        }
    }

    fn end(&mut self, outcome: Outcome) {
        self.state.outcome = Some(outcome);
        self.state.record(Event::Ended(outcome));
    }

    // ----- the world moving on its own ----------------------------------------------

    fn finish_tasks(&mut self, t: u64) {
        for i in 0..self.state.investigations.len() {
            if let Task::Running { started, until, .. } = self.state.investigations[i]
                && until == t
            {
                let scenario = Arc::clone(&self.state.scenario);
                let inv = &scenario.investigations[i];
                // The finding is chosen on the state just before the task is done.
                let clue = self.state.clue(inv).to_string();
                self.state.investigations[i] = Task::Done { started, at: t };
                self.state.record(Event::InvestigationDone {
                    id: inv.id.clone(),
                    clue,
                });
                self.apply_effects(&inv.effects);
                if inv.reveals_cause {
                    self.state.truth.cause_found = true;
                }
            }
        }
        for i in 0..self.state.remediations.len() {
            if let Task::Running { started, until, .. } = self.state.remediations[i]
                && until == t
            {
                self.state.remediations[i] = Task::Done { started, at: t };
                let scenario = Arc::clone(&self.state.scenario);
                let rem = &scenario.remediations[i];
                self.state.record(Event::RemediationDone(rem.id.clone()));
                self.apply_effects(&rem.effects);
            }
        }
    }

    fn join_teams(&mut self, t: u64) {
        let arriving: Vec<String> = self
            .state
            .scenario
            .world
            .teams
            .iter()
            .filter(|team| {
                self.state
                    .paged
                    .get(&team.id)
                    .is_some_and(|&at| at + team.joins_after.as_secs() == t)
                    && !self.state.joined.contains_key(&team.id)
            })
            .map(|team| team.id.clone())
            .collect();
        for team in arriving {
            self.state.joined.insert(team.clone(), t);
            self.state.record(Event::TeamJoined(team));
        }
    }

    fn sample_metrics(&mut self, t: u64) {
        for i in 0..self.state.metrics.len() {
            let value = self.state.metrics[i].sample(t, &mut self.noise);
            let scenario = Arc::clone(&self.state.scenario);
            let spec = &scenario.world.metrics[i];
            for (line, level) in [
                (Threshold::Warning, spec.warning),
                (Threshold::Critical, spec.critical),
            ] {
                let Some(level) = level else { continue };
                let above = value > level;
                let key = (i, line == Threshold::Critical);
                let Some(watch) = self.lines.get_mut(&key) else {
                    self.lines.insert(key, LineWatch::new(above));
                    continue;
                };
                if let Some(rising) = watch.observe(t, above) {
                    self.state.record(Event::MetricCrossed {
                        metric: spec.id.clone(),
                        line,
                        rising,
                    });
                }
            }
        }
    }

    fn update_truth(&mut self, t: u64) {
        self.state.truth.at = t;
        let scenario = Arc::clone(&self.state.scenario);
        if t == scenario.truth.impact_starts.as_secs() {
            self.state.truth.impact_started = true;
            self.state.record(Event::ImpactStarted);
            self.set_phase(Phase::Investigating);
        }
        let starting: Vec<_> = scenario
            .truth
            .severity
            .iter()
            .filter(|p| p.from.as_secs() == t)
            .cloned()
            .collect();
        for phase in starting {
            let skipped = phase.unless.as_ref().is_some_and(|c| self.state.holds(c));
            if !skipped && self.state.truth.severity != Some(phase.level) {
                self.state.truth.severity = Some(phase.level);
                self.state.record(Event::TrueSeverity(phase.level));
            }
        }
        if !self.state.truth.impact_started {
            return;
        }
        let healthy = self.state.holds(&scenario.truth.impact_ends_when);
        if !healthy {
            self.state.truth.impact_visible = true;
        }
        let truth = &self.state.truth;
        if healthy && truth.impact_visible && !truth.impact_over {
            self.state.truth.impact_over = true;
            self.state.record(Event::ImpactEnded);
            self.set_phase(Phase::Mitigated);
        } else if !healthy && truth.impact_over {
            self.state.truth.impact_over = false;
            self.state.record(Event::ImpactResumed);
        }
        if !self.state.truth.impact_over {
            let recovering = scenario
                .truth
                .recovering_when
                .as_ref()
                .is_some_and(|c| self.state.holds(c));
            let phase = if recovering {
                Phase::Recovering
            } else if self.state.truth.cause_found {
                Phase::Identified
            } else {
                Phase::Investigating
            };
            self.set_phase(phase);
        }
    }

    fn set_phase(&mut self, phase: Phase) {
        if self.state.truth.phase != Some(phase) {
            self.state.truth.phase = Some(phase);
            self.state.record(Event::PhaseChanged(phase));
        }
    }

    fn fire_injects(&mut self, t: u64) {
        loop {
            let due = (0..self.state.injects_fired.len()).find(|&i| {
                let inject = &self.state.scenario.injects[i];
                self.state.injects_fired[i].is_none()
                    && !self.state.injects_held[i]
                    && inject.fires_by_itself()
                    && (inject.at.is_some_and(|at| at.as_secs() <= t)
                        || inject.when.as_ref().is_some_and(|c| self.state.holds(c)))
            });
            match due {
                Some(i) => self.fire_inject(i),
                None => return,
            }
        }
    }

    fn fire_inject(&mut self, index: usize) {
        if self.state.injects_fired[index].is_some() {
            return;
        }
        self.state.injects_fired[index] = Some(self.state.now);
        let scenario = Arc::clone(&self.state.scenario);
        let inject = &scenario.injects[index];
        self.state.record(Event::InjectFired(inject.id.clone()));
        self.apply_effects(&inject.effects);
    }

    fn apply_effects(&mut self, effects: &[Effect]) {
        let t = self.state.now;
        for effect in effects {
            match effect {
                Effect::Step { metric, to } => self.move_metric(metric, *to, 0),
                Effect::Ramp { metric, to, over } => self.move_metric(metric, *to, over.as_secs()),
                Effect::Recover { metric, over } => {
                    if let Some(m) = self.state.metric_mut(metric) {
                        m.recover(t, over.as_secs());
                    }
                }
                Effect::Say { who, text, channel } => self.state.record(Event::Message {
                    from: Speaker::Character(who.clone()),
                    channel: *channel,
                    text: text.clone(),
                }),
                Effect::Log {
                    service,
                    level,
                    text,
                } => self.state.record(Event::Log {
                    service: service.clone(),
                    level: *level,
                    text: text.clone(),
                }),
                Effect::Page { team, text } => {
                    self.trigger();
                    self.state.record(Event::Paged {
                        team: team.clone(),
                        reason: text.clone(),
                    });
                }
                Effect::Set(flag) => {
                    if !self.state.flags.contains_key(flag) {
                        self.state.flags.insert(flag.clone(), t);
                        self.state.record(Event::FlagSet(flag.clone()));
                    }
                }
                Effect::Clear(flag) => {
                    if self.state.flags.remove(flag).is_some() {
                        self.state.record(Event::FlagCleared(flag.clone()));
                    }
                }
                Effect::Trigger(id) => {
                    if let Some(i) = self.state.scenario.injects.iter().position(|x| &x.id == id) {
                        self.fire_inject(i);
                    }
                }
                Effect::Dark { .. } | Effect::Light { .. } => self.switch_telemetry(effect),
                Effect::StatusPageDown => {
                    if self.state.outages.status_page_down.is_none() {
                        self.state.outages.status_page_down = Some(t);
                        self.state.record(Event::StatusPageDown);
                    }
                }
                Effect::StatusPageUp => {
                    if self.state.outages.status_page_down.take().is_some() {
                        self.state.record(Event::StatusPageUp);
                    }
                }
            }
        }
    }

    /// Applies a `Dark` or `Light`, journaling what changed.
    fn switch_telemetry(&mut self, effect: &Effect) {
        let t = self.state.now;
        let dark = matches!(effect, Effect::Dark { .. });
        let mut changed = journal::Telemetry::default();
        for (kind, id) in effect.telemetry() {
            let outages = &mut self.state.outages;
            let switched = if dark {
                outages.go_dark(kind, id, t)
            } else {
                outages.light(kind, id, t)
            };
            if switched {
                changed.push(kind, id.clone());
            }
        }
        if !changed.is_empty() {
            self.state.record(if dark {
                Event::WentDark(changed)
            } else {
                Event::CameBack(changed)
            });
        }
    }

    fn move_metric(&mut self, metric: &str, to: f64, over: u64) {
        let t = self.state.now;
        if let Some(m) = self.state.metric_mut(metric) {
            m.move_to(t, to, over);
        }
    }

    /// Something paged: the incident exists from now on.
    fn trigger(&mut self) {
        if self.state.incident.is_none() {
            self.state.triggered_at = Some(self.state.now);
            self.change_state(IncidentState::Triggered);
        }
    }

    fn update_alerts(&mut self, t: u64) {
        let scenario = Arc::clone(&self.state.scenario);
        for (i, rule) in scenario.world.alerts.iter().enumerate() {
            if self
                .state
                .outages
                .dark_since(crate::scenario::TelemetryKind::Alert, &rule.id)
                .is_some()
            {
                // No data: the rule keeps its last state.
                continue;
            }
            let holds = self.state.holds(&rule.when);
            let status = self.state.alerts[i].clone();
            if holds && !status.firing {
                self.state.alerts[i] = state::AlertStatus {
                    firing: true,
                    since: t,
                    last_page: t,
                    escalated: status.escalated,
                };
                self.state.record(Event::AlertFired {
                    alert: rule.id.clone(),
                    severity: rule.severity,
                });
                if self.state.acknowledged_at.is_none() {
                    self.trigger();
                    if let Some(team) = &rule.pages {
                        self.page(team, &rule.name);
                    }
                }
            } else if !holds && status.firing {
                self.state.alerts[i].firing = false;
                self.state.record(Event::AlertCleared(rule.id.clone()));
            } else if holds && self.state.acknowledged_at.is_none() {
                if let (Some(every), Some(team)) = (rule.repage_every, &rule.pages)
                    && t - status.last_page >= every.as_secs()
                {
                    self.state.alerts[i].last_page = t;
                    self.page(
                        team,
                        &format!("{} (re-page: still unacknowledged)", rule.name),
                    );
                }
                if let (Some(after), Some(team)) = (rule.escalate_after, &rule.escalate_to)
                    && !status.escalated
                    && t - status.since >= after.as_secs()
                {
                    self.state.alerts[i].escalated = true;
                    self.state.record(Event::Escalated {
                        alert: rule.id.clone(),
                        team: team.clone(),
                    });
                    self.page(team, &format!("{} (escalated: unacknowledged)", rule.name));
                }
            }
        }
    }

    /// A team's pager goes off; it joins the war room after its response time.
    fn page(&mut self, team: &str, reason: &str) {
        self.state
            .paged
            .entry(team.to_string())
            .or_insert(self.state.now);
        self.state.record(Event::Paged {
            team: team.to_string(),
            reason: reason.to_string(),
        });
    }

    fn change_state(&mut self, to: IncidentState) {
        let from = self.state.incident;
        if from == Some(to) {
            return;
        }
        self.state.incident = Some(to);
        self.state.furthest = self.state.furthest.max(Some(to));
        self.state.entered.entry(to).or_insert(self.state.now);
        self.state.record(Event::StateChanged { from, to });
    }

    // ----- inputs ----------------------------------------------------------------------

    /// Applies one action: journals it as done (with its consequences) or refused.
    fn apply(&mut self, actor: Actor, action: Action) {
        let refusal = action
            .permitted_to(&actor)
            .err()
            .or_else(|| match actor {
                Actor::Trainee(role) if !self.humans.contains(&role) => Some(format!(
                    "the {} seat is played by its bot now",
                    role.title()
                )),
                _ => None,
            })
            .or_else(|| self.refusal(&action));
        match refusal {
            Some(reason) => self.state.record(Event::Refused {
                actor,
                action,
                reason,
            }),
            None => {
                self.state.record(Event::Did {
                    actor: actor.clone(),
                    action: action.clone(),
                });
                self.carry_out(actor, action);
            }
        }
    }

    /// Why the action cannot be done now, if it cannot.
    fn refusal(&self, action: &Action) -> Option<String> {
        let s = &self.state;
        let not_declared =
            || (!s.is_declared()).then(|| "no incident has been declared yet".to_string());
        let wrap_up_only = matches!(
            action,
            Action::Post { .. }
                | Action::Can(_)
                | Action::StatusUpdate(_)
                | Action::Ask { .. }
                | Action::AssignPostmortem(_)
        ) || action.is_drill_control();
        if s.is_resolved() && !wrap_up_only {
            return Some(
                "the incident is resolved: only posts, status updates and the postmortem owner are left"
                    .into(),
            );
        }
        match action {
            Action::Acknowledge => {
                if s.acknowledged_at.is_some() {
                    Some("already acknowledged".into())
                } else if s.incident.is_none() {
                    Some("nothing has paged yet: there is nothing to acknowledge".into())
                } else {
                    None
                }
            }
            Action::Declare(_) => s
                .severity
                .map(|sev| format!("already declared at {}", sev.name())),
            Action::SetSeverity(sev) => not_declared().or_else(|| {
                (s.severity == Some(*sev)).then(|| format!("severity is already {}", sev.name()))
            }),
            Action::SetState(to) => not_declared().or_else(|| match to {
                IncidentState::Resolved => Some("use Resolve to declare the incident over".into()),
                IncidentState::Triggered | IncidentState::Acknowledged => Some(format!(
                    "a declared incident cannot go back to {}",
                    to.label()
                )),
                _ if s.incident == Some(*to) => {
                    Some(format!("the incident is already {}", to.label()))
                }
                _ => None,
            }),
            Action::Resolve => {
                not_declared().or_else(|| (!s.truth.impact_over).then(|| impact_goes_on(s)))
            }
            Action::Investigate(id) => match s.investigation(id) {
                None => Some(format!("there is no investigation \"{id}\"")),
                Some((_, Task::Running { .. })) => {
                    Some("that investigation is already running".into())
                }
                Some((_, Task::Done { .. })) => {
                    Some("that investigation has already been done".into())
                }
                Some((i, Task::Idle)) => {
                    let inv = &s.scenario.investigations[i];
                    s.gate(inv.requires.as_ref(), &inv.blocked)
                }
            },
            Action::Remediate(id) => match s.remediation(id) {
                None => Some(format!("there is no remediation \"{id}\"")),
                Some((_, Task::Running { .. })) => {
                    Some("that remediation is already running".into())
                }
                Some((_, Task::Done { .. })) => {
                    Some("that remediation has already been applied".into())
                }
                Some((i, Task::Idle)) => {
                    let rem = &s.scenario.remediations[i];
                    s.gate(rem.requires.as_ref(), &rem.blocked)
                }
            },
            Action::Page(team) => (!s.scenario.world.teams.iter().any(|t| &t.id == team))
                .then(|| format!("there is no team \"{team}\"")),
            Action::Ask { character, .. } => {
                (!s.scenario.characters.iter().any(|c| &c.id == character))
                    .then(|| format!("there is nobody called \"{character}\""))
            }
            Action::StatusUpdate(update) => status_refusal(s, update.audience),
            Action::AssignRole { .. }
            | Action::Post { .. }
            | Action::Can(_)
            | Action::RequestCan(_)
            | Action::AssignPostmortem(_)
            | Action::Note(_)
            | Action::EndDrill => None,
            Action::Speak { character, .. } => {
                (!s.scenario.characters.iter().any(|c| &c.id == character))
                    .then(|| format!("there is nobody called \"{character}\""))
            }
            Action::Hint { to, .. } => (!self.humans.contains(to)).then(|| {
                format!(
                    "nobody plays the {} seat: its bot takes no hints",
                    to.title()
                )
            }),
            Action::FireInject(id) | Action::HoldInject(id) | Action::ReleaseInject(id) => {
                self.inject_refusal(action, id)
            }
            Action::TakeSeat { role, by } | Action::ReleaseSeat { role, by, .. } => {
                self.seat_refusal(action, *role, by)
            }
            Action::Join { by, .. } => self.person_refusal(by),
            Action::Leave(by) => (!s.present.contains_key(by)).then(|| {
                format!("{by} is not watching or facilitating: a seat is given back instead")
            }),
        }
    }

    /// Why a facilitator cannot fire, hold or release inject `id` now.
    fn inject_refusal(&self, action: &Action, id: &str) -> Option<String> {
        let s = &self.state;
        let Some(i) = s.scenario.injects.iter().position(|x| x.id == id) else {
            return Some(format!("there is no inject \"{id}\""));
        };
        if s.injects_fired[i].is_some() {
            return Some("that inject has already fired".into());
        }
        match (action, s.injects_held[i]) {
            (Action::HoldInject(_), true) => Some("that inject is already held".into()),
            (Action::ReleaseInject(_), false) => Some("that inject is not held".into()),
            _ => None,
        }
    }

    /// Why `by` cannot take (or give back) `role`'s seat now.
    fn seat_refusal(&self, action: &Action, role: Role, by: &str) -> Option<String> {
        let holder = self.state.seated.get(&role);
        let title = role.title();
        match action {
            Action::TakeSeat { .. } => match holder {
                Some(name) => Some(format!("the {title} seat is already taken by {name}")),
                None if self.humans.contains(&role) => {
                    Some(format!("a person already plays the {title} seat"))
                }
                None => self.person_refusal(by),
            },
            _ => match holder {
                Some(name) if name == by => None,
                Some(name) => Some(format!("{by} does not hold the {title} seat: {name} does")),
                None => Some(format!("{by} does not hold the {title} seat")),
            },
        }
    }

    /// Why `by` cannot come into the drill: no name, or already in it.
    fn person_refusal(&self, by: &str) -> Option<String> {
        let s = &self.state;
        if by.trim().is_empty() {
            Some("a person needs a name".into())
        } else if let Some((role, _)) = s.seated.iter().find(|(_, name)| *name == by) {
            Some(format!("{by} already sits in the {} seat", role.title()))
        } else {
            s.present
                .get(by)
                .map(|presence| format!("{by} is already in the drill as {}", presence.label()))
        }
    }

    fn carry_out(&mut self, actor: Actor, action: Action) {
        let t = self.state.now;
        match action {
            Action::Acknowledge => self.acknowledge(),
            Action::Declare(severity) => {
                self.acknowledge();
                self.state.declared_at = Some(t);
                self.set_severity(severity);
                self.change_state(IncidentState::Investigating);
            }
            Action::SetSeverity(severity) => self.set_severity(severity),
            Action::SetState(to) => self.change_state(to),
            Action::Resolve => {
                self.state.resolved_at = Some(t);
                self.change_state(IncidentState::Resolved);
            }
            Action::Investigate(id) => {
                if let Some((i, _)) = self.state.investigation(&id) {
                    let takes = self.state.scenario.investigations[i].takes;
                    self.state.investigations[i] = Task::start(actor, t, takes);
                }
            }
            Action::Remediate(id) => {
                if let Some((i, _)) = self.state.remediation(&id) {
                    let takes = self.state.scenario.remediations[i].takes;
                    self.state.remediations[i] = Task::start(actor, t, takes);
                }
            }
            Action::Page(team) => {
                let by = actor.role().map_or("facilitator", Role::title);
                self.page(&team, &format!("paged by the {by}"));
            }
            Action::Ask {
                character,
                question,
            } => {
                let reply = self.reply(&character, &question);
                self.state.record(Event::Message {
                    from: Speaker::Character(character),
                    channel: Channel::WarRoom,
                    text: reply,
                });
            }
            Action::StatusUpdate(update) => self.state.status_sent.push(state::SentStatus {
                at: t,
                audience: update.audience,
                state: update.state,
            }),
            Action::TakeSeat { role, by } => {
                self.bots.stop(role);
                if !self.humans.contains(&role) {
                    self.humans.push(role);
                    self.humans.sort();
                }
                self.state.seated.insert(role, by);
            }
            Action::ReleaseSeat { role, .. } => {
                self.state.seated.remove(&role);
                self.humans.retain(|r| *r != role);
                self.bots.resume(role, &self.state);
            }
            Action::Join { by, presence } => {
                self.state.present.insert(by, presence);
            }
            Action::Leave(by) => {
                self.state.present.remove(&by);
            }
            Action::FireInject(id) => {
                if let Some(i) = self.hold(&id, false) {
                    self.fire_inject(i);
                }
            }
            Action::HoldInject(id) => {
                self.hold(&id, true);
            }
            Action::ReleaseInject(id) => {
                self.hold(&id, false);
            }
            Action::Speak {
                character,
                channel,
                text,
            } => self.state.record(Event::Message {
                from: Speaker::Character(character),
                channel,
                text,
            }),
            Action::EndDrill => {
                let outcome = if self.state.is_resolved() {
                    Outcome::Resolved
                } else {
                    Outcome::Stopped
                };
                self.end(outcome);
            }
            Action::AssignRole { .. }
            | Action::Post { .. }
            | Action::Can(_)
            | Action::RequestCan(_)
            | Action::AssignPostmortem(_)
            | Action::Hint { .. }
            | Action::Note(_) => {}
        }
    }

    /// Holds or releases inject `id`; its index, if there is one.
    fn hold(&mut self, id: &str, held: bool) -> Option<usize> {
        let i = self
            .state
            .scenario
            .injects
            .iter()
            .position(|x| x.id == id)?;
        self.state.injects_held[i] = held;
        Some(i)
    }

    fn acknowledge(&mut self) {
        if self.state.acknowledged_at.is_none() {
            self.trigger();
            self.state.acknowledged_at = Some(self.state.now);
            self.change_state(IncidentState::Acknowledged);
        }
    }

    fn set_severity(&mut self, to: crate::scenario::Severity) {
        let from = self.state.severity;
        self.state.severity = Some(to);
        self.state.record(Event::SeverityChanged { from, to });
    }

    /// A character's scripted answer: the first reply whose keyword appears in the
    /// question and whose condition holds, else their fallback.
    fn reply(&self, character: &str, question: &str) -> String {
        let question = question.to_lowercase();
        let Some(ch) = self
            .state
            .scenario
            .characters
            .iter()
            .find(|c| c.id == character)
        else {
            return String::new();
        };
        ch.replies
            .iter()
            .find(|r| {
                r.keywords
                    .iter()
                    .any(|k| question.contains(&k.to_lowercase()))
                    && r.when.as_ref().is_none_or(|c| self.state.holds(c))
            })
            .map_or_else(|| ch.fallback.clone(), |r| r.text.clone())
    }
}

/// Why a resolve is refused while the impact goes on: the parts of the truth's own
/// condition for its end that fail, with the true state of the metrics they read, as
/// of the second the truth was last worked out for.
fn impact_goes_on(s: &State) -> String {
    let unmet = s.unmet(&s.scenario.truth.impact_ends_when, s.truth.at);
    if unmet.is_empty() {
        // The condition holds, but the impact has not begun or not shown yet.
        "customer impact has not shown yet, so there is nothing to resolve".into()
    } else {
        format!(
            "customers are still affected ({}), so the incident stays open",
            unmet.join("; ")
        )
    }
}

/// Why a status update cannot go to `audience` now: the status page is down, or the
/// audience is not a channel of its own.
fn status_refusal(s: &State, audience: crate::scenario::Audience) -> Option<String> {
    use crate::scenario::Audience;
    match audience {
        Audience::StatusPage => s.outages.status_page_down.map(|since| {
            format!(
                "the public status page has been down since {}: tell customers on {} instead, and update the page once it is back",
                s.scenario.clock(since),
                Audience::Social.name()
            )
        }),
        Audience::Public => Some(format!(
            "\"the public\" is not a channel: send to {} (or {} while the page is down)",
            Audience::StatusPage.name(),
            Audience::Social.name()
        )),
        Audience::Internal | Audience::Executives | Audience::Social => None,
    }
}
