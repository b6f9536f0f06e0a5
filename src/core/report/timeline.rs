//! The timeline: every journal entry worth showing a trainee, in order, with its time
//! on the scenario's wall clock and its words from [`super::words`]. A metric that
//! crosses one of its lines again and again is one line with a count, not a column of
//! "rises above" / "falls below". In a team drill, what a seat did is said with the
//! name of the person in it at the time.

use serde::Serialize;

use super::words;
use crate::engine::journal::{Entry, Event, Threshold};
use crate::scenario::Scenario;

/// Crossings of one metric's line less than this many sim seconds after the previous
/// one fold into the same timeline line.
const FOLD_WITHIN_S: u64 = 10 * 60;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineLine {
    pub at_s: u64,
    /// Wall-clock time in the scenario's time zone, `HH:MM:SS`.
    pub clock: String,
    pub who: String,
    pub text: String,
}

/// A run of crossings of one metric's line being folded into one timeline line.
struct Fold<'j> {
    metric: &'j str,
    line: Threshold,
    /// Where its line is in the timeline.
    index: usize,
    count: usize,
    last_s: u64,
}

/// Every journal entry worth showing a trainee, in order, with repeated crossings of a
/// metric's line folded into the first.
pub fn timeline(scenario: &Scenario, journal: &[Entry]) -> Vec<TimelineLine> {
    let mut lines: Vec<TimelineLine> = Vec::new();
    let mut folds: Vec<Fold> = Vec::new();
    let mut seating = words::Seating::default();
    for entry in journal {
        let at_s = entry.at.as_secs();
        seating.see(&entry.event);
        if let Event::MetricCrossed {
            metric,
            line,
            rising,
        } = &entry.event
        {
            let open = folds
                .iter_mut()
                .find(|f| f.metric == metric && f.line == *line && at_s - f.last_s < FOLD_WITHIN_S);
            if let Some(fold) = open {
                fold.count += 1;
                fold.last_s = at_s;
                let until = scenario.clock_seconds(at_s);
                lines[fold.index].text =
                    words::crossings(metric, *line, fold.count, &until, *rising);
                continue;
            }
            folds.retain(|f| !(f.metric == metric && f.line == *line));
            folds.push(Fold {
                metric,
                line: *line,
                index: lines.len(),
                count: 1,
                last_s: at_s,
            });
        }
        if let Some(said) = words::event(scenario, &entry.event) {
            let who = match &entry.event {
                Event::Did { actor, .. } | Event::Refused { actor, .. } => seating.name(actor),
                _ => said.who,
            };
            lines.push(TimelineLine {
                at_s,
                clock: scenario.clock_seconds(at_s),
                who,
                text: said.text,
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Duration, builtin};

    fn crossed(at_s: u64, metric: &str, line: Threshold, rising: bool) -> Entry {
        Entry {
            at: Duration::from_secs(at_s),
            event: Event::MetricCrossed {
                metric: metric.into(),
                line,
                rising,
            },
        }
    }

    #[test]
    fn a_metric_flapping_around_a_line_is_one_line_with_a_count() {
        // edge-waf-regex starts at 14:40 Europe/London.
        let scenario = builtin::load("edge-waf-regex").expect("built-in");
        let journal = [
            crossed(600, "edge-5xx", Threshold::Warning, true),
            crossed(660, "edge-5xx", Threshold::Warning, false),
            // Another line of the same metric, and another metric, stay apart.
            crossed(700, "edge-5xx", Threshold::Critical, true),
            crossed(720, "ttfb", Threshold::Warning, true),
            crossed(780, "edge-5xx", Threshold::Warning, true),
            crossed(840, "edge-5xx", Threshold::Warning, false),
            // Twenty quiet minutes later it is news again.
            crossed(2100, "edge-5xx", Threshold::Warning, true),
        ];
        let lines: Vec<(String, String)> = timeline(&scenario, &journal)
            .into_iter()
            .map(|l| (l.clock, l.text))
            .collect();
        let expected = [
            (
                "14:50:00",
                "edge-5xx crosses its warning line 4 times until 14:54:00, ending below it",
            ),
            ("14:51:40", "edge-5xx rises above its critical line"),
            ("14:52:00", "ttfb rises above its warning line"),
            ("15:15:00", "edge-5xx rises above its warning line"),
        ]
        .map(|(clock, text)| (clock.to_string(), text.to_string()));
        assert_eq!(lines, expected);
    }
}
