//! The journal: every input and every consequence, in order, with its sim time.
//! Scores, the postmortem and replays are all computed from it.
//!
//! A team drill's seat changes, joins and leaves are inputs like any other
//! (`Action::TakeSeat`, `ReleaseSeat`, `Join`, `Leave` by the host or the facilitator),
//! so their `Event::Did` entry is their record: who held which seat when is read from
//! the journal alone ([`seat_holders`]).

use serde::{Deserialize, Serialize};

use super::action::{Action, Actor};
use crate::scenario::{
    AlertSeverity, Channel, Duration, IncidentState, LogLevel, Phase, Severity, TelemetryKind,
};

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: Duration,
    pub event: Event,
}

/// Something that happened. Inputs record who did what; the rest are consequences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// An input that was accepted.
    Did {
        actor: Actor,
        action: Action,
    },
    /// An input that was refused, and why.
    Refused {
        actor: Actor,
        action: Action,
        reason: String,
    },
    InjectFired(String),
    ImpactStarted,
    ImpactEnded,
    /// Customer impact came back after it had ended.
    ImpactResumed,
    /// The truth's severity changed (hidden from the trainee during play).
    TrueSeverity(Severity),
    /// The truth moved to another phase (hidden during play).
    PhaseChanged(Phase),
    MetricCrossed {
        metric: String,
        line: Threshold,
        rising: bool,
    },
    AlertFired {
        alert: String,
        severity: AlertSeverity,
    },
    AlertCleared(String),
    /// A team's pager went off.
    Paged {
        team: String,
        reason: String,
    },
    /// An alert paged its escalation target because nobody acknowledged.
    Escalated {
        alert: String,
        team: String,
    },
    StateChanged {
        from: Option<IncidentState>,
        to: IncidentState,
    },
    SeverityChanged {
        from: Option<Severity>,
        to: Severity,
    },
    TeamJoined(String),
    Message {
        from: Speaker,
        channel: Channel,
        text: String,
    },
    Log {
        service: String,
        level: LogLevel,
        text: String,
    },
    FlagSet(String),
    InvestigationDone {
        id: String,
        clue: String,
    },
    RemediationDone(String),
    Ended(Outcome),
    /// Telemetry went dark: these metrics, dashboards and alert rules (only those
    /// that were not dark already).
    WentDark(Telemetry),
    /// Dark telemetry came back (only what was dark).
    CameBack(Telemetry),
    /// The public status page went down.
    StatusPageDown,
    /// The public status page can be updated again.
    StatusPageUp,
    /// A flag was cleared (the counterpart of `FlagSet`).
    FlagCleared(String),
}

/// Metrics, dashboards and alert rules, by id, that went dark or came back together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Telemetry {
    pub metrics: Vec<String>,
    pub dashboards: Vec<String>,
    pub alerts: Vec<String>,
}

impl Telemetry {
    pub fn is_empty(&self) -> bool {
        self.metrics.is_empty() && self.dashboards.is_empty() && self.alerts.is_empty()
    }

    /// Adds `id` to the list of its kind.
    pub fn push(&mut self, kind: TelemetryKind, id: String) {
        match kind {
            TelemetryKind::Metric => self.metrics.push(id),
            TelemetryKind::Dashboard => self.dashboards.push(id),
            TelemetryKind::Alert => self.alerts.push(id),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Threshold {
    Warning,
    Critical,
}

impl Threshold {
    /// The line's name in a sentence: "its critical line".
    pub fn label(self) -> &'static str {
        match self {
            Threshold::Warning => "warning",
            Threshold::Critical => "critical",
        }
    }
}

/// Who a chat message is from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Speaker {
    Actor(Actor),
    Character(String),
    Team(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The incident was declared over after impact ended.
    Resolved,
    /// The time limit passed first.
    TimedOut,
    /// The facilitator ended the drill before the incident was resolved.
    Stopped,
}

impl Outcome {
    /// The outcome as `run --json` and the history write it: `timed_out`.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::TimedOut => "timed_out",
            Outcome::Stopped => "stopped",
        }
    }

    /// The outcome as the debrief tells it.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Resolved => "Resolved",
            Outcome::TimedOut => "Time limit reached before the incident was resolved",
            Outcome::Stopped => "The facilitator ended the drill before the incident was resolved",
        }
    }
}

/// Who sat in `role`'s seat at each moment, from the seat changes in the journal: the
/// moments a person (by name) took it, and `None` from when it went back to the bot.
/// Empty when nobody took the seat by name (a one-trainee run).
pub fn seat_holders(journal: &[Entry], role: super::action::Role) -> Vec<(u64, Option<&str>)> {
    journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                action: Action::TakeSeat { role: r, by },
                ..
            } if *r == role => Some((e.at.as_secs(), Some(by.as_str()))),
            Event::Did {
                action: Action::ReleaseSeat { role: r, .. },
                ..
            } if *r == role => Some((e.at.as_secs(), None)),
            _ => None,
        })
        .collect()
}

/// Who held `role`'s seat at `t` by [`seat_holders`]: the last change at or before it.
pub fn holder_at<'j>(holders: &[(u64, Option<&'j str>)], t: u64) -> Option<&'j str> {
    holders
        .iter()
        .take_while(|(at, _)| *at <= t)
        .last()
        .and_then(|(_, who)| *who)
}
