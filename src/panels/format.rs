//! Durations as the panels print them: in [`Duration`]'s own words (`12m5s`, the
//! notation of scenario files, the CLI and the postmortem), or `—` for a milestone
//! that was not reached.

use firedrill_core::scenario::Duration;

/// `12m5s`, or `—` when the milestone was not reached.
pub fn maybe_duration(secs: Option<u64>) -> String {
    secs.map_or_else(|| "—".to_string(), |s| Duration::from_secs(s).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_scenario_files_write_them() {
        assert_eq!(maybe_duration(Some(45)), "45s");
        assert_eq!(maybe_duration(Some(725)), "12m5s");
        assert_eq!(maybe_duration(Some(3725)), "1h2m5s");
        assert_eq!(maybe_duration(None), "—");
    }
}
