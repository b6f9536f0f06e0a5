//! Human-readable durations ("90s", "4m", "1h30m") used for every time in a scenario.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative span of simulated time, with one-second resolution.
///
/// Scenario times are offsets from the scenario start, written as a string of
/// `<number><unit>` parts with units `h`, `m` and `s`: `"90s"`, `"4m"`, `"1h30m"`, `"0s"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(u64);

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub const fn from_secs(secs: u64) -> Self {
        Duration(secs)
    }

    pub const fn from_mins(mins: u64) -> Self {
        Duration(mins * 60)
    }

    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// A time that may not have been reached, for people: `secs` in a duration's words
    /// (`12m5s`), or `missing` (`—`, `not reached`) when there is none. Every duration
    /// shown to a person goes through [`Duration`]'s `Display`, most of them through
    /// this.
    pub fn words_or(secs: Option<u64>, missing: &str) -> String {
        secs.map_or_else(|| missing.to_string(), |s| Duration(s).to_string())
    }

    pub fn saturating_add(self, other: Duration) -> Duration {
        Duration(self.0.saturating_add(other.0))
    }
}

/// Why a duration string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("empty duration: write e.g. \"90s\", \"4m\" or \"1h30m\"")]
    Empty,
    #[error("negative duration \"{0}\": times are offsets after the scenario start")]
    Negative(String),
    #[error("invalid duration \"{0}\": write e.g. \"90s\", \"4m\" or \"1h30m\" (units h, m, s)")]
    Invalid(String),
    #[error("duration \"{0}\" is too large")]
    TooLarge(String),
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(DurationError::Empty);
        }
        if trimmed.starts_with('-') {
            return Err(DurationError::Negative(text.to_string()));
        }
        let invalid = || DurationError::Invalid(text.to_string());
        let mut total: u64 = 0;
        let mut digits = String::new();
        let mut last_unit_rank = 0;
        for ch in trimmed.chars() {
            if ch.is_ascii_digit() {
                digits.push(ch);
                continue;
            }
            let (rank, factor) = match ch {
                'h' => (1, 3600),
                'm' => (2, 60),
                's' => (3, 1),
                _ => return Err(invalid()),
            };
            // Units must come in order h, m, s, each at most once, each after a number.
            if digits.is_empty() || rank <= last_unit_rank {
                return Err(invalid());
            }
            last_unit_rank = rank;
            let value: u64 = digits
                .parse()
                .map_err(|_| DurationError::TooLarge(text.to_string()))?;
            total = value
                .checked_mul(factor)
                .and_then(|part| total.checked_add(part))
                .ok_or_else(|| DurationError::TooLarge(text.to_string()))?;
            digits.clear();
        }
        if !digits.is_empty() {
            return Err(invalid());
        }
        Ok(Duration(total))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if self.0 == 0 {
            return f.write_str("0s");
        }
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        if s > 0 {
            write!(f, "{s}s")?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_forms() {
        assert_eq!("90s".parse(), Ok(Duration::from_secs(90)));
        assert_eq!("4m".parse(), Ok(Duration::from_mins(4)));
        assert_eq!("1h30m".parse(), Ok(Duration::from_mins(90)));
        assert_eq!("2h0m5s".parse(), Ok(Duration::from_secs(7205)));
        assert_eq!("0s".parse(), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_malformed_text_with_a_reason() {
        assert_eq!("".parse::<Duration>(), Err(DurationError::Empty));
        assert!(matches!(
            "-5m".parse::<Duration>(),
            Err(DurationError::Negative(_))
        ));
        for bad in ["5", "m", "5x", "5m1h", "5m5m", "1.5h", "5 m"] {
            assert!(
                matches!(bad.parse::<Duration>(), Err(DurationError::Invalid(_))),
                "{bad:?} should be invalid"
            );
        }
        assert!(matches!(
            "99999999999999999999h".parse::<Duration>(),
            Err(DurationError::TooLarge(_))
        ));
    }

    #[test]
    fn display_round_trips() {
        for secs in [0, 1, 59, 60, 61, 3600, 3661, 5400, 86_400] {
            let d = Duration::from_secs(secs);
            assert_eq!(d.to_string().parse(), Ok(d));
        }
        assert_eq!(Duration::from_mins(90).to_string(), "1h30m");
    }

    #[test]
    fn durations_read_as_scenario_files_write_them() {
        let words = |secs| Duration::words_or(secs, "—");
        assert_eq!(words(Some(0)), "0s");
        assert_eq!(words(Some(45)), "45s");
        assert_eq!(words(Some(120)), "2m");
        assert_eq!(words(Some(725)), "12m5s");
        assert_eq!(words(Some(3600)), "1h");
        assert_eq!(words(Some(3725)), "1h2m5s");
        assert_eq!(words(Some(5400)), "1h30m");
        assert_eq!(words(None), "—");
        assert_eq!(Duration::words_or(None, "not reached"), "not reached");
    }
}
