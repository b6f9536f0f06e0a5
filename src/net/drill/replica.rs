//! A drill client's copy of the run: built from the host's [`Welcome`], kept in step by
//! applying every [`Down`] message in order, and checked against the host's journal
//! fingerprints. Pure: no sockets ([`super::client`] carries the messages).
//!
//! A replica replays what the host decided; it never decides. It submits the host's
//! stamped inputs and advances its engine to the host's clock, so its bots act as the
//! host's do. Anything that shows the two runs apart (an input the engine will not take,
//! an input for a second already played, a fingerprint that differs) is a
//! [`ReplicaError`], never a panic and never a silently different incident.

use std::sync::Arc;

use firedrill_core::drill::{DrillFile, DrillInput};
use firedrill_core::engine::action::Input;
use firedrill_core::engine::{Engine, SubmitError};
use firedrill_core::scenario::{self, Duration};

use super::protocol::{Clock, Down, Fingerprint, JournalHasher, Lobby, Seat, Welcome};

/// Why a replica stopped: it can no longer show the host's run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReplicaError {
    /// The scenario text in the welcome does not parse here (another firedrill's
    /// scenario format, most likely).
    #[error("the drill's scenario does not load in this firedrill: {0}")]
    Scenario(String),
    /// The engine refused an input the host took.
    #[error("desync at {at}: this copy of the drill refused an input the host took ({error})")]
    Refused { at: Duration, error: SubmitError },
    /// An input arrived for a second this copy had already played.
    #[error("desync at {at}: an input arrived after this copy had played up to {next}")]
    Late { at: Duration, next: Duration },
    /// The host's journal fingerprint differs from this copy's.
    #[error(
        "desync at {at}: this copy of the drill no longer matches the host's ({} journal entries here, {} at the host); rejoin to catch up",
        mine.entries,
        host.entries
    )]
    Desync {
        at: Duration,
        mine: Fingerprint,
        host: Fingerprint,
    },
}

/// One client's copy of the drill. See the module doc.
pub struct Replica {
    engine: Engine,
    clock: Clock,
    lobby: Lobby,
    /// The name this client joined with, to find its seat in the lobby.
    name: String,
    seat: Seat,
    /// Every input so far, in the host's order: the drill as a file.
    file: DrillFile,
    hasher: JournalHasher,
    /// Host fingerprints for seconds this copy has not played yet, oldest first.
    checks: Vec<(Duration, Fingerprint)>,
    ended: bool,
}

impl Replica {
    /// Catches up with the drill as the host described it to `name`: the scenario, the
    /// seed, every input so far, then the host's clock.
    pub fn new(welcome: Welcome, name: &str) -> Result<Self, ReplicaError> {
        let scenario = scenario::parse(&welcome.scenario_text).map_err(|diagnostics| {
            ReplicaError::Scenario(
                diagnostics
                    .first()
                    .map_or_else(|| "it is invalid".to_owned(), |d| d.message.clone()),
            )
        })?;
        let scenario = Arc::new(scenario);
        let mut replica = Replica {
            engine: Engine::new(Arc::clone(&scenario), welcome.seed, &[]),
            clock: welcome.clock,
            lobby: Lobby::default(),
            name: name.to_owned(),
            seat: welcome.seat,
            file: DrillFile {
                scenario: scenario.id.clone(),
                seed: welcome.seed,
                inputs: Vec::with_capacity(welcome.inputs.len()),
            },
            hasher: JournalHasher::default(),
            checks: Vec::new(),
            ended: false,
        };
        for input in welcome.inputs {
            replica.submit(input)?;
        }
        replica.set_lobby(welcome.lobby);
        replica.advance(welcome.clock.next);
        Ok(replica)
    }

    /// Applies the host's next message. A [`Down::Welcome`] starts over from it;
    /// [`Down::Refused`] is the client's business and changes nothing here.
    pub fn apply(&mut self, message: Down) -> Result<(), ReplicaError> {
        match message {
            Down::Welcome(welcome) => *self = Replica::new(*welcome, &self.name)?,
            Down::Lobby(lobby) => self.set_lobby(lobby),
            Down::Input(input) => self.submit(input)?,
            Down::Clock(clock) => {
                self.clock = clock;
                self.advance(clock.next);
            }
            Down::Check { next, fingerprint } => self.checks.push((next, fingerprint)),
            Down::Refused(_) => {}
            Down::Ended => {
                self.engine.run_to_end();
                self.ended = true;
            }
        }
        self.verify()
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The host's clock as last heard: where the run is, paused, speed, lobby.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn lobby(&self) -> &Lobby {
        &self.lobby
    }

    /// Where this client sits: as the lobby last said, else as the welcome did.
    pub fn seat(&self) -> Seat {
        self.seat
    }

    /// Every input so far in the host's order, with the seed: saved, it replays the
    /// drill with `firedrill run`.
    pub fn drill_file(&self) -> &DrillFile {
        &self.file
    }

    /// Whether the host ended the drill (the engine has then run to its end).
    pub fn ended(&self) -> bool {
        self.ended
    }

    fn set_lobby(&mut self, lobby: Lobby) {
        if let Some(me) = lobby.people.iter().find(|p| p.name == self.name) {
            self.seat = me.seat;
        }
        self.lobby = lobby;
    }

    /// Submits an input as the host stamped it; it must land at its own second.
    fn submit(&mut self, input: DrillInput) -> Result<(), ReplicaError> {
        let next = self.engine.next_time();
        if input.at < next {
            return Err(ReplicaError::Late { at: input.at, next });
        }
        self.engine
            .submit(Input {
                at: input.at,
                actor: input.by.actor(),
                action: input.action.clone(),
            })
            .map_err(|error| ReplicaError::Refused {
                at: input.at,
                error,
            })?;
        self.file.inputs.push(input);
        Ok(())
    }

    /// Plays every second before `next`.
    fn advance(&mut self, next: Duration) {
        if let Some(last) = next.as_secs().checked_sub(1) {
            self.engine.advance_to(Duration::from_secs(last));
        }
    }

    /// Compares the host's fingerprints for the seconds this copy has played.
    fn verify(&mut self) -> Result<(), ReplicaError> {
        let played = self.engine.next_time();
        let finished = self.engine.outcome().is_some();
        while let Some(&(next, host)) = self.checks.first() {
            if next > played && !finished {
                break;
            }
            self.checks.remove(0);
            // The journal as it stood when every second before `next` was played.
            let journal = self.engine.journal();
            let upto = journal.partition_point(|e| e.at < next);
            let mine = self.hasher.fingerprint(&journal[..upto]);
            if mine != host {
                return Err(ReplicaError::Desync {
                    at: next,
                    mine,
                    host,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
