//! The role-discipline category, for the Incident Commander (and bots-only runs): the
//! IC coordinates and delegates instead of going heads-down.
//!
//! Hands off the technical work 60 (20 lost per investigation or remediation the IC
//! ran), CAN reports asked of the other roles 10, a postmortem owner named 10, the
//! central channel kept informed 10, the incident state kept current 10.

use super::{Category, Facts, Finding, Tally};
use crate::engine::action::{Action, Role};
use crate::scenario::{Channel, IncidentState, Phase};

/// The IC should show a new phase in the incident's state within this.
const STATE_LAG: u64 = 10 * 60;

pub fn grade(facts: &Facts) -> Vec<Finding> {
    if !facts.plays(Role::Commander) {
        return Vec::new();
    }
    let mut tally = Tally::new(Category::Discipline);
    let is_ic = |actor: &crate::engine::action::Actor| {
        facts.is_trainee(actor) && actor.role() == Some(Role::Commander)
    };
    let mut hands_on: Vec<(u64, String)> = facts
        .investigations
        .iter()
        .chain(&facts.remediations)
        .filter(|run| is_ic(&run.by))
        .map(|run| (run.started, &run.label))
        .map(|(t, label)| {
            (
                t,
                format!(
                    "At {} you ran \"{label}\" yourself. While the IC is heads-down nobody is coordinating: hand it to the Technical Lead and keep the picture.",
                    facts.clock(t)
                ),
            )
        })
        .collect();
    hands_on.sort_by_key(|&(t, _)| t);
    tally.deduct(
        60,
        20,
        hands_on,
        (
            facts.end,
            "You left the technical work to the Technical Lead and kept coordinating.".into(),
        ),
    );

    let ic_actions: Vec<(u64, &Action)> = facts
        .journal
        .iter()
        .filter_map(|e| match &e.event {
            crate::engine::journal::Event::Did { actor, action } if is_ic(actor) => {
                Some((e.at.as_secs(), action))
            }
            _ => None,
        })
        .collect();
    let first =
        |test: &dyn Fn(&Action) -> bool| ic_actions.iter().find(|(_, a)| test(a)).map(|&(t, _)| t);
    let requested = first(&|a| matches!(a, Action::RequestCan(_)));
    tally.check(
        requested.unwrap_or(facts.end),
        requested.is_some(),
        10,
        "You asked the other roles for their CAN reports.".into(),
        "You never asked the Communications or Technical Lead for a CAN report: their side of the picture only reaches you if you ask.".into(),
    );
    let owner = first(&|a| matches!(a, Action::AssignPostmortem(_)));
    tally.check(
        owner.unwrap_or(facts.end),
        owner.is_some(),
        10,
        "You named a postmortem owner.".into(),
        "You never named a postmortem owner: without one, the follow-up actions rarely happen."
            .into(),
    );
    let broadcast = first(&|a| {
        matches!(
            a,
            Action::Post {
                channel: Channel::Incidents,
                ..
            }
        )
    });
    tally.check(
        broadcast.unwrap_or(facts.end),
        broadcast.is_some(),
        10,
        "You kept the central incidents channel informed.".into(),
        "You never posted in the central incidents channel: the rest of the company learns about the incident from rumours.".into(),
    );
    state_kept(facts, &ic_actions, &mut tally);
    tally.into_findings()
}

/// Each new phase of the truth after the declaration (cause identified, impact over)
/// shown in the incident's state within [`STATE_LAG`].
fn state_kept(facts: &Facts, ic_actions: &[(u64, &Action)], tally: &mut Tally) {
    let Some(declared) = facts.times.declared_s else {
        tally.award(
            facts.end,
            0,
            10,
            "The incident was never declared, so its state was never kept.",
        );
        return;
    };
    // Recovering is shown as Identified, as the cause being found is: going from one
    // to the other changes nothing the state can say.
    let identified = |p: Phase| matches!(p, Phase::Identified | Phase::Recovering);
    let phases: Vec<(u64, Phase)> = facts
        .phase_changes()
        .iter()
        .scan(None, |before: &mut Option<Phase>, &(t, p)| {
            let same_state = before.is_some_and(|b| identified(b) && identified(p));
            *before = Some(p);
            Some((t, p, same_state))
        })
        .filter(|&(t, p, same_state)| {
            p != Phase::Investigating && !same_state && t < facts.incident_end()
        })
        .map(|(t, p, _)| (t.max(declared), p))
        .collect();
    let shown = |since: u64, phase: Phase| {
        ic_actions.iter().any(|&(t, a)| {
            t >= since
                && t <= since + STATE_LAG
                && matches!(
                    (a, phase),
                    (
                        Action::SetState(IncidentState::Identified),
                        Phase::Identified | Phase::Recovering
                    ) | (
                        Action::SetState(IncidentState::Mitigated | IncidentState::Monitoring)
                            | Action::Resolve,
                        Phase::Mitigated,
                    )
                )
        })
    };
    let missed: Vec<String> = phases
        .iter()
        .filter(|&&(t, p)| !shown(t, p))
        .map(|&(t, p)| format!("{} at {}", p.label(), facts.clock(t)))
        .collect();
    tally.share(
        facts.incident_end(),
        10,
        (phases.len() - missed.len()) as u32,
        phases.len() as u32,
        if missed.is_empty() {
            "You moved the incident's state as it changed, so everyone could see where it stood.".to_string()
        } else {
            format!(
                "The incident's state was not moved within {} of a change ({}). The state is how everyone outside the war room knows where things stand.",
                crate::scenario::Duration::from_secs(STATE_LAG),
                missed.join(", ")
            )
        },
    );
}
