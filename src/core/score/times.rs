//! Milestone times of a run, read from its journal, with the definitions of
//! `docs/scoring.md`: start is the truth's impact start, not the first alert. Also the
//! names of the durations measured from them, which every screen and file uses.

use serde::Serialize;

use crate::engine::action::Action;
use crate::engine::journal::{Entry, Event};
use crate::scenario::{Duration, IncidentState, Par, Scenario};

/// Sim seconds of each milestone; `None` when it was never reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Times {
    pub start_s: u64,
    pub detected_s: Option<u64>,
    pub acknowledged_s: Option<u64>,
    pub declared_s: Option<u64>,
    pub first_status_s: Option<u64>,
    pub mitigated_s: Option<u64>,
    pub resolved_s: Option<u64>,
    /// Acknowledged − start.
    pub mtta_s: Option<u64>,
    /// Resolved − acknowledged.
    pub mttr_s: Option<u64>,
    /// MTTA + MTTR.
    pub mtrs_s: Option<u64>,
    /// First alert or page − start.
    pub ttd_s: Option<u64>,
    /// Acknowledged − first alert or page.
    pub tte_s: Option<u64>,
}

impl Times {
    pub fn from_journal(scenario: &Scenario, journal: &[Entry]) -> Times {
        let first = |test: &dyn Fn(&Event) -> bool| {
            journal
                .iter()
                .find(|e| test(&e.event))
                .map(|e| e.at.as_secs())
        };
        let start_s = scenario.truth.impact_starts.as_secs();
        let detected_s = first(&|e| {
            matches!(
                e,
                Event::StateChanged {
                    to: IncidentState::Triggered,
                    ..
                }
            )
        });
        let acknowledged_s = first(&|e| {
            matches!(
                e,
                Event::StateChanged {
                    to: IncidentState::Acknowledged,
                    ..
                }
            )
        });
        let declared_s = first(&|e| {
            matches!(
                e,
                Event::Did {
                    action: Action::Declare(_),
                    ..
                }
            )
        });
        let first_status_s = first(&|e| {
            matches!(
                e,
                Event::Did {
                    action: Action::StatusUpdate(_),
                    ..
                }
            )
        });
        let resolved_s = first(&|e| {
            matches!(
                e,
                Event::StateChanged {
                    to: IncidentState::Resolved,
                    ..
                }
            )
        });
        // The last time impact ended: an earlier end that did not hold is not mitigation.
        let mitigated_s = journal
            .iter()
            .rev()
            .find(|e| matches!(e.event, Event::ImpactEnded | Event::ImpactResumed))
            .filter(|e| e.event == Event::ImpactEnded)
            .map(|e| e.at.as_secs());
        let mtta_s = acknowledged_s.map(|a| a.saturating_sub(start_s));
        let mttr_s = match (acknowledged_s, resolved_s) {
            (Some(a), Some(r)) => Some(r.saturating_sub(a)),
            _ => None,
        };
        Times {
            start_s,
            detected_s,
            acknowledged_s,
            declared_s,
            first_status_s,
            mitigated_s,
            resolved_s,
            mtta_s,
            mttr_s,
            mtrs_s: mtta_s.zip(mttr_s).map(|(a, r)| a + r),
            ttd_s: detected_s.map(|d| d.saturating_sub(start_s)),
            tte_s: detected_s
                .zip(acknowledged_s)
                .map(|(d, a)| a.saturating_sub(d)),
        }
    }
}

/// The durations a run is measured by, named as `docs/scoring.md` names them. Every
/// screen, the CLI and the postmortem label them with [`Measure::name`] and explain
/// them with [`Measure::span`], so the same figure reads the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Mtta,
    Mttr,
    Mtrs,
    Ttd,
    Tte,
}

impl Measure {
    /// In the order a debrief lists them: the scored ones first.
    pub const ALL: [Measure; 5] = [
        Measure::Mtta,
        Measure::Mttr,
        Measure::Mtrs,
        Measure::Ttd,
        Measure::Tte,
    ];

    /// "MTTA".
    pub fn name(self) -> &'static str {
        match self {
            Measure::Mtta => "MTTA",
            Measure::Mttr => "MTTR",
            Measure::Mtrs => "MTRS",
            Measure::Ttd => "TTD",
            Measure::Tte => "TTE",
        }
    }

    /// From which milestone to which: "impact start to acknowledged".
    pub fn span(self) -> &'static str {
        match self {
            Measure::Mtta => "impact start to acknowledged",
            Measure::Mttr => "acknowledged to resolved",
            Measure::Mtrs => "impact start to resolved",
            Measure::Ttd => "impact start to first page",
            Measure::Tte => "first page to acknowledged",
        }
    }

    /// The run's figure, `None` when a milestone was not reached.
    pub fn of(self, times: &Times) -> Option<u64> {
        match self {
            Measure::Mtta => times.mtta_s,
            Measure::Mttr => times.mttr_s,
            Measure::Mtrs => times.mtrs_s,
            Measure::Ttd => times.ttd_s,
            Measure::Tte => times.tte_s,
        }
    }

    /// The scenario's target for it, for the measures that are scored.
    pub fn par(self, par: &Par) -> Option<Duration> {
        match self {
            Measure::Mtta => Some(par.acknowledge),
            Measure::Mttr => Some(par.resolve),
            Measure::Mtrs | Measure::Ttd | Measure::Tte => None,
        }
    }
}
