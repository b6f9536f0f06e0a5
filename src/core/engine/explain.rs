//! Why a scenario condition does not hold, in words a trainee can check against the
//! dashboards: each metric the condition reads, with its true value and what the
//! condition asks of it.

use super::state::State;
use crate::scenario::{Condition, Duration};

impl State {
    /// Why `condition` does not hold at sim second `t`: one phrase per part that
    /// fails, each metric named with its latest value up to `t`. Empty when it holds.
    pub fn unmet(&self, condition: &Condition, t: u64) -> Vec<String> {
        if self.holds_at(condition, t) {
            return Vec::new();
        }
        let scenario = &self.scenario;
        let phrase = match condition {
            Condition::All(list) => return list.iter().flat_map(|c| self.unmet(c, t)).collect(),
            Condition::Any(list) => list
                .iter()
                .map(|c| self.unmet(c, t).join(" and "))
                .collect::<Vec<_>>()
                .join("; or "),
            Condition::Above {
                metric,
                value,
                for_at_least,
            } => self.metric_unmet(metric, *value, *for_at_least, t, true),
            Condition::Below {
                metric,
                value,
                for_at_least,
            } => self.metric_unmet(metric, *value, *for_at_least, t, false),
            Condition::After(at) => format!("it is not {} yet", scenario.clock(at.as_secs())),
            Condition::Acknowledged => "nobody has acknowledged the incident".into(),
            Condition::Declared => "the incident has not been declared".into(),
            Condition::Reached(_) => {
                "the incident has not reached the state the scenario waits for".into()
            }
            Condition::StatusSent { .. } => {
                "the status update the scenario waits for has not gone out".into()
            }
            Condition::Resolved => "the incident has not been resolved".into(),
            Condition::ImpactOver => "customer impact has not ended".into(),
            Condition::Investigated(id) => {
                let label = scenario.investigation_label(id);
                format!("the investigation \"{label}\" has not finished")
            }
            Condition::Started(id) => {
                let label = scenario.remediation_label(id);
                format!("the remediation \"{label}\" has not been started")
            }
            Condition::Remediated(id) => {
                let label = scenario.remediation_label(id);
                format!("the remediation \"{label}\" has not finished")
            }
            Condition::Paged(team) => {
                format!("{} has not been paged", scenario.team_name(team))
            }
            Condition::Joined(team) => {
                format!("{} has not joined the war room", scenario.team_name(team))
            }
            Condition::Since { what, for_at_least } => match self.happened_at(what) {
                None => return self.unmet(what, t),
                Some(at) => format!(
                    "only {} of the {for_at_least} the scenario waits for have passed",
                    Duration::from_secs(t.saturating_sub(at))
                ),
            },
            Condition::Firing(alert) => {
                let name = scenario.alert_name(alert);
                format!("the alert \"{name}\" is not firing")
            }
            // Injects and flags are the scenario's hidden machinery.
            Condition::Fired(_) | Condition::Flag(_) | Condition::Not(_) => {
                "something the scenario waits for has not happened yet".into()
            }
        };
        vec![phrase]
    }

    /// "Edge 5xx rate is at 14.2%, and must stay below 2% for 2m", or "... has been
    /// below 2% for only 40s, and must stay there for 2m".
    fn metric_unmet(&self, id: &str, line: f64, hold: Duration, t: u64, above: bool) -> String {
        let spec = self.scenario.world.metrics.iter().find(|m| m.id == id);
        let name = spec.map_or(id, |m| m.name.as_str());
        let unit = spec.map_or("", |m| m.unit.as_str());
        let side = if above { "above" } else { "below" };
        let decimals = decimals(line);
        let line_text = amount(line, decimals, unit);
        let passes = |v: f64| if above { v > line } else { v < line };
        let needs = if hold.as_secs() == 0 {
            format!("must be {side} {line_text}")
        } else {
            format!("must stay {side} {line_text} for {hold}")
        };
        let Some(series) = self.metric(id) else {
            return format!("{name} is not measured, and {needs}");
        };
        match (series.value_at(t), series.passing_since(t, passes)) {
            (None, _) => format!("{name} has no reading yet, and {needs}"),
            (Some(_), Some(since)) => format!(
                "{name} has been {side} {line_text} for only {}, and must stay there for {hold}",
                Duration::from_secs(t - since)
            ),
            (Some(value), None) => {
                format!(
                    "{name} is at {}, and {needs}",
                    amount(value, decimals + 1, unit)
                )
            }
        }
    }
}

/// What the scenario calls the item with this id (the id itself if there is none).
/// How many decimals `value` is written with: 2 for 99.95, 0 for 2.0.
fn decimals(value: f64) -> usize {
    let text = value.to_string();
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len())
}

/// "14.2%", "612.3 hosts", "4.0/min".
fn amount(value: f64, decimals: usize, unit: &str) -> String {
    let number = format!("{value:.decimals$}");
    if unit.is_empty() || unit == "%" || unit.starts_with('/') {
        format!("{number}{unit}")
    } else {
        format!("{number} {unit}")
    }
}
