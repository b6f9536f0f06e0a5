//! Cadence: something (CAN reports, status updates) sent soon after the declaration
//! and then in every whole interval until the incident is resolved. Graded the same
//! way wherever a rhythm matters.

use super::{Facts, Tally};
use crate::scenario::Duration;

pub struct Cadence<'a> {
    /// What is sent: "CAN report", "status update".
    pub what: &'a str,
    pub every: u64,
    /// Points for the first one within `every` of declaring.
    pub first_points: u32,
    /// Points for the share of intervals with at least one.
    pub interval_points: u32,
    /// Said when the first one came late.
    pub late_advice: &'a str,
    /// Said when intervals were missed.
    pub gap_advice: &'a str,
}

impl Cadence<'_> {
    /// Grades `moments` (sim seconds, in order) against the cadence from `declared`.
    pub fn grade(&self, facts: &Facts, declared: u64, moments: &[u64], tally: &mut Tally) {
        let every = self.every.max(1);
        let what = self.what;
        match moments.first() {
            Some(&first) if first <= declared + every => tally.award(
                first,
                self.first_points,
                self.first_points,
                format!(
                    "The first {what} came {} after declaring.",
                    Duration::from_secs(first.saturating_sub(declared))
                ),
            ),
            Some(&first) => tally.award(
                first,
                0,
                self.first_points,
                format!(
                    "The first {what} came at {}, {} after declaring at {}. {}",
                    facts.clock(first),
                    Duration::from_secs(first - declared),
                    facts.clock(declared),
                    self.late_advice
                ),
            ),
            None => tally.award(
                declared,
                0,
                self.first_points,
                format!("No {what} was sent after declaring. {}", self.late_advice),
            ),
        }
        let (windows, missed) = facts.empty_intervals(declared, every, moments);
        let text = if missed.is_empty() {
            format!(
                "A {what} in every {} interval until the incident was resolved.",
                Duration::from_secs(every)
            )
        } else {
            format!(
                "{} of {windows} intervals of {} had no {what} ({}). {}",
                missed.len(),
                Duration::from_secs(every),
                facts.interval_list(&missed, every),
                self.gap_advice
            )
        };
        tally.share(
            facts.incident_end(),
            self.interval_points,
            (windows - missed.len() as u64) as u32,
            windows as u32,
            text,
        );
    }
}
