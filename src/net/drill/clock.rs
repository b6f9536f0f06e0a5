//! The drill host's clock: the lobby, pause and speed, and how much sim time real time
//! buys (real time × speed, whole sim seconds, the fraction kept for later, as
//! `firedrill_core::session::Session::pass` does for solo play).

use firedrill_core::scenario::Duration;
use firedrill_core::session::SPEED_RANGE;

use super::protocol::Clock;

/// Whether the clock runs, and how fast; the sim second itself is the engine's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DrillClock {
    pub lobby: bool,
    pub paused: bool,
    speed: f64,
    /// Sim time owed to the engine, in seconds, not yet a whole second.
    carry: f64,
}

impl DrillClock {
    /// A clock in the lobby at `speed` (clamped like the app's).
    pub fn new(speed: f64) -> Self {
        let mut clock = DrillClock {
            lobby: true,
            paused: false,
            speed: 1.0,
            carry: 0.0,
        };
        clock.set_speed(speed);
        clock
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Sets the speed, clamped to [`SPEED_RANGE`]; a speed that is not a number is
    /// ignored. Returns whether it changed.
    pub fn set_speed(&mut self, speed: f64) -> bool {
        if !speed.is_finite() {
            return false;
        }
        let (slowest, fastest) = SPEED_RANGE;
        let speed = speed.clamp(slowest, fastest);
        let changed = speed != self.speed;
        self.speed = speed;
        changed
    }

    pub fn running(&self) -> bool {
        !self.lobby && !self.paused
    }

    /// Lets `real` time pass; returns the whole sim seconds it buys (none in the lobby
    /// or while paused).
    pub fn pass(&mut self, real: std::time::Duration) -> u64 {
        if !self.running() {
            return 0;
        }
        self.carry += real.as_secs_f64() * self.speed;
        let whole = self.carry.floor();
        self.carry -= whole;
        whole as u64
    }

    /// The clock as the protocol sends it, at the engine's next second.
    pub fn message(&self, next: Duration) -> Clock {
        Clock {
            next,
            paused: self.paused,
            speed: self.speed,
            lobby: self.lobby,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_passes_only_when_started_and_not_paused_keeping_fractions() {
        let mut clock = DrillClock::new(2.5);
        let ms = std::time::Duration::from_millis;
        assert_eq!(clock.pass(ms(1000)), 0, "the lobby holds the clock");
        clock.lobby = false;
        assert_eq!(clock.pass(ms(1000)), 2); // 2.5 s: 2 now, 0.5 kept
        assert_eq!(clock.pass(ms(200)), 1); // 0.5 + 0.5
        clock.paused = true;
        assert_eq!(clock.pass(ms(10_000)), 0);
        clock.paused = false;
        assert!(!clock.set_speed(f64::NAN));
        assert!(clock.set_speed(1000.0));
        assert_eq!(clock.speed(), 100.0);
        assert_eq!(clock.pass(ms(100)), 10);
    }
}
