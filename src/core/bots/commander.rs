//! The Incident Commander bot: acknowledges, declares, keeps severity and state true,
//! pulls in the teams the incident needs, writes CAN reports on cadence and asks the
//! human roles for theirs, and resolves once impact has stayed over.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Policy;
use crate::engine::action::{Action, Role};
use crate::engine::journal::Event;
use crate::engine::state::State;
use crate::scenario::{Channel, IncidentState, Phase, Severity};

use super::report::can_from_truth;

/// How long the IC watches a mitigated incident before resolving it.
const MONITOR_FOR: u64 = 5 * 60;
/// How long a severity mismatch lasts before the IC corrects it.
const SEVERITY_LAG: u64 = 60;
/// First CAN report after declaring.
const FIRST_CAN_AFTER: u64 = 2 * 60;
/// Needed teams are paged this long after declaring.
const PAGE_NEEDS_AFTER: u64 = 3 * 60;
/// Salt so the IC's stream differs from the other streams of the same seed.
const STREAM: u64 = 0x6963;

#[derive(Clone)]
pub struct CommanderBot {
    last_can: Option<u64>,
    last_request: Option<u64>,
    severity_wrong_since: Option<u64>,
    mitigated_since: Option<u64>,
    /// How long after the page it acknowledges.
    acknowledge_after: u64,
}

impl CommanderBot {
    /// The IC taking over the run as it stands: its cadence of CAN reports and
    /// requests goes on from the last ones in the journal (none at the start). A
    /// novice acknowledges two to four times later than the scenario's tuning, drawn
    /// from the seed.
    pub fn resume(s: &State, seed: u64, policy: Policy) -> Self {
        let tuned = s.scenario.bots.acknowledge_after.as_secs();
        let acknowledge_after = match policy {
            Policy::Novice => {
                let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STREAM);
                tuned * 2 + rng.random_range(0..=tuned * 2)
            }
            Policy::Reference | Policy::Random => tuned,
        };
        let last = |wanted: fn(&Action) -> bool| {
            s.journal.iter().rev().find_map(|e| match &e.event {
                Event::Did { actor, action }
                    if actor.role() == Some(Role::Commander) && wanted(action) =>
                {
                    Some(e.at.as_secs())
                }
                _ => None,
            })
        };
        CommanderBot {
            last_can: last(|a| matches!(a, Action::Can(_))),
            last_request: last(|a| matches!(a, Action::RequestCan(_))),
            severity_wrong_since: None,
            mitigated_since: None,
            acknowledge_after,
        }
    }

    /// What the IC does now; `reporters` are the roles people play, whom it asks for
    /// CAN reports.
    pub fn act(&mut self, s: &State, reporters: &[Role]) -> Vec<Action> {
        let t = s.now;
        let tuning = &s.scenario.bots;
        let mut actions = Vec::new();
        if s.is_resolved() {
            return actions;
        }
        let (Some(triggered), None) = (s.triggered_at, s.declared_at) else {
            if s.declared_at.is_some() {
                self.run_incident(s, reporters, &mut actions);
            }
            return actions;
        };
        match s.acknowledged_at {
            None if t >= triggered + self.acknowledge_after => {
                actions.push(Action::Acknowledge);
            }
            Some(acked) if t >= acked + tuning.declare_after.as_secs() => {
                let severity = s.truth.severity.unwrap_or(Severity::Sev3);
                actions.push(Action::Declare(severity));
                actions.push(Action::Post {
                    channel: Channel::Incidents,
                    text: format!(
                        "Declaring a {} incident: {}. I am the Incident Commander; war room is open.",
                        severity.name(),
                        s.scenario.title
                    ),
                });
            }
            _ => {}
        }
        actions
    }

    fn run_incident(&mut self, s: &State, reporters: &[Role], actions: &mut Vec<Action>) {
        let t = s.now;
        let declared = s.declared_at.unwrap_or(t);
        let every = s.scenario.par.can_every.as_secs();

        if let Some(truth) = s.truth.severity
            && s.severity != Some(truth)
        {
            let since = *self.severity_wrong_since.get_or_insert(t);
            if t - since >= SEVERITY_LAG {
                actions.push(Action::SetSeverity(truth));
                self.severity_wrong_since = None;
            }
        } else {
            self.severity_wrong_since = None;
        }

        if t == declared + PAGE_NEEDS_AFTER {
            for team in &s.scenario.truth.needs {
                if !s.paged.contains_key(team) {
                    actions.push(Action::Page(team.clone()));
                }
            }
        }

        let state = s.incident.unwrap_or(IncidentState::Investigating);
        if s.truth.impact_over {
            let since = *self.mitigated_since.get_or_insert(t);
            if state < IncidentState::Mitigated {
                actions.push(Action::SetState(IncidentState::Mitigated));
            } else if t - since >= MONITOR_FOR {
                actions.push(Action::AssignPostmortem(Role::Tech.title().into()));
                actions.push(Action::Resolve);
                return;
            }
        } else {
            self.mitigated_since = None;
            if state >= IncidentState::Mitigated {
                actions.push(Action::SetState(IncidentState::Investigating));
            } else if (s.truth.cause_found || s.truth.phase == Some(Phase::Recovering))
                && state == IncidentState::Investigating
            {
                actions.push(Action::SetState(IncidentState::Identified));
            }
        }

        let can_due = match self.last_can {
            None => t >= declared + FIRST_CAN_AFTER,
            Some(last) => t >= last + every,
        };
        if can_due {
            self.last_can = Some(t);
            actions.push(Action::Can(can_from_truth(s)));
        }
        let request_due = match self.last_request {
            None => t >= declared + FIRST_CAN_AFTER,
            Some(last) => t >= last + every,
        };
        if request_due && !reporters.is_empty() {
            self.last_request = Some(t);
            actions.extend(reporters.iter().map(|r| Action::RequestCan(*r)));
        }
    }
}
