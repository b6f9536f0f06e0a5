//! The CAN report a well-informed colleague would write now: conditions from the
//! truth, actions from what is really running, needs from the scenario's expectations.

use crate::engine::action::{Action, Actor, CanAction, CanReport, Conditions, Role};
use crate::engine::journal::Event;
use crate::engine::state::{State, Task};
use crate::scenario::Phase;

/// How long a bot takes to answer the IC's request for a CAN report.
const ANSWER_AFTER: u64 = 60;

/// The IC's requests for a CAN report from one role, and when the answer is due.
#[derive(Clone)]
pub struct CanRequests {
    /// Journal entries already looked at.
    seen: usize,
    due: Option<u64>,
}

impl CanRequests {
    /// Requests made from now on: the ones already in the journal were someone else's
    /// to answer.
    pub fn from_now(s: &State) -> Self {
        CanRequests {
            seen: s.journal.len(),
            due: None,
        }
    }

    /// Whether `role` should send its CAN report now.
    pub fn answer_due(&mut self, s: &State, role: Role) -> bool {
        let asked = s.journal[self.seen..].iter().any(
            |e| matches!(&e.event, Event::Did { action: Action::RequestCan(r), .. } if *r == role),
        );
        self.seen = s.journal.len();
        if asked && self.due.is_none() {
            self.due = Some(s.now + ANSWER_AFTER);
        }
        if self.due.is_some_and(|due| s.now >= due) {
            self.due = None;
            return true;
        }
        false
    }
}

pub fn can_from_truth(state: &State) -> CanReport {
    let truth = &state.scenario.truth;
    let phase = state.truth.phase.unwrap_or(Phase::Investigating);
    let expectation = truth.can.iter().find(|c| c.phase == phase);
    let first = |terms: &[Vec<String>]| -> Vec<String> {
        terms.iter().filter_map(|t| t.first().cloned()).collect()
    };
    let summary = expectation.map(|e| first(&e.summary)).unwrap_or_default();
    let blast = first(&truth.blast_radius);
    let mut actions: Vec<CanAction> = Vec::new();
    let running = |tasks: &[Task], labels: Vec<&str>| -> Vec<CanAction> {
        tasks
            .iter()
            .zip(labels)
            .filter_map(|(task, label)| match task {
                Task::Running { by, .. } => Some(CanAction {
                    what: label.to_string(),
                    who: owner(by),
                }),
                _ => None,
            })
            .collect()
    };
    let scenario = &state.scenario;
    actions.extend(running(
        &state.remediations,
        scenario
            .remediations
            .iter()
            .map(|r| r.label.as_str())
            .collect(),
    ));
    actions.extend(running(
        &state.investigations,
        scenario
            .investigations
            .iter()
            .map(|r| r.label.as_str())
            .collect(),
    ));
    if let Some(e) = expectation {
        let planned = first(&e.actions);
        if !planned.is_empty() && actions.is_empty() {
            actions.push(CanAction {
                what: planned.join(", "),
                who: "Technical Lead".into(),
            });
        }
    }
    let needs = expectation.map(|e| first(&e.needs)).unwrap_or_default();
    CanReport {
        conditions: Conditions {
            kind: truth.kind.first().cloned().unwrap_or_default(),
            state: state.incident,
            severity: state.truth.severity,
            summary: summary.join(", "),
            blast_radius: blast.join(", "),
        },
        actions,
        needs: if needs.is_empty() {
            vec!["none".into()]
        } else {
            needs
        },
    }
}

fn owner(actor: &Actor) -> String {
    actor
        .role()
        .map_or("facilitator", |r| r.title())
        .to_string()
}
