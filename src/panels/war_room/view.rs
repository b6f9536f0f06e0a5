//! Builds the war room's view from a live session: what the trainee's seat shows
//! and nothing of the hidden truth (no impact start, no true severity).

use firedrill_core::engine::Engine;
use firedrill_core::engine::action::{Action, Actor, Audience, Role};
use firedrill_core::engine::journal::{Entry, Event, Speaker};
use firedrill_core::engine::state::{State, Task};
use firedrill_core::report::words;
use firedrill_core::scenario::{Channel, Duration, Scenario, TelemetryKind};
use firedrill_core::session::Session;

use super::{
    AlertLine, ChatLine, Controls, DashboardView, Pick, TaskLine, TaskStatus, TeamSeat, Timer,
    Voice, WarRoomView,
};
use crate::chart::{self, Axis};

/// How long a refusal stays on screen, in sim seconds.
const NOTICE_FOR: u64 = 90;

/// The war room of a solo run, seen from the trainee's role.
pub fn build(session: &Session) -> WarRoomView {
    let engine = session.engine();
    let actions = session
        .recording()
        .actions
        .iter()
        .map(|t| (t.at, &t.action));
    build_seen(
        engine,
        Seen {
            role: session.role(),
            paused: session.paused(),
            speed: session.speed(),
            queued: queued(engine, actions, session.paused()),
            team: None,
        },
    )
}

/// Where a war room is seen from, beside the engine: the seat, the clock as the shell
/// runs it, and what the person sent that has not run yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// The role whose actions the panel offers; an observer sees it as a spectator.
    pub role: Role,
    pub paused: bool,
    pub speed: f64,
    /// [`queued`]'s lines.
    pub queued: Vec<String>,
    /// In a team drill: who is looking, and whether they run the clock.
    pub team: Option<TeamSeat>,
}

/// The war room as seen from `seen`: a solo trainee's ([`build`]) or one person's in a
/// team drill, where the shell runs the clock from the host's.
pub fn build_seen(engine: &Engine, seen: Seen) -> WarRoomView {
    let state = engine.state();
    let scenario = &*state.scenario;
    let role = seen.role;
    let observer = seen.team.as_ref().is_some_and(|t| t.observer);
    let spectating = observer || !engine.humans().contains(&role);
    let over = engine.outcome().is_some();
    // Whose lines and tasks say "(you)": nobody's for an observer.
    let me = (!observer).then_some(role);
    let (war_room, incidents) = channels(scenario, &state.journal, me);
    WarRoomView {
        title: scenario.title.clone(),
        role,
        spectating,
        clock: scenario.clock_seconds(state.now),
        zone: zone_abbreviation(scenario, state.now),
        state: state.incident,
        severity: state.severity,
        tte: timer(state.triggered_at, state.acknowledged_at, state.now),
        mttr: timer(state.acknowledged_at, state.resolved_at, state.now),
        paused: seen.paused,
        speed: seen.speed,
        over,
        alerts: alerts(state),
        dashboards: scenario
            .world
            .dashboards
            .iter()
            .map(|d| DashboardView {
                title: d.title.clone(),
                charts: chart::seen_charts(state, d),
                no_data_since: state
                    .outages
                    .dark_since(TelemetryKind::Dashboard, &d.id)
                    .map(|t| scenario.clock(t)),
            })
            .collect(),
        markers: chart::markers(state),
        axis: axis(scenario),
        war_room,
        incidents,
        controls: controls(state, role),
        acknowledge_note: acknowledge_note(state, role, spectating, over),
        investigations: scenario
            .investigations
            .iter()
            .zip(&state.investigations)
            .map(|(x, task)| TaskLine {
                id: x.id.clone(),
                label: x.label.clone(),
                status: task_status(task, state, me, || state.found(&x.id).map(str::to_string)),
            })
            .collect(),
        remediations: scenario
            .remediations
            .iter()
            .zip(&state.remediations)
            .map(|(x, task)| TaskLine {
                id: x.id.clone(),
                label: x.label.clone(),
                status: task_status(task, state, me, || None),
            })
            .collect(),
        teams: scenario
            .world
            .teams
            .iter()
            .map(|t| Pick {
                id: t.id.clone(),
                name: t.name.clone(),
            })
            .collect(),
        characters: scenario
            .characters
            .iter()
            .map(|c| Pick {
                id: c.id.clone(),
                name: scenario.character_name(&c.id),
            })
            .collect(),
        // An observer's war room shows the commander's panel, not the commander's refusals.
        notice: me.and_then(|role| notice(&state.journal, role, state.now)),
        can_requested: can_requested(&state.journal, role),
        queued: seen.queued,
        team: seen.team,
        preview: None,
        status_page_down: state.outages.status_page_down.map(|t| scenario.clock(t)),
    }
}

/// The wall-clock x axis of charts.
pub fn axis(scenario: &Scenario) -> Axis {
    let start_minute_of_day = scenario
        .wall_clock(firedrill_core::scenario::Duration::from_secs(0))
        .map_or(0.0, |t| {
            use chrono::Timelike;
            f64::from(t.hour() * 60 + t.minute()) + f64::from(t.second()) / 60.0
        });
    Axis {
        start_minute_of_day,
    }
}

fn zone_abbreviation(scenario: &Scenario, now: u64) -> String {
    scenario
        .wall_clock(firedrill_core::scenario::Duration::from_secs(now))
        .map_or_else(String::new, |t| t.format("%Z").to_string())
}

fn timer(from: Option<u64>, to: Option<u64>, now: u64) -> Timer {
    match (from, to) {
        (Some(from), Some(to)) => Timer {
            secs: Some(to.saturating_sub(from)),
            running: false,
        },
        (Some(from), None) => Timer {
            secs: Some(now.saturating_sub(from)),
            running: true,
        },
        (None, _) => Timer::default(),
    }
}

fn alerts(state: &State) -> Vec<AlertLine> {
    let scenario = &state.scenario;
    let fired = |id: &str| {
        state
            .journal
            .iter()
            .any(|e| matches!(&e.event, Event::AlertFired { alert, .. } if alert == id))
    };
    scenario
        .world
        .alerts
        .iter()
        .zip(&state.alerts)
        .map(|(rule, status)| {
            let no_data = state.outages.dark_since(TelemetryKind::Alert, &rule.id);
            (rule, status, no_data)
        })
        .filter(|(rule, status, no_data)| status.firing || no_data.is_some() || fired(&rule.id))
        .map(|(rule, status, no_data)| AlertLine {
            name: rule.name.clone(),
            severity: rule.severity,
            firing: status.firing,
            since: scenario.clock(status.since),
            acknowledged: state.acknowledged_at.is_some(),
            escalated: status.escalated,
            no_data_since: no_data.map(|t| scenario.clock(t)),
        })
        .collect()
}

fn controls(state: &State, role: Role) -> Controls {
    let may = |action: &Action| action.permitted_for(role).is_ok();
    Controls {
        acknowledge: state.incident.is_some() && state.acknowledged_at.is_none(),
        command: may(&Action::Resolve),
        declared: state.is_declared(),
        resolved: state.is_resolved(),
        status_updates: may(&Action::StatusUpdate(
            firedrill_core::engine::action::StatusUpdate {
                audience: Audience::Internal,
                state: firedrill_core::engine::action::StatusState::Investigating,
                text: String::new(),
            },
        )),
        hands_on: may(&Action::Investigate(String::new())),
        page: may(&Action::Page(String::new())),
    }
}

/// Why the trainee cannot acknowledge the page, or who is expected to when they can.
fn acknowledge_note(state: &State, role: Role, spectating: bool, over: bool) -> String {
    let scenario = &*state.scenario;
    if let Some(at) = state.acknowledged_at {
        // Declaring acknowledges too.
        let by = state.journal.iter().find_map(|e| match &e.event {
            Event::Did {
                actor,
                action: Action::Acknowledge | Action::Declare(_),
            } => Some(match actor {
                Actor::Trainee(_) => "you".to_string(),
                Actor::Bot(r) => format!("the {} (a bot)", r.title()),
                Actor::Facilitator | Actor::Host => "the facilitator".to_string(),
                // Observers may only post: they never acknowledge.
                Actor::Observer(name) => name.clone(),
            }),
            _ => None,
        });
        let by = by.map_or_else(String::new, |by| format!(" by {by}"));
        return format!("Already acknowledged{by} at {}", scenario.clock(at));
    }
    if over {
        return "The drill is over".into();
    }
    if spectating {
        return "Watching: bots play every role, the Incident Commander acknowledges".into();
    }
    if state.incident.is_none() {
        return "Nothing has paged yet: there is nothing to acknowledge".into();
    }
    crate::briefing::who_acknowledges(scenario, role)
}

/// Who is doing a task: "(you)" for the person looking (`me`), else the name of whoever
/// sits in the seat in a team drill ("Technical Lead (ben)"), else the role.
fn doer(actor: &Actor, state: &State, me: Option<Role>) -> String {
    match actor {
        Actor::Trainee(role) if Some(*role) != me => match state.seated.get(role) {
            Some(name) => format!("{} ({name})", role.title()),
            None => role.title().to_string(),
        },
        _ => actor.to_string(),
    }
}

fn task_status(
    task: &Task,
    state: &State,
    me: Option<Role>,
    found: impl Fn() -> Option<String>,
) -> TaskStatus {
    match task {
        Task::Idle => TaskStatus::Idle,
        Task::Running { by, started, until } => {
            let total = (until - started).max(1) as f32;
            TaskStatus::Running {
                progress: (state.now.saturating_sub(*started)) as f32 / total,
                left_s: until.saturating_sub(state.now),
                by: doer(by, state, me),
            }
        }
        Task::Done { .. } => TaskStatus::Done { found: found() },
    }
}

/// The two channels as chat lines. Posts and messages go where they were sent, as
/// written; the war room also shows what people did (CAN reports, pages, teams
/// joining, findings) and #incidents the status updates, in the words of
/// [`words::event`].
///
/// `me` is the role of whoever looks (none for an observer): its person's lines are
/// "(you)"; in a team drill the others' are named after who sat in the seat then.
fn channels(
    scenario: &Scenario,
    journal: &[Entry],
    me: Option<Role>,
) -> (Vec<ChatLine>, Vec<ChatLine>) {
    let mut war_room = Vec::new();
    let mut incidents = Vec::new();
    let mut seating = words::Seating::default();
    let mine = |actor: &Actor| matches!(actor, Actor::Trainee(role) if Some(*role) == me);
    let actor_voice = |actor: &Actor| {
        if mine(actor) {
            Voice::You
        } else {
            Voice::Colleague
        }
    };
    for entry in journal {
        seating.see(&entry.event);
        let (channel, voice) = match &entry.event {
            // The facilitator works behind the scenes: their injects, notes and lines
            // spoken as a character do not show as theirs, and a hint reaches only the
            // seat it is for.
            Event::Did {
                actor: Actor::Facilitator,
                action,
            } => match action {
                Action::Hint { to, .. } if Some(*to) == me => (Channel::WarRoom, Voice::Colleague),
                _ => continue,
            },
            Event::Did { actor, action } => (
                match action {
                    Action::Post { channel, .. } => *channel,
                    Action::StatusUpdate(_) => Channel::Incidents,
                    _ => Channel::WarRoom,
                },
                actor_voice(actor),
            ),
            Event::Message { from, channel, .. } => (
                *channel,
                match from {
                    Speaker::Actor(actor) => actor_voice(actor),
                    Speaker::Character(_) => Voice::Character,
                    Speaker::Team(_) => Voice::Team,
                },
            ),
            Event::TeamJoined(_) => (Channel::WarRoom, Voice::Team),
            Event::Paged { .. }
            | Event::Escalated { .. }
            | Event::InvestigationDone { .. }
            | Event::RemediationDone(_)
            | Event::WentDark(_)
            | Event::CameBack(_)
            | Event::StatusPageDown
            | Event::StatusPageUp => (Channel::WarRoom, Voice::System),
            _ => continue,
        };
        let Some(said) = words::event(scenario, &entry.event) else {
            continue;
        };
        let text = match &entry.event {
            // In their own channel, messages need no "[#channel]".
            Event::Did {
                action: Action::Post { text, .. },
                ..
            }
            | Event::Message { text, .. } => text.clone(),
            _ => said.text,
        };
        let who = match &entry.event {
            Event::Did { actor, .. }
            | Event::Message {
                from: Speaker::Actor(actor),
                ..
            } if !mine(actor) => seating.name(actor),
            _ => said.who,
        };
        let chat = ChatLine {
            clock: scenario.clock(entry.at.as_secs()),
            who,
            text,
            voice,
        };
        match channel {
            Channel::WarRoom => war_room.push(chat),
            Channel::Incidents => incidents.push(chat),
        }
    }
    (war_room, incidents)
}

fn notice(journal: &[Entry], role: Role, now: u64) -> Option<String> {
    journal.iter().rev().find_map(|entry| match &entry.event {
        Event::Refused {
            actor: Actor::Trainee(r),
            action,
            reason,
        } if *r == role && now.saturating_sub(entry.at.as_secs()) <= NOTICE_FOR => {
            Some(format!("Could not {}: {reason}", action.name()))
        }
        _ => None,
    })
}

/// The trainee's inputs the engine has not reached yet, in words.
/// The person's `actions` (with their sim times) that the engine has not reached yet,
/// in words: "Queued: declared a SEV2 incident (runs when the clock starts)".
pub fn queued<'a>(
    engine: &Engine,
    actions: impl Iterator<Item = (Duration, &'a Action)>,
    paused: bool,
) -> Vec<String> {
    let when = if paused {
        " (runs when the clock starts)"
    } else {
        ""
    };
    actions
        .filter(|(at, _)| *at >= engine.next_time())
        .map(|(_, action)| {
            let text = words::action_text(engine.scenario(), action);
            format!("Queued: {text}{when}")
        })
        .collect()
}

/// Whether the IC's latest CAN request to `role` came after `role`'s latest report.
fn can_requested(journal: &[Entry], role: Role) -> bool {
    let last = |test: &dyn Fn(&Actor, &Action) -> bool| {
        journal.iter().rposition(|e| match &e.event {
            Event::Did { actor, action } => test(actor, action),
            _ => false,
        })
    };
    let asked = last(&|_, action| *action == Action::RequestCan(role));
    let answered =
        last(&|actor, action| actor.role() == Some(role) && matches!(action, Action::Can(_)));
    match (asked, answered) {
        (Some(asked), Some(answered)) => asked > answered,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firedrill_core::engine::action::{StatusState, StatusUpdate};
    use firedrill_core::report::timeline::timeline;
    use firedrill_core::scenario::{Duration, builtin};

    /// The war room and the timeline say the same about an event: only a message in
    /// its own channel drops the "[#channel]" the timeline needs.
    #[test]
    fn the_war_room_and_the_timeline_use_the_same_words() {
        let scenario = builtin::load("edge-waf-regex").expect("built-in");
        let events = [
            Event::Paged {
                team: "edge-oncall".into(),
                reason: "Edge 5xx rate above 5%".into(),
            },
            Event::Escalated {
                alert: "edge-5xx-critical".into(),
                team: "eng-managers".into(),
            },
            Event::TeamJoined("waf-team".into()),
            Event::Did {
                actor: Actor::Bot(Role::Commander),
                action: Action::Page("security".into()),
            },
            Event::InvestigationDone {
                id: "recent-deploys".into(),
                clue: "a rule went out a minute before".into(),
            },
            Event::RemediationDone("waf-global-kill".into()),
            Event::Did {
                actor: Actor::Trainee(Role::Comms),
                action: Action::StatusUpdate(StatusUpdate {
                    audience: Audience::Executives,
                    state: StatusState::Identified,
                    text: "Cause found.".into(),
                }),
            },
        ];
        let journal: Vec<Entry> = events
            .into_iter()
            .enumerate()
            .map(|(i, event)| Entry {
                at: Duration::from_mins(i as u64),
                event,
            })
            .collect();
        let (war_room, incidents) = channels(&scenario, &journal, Some(Role::Comms));
        let chat: Vec<(String, String)> = war_room
            .iter()
            .chain(&incidents)
            .map(|l| (l.who.clone(), l.text.clone()))
            .collect();
        let pair = |who: &str, text: &str| (who.to_string(), text.to_string());
        assert_eq!(
            chat,
            [
                pair("pager", "Edge SRE on-call: Edge 5xx rate above 5%"),
                pair(
                    "pager",
                    "edge-5xx-critical went unacknowledged: escalated to Engineering leadership escalation"
                ),
                pair("WAF & rules engineering on-call", "joined the war room"),
                pair("Incident Commander", "paged Security operations (SOC)"),
                pair(
                    "finding",
                    "Review recent deploys and config pushes: a rule went out a minute before"
                ),
                pair(
                    "change",
                    "finished: Global kill of the WAF managed rules engine (nwctl via bastion)"
                ),
                pair(
                    "Communications Lead (you)",
                    "status update to executives (Identified): Cause found."
                ),
            ]
        );
        let timeline: Vec<(String, String)> = timeline(&scenario, &journal)
            .into_iter()
            .map(|l| (l.who, l.text))
            .collect();
        assert_eq!(chat, timeline);
    }

    /// In a team drill each person's lines are "(you)" in their own war room and named
    /// after who sat in the seat then in everyone else's; bots stay plain; the
    /// facilitator's hints reach only their seat, and their notes nobody.
    #[test]
    fn a_team_drills_channels_name_the_others_and_call_you_you() {
        let scenario = builtin::load("edge-waf-regex").expect("built-in");
        let seat = |role, by: &str| Event::Did {
            actor: Actor::Host,
            action: Action::TakeSeat {
                role,
                by: by.into(),
            },
        };
        let post = |actor, text: &str| Event::Did {
            actor,
            action: Action::Post {
                channel: Channel::WarRoom,
                text: text.into(),
            },
        };
        let journal: Vec<Entry> = [
            seat(Role::Commander, "ana"),
            seat(Role::Tech, "ben"),
            Event::Did {
                actor: Actor::Facilitator,
                action: Action::Hint {
                    to: Role::Commander,
                    text: "ask ben for a CAN report".into(),
                },
            },
            Event::Did {
                actor: Actor::Facilitator,
                action: Action::Note("ana declared fast".into()),
            },
            post(Actor::Trainee(Role::Commander), "ben, what changed?"),
            post(Actor::Trainee(Role::Tech), "a WAF rule at 14:42"),
            post(Actor::Bot(Role::Comms), "status page updated"),
        ]
        .into_iter()
        .map(|event| Entry {
            at: Duration::from_mins(1),
            event,
        })
        .collect();
        let said = |me| {
            let (war_room, _) = channels(&scenario, &journal, me);
            war_room
                .into_iter()
                .filter(|l| l.who != "Host")
                .map(|l| (l.who, l.voice))
                .collect::<Vec<_>>()
        };
        let line = |who: &str, voice| (who.to_string(), voice);
        // The facilitator's hint reaches ana alone; their note reaches nobody.
        assert_eq!(
            said(Some(Role::Commander)),
            [
                line("Facilitator", Voice::Colleague),
                line("Incident Commander (you)", Voice::You),
                line("Technical Lead (ben)", Voice::Colleague),
                line("Communications Lead", Voice::Colleague),
            ]
        );
        assert_eq!(
            said(None),
            [
                line("Incident Commander (ana)", Voice::Colleague),
                line("Technical Lead (ben)", Voice::Colleague),
                line("Communications Lead", Voice::Colleague),
            ]
        );
    }
}
