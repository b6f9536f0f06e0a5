//! The timeline: every journal entry worth showing a trainee, in order, with its time
//! on the scenario's wall clock and its words from [`super::words`].

use serde::Serialize;

use super::words;
use crate::engine::journal::Entry;
use crate::scenario::Scenario;

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
            let said = words::event(scenario, &entry.event)?;
            Some(TimelineLine {
                at_s: entry.at.as_secs(),
                clock: scenario.clock_seconds(entry.at.as_secs()),
                who: said.who,
                text: said.text,
            })
        })
        .collect()
}
