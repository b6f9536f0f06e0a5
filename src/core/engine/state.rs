//! The state of a run at the current sim second: the world (metrics, alerts, tasks,
//! teams), the incident as declared by people, the truth as it really is, and the
//! journal so far. Read-only for everyone but the engine; conditions are evaluated here.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::action::{Actor, Presence, Role};
use super::journal::{Entry, Event, Outcome};
use super::metrics::MetricSeries;
use super::outages::Outages;
use crate::scenario::{
    Audience, Condition, Duration, IncidentState, Investigation, Phase, Scenario, Severity,
    StatusState,
};

/// Progress of an investigation or remediation.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    Idle,
    Running { by: Actor, started: u64, until: u64 },
    Done { started: u64, at: u64 },
}

impl Task {
    /// A task started by `by` at `t` that runs for `takes` (at least one second).
    pub fn start(by: Actor, t: u64, takes: Duration) -> Task {
        Task::Running {
            by,
            started: t,
            until: t + takes.as_secs().max(1),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AlertStatus {
    pub firing: bool,
    pub since: u64,
    pub last_page: u64,
    pub escalated: bool,
}

/// A status update that went out: when, to whom, announcing which state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentStatus {
    pub at: u64,
    pub audience: Audience,
    pub state: StatusState,
}

/// What is really going on, as the scenario's truth and the world's state say.
#[derive(Debug, Clone, Default)]
pub struct TruthStatus {
    /// The sim second this truth was last worked out for.
    pub at: u64,
    pub impact_started: bool,
    /// The impact condition has been seen failing since impact started, so it can end.
    pub impact_visible: bool,
    pub impact_over: bool,
    pub phase: Option<Phase>,
    pub severity: Option<Severity>,
    pub cause_found: bool,
}

#[derive(Debug, Clone)]
pub struct State {
    pub scenario: Arc<Scenario>,
    /// The sim second last processed.
    pub now: u64,
    pub metrics: Vec<MetricSeries>,
    metric_index: HashMap<String, usize>,
    pub alerts: Vec<AlertStatus>,
    /// When each inject fired, `None` while it has not.
    pub injects_fired: Vec<Option<u64>>,
    /// Injects the facilitator holds: they do not fire by time or condition.
    pub injects_held: Vec<bool>,
    /// The seats people took by name in a team drill (seats people play from the
    /// start of a one-trainee run have no name and are not here).
    pub seated: BTreeMap<Role, String>,
    /// People in the drill without a seat: observers and facilitators, by name.
    pub present: BTreeMap<String, Presence>,
    /// The flags set now, each with when it was last set.
    pub flags: BTreeMap<String, u64>,
    /// The incident's declared state; `None` until something pages.
    pub incident: Option<IncidentState>,
    /// The furthest state reached, for `Reached(...)`.
    pub furthest: Option<IncidentState>,
    /// When each state was first entered, for `Since(what: Reached(...))`.
    pub entered: BTreeMap<IncidentState, u64>,
    pub severity: Option<Severity>,
    pub triggered_at: Option<u64>,
    pub acknowledged_at: Option<u64>,
    pub declared_at: Option<u64>,
    /// When the incident was declared over; the run ends [`super::WRAP_UP`] later.
    pub resolved_at: Option<u64>,
    pub investigations: Vec<Task>,
    pub remediations: Vec<Task>,
    /// Team id → when first paged.
    pub paged: BTreeMap<String, u64>,
    /// Team id → when it joined the war room.
    pub joined: BTreeMap<String, u64>,
    /// Status updates sent so far, oldest first, for `StatusSent(...)`.
    pub status_sent: Vec<SentStatus>,
    pub truth: TruthStatus,
    /// Telemetry gone dark and the status page down.
    pub outages: Outages,
    pub journal: Vec<Entry>,
    pub outcome: Option<Outcome>,
}

impl State {
    pub fn new(scenario: Arc<Scenario>) -> Self {
        let metrics: Vec<MetricSeries> = scenario
            .world
            .metrics
            .iter()
            .map(MetricSeries::new)
            .collect();
        let metric_index = metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        State {
            alerts: vec![AlertStatus::default(); scenario.world.alerts.len()],
            injects_fired: vec![None; scenario.injects.len()],
            injects_held: vec![false; scenario.injects.len()],
            seated: BTreeMap::new(),
            present: BTreeMap::new(),
            investigations: vec![Task::Idle; scenario.investigations.len()],
            remediations: vec![Task::Idle; scenario.remediations.len()],
            metrics,
            metric_index,
            scenario,
            now: 0,
            flags: BTreeMap::new(),
            incident: None,
            furthest: None,
            entered: BTreeMap::new(),
            severity: None,
            triggered_at: None,
            acknowledged_at: None,
            declared_at: None,
            resolved_at: None,
            paged: BTreeMap::new(),
            joined: BTreeMap::new(),
            status_sent: Vec::new(),
            truth: TruthStatus::default(),
            outages: Outages::default(),
            journal: Vec::new(),
            outcome: None,
        }
    }

    pub fn metric(&self, id: &str) -> Option<&MetricSeries> {
        self.metric_index.get(id).map(|&i| &self.metrics[i])
    }

    pub(super) fn metric_mut(&mut self, id: &str) -> Option<&mut MetricSeries> {
        self.metric_index.get(id).map(|&i| &mut self.metrics[i])
    }

    pub fn investigation(&self, id: &str) -> Option<(usize, &Task)> {
        let i = self
            .scenario
            .investigations
            .iter()
            .position(|x| x.id == id)?;
        Some((i, &self.investigations[i]))
    }

    pub fn remediation(&self, id: &str) -> Option<(usize, &Task)> {
        let i = self.scenario.remediations.iter().position(|x| x.id == id)?;
        Some((i, &self.remediations[i]))
    }

    pub fn is_declared(&self) -> bool {
        self.declared_at.is_some()
    }

    /// Declared over: only the wrap-up (final updates, postmortem owner) is left.
    pub fn is_resolved(&self) -> bool {
        self.resolved_at.is_some()
    }

    pub fn now(&self) -> Duration {
        Duration::from_secs(self.now)
    }

    pub(super) fn record(&mut self, event: Event) {
        self.journal.push(Entry {
            at: Duration::from_secs(self.now),
            event,
        });
    }

    /// Whether a scenario condition holds now.
    pub fn holds(&self, condition: &Condition) -> bool {
        self.holds_at(condition, self.now)
    }

    /// Whether a scenario condition holds at sim second `t`, given the world as it is
    /// (metric conditions read the samples up to `t`).
    pub fn holds_at(&self, condition: &Condition, t: u64) -> bool {
        match condition {
            Condition::After(at) => t >= at.as_secs(),
            Condition::Above {
                metric,
                value,
                for_at_least,
            } => self
                .metric(metric)
                .is_some_and(|m| m.held(t, for_at_least.as_secs(), |v| v > *value)),
            Condition::Below {
                metric,
                value,
                for_at_least,
            } => self
                .metric(metric)
                .is_some_and(|m| m.held(t, for_at_least.as_secs(), |v| v < *value)),
            Condition::Acknowledged => self.acknowledged_at.is_some(),
            Condition::Declared => self.is_declared(),
            Condition::Reached(state) => self.furthest.is_some_and(|f| f >= *state),
            Condition::Resolved => self.incident == Some(IncidentState::Resolved),
            Condition::ImpactOver => self.truth.impact_over,
            Condition::Investigated(id) => {
                matches!(self.investigation(id), Some((_, Task::Done { .. })))
            }
            Condition::Started(id) => {
                matches!(self.remediation(id), Some((_, task)) if *task != Task::Idle)
            }
            Condition::Remediated(id) => {
                matches!(self.remediation(id), Some((_, Task::Done { .. })))
            }
            Condition::Paged(team) => self.paged.contains_key(team),
            Condition::Firing(alert) => self
                .scenario
                .world
                .alerts
                .iter()
                .position(|a| &a.id == alert)
                .is_some_and(|i| self.alerts[i].firing),
            Condition::Fired(inject) => self
                .scenario
                .injects
                .iter()
                .position(|x| &x.id == inject)
                .is_some_and(|i| self.injects_fired[i].is_some()),
            Condition::Flag(flag) => self.flags.contains_key(flag),
            Condition::StatusSent {
                audience,
                within,
                state,
            } => self
                .status_sent
                .iter()
                .rev()
                .take_while(|sent| within.is_none_or(|w| t.saturating_sub(sent.at) <= w.as_secs()))
                .any(|sent| {
                    sent.audience.reaches(*audience) && state.is_none_or(|s| sent.state >= s)
                }),
            Condition::All(list) => list.iter().all(|c| self.holds_at(c, t)),
            Condition::Any(list) => list.iter().any(|c| self.holds_at(c, t)),
            Condition::Not(inner) => !self.holds_at(inner, t),
            Condition::Joined(team) => self.joined.contains_key(team),
            Condition::Since { what, for_at_least } => self
                .happened_at(what)
                .is_some_and(|at| t >= at.saturating_add(for_at_least.as_secs())),
        }
    }

    /// When an event condition (see [`Condition::is_event`]) became true, if it holds:
    /// for a flag, when it was last set. `None` for the other conditions.
    pub fn happened_at(&self, condition: &Condition) -> Option<u64> {
        match condition {
            Condition::Acknowledged => self.acknowledged_at,
            Condition::Declared => self.declared_at,
            Condition::Resolved => self.resolved_at,
            Condition::Reached(state) => self.entered.range(state..).map(|(_, &at)| at).min(),
            Condition::Investigated(id) => match self.investigation(id)? {
                (_, Task::Done { at, .. }) => Some(*at),
                _ => None,
            },
            Condition::Started(id) => match self.remediation(id)? {
                (_, Task::Running { started, .. } | Task::Done { started, .. }) => Some(*started),
                (_, Task::Idle) => None,
            },
            Condition::Remediated(id) => match self.remediation(id)? {
                (_, Task::Done { at, .. }) => Some(*at),
                _ => None,
            },
            Condition::Paged(team) => self.paged.get(team).copied(),
            Condition::Joined(team) => self.joined.get(team).copied(),
            Condition::Fired(id) => {
                let i = self.scenario.injects.iter().position(|x| &x.id == id)?;
                self.injects_fired[i]
            }
            Condition::Flag(flag) => self.flags.get(flag).copied(),
            _ => None,
        }
    }

    /// Why a task gated by `requires` cannot start now: its `blocked` text (a generic
    /// one when that is empty), or `None` when it can.
    pub fn gate(&self, requires: Option<&Condition>, blocked: &str) -> Option<String> {
        requires.is_some_and(|c| !self.holds(c)).then(|| {
            if blocked.trim().is_empty() {
                "its precondition is not met yet".to_string()
            } else {
                blocked.to_string()
            }
        })
    }

    /// The clue `inv` shows if it completes now: its first finding whose `when` holds,
    /// else its `reveals`.
    pub fn clue<'s>(&self, inv: &'s Investigation) -> &'s str {
        inv.findings
            .iter()
            .find(|f| self.holds(&f.when))
            .map_or(&inv.reveals, |f| &f.reveals)
    }

    /// The clue investigation `id` showed when it completed, as journaled.
    pub fn found(&self, id: &str) -> Option<&str> {
        self.journal.iter().rev().find_map(|e| match &e.event {
            Event::InvestigationDone { id: done, clue } if done == id => Some(clue.as_str()),
            _ => None,
        })
    }
}
