//! Turns journal entries into timeline lines a person can read.

use serde::Serialize;

use crate::engine::action::{Action, Actor};
use crate::engine::journal::{Entry, Event, Outcome, Speaker};
use crate::scenario::{Scenario, Severity};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineLine {
    pub at_s: u64,
    /// Wall-clock time in the scenario's time zone, `HH:MM:SS`.
    pub clock: String,
    pub who: String,
    pub text: String,
}

/// Every journal entry worth showing a trainee, in order.
pub fn timeline(scenario: &Scenario, journal: &[Entry]) -> Vec<TimelineLine> {
    journal
        .iter()
        .filter_map(|entry| {
            let (who, text) = describe(scenario, &entry.event)?;
            Some(TimelineLine {
                at_s: entry.at.as_secs(),
                clock: scenario.clock_seconds(entry.at.as_secs()),
                who,
                text,
            })
        })
        .collect()
}

/// "Name (role)" of a scenario character, or the id when it is not one.
pub fn character_name(scenario: &Scenario, id: &str) -> String {
    scenario
        .characters
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_string(), |c| format!("{} ({})", c.name, c.role))
}

/// A team's name from its id ("the edge on-call"), or the id if the scenario has no
/// such team.
pub fn team_name(scenario: &Scenario, id: &str) -> String {
    scenario
        .world
        .teams
        .iter()
        .find(|t| t.id == id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
}

/// Who said a chat message, as people read it.
pub fn speaker_name(scenario: &Scenario, speaker: &Speaker) -> String {
    match speaker {
        Speaker::Actor(a) => actor_name(a),
        Speaker::Character(c) => character_name(scenario, c),
        Speaker::Team(t) => scenario
            .world
            .teams
            .iter()
            .find(|team| &team.id == t)
            .map_or_else(|| t.clone(), |team| team.name.clone()),
    }
}

pub fn actor_name(actor: &Actor) -> String {
    match actor {
        Actor::Trainee(role) => format!("{} (you)", role.title()),
        Actor::Bot(role) => role.title().to_string(),
        Actor::Facilitator => "Facilitator".to_string(),
    }
}

fn describe(scenario: &Scenario, event: &Event) -> Option<(String, String)> {
    let world = || "world".to_string();
    Some(match event {
        Event::Did { actor, action } => (actor_name(actor), action_text(scenario, action)),
        Event::Refused {
            actor,
            action,
            reason,
        } => (
            actor_name(actor),
            format!("tried to {}: refused, {reason}", action.name()),
        ),
        Event::InjectFired(_)
        | Event::FlagSet(_)
        | Event::TrueSeverity(_)
        | Event::PhaseChanged(_) => return None,
        Event::ImpactStarted => (world(), "customer impact begins".into()),
        Event::ImpactEnded => (world(), "customer impact ends".into()),
        Event::ImpactResumed => (world(), "customer impact is back".into()),
        Event::MetricCrossed {
            metric,
            line,
            rising,
        } => (
            world(),
            format!(
                "{metric} {} its {line:?} line",
                if *rising {
                    "rises above"
                } else {
                    "falls below"
                }
            ),
        ),
        Event::AlertFired { alert, severity } => {
            (world(), format!("alert {alert} fires ({severity:?})"))
        }
        Event::AlertCleared(alert) => (world(), format!("alert {alert} clears")),
        Event::Paged { team, reason } => (
            world(),
            format!("pager: {}: {reason}", team_name(scenario, team)),
        ),
        Event::Escalated { alert, team } => (
            world(),
            format!(
                "{alert} unacknowledged: escalated to {}",
                team_name(scenario, team)
            ),
        ),
        Event::StateChanged { to, .. } => (world(), format!("incident state: {to:?}")),
        Event::SeverityChanged { to, .. } => (world(), format!("severity: {}", to.name())),
        Event::TeamJoined(team) => (team_name(scenario, team), "joined the war room".into()),
        Event::Message {
            from,
            channel,
            text,
        } => (
            speaker_name(scenario, from),
            format!("[{channel:?}] {text}"),
        ),
        Event::Log {
            service,
            level,
            text,
        } => (service.clone(), format!("log {level:?}: {text}")),
        Event::InvestigationDone { id, clue } => (
            world(),
            format!("{} finished: {clue}", investigation_label(scenario, id)),
        ),
        Event::RemediationDone(id) => (
            world(),
            format!("{} finished", remediation_label(scenario, id)),
        ),
        Event::Ended(Outcome::Resolved) => (world(), "the drill ends: resolved".into()),
        Event::Ended(Outcome::TimedOut) => (world(), "the drill ends: time limit reached".into()),
    })
}

/// An investigation's label, or its id when the scenario has no such investigation.
pub fn investigation_label(scenario: &Scenario, id: &str) -> String {
    let found = scenario.investigations.iter().find(|x| x.id == id);
    found.map_or_else(|| id.to_string(), |x| x.label.clone())
}

/// A remediation's label, or its id when the scenario has no such remediation.
pub fn remediation_label(scenario: &Scenario, id: &str) -> String {
    let found = scenario.remediations.iter().find(|x| x.id == id);
    found.map_or_else(|| id.to_string(), |x| x.label.clone())
}

/// What an action did, in words ("declared a SEV1 incident").
pub fn action_text(scenario: &Scenario, action: &Action) -> String {
    let character = |id: &str| character_name(scenario, id);
    match action {
        Action::Acknowledge => "acknowledged the page".into(),
        Action::Declare(sev) => format!("declared a {} incident", sev.name()),
        Action::SetSeverity(sev) => format!("set severity to {}", sev.name()),
        Action::SetState(state) => format!("set the state to {state:?}"),
        Action::AssignRole { role, to } => format!("assigned {} to {to}", role.title()),
        Action::Post { channel, text } => format!("[{channel:?}] {text}"),
        Action::Can(report) => {
            let c = &report.conditions;
            let actions: Vec<String> = report
                .actions
                .iter()
                .map(|a| format!("{} ({})", a.what, a.who))
                .collect();
            format!(
                "CAN report. Conditions: {}, {}, {}: {}; affected: {}. Actions: {}. Needs: {}.",
                c.kind,
                c.state.map_or("-".into(), |s| format!("{s:?}")),
                c.severity.map_or("-", Severity::name),
                c.summary,
                c.blast_radius,
                if actions.is_empty() {
                    "none".into()
                } else {
                    actions.join("; ")
                },
                if report.needs.is_empty() {
                    "none".into()
                } else {
                    report.needs.join(", ")
                }
            )
        }
        Action::StatusUpdate(u) => format!(
            "status update to {:?} ({:?}): {}",
            u.audience, u.state, u.text
        ),
        Action::Investigate(id) => format!("started: {}", investigation_label(scenario, id)),
        Action::Remediate(id) => format!("started: {}", remediation_label(scenario, id)),
        Action::Page(team) => format!("paged {}", team_name(scenario, team)),
        Action::Ask {
            character: c,
            question,
        } => format!("asked {}: {question}", character(c)),
        Action::RequestCan(role) => format!("asked the {} for a CAN report", role.title()),
        Action::Resolve => "declared the incident resolved".into(),
        Action::AssignPostmortem(owner) => format!("assigned the postmortem to {owner}"),
    }
}
