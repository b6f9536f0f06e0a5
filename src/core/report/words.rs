//! How a run is put into words for people: who spoke, one sentence per action and
//! one line per journal event. The timeline,
//! the war room's chat and the postmortem all take their words from here, so an event
//! reads the same wherever it is shown.
//!
//! Names that belong to a type are the type's own (`Role::title`, `Severity::name`,
//! `Audience::name`, the `label()` of the other enums, an [`Actor`](crate::engine::action::Actor)'s `Display`,
//! durations' `Display`), and the scenario names its own parts (`Scenario::team_name`
//! and the like); this module puts them together.

use std::collections::BTreeMap;

use crate::engine::action::{Action, Actor, CanReport, Role, StatusUpdate};
use crate::engine::journal::{Event, Outcome, Speaker, Telemetry, Threshold};
use crate::scenario::{Channel, IncidentState, Phase, Scenario, Severity};

/// One event in words: who (or what) it came from, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub who: String,
    pub text: String,
}

impl Said {
    fn new(who: impl Into<String>, text: impl Into<String>) -> Self {
        Said {
            who: who.into(),
            text: text.into(),
        }
    }
}

/// Who speaks for what happens on its own: impact, metrics, alerts, the drill's end.
const WORLD: &str = "world";
/// Who speaks for pages and escalations.
const PAGER: &str = "pager";

/// Repeated crossings of one metric's line, folded into one timeline line: "edge-5xx
/// crosses its warning line 4 times until 14:58, ending above it".
pub fn crossings(metric: &str, line: Threshold, count: usize, until: &str, rising: bool) -> String {
    let side = if rising { "above" } else { "below" };
    format!(
        "{metric} crosses its {} line {count} times until {until}, ending {side} it",
        line.label()
    )
}

/// Who said a chat message, as people read it.
pub fn speaker_name(scenario: &Scenario, speaker: &Speaker) -> String {
    match speaker {
        Speaker::Actor(actor) => actor.to_string(),
        Speaker::Character(id) => scenario.character_name(id),
        Speaker::Team(id) => scenario.team_name(id).to_string(),
    }
}

/// What an action did, in words ("declared a SEV1 incident").
pub fn action_text(scenario: &Scenario, action: &Action) -> String {
    match action {
        Action::Acknowledge => "acknowledged the page".into(),
        Action::Declare(sev) => format!("declared a {} incident", sev.name()),
        Action::SetSeverity(sev) => format!("set severity to {}", sev.name()),
        Action::SetState(state) => format!("set the state to {}", state.label()),
        Action::AssignRole { role, to } => format!("assigned {} to {to}", role.title()),
        Action::Post { channel, text } => message(*channel, text),
        Action::Can(report) => can_report(report),
        Action::StatusUpdate(update) => status_update(update),
        Action::Investigate(id) => format!("started: {}", scenario.investigation_label(id)),
        Action::Remediate(id) => format!("started: {}", scenario.remediation_label(id)),
        Action::Page(team) => format!("paged {}", scenario.team_name(team)),
        Action::Ask {
            character,
            question,
        } => format!("asked {}: {question}", scenario.character_name(character)),
        Action::RequestCan(role) => format!("asked the {} for a CAN report", role.title()),
        Action::Resolve => "declared the incident resolved".into(),
        Action::AssignPostmortem(owner) => format!("assigned the postmortem to {owner}"),
        Action::TakeSeat { role, by } => format!("{by} takes the {} seat", role.title()),
        Action::ReleaseSeat { role, by, reason } => format!(
            "{by} gives the {} seat back to its bot ({})",
            role.title(),
            reason.label()
        ),
        Action::Join { by, presence } => format!("{by} joins as {}", presence.label()),
        Action::Leave(by) => format!("{by} leaves the drill"),
        Action::FireInject(id) => format!("fired the inject \"{id}\""),
        Action::HoldInject(id) => format!("held the inject \"{id}\""),
        Action::ReleaseInject(id) => format!("released the inject \"{id}\""),
        Action::Speak {
            character, channel, ..
        } => format!(
            "spoke as {} in {}",
            scenario.character_name(character),
            channel.label()
        ),
        Action::Hint { to, text } => format!("hint to the {}: {text}", to.title()),
        Action::Note(text) => format!("note: {text}"),
        Action::EndDrill => "ended the drill".into(),
    }
}

/// Who sits in which seat of a team drill, by name, as a journal is read in order: so
/// each line can name the person who was in the seat then.
#[derive(Debug, Default)]
pub struct Seating<'a>(BTreeMap<Role, &'a str>);

impl<'a> Seating<'a> {
    /// Takes in the next journal event: a seat taken or released changes who sits where.
    pub fn see(&mut self, event: &'a Event) {
        match event {
            Event::Did {
                action: Action::TakeSeat { role, by },
                ..
            } => {
                self.0.insert(*role, by);
            }
            Event::Did {
                action: Action::ReleaseSeat { role, .. },
                ..
            } => {
                self.0.remove(role);
            }
            _ => {}
        }
    }

    /// Who did something, as the timeline names them: a seat's title with the name of
    /// the person in it when a team drill seated someone by name ("Technical Lead (bo)"),
    /// else the actor's own words ("Technical Lead (you)", "Incident Commander").
    pub fn name(&self, actor: &Actor) -> String {
        match (actor, actor.role().and_then(|r| self.0.get(&r))) {
            (Actor::Trainee(role), Some(name)) => format!("{} ({name})", role.title()),
            _ => actor.to_string(),
        }
    }
}

/// A chat message with the channel it went to: "[#war-room] on it".
fn message(channel: Channel, text: &str) -> String {
    format!("[{}] {text}", channel.label())
}

fn can_report(report: &CanReport) -> String {
    let c = &report.conditions;
    let actions: Vec<String> = report
        .actions
        .iter()
        .map(|a| format!("{} ({})", a.what, a.who))
        .collect();
    format!(
        "CAN report. Conditions: {}, {}, {}: {}; affected: {}. Actions: {}. Needs: {}.",
        c.kind,
        c.state.map_or("-", IncidentState::label),
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

fn status_update(update: &StatusUpdate) -> String {
    format!(
        "status update to {} ({}): {}",
        update.audience.name(),
        update.state.label(),
        update.text
    )
}

/// A journal event in words; `None` for what people are not shown (the hidden truth,
/// injects and flags).
pub fn event(scenario: &Scenario, event: &Event) -> Option<Said> {
    Some(match event {
        Event::Did { actor, action } => Said::new(actor.to_string(), action_text(scenario, action)),
        Event::Refused {
            actor,
            action,
            reason,
        } => Said::new(
            actor.to_string(),
            format!("tried to {}: refused, {reason}", action.name()),
        ),
        Event::PhaseChanged(Phase::Recovering) => Said::new(
            WORLD,
            "recovery under way: customer impact shrinks stage by stage",
        ),
        Event::InjectFired(_)
        | Event::FlagSet(_)
        | Event::FlagCleared(_)
        | Event::TrueSeverity(_)
        | Event::PhaseChanged(_) => return None,
        Event::ImpactStarted => Said::new(WORLD, "customer impact begins"),
        Event::ImpactEnded => Said::new(WORLD, "customer impact ends"),
        Event::ImpactResumed => Said::new(WORLD, "customer impact is back"),
        Event::MetricCrossed {
            metric,
            line,
            rising,
        } => {
            let way = if *rising {
                "rises above"
            } else {
                "falls below"
            };
            Said::new(WORLD, format!("{metric} {way} its {} line", line.label()))
        }
        Event::AlertFired { alert, severity } => {
            Said::new(WORLD, format!("alert {alert} fires ({})", severity.label()))
        }
        Event::AlertCleared(alert) => Said::new(WORLD, format!("alert {alert} clears")),
        Event::Paged { team, reason } => {
            Said::new(PAGER, format!("{}: {reason}", scenario.team_name(team)))
        }
        Event::Escalated { alert, team } => Said::new(
            PAGER,
            format!(
                "{alert} went unacknowledged: escalated to {}",
                scenario.team_name(team)
            ),
        ),
        Event::StateChanged { to, .. } => {
            Said::new(WORLD, format!("incident state: {}", to.label()))
        }
        Event::SeverityChanged { to, .. } => Said::new(WORLD, format!("severity: {}", to.name())),
        Event::TeamJoined(team) => Said::new(scenario.team_name(team), "joined the war room"),
        Event::Message {
            from,
            channel,
            text,
        } => Said::new(speaker_name(scenario, from), message(*channel, text)),
        Event::Log {
            service,
            level,
            text,
        } => Said::new(service.clone(), format!("log {}: {text}", level.label())),
        Event::InvestigationDone { id, clue } => Said::new(
            "finding",
            format!("{}: {clue}", scenario.investigation_label(id)),
        ),
        Event::RemediationDone(id) => Said::new(
            "change",
            format!("finished: {}", scenario.remediation_label(id)),
        ),
        Event::Ended(Outcome::Resolved) => Said::new(WORLD, "the drill ends: resolved"),
        Event::Ended(Outcome::TimedOut) => Said::new(WORLD, "the drill ends: time limit reached"),
        Event::Ended(Outcome::Stopped) => {
            Said::new(WORLD, "the drill ends: the facilitator stopped it")
        }
        Event::WentDark(what) => Said::new(
            MONITORING,
            format!("no data from {}", telemetry(scenario, what)),
        ),
        Event::CameBack(what) => Said::new(
            MONITORING,
            format!("data again from {}", telemetry(scenario, what)),
        ),
        Event::StatusPageDown => Said::new(
            WORLD,
            "the public status page is down: it cannot be updated, tell the public on the company's social account",
        ),
        Event::StatusPageUp => Said::new(WORLD, "the public status page can be updated again"),
    })
}

/// Who speaks for telemetry going dark and coming back.
const MONITORING: &str = "monitoring";

/// Dark or returning telemetry by name: "the dashboards Messaging SLOs and Web tier
/// overview; the metric Message send success; the alert rule Lookout: ...".
fn telemetry(scenario: &Scenario, what: &Telemetry) -> String {
    let part = |one: &str, many: &str, names: Vec<&str>| match names.as_slice() {
        [] => None,
        [name] => Some(format!("the {one} {name}")),
        [first @ .., last] => Some(format!("the {many} {} and {last}", first.join(", "))),
    };
    [
        part(
            "dashboard",
            "dashboards",
            what.dashboards
                .iter()
                .map(|id| scenario.dashboard_title(id))
                .collect(),
        ),
        part(
            "metric",
            "metrics",
            what.metrics
                .iter()
                .map(|id| scenario.metric_name(id))
                .collect(),
        ),
        part(
            "alert rule",
            "alert rules",
            what.alerts
                .iter()
                .map(|id| scenario.alert_name(id))
                .collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::action::{Actor, Audience, Role, StatusState};
    use crate::engine::journal::Threshold;
    use crate::scenario::{AlertSeverity, LogLevel, builtin};

    fn said(event: Event) -> (String, String) {
        let scenario = builtin::load("edge-waf-regex").expect("built-in");
        let said = super::event(&scenario, &event).expect("shown");
        (said.who, said.text)
    }

    fn pair(who: &str, text: &str) -> (String, String) {
        (who.to_string(), text.to_string())
    }

    #[test]
    fn pages_and_escalations_come_from_the_pager_and_name_the_team() {
        assert_eq!(
            said(Event::Escalated {
                alert: "edge-5xx-critical".into(),
                team: "eng-managers".into(),
            }),
            pair(
                "pager",
                "edge-5xx-critical went unacknowledged: escalated to Engineering leadership escalation"
            )
        );
        assert_eq!(
            said(Event::Paged {
                team: "edge-oncall".into(),
                reason: "Edge 5xx rate above 5%".into(),
            }),
            pair("pager", "Edge SRE on-call: Edge 5xx rate above 5%")
        );
        assert_eq!(
            said(Event::TeamJoined("waf-team".into())),
            pair("WAF & rules engineering on-call", "joined the war room")
        );
    }

    #[test]
    fn a_page_by_the_facilitator_says_so_once() {
        let scenario = builtin::load("edge-waf-regex").expect("built-in");
        let mut engine = crate::engine::Engine::new(scenario, 1, &[]);
        engine
            .submit(crate::engine::action::Input {
                at: crate::scenario::Duration::ZERO,
                actor: Actor::Facilitator,
                action: Action::Page("security".into()),
            })
            .expect("queued");
        engine.advance(crate::scenario::Duration::from_secs(1));
        let paged = engine
            .journal()
            .iter()
            .find(|e| matches!(e.event, Event::Paged { .. }))
            .expect("paged");
        assert_eq!(
            said(paged.event.clone()),
            pair(
                "pager",
                "Security operations (SOC): paged by the facilitator"
            )
        );
    }

    #[test]
    fn finished_work_reads_as_a_finding_or_a_change() {
        assert_eq!(
            said(Event::InvestigationDone {
                id: "recent-deploys".into(),
                clue: "a rule went out a minute before".into(),
            }),
            pair(
                "finding",
                "Review recent deploys and config pushes: a rule went out a minute before"
            )
        );
        assert_eq!(
            said(Event::RemediationDone("waf-global-kill".into())),
            pair(
                "change",
                "finished: Global kill of the WAF managed rules engine (nwctl via bastion)"
            )
        );
    }

    #[test]
    fn enums_read_as_words_not_as_rust() {
        assert_eq!(
            said(Event::MetricCrossed {
                metric: "edge_cpu".into(),
                line: Threshold::Critical,
                rising: true,
            }),
            pair("world", "edge_cpu rises above its critical line")
        );
        assert_eq!(
            said(Event::AlertFired {
                alert: "edge-cpu-critical".into(),
                severity: AlertSeverity::Critical,
            })
            .1,
            "alert edge-cpu-critical fires (Critical)"
        );
        assert_eq!(
            said(Event::Message {
                from: Speaker::Character("support".into()),
                channel: Channel::WarRoom,
                text: "tickets are piling up".into(),
            }),
            pair(
                "Marisol Ortega (Support lead)",
                "[#war-room] tickets are piling up"
            )
        );
        assert_eq!(
            said(Event::Log {
                service: "edge".into(),
                level: LogLevel::Error,
                text: "upstream timeout".into(),
            }),
            pair("edge", "log Error: upstream timeout")
        );
        assert_eq!(
            said(Event::Did {
                actor: Actor::Trainee(Role::Comms),
                action: Action::StatusUpdate(StatusUpdate {
                    audience: Audience::StatusPage,
                    state: StatusState::Investigating,
                    text: "We are looking into errors.".into(),
                }),
            }),
            pair(
                "Communications Lead (you)",
                "status update to the public status page (Investigating): We are looking into errors."
            )
        );
        assert_eq!(
            said(Event::Did {
                actor: Actor::Bot(Role::Commander),
                action: Action::SetState(IncidentState::Mitigated),
            }),
            pair("Incident Commander", "set the state to Mitigated")
        );
    }
}
