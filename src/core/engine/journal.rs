//! The journal: every input and every consequence, in order, with its sim time.
//! Scores, the postmortem and replays are all computed from it.

use serde::{Deserialize, Serialize};

use super::action::{Action, Actor};
use crate::scenario::{AlertSeverity, Channel, Duration, IncidentState, LogLevel, Phase, Severity};

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
}

impl Outcome {
    /// The outcome as `run --json` and the history write it: `timed_out`.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::TimedOut => "timed_out",
        }
    }

    /// The outcome as the debrief tells it.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Resolved => "Resolved",
            Outcome::TimedOut => "Time limit reached before the incident was resolved",
        }
    }
}
