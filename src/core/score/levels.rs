//! The scripted level of every metric over a run, before the seeded noise: what was
//! really true at a moment, as opposed to what one noisy dashboard sample showed.
//! Rebuilt from the journal by applying the metric effects of the injects,
//! investigations and remediations it records, in the order the engine applied them.

use std::collections::BTreeSet;

use crate::engine::journal::{Entry, Event};
use crate::engine::metrics::{MetricSeries, SAMPLE_EVERY};
use crate::scenario::{Effect, Metric, Scenario};

pub struct Levels<'a> {
    scenario: &'a Scenario,
    /// Per metric, in the scenario's order: each course the level took and the second
    /// it took it from (a later course replaces an earlier one).
    courses: Vec<Vec<(u64, MetricSeries)>>,
}

impl<'a> Levels<'a> {
    pub fn new(scenario: &'a Scenario, journal: &[Entry]) -> Levels<'a> {
        let mut levels = Levels {
            scenario,
            courses: scenario
                .world
                .metrics
                .iter()
                .map(|m| vec![(0, MetricSeries::new(m))])
                .collect(),
        };
        let mut fired = BTreeSet::new();
        for entry in journal {
            let t = entry.at.as_secs();
            let effects = match &entry.event {
                // An inject fired by another's `Trigger` was applied with it.
                Event::InjectFired(id) => scenario
                    .injects
                    .iter()
                    .find(|i| &i.id == id)
                    .filter(|i| fired.insert(i.id.as_str()))
                    .map(|i| &i.effects),
                Event::InvestigationDone { id, .. } => scenario
                    .investigations
                    .iter()
                    .find(|i| &i.id == id)
                    .map(|i| &i.effects),
                Event::RemediationDone(id) => scenario
                    .remediations
                    .iter()
                    .find(|r| &r.id == id)
                    .map(|r| &r.effects),
                _ => None,
            };
            if let Some(effects) = effects {
                levels.apply(t, effects, &mut fired);
            }
        }
        levels
    }

    fn apply(&mut self, t: u64, effects: &'a [Effect], fired: &mut BTreeSet<&'a str>) {
        for effect in effects {
            // The level to head for and how long it takes to get there.
            let (metric, to, over) = match effect {
                Effect::Step { metric, to } => (metric, Some(*to), 0),
                Effect::Ramp { metric, to, over } => (metric, Some(*to), over.as_secs()),
                Effect::Recover { metric, over } => (metric, None, over.as_secs()),
                Effect::Trigger(id) => {
                    if let Some(inject) = self.scenario.injects.iter().find(|i| &i.id == id)
                        && fired.insert(inject.id.as_str())
                    {
                        self.apply(t, &inject.effects, fired);
                    }
                    continue;
                }
                _ => continue,
            };
            if let Some(i) = self.index(metric) {
                let mut series = self.series_at(i, t).clone();
                match to {
                    Some(to) => series.move_to(t, to, over),
                    None => series.recover(t, over),
                }
                self.courses[i].push((t, series));
            }
        }
    }

    fn index(&self, metric: &str) -> Option<usize> {
        self.scenario
            .world
            .metrics
            .iter()
            .position(|m| m.id == metric)
    }

    fn series_at(&self, i: usize, t: u64) -> &MetricSeries {
        let courses = &self.courses[i];
        let n = courses.partition_point(|(from, _)| *from <= t);
        &courses[n.max(1) - 1].1
    }

    pub fn metric(&self, id: &str) -> Option<&'a Metric> {
        self.scenario.world.metrics.iter().find(|m| m.id == id)
    }

    /// The level of `metric` at `t`, within the metric's bounds.
    pub fn at(&self, metric: &str, t: u64) -> Option<f64> {
        let i = self.index(metric)?;
        Some(clamp(
            &self.scenario.world.metrics[i],
            self.series_at(i, t).level(t),
        ))
    }

    /// Where `metric` is heading at `t`: the level it reaches if nothing else happens.
    pub fn heading(&self, metric: &str, t: u64) -> Option<f64> {
        let i = self.index(metric)?;
        Some(clamp(
            &self.scenario.world.metrics[i],
            self.series_at(i, t).level(u64::MAX),
        ))
    }

    /// The lowest and highest level of `metric` from `from` to `to`, on the sample grid
    /// and at both ends.
    pub fn range(&self, metric: &str, from: u64, to: u64) -> Option<(f64, f64)> {
        let grid = (from.div_ceil(SAMPLE_EVERY) * SAMPLE_EVERY..=to).step_by(SAMPLE_EVERY as usize);
        let mut values = [from, to]
            .into_iter()
            .chain(grid)
            .map(|t| self.at(metric, t));
        let first = values.next()??;
        values.try_fold((first, first), |(lo, hi), v| {
            let v = v?;
            Some((lo.min(v), hi.max(v)))
        })
    }
}

fn clamp(metric: &Metric, value: f64) -> f64 {
    value.clamp(
        metric.min.unwrap_or(f64::NEG_INFINITY),
        metric.max.unwrap_or(f64::INFINITY),
    )
}
