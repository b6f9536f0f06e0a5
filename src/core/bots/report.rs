//! The CAN report a well-informed colleague would write now: conditions from the
//! truth, actions from what is really running, needs from the scenario's expectations.

use crate::engine::action::{Actor, CanAction, CanReport, Conditions};
use crate::engine::state::{State, Task};
use crate::scenario::Phase;

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
