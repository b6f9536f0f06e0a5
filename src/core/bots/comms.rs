//! The Communications Lead bot: once the incident is declared, posts status updates on
//! cadence and at every state change, to the audiences the severity calls for, and a
//! final update after the incident is resolved. The public status page gets plain
//! customer-facing words (the company's social account does while the page is down); executives get the detail of the latest CAN report. Answers
//! the IC's requests for a CAN report.

use super::report::{CanRequests, can_from_truth};
use crate::engine::action::{Action, Audience, CanReport, Role, StatusState, StatusUpdate};
use crate::engine::journal::Event;
use crate::engine::state::State;
use crate::scenario::Severity;

/// First status update after declaring.
const FIRST_UPDATE_AFTER: u64 = 3 * 60;

#[derive(Clone)]
pub struct CommsBot {
    last_update: Option<u64>,
    last_state: Option<StatusState>,
    requests: CanRequests,
}

impl CommsBot {
    /// The Communications Lead taking over the run as it stands: its cadence goes on
    /// from the last status update anyone sent (none at the start), and it answers
    /// only the requests for a CAN report made from now on.
    pub fn resume(s: &State) -> Self {
        let last = s.journal.iter().rev().find_map(|e| match &e.event {
            Event::Did {
                action: Action::StatusUpdate(update),
                ..
            } => Some((e.at.as_secs(), update.state)),
            _ => None,
        });
        CommsBot {
            last_update: last.map(|(at, _)| at),
            last_state: last.map(|(_, state)| state),
            requests: CanRequests::from_now(s),
        }
    }

    pub fn act(&mut self, s: &State) -> Vec<Action> {
        let mut actions = self.status_updates(s);
        if !s.is_resolved() && self.requests.answer_due(s, Role::Comms) {
            actions.push(Action::Can(can_from_truth(s)));
        }
        actions
    }

    fn status_updates(&mut self, s: &State) -> Vec<Action> {
        let (Some(declared), Some(incident)) = (s.declared_at, s.incident) else {
            return Vec::new();
        };
        let t = s.now;
        let state = StatusState::for_incident(incident);
        let due = match self.last_update {
            None => t >= declared + FIRST_UPDATE_AFTER || state == StatusState::Resolved,
            Some(_) if self.last_state == Some(StatusState::Resolved) => false,
            Some(last) => {
                t >= last + s.scenario.par.status_every.as_secs() || self.last_state != Some(state)
            }
        };
        if !due {
            return Vec::new();
        }
        self.last_update = Some(t);
        self.last_state = Some(state);
        Audience::for_severity(s.severity)
            .iter()
            .map(|&audience| {
                // While the status page is down, the public hears on the social account.
                let audience = match audience {
                    Audience::StatusPage if !s.outages.status_page_up() => Audience::Social,
                    other => other,
                };
                let text = match audience {
                    Audience::StatusPage | Audience::Social | Audience::Public => {
                        public_text(s, state)
                    }
                    Audience::Executives | Audience::Internal => {
                        internal_text(s, state, latest_can(s))
                    }
                };
                Action::StatusUpdate(StatusUpdate {
                    audience,
                    state,
                    text,
                })
            })
            .collect()
    }
}

fn latest_can(s: &State) -> Option<&CanReport> {
    s.journal.iter().rev().find_map(|e| match &e.event {
        Event::Did {
            action: Action::Can(report),
            ..
        } => Some(report),
        _ => None,
    })
}

/// Customer-facing words: who is affected and what we are doing, no internals.
fn public_text(s: &State, state: StatusState) -> String {
    let every = s.scenario.par.status_every;
    let affected = s
        .scenario
        .truth
        .blast_radius
        .first()
        .and_then(|term| term.first())
        .map_or("some customers", String::as_str);
    match state {
        StatusState::Investigating => {
            format!("We are investigating an issue affecting {affected}. Next update in {every}.")
        }
        StatusState::Identified => format!(
            "We have identified the cause of the issue affecting {affected} and are working on a fix. Next update in {every}."
        ),
        StatusState::Monitoring => format!(
            "A fix has been applied and service is recovering for {affected}. We are monitoring the results. Next update in {every}."
        ),
        StatusState::Resolved => {
            "This incident has been resolved. We will publish a summary of what happened.".into()
        }
    }
}

/// Detail for the people inside: the latest CAN report's conditions.
fn internal_text(s: &State, state: StatusState, can: Option<&CanReport>) -> String {
    let every = s.scenario.par.status_every;
    let severity = s.severity.map_or("an", Severity::name);
    let what = can
        .map(|c| c.conditions.summary.clone())
        .filter(|x| !x.is_empty())
        .unwrap_or_else(|| s.scenario.title.clone());
    let who = can
        .map(|c| c.conditions.blast_radius.clone())
        .filter(|x| !x.is_empty())
        .unwrap_or_else(|| "some customers".into());
    match state {
        StatusState::Investigating => format!(
            "{severity} incident, investigating: {what}. Affected: {who}. Next update in {every}."
        ),
        StatusState::Identified => format!(
            "{severity} incident, cause identified ({what}); a fix is in progress. Affected: {who}. Next update in {every}."
        ),
        StatusState::Monitoring => {
            format!("{severity} incident, mitigated: {what}. Monitoring. Next update in {every}.")
        }
        StatusState::Resolved => {
            format!("{severity} incident resolved. A blameless postmortem will follow.")
        }
    }
}
