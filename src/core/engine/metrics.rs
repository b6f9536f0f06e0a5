//! Metric series: a scripted level (baseline, then steps and ramps from effects) plus
//! seeded noise, sampled on a fixed sim-time grid; and [`LineWatch`], which turns the
//! samples into the crossings of a warning or critical line that the journal records.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::scenario::Metric;

/// Sim seconds between two samples of every metric.
pub const SAMPLE_EVERY: u64 = 5;

/// A line's crossings are journaled at least this many sim seconds apart.
pub const CROSSING_QUIET: u64 = 60;

/// Which side of one warning or critical line the journal says a metric is on.
///
/// A sample on the other side of the line from the journaled one is a crossing, and
/// is journaled at once if the line's last journaled crossing is at least
/// [`CROSSING_QUIET`] old. Sooner, it waits: the first sample after the quiet window
/// that is still on the other side is journaled then. So crossings alternate above and
/// below, noise bouncing around a line gives at most one crossing per quiet window,
/// and once a metric has stayed on one side for the quiet window the journal has it
/// on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineWatch {
    /// The journaled side.
    above: bool,
    /// When that side was journaled; `None` for the side of the first sample.
    since: Option<u64>,
}

impl LineWatch {
    /// Starts on the side of the first sample, which is not a crossing.
    pub fn new(above: bool) -> Self {
        LineWatch { above, since: None }
    }

    /// Takes the sample at `t`, above the line or not: `Some(rising)` when the journal
    /// should record a crossing now.
    pub fn observe(&mut self, t: u64, above: bool) -> Option<bool> {
        let quiet = self
            .since
            .is_none_or(|since| t.saturating_sub(since) >= CROSSING_QUIET);
        (above != self.above && quiet).then(|| {
            *self = LineWatch {
                above,
                since: Some(t),
            };
            above
        })
    }
}

/// A straight line from `from` at `start` to `to` at `end`, flat afterwards.
#[derive(Debug, Clone, Copy)]
struct Segment {
    start: u64,
    end: u64,
    from: f64,
    to: f64,
}

#[derive(Debug, Clone)]
pub struct MetricSeries {
    pub id: String,
    baseline: f64,
    noise: f64,
    min: f64,
    max: f64,
    segment: Segment,
    /// `(sim second, value)`, one per grid point so far.
    pub samples: Vec<(u64, f64)>,
}

impl MetricSeries {
    pub fn new(metric: &Metric) -> Self {
        MetricSeries {
            id: metric.id.clone(),
            baseline: metric.baseline,
            noise: metric.noise,
            min: metric.min.unwrap_or(f64::NEG_INFINITY),
            max: metric.max.unwrap_or(f64::INFINITY),
            segment: Segment {
                start: 0,
                end: 0,
                from: metric.baseline,
                to: metric.baseline,
            },
            samples: Vec::new(),
        }
    }

    /// The scripted level at `t`, before noise.
    pub fn level(&self, t: u64) -> f64 {
        let s = self.segment;
        if t >= s.end {
            s.to
        } else if t <= s.start {
            s.from
        } else {
            let progress = (t - s.start) as f64 / (s.end - s.start) as f64;
            s.from + (s.to - s.from) * progress
        }
    }

    /// Moves the level linearly from where it is now to `to`, reaching it `over` later.
    pub fn move_to(&mut self, t: u64, to: f64, over: u64) {
        self.segment = Segment {
            start: t,
            end: t + over,
            from: self.level(t),
            to,
        };
    }

    pub fn recover(&mut self, t: u64, over: u64) {
        self.move_to(t, self.baseline, over);
    }

    /// Takes the sample for grid point `t`: level plus Gaussian noise, clamped.
    pub fn sample(&mut self, t: u64, rng: &mut ChaCha8Rng) -> f64 {
        // Box–Muller: always draw two uniforms so the stream does not depend on values.
        let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        let u2: f64 = rng.random::<f64>();
        let gaussian = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let value = (self.level(t) + self.noise * gaussian).clamp(self.min, self.max);
        self.samples.push((t, value));
        value
    }

    /// The latest sample taken at or before `t`.
    pub fn value_at(&self, t: u64) -> Option<f64> {
        self.samples
            .iter()
            .rev()
            .find(|&&(at, _)| at <= t)
            .map(|&(_, v)| v)
    }

    /// Whether every sample in the last `for_secs` (up to `t`) passes `test`, and the
    /// samples cover that whole window.
    pub fn held(&self, t: u64, for_secs: u64, test: impl Fn(f64) -> bool) -> bool {
        let Some(window_start) = t.checked_sub(for_secs) else {
            return false; // the drill has not run that long yet
        };
        self.passing(t, test).any(|at| at <= window_start)
    }

    /// Since when every sample up to `t` has passed `test`: the time of the first
    /// sample of that unbroken run; `None` when the latest sample fails (or there is
    /// none).
    pub fn passing_since(&self, t: u64, test: impl Fn(f64) -> bool) -> Option<u64> {
        self.passing(t, test).last()
    }

    /// The times of the samples up to `t`, newest first, as long as they pass `test`.
    fn passing<'a>(
        &'a self,
        t: u64,
        test: impl Fn(f64) -> bool + 'a,
    ) -> impl Iterator<Item = u64> + 'a {
        self.samples
            .iter()
            .rev()
            .skip_while(move |&&(at, _)| at > t)
            .take_while(move |&&(_, value)| test(value))
            .map(|&(at, _)| at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn metric(noise: f64) -> Metric {
        Metric {
            id: "m".into(),
            service: "s".into(),
            name: "M".into(),
            unit: "%".into(),
            baseline: 10.0,
            noise,
            warning: None,
            critical: None,
            min: Some(0.0),
            max: Some(100.0),
        }
    }

    #[test]
    fn ramps_are_linear_and_retargeting_starts_from_the_current_level() {
        let mut m = MetricSeries::new(&metric(0.0));
        m.move_to(100, 50.0, 40);
        assert_eq!(m.level(100), 10.0);
        assert_eq!(m.level(120), 30.0);
        assert_eq!(m.level(200), 50.0);
        m.move_to(120, 0.0, 0); // a step, mid-ramp
        assert_eq!(m.level(120), 0.0);
        m.recover(130, 10);
        assert_eq!(m.level(135), 5.0);
        assert_eq!(m.level(140), 10.0);
    }

    #[test]
    fn samples_are_clamped_and_reproducible() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut a = MetricSeries::new(&metric(500.0));
        let values: Vec<f64> = (0..50)
            .map(|k| a.sample(k * SAMPLE_EVERY, &mut rng))
            .collect();
        assert!(values.iter().all(|v| (0.0..=100.0).contains(v)));
        assert!(values.contains(&0.0) && values.contains(&100.0));
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut b = MetricSeries::new(&metric(500.0));
        let again: Vec<f64> = (0..50)
            .map(|k| b.sample(k * SAMPLE_EVERY, &mut rng))
            .collect();
        assert_eq!(values, again);
    }

    #[test]
    fn held_needs_the_whole_window() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut m = MetricSeries::new(&metric(0.0));
        m.move_to(0, 95.0, 0);
        for k in 0..=6 {
            m.sample(k * SAMPLE_EVERY, &mut rng);
        }
        assert!(m.held(30, 30, |v| v > 90.0));
        assert!(
            !m.held(30, 35, |v| v > 90.0),
            "samples do not reach back 35 s"
        );
        assert!(m.held(30, 0, |v| v > 90.0));
        assert!(!m.held(30, 0, |v| v < 90.0));
    }

    #[test]
    fn passing_since_is_the_start_of_the_latest_unbroken_run() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut m = MetricSeries::new(&metric(0.0));
        m.move_to(0, 95.0, 0);
        for k in 0..=3 {
            m.sample(k * SAMPLE_EVERY, &mut rng); // 0..15: 95
        }
        m.move_to(16, 20.0, 0);
        for k in 4..=5 {
            m.sample(k * SAMPLE_EVERY, &mut rng); // 20, 25: 20
        }
        m.move_to(26, 99.0, 0);
        for k in 6..=8 {
            m.sample(k * SAMPLE_EVERY, &mut rng); // 30..40: 99
        }
        let high = |v: f64| v > 90.0;
        assert_eq!(m.passing_since(40, high), Some(30));
        assert_eq!(m.passing_since(15, high), Some(0));
        assert_eq!(m.passing_since(25, high), None);
        assert_eq!(m.passing_since(25, |v| v < 90.0), Some(20));
        assert!(m.held(40, 10, high) && !m.held(40, 11, high));
    }

    mod line_watch {
        use super::super::{CROSSING_QUIET, LineWatch, SAMPLE_EVERY};
        use proptest::prelude::*;

        /// Feeds one side per sample (the first starts the watch) and returns the
        /// journaled crossings as (sample time, rising).
        fn journaled(sides: &[bool]) -> Vec<(u64, bool)> {
            let mut watch = LineWatch::new(sides[0]);
            (1..sides.len() as u64)
                .filter_map(|k| {
                    let t = k * SAMPLE_EVERY;
                    watch
                        .observe(t, sides[k as usize])
                        .map(|rising| (t, rising))
                })
                .collect()
        }

        #[test]
        fn the_journal_ends_on_the_side_the_metric_stays_on() {
            // Below, up at 5 s, down at 10 s, up again at 20 s for good: the old
            // per-direction window journaled the rise and the fall, dropped the second
            // rise, and ended "below" while the metric stayed above.
            let mut sides = vec![false, true, false, false, true];
            sides.extend([true; 20]);
            assert_eq!(journaled(&sides), [(5, true)]);
            // Down for good at 10 s: the fall waits for the quiet window, then shows.
            let mut sides = vec![false, true, false];
            sides.extend([false; 20]);
            assert_eq!(journaled(&sides), [(5, true), (65, false)]);
        }

        #[test]
        fn the_first_crossing_is_journaled_at_once() {
            assert_eq!(journaled(&[true, true, false, false]), [(10, false)]);
            assert_eq!(journaled(&[true, true, true]), []);
        }

        proptest! {
            #[test]
            fn crossings_alternate_and_the_journal_follows_a_side_that_holds(
                sides in proptest::collection::vec(any::<bool>(), 2..200),
                settle in any::<bool>(),
            ) {
                let mut sides = sides;
                // End with the quiet window (and one sample more) on one side.
                let held = (CROSSING_QUIET / SAMPLE_EVERY + 1) as usize;
                sides.extend(std::iter::repeat_n(settle, held));
                let crossings = journaled(&sides);
                let mut side = sides[0];
                let mut last_at = None;
                for &(t, rising) in &crossings {
                    prop_assert_ne!(rising, side, "crossings alternate");
                    prop_assert!(last_at.is_none_or(|l| t - l >= CROSSING_QUIET));
                    side = rising;
                    last_at = Some(t);
                }
                prop_assert_eq!(side, settle, "the last journaled side is the side that held");
                // And it holds at every moment the side had held for the window.
                let mut journal_side = sides[0];
                let mut next = crossings.iter().peekable();
                for k in 0..sides.len() {
                    let t = k as u64 * SAMPLE_EVERY;
                    while let Some(&&(at, rising)) = next.peek() && at <= t {
                        journal_side = rising;
                        next.next();
                    }
                    if k >= held - 1 && sides[k + 1 - held..=k].iter().all(|&s| s == sides[k]) {
                        prop_assert_eq!(journal_side, sides[k], "at {}s", t);
                    }
                }
            }
        }
    }
}
