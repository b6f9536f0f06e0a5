//! For tests: a host's side of the drill protocol scripted on a real [`Engine`], without
//! sockets. It stamps inputs as `drill::host` does (the engine's next unprocessed
//! second), advances, and says so with the [`Down`] messages a host broadcasts.

use std::sync::Arc;

use firedrill_core::drill::{By, DrillInput};
use firedrill_core::engine::Engine;
use firedrill_core::engine::action::{Action, Input, Role};
use firedrill_core::scenario::{Duration, builtin};

use super::protocol::{Clock, Down, JournalHasher, Lobby, Person, Seat, Welcome};

/// The one true run of a scripted drill.
pub struct ScriptedHost {
    pub engine: Engine,
    pub scenario_text: String,
    pub inputs: Vec<DrillInput>,
    pub lobby: Lobby,
    pub ended: bool,
    hasher: JournalHasher,
}

impl ScriptedHost {
    pub fn new(scenario_id: &str, seed: u64) -> Self {
        let text = builtin::source(scenario_id).expect("a built-in scenario");
        let scenario = Arc::new(builtin::load(scenario_id).expect("a built-in scenario"));
        ScriptedHost {
            engine: Engine::new(scenario, seed, &[]),
            scenario_text: text.to_owned(),
            inputs: Vec::new(),
            lobby: Lobby::default(),
            ended: false,
            hasher: JournalHasher::default(),
        }
    }

    pub fn clock(&self) -> Clock {
        Clock {
            next: self.engine.next_time(),
            paused: false,
            speed: 1.0,
            lobby: false,
        }
    }

    /// What a person joining as `name` in `seat` is told.
    pub fn welcome(&self, seat: Seat) -> Down {
        Down::Welcome(Box::new(Welcome {
            scenario_text: self.scenario_text.clone(),
            seed: self.engine.seed(),
            inputs: self.inputs.clone(),
            clock: self.clock(),
            lobby: self.lobby.clone(),
            seat,
        }))
    }

    /// Takes an input from `by` at the engine's next second: the broadcast `Input`.
    pub fn take(&mut self, by: By, action: Action) -> Down {
        let at = self.engine.next_time();
        self.engine
            .submit(Input {
                at,
                actor: by.actor(),
                action: action.clone(),
            })
            .expect("the scripted host's inputs are valid");
        let input = DrillInput { at, by, action };
        self.inputs.push(input.clone());
        Down::Input(input)
    }

    /// Seats `name` in `role` (a host input) and says who sits where.
    pub fn seat(&mut self, name: &str, role: Role) -> [Down; 2] {
        let input = self.take(
            By::Host,
            Action::TakeSeat {
                role,
                by: name.to_owned(),
            },
        );
        self.lobby.people.retain(|p| p.name != name);
        self.lobby.people.push(Person {
            name: name.to_owned(),
            seat: Seat::Role(role),
            connected: true,
        });
        [input, Down::Lobby(self.lobby.clone())]
    }

    /// Plays `secs` more seconds: the broadcast `Clock`.
    pub fn advance(&mut self, secs: u64) -> Down {
        self.engine.advance(Duration::from_secs(secs));
        Down::Clock(self.clock())
    }

    /// The journal's fingerprint up to the clock.
    pub fn check(&mut self) -> Down {
        Down::Check {
            next: self.engine.next_time(),
            fingerprint: self.hasher.fingerprint(self.engine.journal()),
        }
    }

    /// Ends the drill: the engine runs to its end.
    pub fn end(&mut self) -> Down {
        self.engine.run_to_end();
        self.ended = true;
        Down::Ended
    }
}
