//! A live run: the engine driven by real time at a chosen speed, pausable, with the
//! trainee's accepted inputs recorded as an [`InputFile`], so that any live run (the
//! war room, a future network drill) replays headless with `firedrill run` and gives
//! the same journal and scores.
//!
//! An input takes effect at the engine's next unprocessed second and is recorded with
//! that time; replaying the recording queues it for the same second, where the engine
//! applies it in the same order (inputs before bots), so live and replayed runs match
//! however the frames fell.

use std::sync::Arc;

use crate::engine::action::{Action, Actor, Input, Role};
use crate::engine::journal::Event;
use crate::engine::{Engine, SubmitError};
use crate::inputs::{InputFile, TimedAction};
use crate::scenario::{Duration, Scenario};

/// The speeds the war room offers: sim seconds per real second.
pub const SPEEDS: [f64; 4] = [1.0, 2.0, 5.0, 10.0];

/// The slowest and fastest speed a session accepts.
pub const SPEED_RANGE: (f64, f64) = (0.1, 100.0);

/// A run picked up again ([`Session::resume`]), and the recorded inputs it did not carry
/// out.
pub struct Resumed {
    pub session: Session,
    /// In sim-time order.
    pub refused: Vec<Refused>,
}

/// A recorded input that a resumed run did not carry out.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    /// When it was recorded.
    pub at: Duration,
    pub action: Action,
    pub reason: Refusal,
}

/// Why a resumed run did not carry out a recorded input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// The engine refused it when it fell due, and journaled why.
    #[error("{0}")]
    Refused(String),
    /// The engine did not take it at all: the run had already ended.
    #[error("{0}")]
    NotTaken(SubmitError),
}

/// "at 12m: could not investigate: there is no investigation \"x\"".
impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "at {}: could not {}: {}",
            self.at,
            self.action.name(),
            self.reason
        )
    }
}

pub struct Session {
    engine: Engine,
    role: Role,
    recording: InputFile,
    speed: f64,
    paused: bool,
    /// Sim time owed to the engine, in seconds, not yet a whole second.
    carry: f64,
}

impl Session {
    /// A run where the trainee plays `role` and bots play the rest.
    pub fn new(scenario: Arc<Scenario>, seed: u64, role: Role, trainee: Option<String>) -> Self {
        let engine = Engine::new(scenario, seed, &[role]);
        Session::around(engine, role, trainee)
    }

    /// A run picked up again after the app stopped: the recorded inputs are replayed,
    /// each submitted when the engine reaches its second as it was live, up to and
    /// including the second of the last one, and the clock stands paused there, where
    /// the trainee left off. The inputs the replay did not carry out are returned, not
    /// dropped: on the scenario the run was played on they are the refusals the trainee
    /// saw live; on a changed scenario there can be more.
    pub fn resume(scenario: Arc<Scenario>, seed: u64, recorded: &InputFile) -> Resumed {
        let after_last = recorded.actions.last().map_or(Duration::ZERO, |last| {
            Duration::from_secs(last.at.as_secs() + 1)
        });
        Session::replay_until(scenario, seed, recorded, after_last)
    }

    /// A run played again from its start up to sim time `at` and paused there, to be
    /// played on differently ("retry from here"): the recorded inputs that took effect
    /// before `at` are replayed as in [`Session::resume`], the later ones are not, and
    /// the next input takes effect at `at`. The refusals are those of the replayed part.
    pub fn branch(
        scenario: Arc<Scenario>,
        seed: u64,
        recorded: &InputFile,
        at: Duration,
    ) -> Resumed {
        Session::replay_until(scenario, seed, &recorded.before(at), at)
    }

    /// Replays `recorded` with every second before `until` processed, then pauses.
    fn replay_until(
        scenario: Arc<Scenario>,
        seed: u64,
        recorded: &InputFile,
        until: Duration,
    ) -> Resumed {
        let mut session = Session::new(scenario, seed, recorded.role, recorded.trainee.clone());
        let mut not_taken = Vec::new();
        for timed in &recorded.actions {
            if let Some(before) = timed.at.as_secs().checked_sub(1) {
                session.engine.advance_to(Duration::from_secs(before));
            }
            if let Err(error) = session.submit(timed.action.clone()) {
                not_taken.push(Refused {
                    at: timed.at,
                    action: timed.action.clone(),
                    reason: Refusal::NotTaken(error),
                });
            }
        }
        if let Some(last) = until.as_secs().checked_sub(1) {
            session.fast_forward_to(Duration::from_secs(last));
        }
        session.paused = true;
        let mut refused: Vec<Refused> = session
            .engine
            .journal()
            .iter()
            .filter_map(|entry| match &entry.event {
                Event::Refused {
                    actor: Actor::Trainee(_),
                    action,
                    reason,
                } => Some(Refused {
                    at: entry.at,
                    action: action.clone(),
                    reason: Refusal::Refused(reason.clone()),
                }),
                _ => None,
            })
            .collect();
        // Inputs are only not taken once the run is over, after every refusal.
        refused.append(&mut not_taken);
        Resumed { session, refused }
    }

    /// A run watched from `role`'s seat while bots play every role, the trainee's
    /// included: for demonstrations and screenshots. Inputs are refused.
    pub fn spectate(scenario: Arc<Scenario>, seed: u64, role: Role) -> Self {
        let engine = Engine::new(scenario, seed, &[]);
        Session::around(engine, role, None)
    }

    fn around(engine: Engine, role: Role, trainee: Option<String>) -> Self {
        let recording = InputFile {
            scenario: engine.scenario().id.clone(),
            role,
            trainee,
            actions: Vec::new(),
        };
        Session {
            engine,
            role,
            recording,
            speed: 1.0,
            paused: false,
            carry: 0.0,
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The trainee's accepted inputs so far, as an input file.
    pub fn recording(&self) -> &InputFile {
        &self.recording
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Sets the speed, clamped to [`SPEED_RANGE`].
    pub fn set_speed(&mut self, speed: f64) {
        let (slowest, fastest) = SPEED_RANGE;
        self.speed = if speed.is_finite() {
            speed.clamp(slowest, fastest)
        } else {
            1.0
        };
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
    }

    /// The run has ended, or only its last second, which takes no input, is left.
    pub fn is_over(&self) -> bool {
        self.engine.outcome().is_some()
            || self.engine.next_time() >= self.engine.scenario().time_limit
    }

    /// The trainee does something now. Returns the sim time it takes effect.
    pub fn submit(&mut self, action: Action) -> Result<Duration, SubmitError> {
        // The last second is processed but input files end before it: an input now
        // could not be replayed.
        if self.engine.next_time() >= self.engine.scenario().time_limit {
            return Err(SubmitError::Ended);
        }
        let at = self.engine.submit(Input {
            at: self.engine.next_time(),
            actor: Actor::Trainee(self.role),
            action: action.clone(),
        })?;
        self.recording.actions.push(TimedAction { at, action });
        Ok(at)
    }

    /// Lets `real` time pass: the sim moves `real × speed`, whole seconds at a time,
    /// keeping the fraction for later. Nothing moves while paused or after the end.
    pub fn pass(&mut self, real: std::time::Duration) {
        if self.paused || self.engine.outcome().is_some() {
            return;
        }
        self.carry += real.as_secs_f64() * self.speed;
        let whole = self.carry.floor();
        if whole >= 1.0 {
            self.carry -= whole;
            self.engine.advance(Duration::from_secs(whole as u64));
        }
    }

    /// Plays on (bots acting, the trainee idle) until sim time `at` has been processed.
    pub fn fast_forward_to(&mut self, at: Duration) {
        self.engine.advance_to(at);
        self.carry = 0.0;
    }

    /// Plays on to the end of the run.
    pub fn finish(&mut self) {
        self.engine.run_to_end();
        self.carry = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::engine::action::Role;
    use crate::run;
    use crate::scenario::{self, Channel, Severity};

    fn edge() -> Arc<Scenario> {
        Arc::new(scenario::builtin::load("edge-waf-regex").expect("built-in scenario"))
    }

    #[test]
    fn speed_multiplies_real_time_and_keeps_fractions() {
        let mut session = Session::new(edge(), 1, Role::Commander, None);
        session.set_speed(2.0);
        for _ in 0..10 {
            session.pass(std::time::Duration::from_millis(250));
        }
        // 2.5 real seconds at 2x = 5 sim seconds: seconds 0..=4 processed.
        assert_eq!(session.engine().next_time(), Duration::from_secs(5));
        session.set_paused(true);
        session.pass(std::time::Duration::from_secs(60));
        assert_eq!(session.engine().next_time(), Duration::from_secs(5));
        session.set_speed(f64::NAN);
        assert_eq!(session.speed(), 1.0);
        session.set_speed(1e9);
        assert_eq!(session.speed(), SPEED_RANGE.1);
    }

    #[test]
    fn inputs_are_recorded_when_they_take_effect() {
        let mut session = Session::new(edge(), 1, Role::Commander, Some("alex".into()));
        session.fast_forward_to(Duration::from_secs(299));
        let at = session.submit(Action::Acknowledge).expect("accepted");
        assert_eq!(at, Duration::from_secs(300));
        let recording = session.recording();
        assert_eq!(recording.trainee.as_deref(), Some("alex"));
        assert_eq!(recording.actions.len(), 1);
        assert_eq!(recording.actions[0].at, at);
        let reparsed = crate::inputs::parse(&recording.to_ron(), session.engine().scenario())
            .expect("a recording is a valid input file");
        assert_eq!(&reparsed, recording);
    }

    #[test]
    fn a_spectator_cannot_act() {
        let mut session = Session::spectate(edge(), 1, Role::Tech);
        assert!(matches!(
            session.submit(Action::Acknowledge),
            Err(SubmitError::NotYourRole(_))
        ));
        assert!(session.recording().actions.is_empty());
    }

    /// A trainee action the GUI could send at some frame.
    fn gui_action(pick: u8) -> Action {
        match pick % 6 {
            0 => Action::Acknowledge,
            1 => Action::Declare(Severity::Sev1),
            2 => Action::Post {
                channel: Channel::WarRoom,
                text: "Tech: look at the edge CPU".into(),
            },
            3 => Action::Investigate("edge-cpu-profile".into()),
            4 => Action::Remediate("waf-global-kill".into()),
            _ => Action::Resolve,
        }
    }

    #[test]
    fn a_resumed_run_continues_exactly_where_it_was_cut() {
        let mut live = Session::new(edge(), 3, Role::Commander, None);
        live.fast_forward_to(Duration::from_secs(299));
        live.submit(Action::Acknowledge).unwrap();
        live.fast_forward_to(Duration::from_secs(420));
        live.submit(Action::Declare(Severity::Sev1)).unwrap();
        live.fast_forward_to(Duration::from_secs(600));

        let Resumed {
            session: mut resumed,
            refused,
        } = Session::resume(edge(), 3, live.recording());
        assert_eq!(refused, [], "nothing was refused live");
        assert!(resumed.paused());
        assert_eq!(resumed.recording(), live.recording());
        // The declare took effect at 421 s; the resumed run has processed that second.
        assert_eq!(resumed.engine().next_time(), Duration::from_secs(422));
        live.finish();
        resumed.finish();
        assert_eq!(resumed.engine().journal(), live.engine().journal());
    }

    #[test]
    fn resuming_reports_the_inputs_the_engine_refused_as_it_refused_them_live() {
        let mut live = Session::new(edge(), 3, Role::Commander, None);
        live.fast_forward_to(Duration::from_secs(299));
        live.submit(Action::Acknowledge).unwrap();
        live.fast_forward_to(Duration::from_secs(330));
        live.submit(Action::Acknowledge).unwrap();
        live.fast_forward_to(Duration::from_secs(400));

        let resumed = Session::resume(edge(), 3, live.recording());
        assert_eq!(
            resumed.refused,
            [Refused {
                at: Duration::from_secs(331),
                action: Action::Acknowledge,
                reason: Refusal::Refused("already acknowledged".into()),
            }]
        );
        assert_eq!(
            resumed.refused[0].to_string(),
            "at 5m31s: could not acknowledge: already acknowledged"
        );
        assert_eq!(resumed.session.recording(), live.recording());
    }

    #[test]
    fn resuming_on_a_changed_scenario_reports_what_it_refused_and_what_came_too_late() {
        let mut live = Session::new(edge(), 3, Role::Commander, None);
        live.fast_forward_to(Duration::from_secs(299));
        live.submit(Action::Acknowledge).unwrap();
        live.submit(Action::Investigate("edge-cpu-profile".into()))
            .unwrap();
        live.fast_forward_to(Duration::from_secs(1199));
        live.submit(Action::Declare(Severity::Sev1)).unwrap();

        // Since the run was played, the investigation was taken out of the scenario
        // and the drill was cut to 15 minutes.
        let mut changed = (*edge()).clone();
        changed
            .investigations
            .retain(|i| i.id != "edge-cpu-profile");
        changed.time_limit = Duration::from_mins(15);
        let resumed = Session::resume(Arc::new(changed), 3, live.recording());
        assert_eq!(
            resumed.refused,
            [
                Refused {
                    at: Duration::from_secs(300),
                    action: Action::Investigate("edge-cpu-profile".into()),
                    reason: Refusal::Refused(
                        "there is no investigation \"edge-cpu-profile\"".into()
                    ),
                },
                Refused {
                    at: Duration::from_secs(1200),
                    action: Action::Declare(Severity::Sev1),
                    reason: Refusal::NotTaken(SubmitError::Ended),
                },
            ]
        );
        assert_eq!(
            resumed.refused[1].to_string(),
            "at 20m: could not declare: the run is over"
        );
        // What was not taken is not in the recording: it could not be replayed.
        let kept: Vec<&Action> = resumed
            .session
            .recording()
            .actions
            .iter()
            .map(|a| &a.action)
            .collect();
        assert_eq!(
            kept,
            [
                &Action::Acknowledge,
                &Action::Investigate("edge-cpu-profile".into())
            ]
        );
    }

    #[test]
    fn a_branch_replays_the_inputs_before_its_moment_and_hands_back_the_controls_there() {
        let mut live = Session::new(edge(), 3, Role::Commander, None);
        live.fast_forward_to(Duration::from_secs(299));
        live.submit(Action::Acknowledge).unwrap();
        live.fast_forward_to(Duration::from_secs(419));
        live.submit(Action::Declare(Severity::Sev2)).unwrap();
        live.finish();

        // Play on from 7m (420 s): the acknowledge is replayed, the SEV2 declare is not.
        let Resumed {
            session: mut branch,
            refused,
        } = Session::branch(edge(), 3, live.recording(), Duration::from_secs(420));
        assert_eq!(refused, []);
        assert!(branch.paused());
        assert_eq!(branch.engine().next_time(), Duration::from_secs(420));
        assert_eq!(
            branch.recording().actions,
            live.recording().actions[..1].to_vec()
        );
        // Up to the branch point both journals are the same.
        let before = |s: &Session| -> Vec<crate::engine::journal::Entry> {
            s.engine()
                .journal()
                .iter()
                .filter(|e| e.at < Duration::from_secs(420))
                .cloned()
                .collect()
        };
        assert_eq!(before(&branch), before(&live));
        // The trainee's next input takes effect at the branch point.
        let at = branch.submit(Action::Declare(Severity::Sev1)).unwrap();
        assert_eq!(at, Duration::from_secs(420));
        branch.finish();
        assert_ne!(branch.engine().journal(), live.engine().journal());
        // The branch replays headless from its own recording.
        let replay = run::play(edge(), 3, Some(branch.recording()));
        assert_eq!(replay.journal(), branch.engine().journal());
    }

    #[test]
    fn a_branch_at_the_start_replays_nothing() {
        let mut live = Session::new(edge(), 3, Role::Commander, None);
        live.submit(Action::Acknowledge).unwrap();
        let branch = Session::branch(edge(), 3, live.recording(), Duration::ZERO).session;
        assert_eq!(branch.engine().next_time(), Duration::ZERO);
        assert!(branch.recording().actions.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// However the frames fall and whatever the trainee clicks, replaying the
        /// recording headless gives the live run's journal and scores.
        #[test]
        fn a_live_run_replays_identically(
            frames in prop::collection::vec((1u64..40_000, any::<Option<u8>>()), 1..300),
            speed in prop::sample::select(SPEEDS.to_vec()),
            seed in 0u64..50,
        ) {
            let mut session = Session::new(edge(), seed, Role::Commander, None);
            session.set_speed(speed);
            for (millis, click) in frames {
                if let Some(pick) = click {
                    let _ = session.submit(gui_action(pick));
                }
                session.pass(std::time::Duration::from_millis(millis));
            }
            session.finish();
            // Through the saved text, as `firedrill run` reads it.
            let saved = crate::inputs::parse(&session.recording().to_ron(), session.engine().scenario())
                .expect("a recording is a valid input file");
            let replay = run::play(edge(), seed, Some(&saved));
            prop_assert_eq!(replay.journal(), session.engine().journal());
            let live = run::report(session.engine());
            let replayed = run::report(&replay);
            prop_assert_eq!(live.scorecard, replayed.scorecard);
        }
    }
}
