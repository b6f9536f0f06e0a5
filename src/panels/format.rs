//! Times and durations as the panels print them.

/// `12:05` for 725 seconds; hours when needed (`1:02:05`).
pub fn stopwatch(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `12m 05s`, `1h 02m`, `45s`: a duration in words for summaries.
pub fn span(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s:02}s"),
        _ => format!("{h}h {m:02}m"),
    }
}

/// A milestone that may not have been reached: `—` when it was not.
pub fn maybe_span(secs: Option<u64>) -> String {
    secs.map_or_else(|| "—".to_string(), span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_a_stopwatch_and_like_words() {
        assert_eq!(stopwatch(725), "12:05");
        assert_eq!(stopwatch(3725), "1:02:05");
        assert_eq!(span(45), "45s");
        assert_eq!(span(725), "12m 05s");
        assert_eq!(span(3725), "1h 02m");
        assert_eq!(maybe_span(None), "—");
    }
}
