//! Outages of the tools responders rely on: telemetry (metrics, dashboards, alert
//! rules) gone dark, and the public status page down. The engine switches them on
//! `Dark`/`Light` and `StatusPageDown`/`StatusPageUp` effects; the war room reads what
//! is dark to draw gaps and "no data", and the alerts stay frozen while dark.
//!
//! The truth does not go dark: metric samples are still taken, and conditions
//! (`Above`, `Below`, `impact_ends_when`) read the true values. Only what people see
//! and what alert rules do is affected.

use std::collections::BTreeMap;

use crate::scenario::TelemetryKind;

/// A span of sim seconds something was dark: from `from`, until `to` (still dark
/// when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: u64,
    pub to: Option<u64>,
}

impl Period {
    /// Whether a sample taken at `t` fell in the dark.
    pub fn covers(&self, t: u64) -> bool {
        t >= self.from && self.to.is_none_or(|to| t < to)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Outages {
    /// Every dark period so far, by (kind, id), oldest first.
    dark: BTreeMap<(TelemetryKind, String), Vec<Period>>,
    /// Since when the public status page is down, if it is.
    pub status_page_down: Option<u64>,
}

impl Outages {
    /// Makes `id` dark from `t`; false if it already was.
    pub fn go_dark(&mut self, kind: TelemetryKind, id: &str, t: u64) -> bool {
        let periods = self.dark.entry((kind, id.to_string())).or_default();
        if periods.last().is_some_and(|p| p.to.is_none()) {
            return false;
        }
        periods.push(Period { from: t, to: None });
        true
    }

    /// Brings `id` back at `t`; false if it was not dark.
    pub fn light(&mut self, kind: TelemetryKind, id: &str, t: u64) -> bool {
        match self
            .dark
            .get_mut(&(kind, id.to_string()))
            .and_then(|periods| periods.last_mut())
        {
            Some(period) if period.to.is_none() => {
                period.to = Some(t);
                true
            }
            _ => false,
        }
    }

    /// The periods `id` has been dark, oldest first.
    pub fn periods(&self, kind: TelemetryKind, id: &str) -> &[Period] {
        self.dark
            .get(&(kind, id.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Since when `id` is dark now, if it is.
    pub fn dark_since(&self, kind: TelemetryKind, id: &str) -> Option<u64> {
        self.periods(kind, id)
            .last()
            .filter(|p| p.to.is_none())
            .map(|p| p.from)
    }

    /// Whether the status page can be updated.
    pub fn status_page_up(&self) -> bool {
        self.status_page_down.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_and_light_keep_every_period_and_ignore_repeats() {
        let mut o = Outages::default();
        assert!(o.go_dark(TelemetryKind::Metric, "m", 60));
        assert!(!o.go_dark(TelemetryKind::Metric, "m", 90), "already dark");
        assert_eq!(o.dark_since(TelemetryKind::Metric, "m"), Some(60));
        assert_eq!(o.dark_since(TelemetryKind::Alert, "m"), None, "kinds apart");
        assert!(o.light(TelemetryKind::Metric, "m", 120));
        assert!(!o.light(TelemetryKind::Metric, "m", 130), "not dark");
        assert!(o.go_dark(TelemetryKind::Metric, "m", 300));
        assert_eq!(
            o.periods(TelemetryKind::Metric, "m"),
            [
                Period {
                    from: 60,
                    to: Some(120)
                },
                Period {
                    from: 300,
                    to: None
                }
            ]
        );
        let first = o.periods(TelemetryKind::Metric, "m")[0];
        assert!(!first.covers(55) && first.covers(60) && first.covers(115));
        assert!(!first.covers(120), "the sample at the light is seen");
    }
}
