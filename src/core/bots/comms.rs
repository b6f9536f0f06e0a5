//! The Communications Lead bot: posts status updates on cadence once the incident is
//! declared, written from the latest CAN report, to the audience the severity calls for.

use crate::engine::action::{Action, Audience, CanReport, StatusState, StatusUpdate};
use crate::engine::journal::Event;
use crate::engine::state::State;
use crate::scenario::{IncidentState, Severity};

/// First status update after declaring.
const FIRST_UPDATE_AFTER: u64 = 3 * 60;

#[derive(Default)]
pub struct CommsBot {
    last_update: Option<u64>,
    last_state: Option<StatusState>,
}

impl CommsBot {
    pub fn act(&mut self, s: &State) -> Vec<Action> {
        let (Some(declared), Some(incident)) = (s.declared_at, s.incident) else {
            return Vec::new();
        };
        let t = s.now;
        let state = StatusState::for_incident(incident);
        let due = match self.last_update {
            None => t >= declared + FIRST_UPDATE_AFTER,
            Some(last) => {
                t >= last + s.scenario.par.status_every.as_secs() || self.last_state != Some(state)
            }
        };
        if !due || incident == IncidentState::Resolved {
            return Vec::new();
        }
        self.last_update = Some(t);
        self.last_state = Some(state);
        let audience = match s.severity {
            Some(Severity::Sev1 | Severity::Sev2) => Audience::StatusPage,
            _ => Audience::Internal,
        };
        let text = update_text(s, state, latest_can(s));
        vec![Action::StatusUpdate(StatusUpdate {
            audience,
            state,
            text,
        })]
    }
}

fn latest_can(s: &State) -> Option<&CanReport> {
    s.journal.iter().rev().find_map(|e| match &e.event {
        Event::Did {
            action: crate::engine::action::Action::Can(report),
            ..
        } => Some(report),
        _ => None,
    })
}

fn update_text(s: &State, state: StatusState, can: Option<&CanReport>) -> String {
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
            "We are investigating a {severity} incident: {what}. Affected: {who}. Next update in {every}."
        ),
        StatusState::Identified => format!(
            "We have identified the cause of the {severity} incident ({what}) and are working on a fix. Affected: {who}. Next update in {every}."
        ),
        StatusState::Monitoring => format!(
            "A fix has been applied and we are monitoring the results ({what}). Next update in {every}."
        ),
        StatusState::Resolved => "This incident has been resolved.".to_string(),
    }
}
