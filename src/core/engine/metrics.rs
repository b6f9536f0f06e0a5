//! Metric series: a scripted level (baseline, then steps and ramps from effects) plus
//! seeded noise, sampled on a fixed sim-time grid.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::scenario::Metric;

/// Sim seconds between two samples of every metric.
pub const SAMPLE_EVERY: u64 = 5;

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

    pub fn latest(&self) -> Option<f64> {
        self.samples.last().map(|&(_, v)| v)
    }

    /// Whether every sample in the last `for_secs` (up to `t`) passes `test`, and the
    /// samples cover that whole window.
    pub fn held(&self, t: u64, for_secs: u64, test: impl Fn(f64) -> bool) -> bool {
        let Some(window_start) = t.checked_sub(for_secs) else {
            return false; // the drill has not run that long yet
        };
        for &(at, value) in self.samples.iter().rev() {
            if at > t {
                continue;
            }
            if !test(value) {
                return false;
            }
            if at <= window_start {
                return true;
            }
        }
        false
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
}
