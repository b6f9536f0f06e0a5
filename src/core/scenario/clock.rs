//! The scenario's wall clock: sim seconds from the start, shown as the time of day in
//! the scenario's time zone (and in UTC for postmortems read across time zones).

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use super::{Duration, Scenario};

impl Scenario {
    /// The wall-clock time of a sim second, in the scenario's time zone; `None` when
    /// `starts_at` or `time_zone` cannot be read (the validator rejects both).
    pub fn wall_clock(&self, at: Duration) -> Option<DateTime<chrono_tz::Tz>> {
        let start: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(&self.starts_at).ok()?;
        let zone: chrono_tz::Tz = self.time_zone.parse().ok()?;
        let at = start + TimeDelta::seconds(i64::try_from(at.as_secs()).ok()?);
        Some(at.with_timezone(&zone))
    }

    /// `HH:MM` in the scenario's time zone, or the sim time when there is no clock.
    pub fn clock(&self, at_s: u64) -> String {
        self.format_clock(at_s, "%H:%M")
    }

    /// `HH:MM:SS` in the scenario's time zone, or the sim time when there is no clock.
    pub fn clock_seconds(&self, at_s: u64) -> String {
        self.format_clock(at_s, "%H:%M:%S")
    }

    /// `HH:MM:SS` in UTC, or the sim time when there is no clock.
    pub fn clock_utc(&self, at_s: u64) -> String {
        let at = Duration::from_secs(at_s);
        self.wall_clock(at).map_or_else(
            || at.to_string(),
            |t| t.with_timezone(&Utc).format("%H:%M:%S").to_string(),
        )
    }

    fn format_clock(&self, at_s: u64, format: &str) -> String {
        let at = Duration::from_secs(at_s);
        self.wall_clock(at)
            .map_or_else(|| at.to_string(), |t| t.format(format).to_string())
    }
}
