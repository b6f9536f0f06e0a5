//! The drill protocol: what a drill's clients and its host say to each other over
//! [`crate::Host`] / [`crate::Client`]. The contract between `drill::host` (the one true
//! run) and `drill::replica` (everyone else's copy of it).
//!
//! # Design: the host orders, every replica replays
//!
//! The engine is deterministic: a run is a function of scenario, seed and the ordered,
//! timed inputs. So the host does not stream state; it streams the inputs and the clock.
//!
//! 1. The host runs the one true [`Engine`] on its clock (pausable, at a speed).
//! 2. A client sends what its person does ([`Up::Act`]). The host decides who it comes
//!    from (the sender's seat; a person cannot claim another's), stamps it with the
//!    engine's next unprocessed second, submits it, and broadcasts it as a
//!    [`DrillInput`] ([`Down::Input`]): the same record the drill file holds.
//! 3. After the inputs of an update, the host advances its engine and broadcasts how far
//!    it got ([`Down::Clock`]). The channel is reliable and ordered, so every replica
//!    receives an input before the clock that passes its second, submits it, then
//!    advances to the same second: its bots act as the host's do, its journal is the
//!    host's, entry for entry, whenever the packets arrived.
//! 4. Every so often the host sends its journal's fingerprint ([`Down::Check`]); a
//!    replica whose own differs stops with a clear error instead of showing another
//!    incident ([`JournalHasher`]).
//! 5. A late joiner or a reconnecting client gets [`Welcome`]: the scenario's text, the
//!    seed and every input so far. Replaying them is a headless run to the host's
//!    second: milliseconds, even at 2 h of sim time.
//!
//! Seats change hands as inputs too (`TakeSeat`, `ReleaseSeat` by [`By::Host`]), so a
//! take-over, a hand-back, a join and a leave are in every journal and timeline, and the
//! saved drill file replays the whole drill, seat by seat.

use serde::{Deserialize, Serialize};

use firedrill_core::drill::DrillInput;
use firedrill_core::engine::action::{Action, Role};
use firedrill_core::engine::journal::Entry;
use firedrill_core::scenario::Duration;

#[cfg(doc)]
use firedrill_core::drill::By;
#[cfg(doc)]
use firedrill_core::engine::Engine;

/// Where a person asks to be in a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    /// A role's seat, taken from its bot.
    Role(Role),
    /// Watch, and post in the war room.
    Observer,
    /// Run the drill: the truth, the clock, the injects, hints and notes.
    Facilitator,
}

/// What a client says to the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Up {
    /// The first message after connecting (the name comes with the connection): where
    /// the person asks to sit; `None` lets the lobby suggest a seat (an observer until
    /// then). Answered with [`Down::Welcome`], or the connection is refused with a
    /// one-line reason (seat taken, drill ended).
    Join { seat: Option<Seat> },
    /// Something the person does, from where they sit: the host stamps it.
    Act(Action),
    /// Take a role's seat from its bot (an observer, or someone moving seats).
    TakeSeat(Role),
    /// Give the seat back to the bot and stay as an observer.
    LeaveSeat,
    /// Facilitator only: the drill's clock and life.
    Control(Control),
}

/// What the facilitator does to the drill itself rather than to the incident.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Control {
    /// Leave the lobby: the clock starts.
    Start,
    /// Stop the clock for everyone.
    Pause,
    Resume,
    /// Sim seconds per real second.
    Speed(f64),
}

/// What the host says to a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Down {
    /// The answer to [`Up::Join`]: everything a replica needs to catch up.
    Welcome(Box<Welcome>),
    /// Who is in the drill and where they sit; sent whenever it changes.
    Lobby(Lobby),
    /// An input the host took, stamped: replicas submit it as it is.
    Input(DrillInput),
    /// The host has processed every second before `next`.
    Clock(Clock),
    /// The host's journal fingerprint once it has processed every second before `next`.
    Check {
        next: Duration,
        fingerprint: Fingerprint,
    },
    /// What the client asked for was not done, and why, in one line.
    Refused(String),
    /// The drill is over: replicas run their engine to the end for the debrief.
    Ended,
}

/// The drill as it stands, for a client that joins or rejoins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    /// The scenario's RON text, so every client plays the very same scenario.
    pub scenario_text: String,
    pub seed: u64,
    /// Every input so far, in the host's order.
    pub inputs: Vec<DrillInput>,
    pub clock: Clock,
    pub lobby: Lobby,
    /// Where the host seated this person.
    pub seat: Seat,
}

/// The host's clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Clock {
    /// The next sim second the host will process.
    pub next: Duration,
    pub paused: bool,
    pub speed: f64,
    /// Still in the lobby: the clock has not started.
    pub lobby: bool,
}

/// Who is in the drill.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Lobby {
    pub people: Vec<Person>,
    /// The seats the lobby suggests, from each person's history (role rotation).
    pub suggested: Vec<(String, Role)>,
}

/// One person in the drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub seat: Seat,
    /// False while the host keeps a dropped person's seat for them (the grace period).
    pub connected: bool,
}

/// A journal's length and hash: equal fingerprints, equal journals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub entries: u64,
    pub hash: u64,
}

/// Fingerprints a growing journal, hashing each entry once (FNV-1a over each entry's
/// JSON, chained): cheap enough to check every few sim seconds at 2 h.
#[derive(Debug, Clone)]
pub struct JournalHasher {
    entries: u64,
    hash: u64,
}

impl Default for JournalHasher {
    fn default() -> Self {
        JournalHasher {
            entries: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }
}

impl JournalHasher {
    /// The fingerprint of `journal`, which must extend the journal this hasher has seen.
    pub fn fingerprint(&mut self, journal: &[Entry]) -> Fingerprint {
        for entry in journal.iter().skip(self.entries as usize) {
            let json = serde_json::to_vec(entry).expect("journal entries serialize");
            for byte in json.into_iter().chain([b'\n']) {
                self.hash = (self.hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
            self.entries += 1;
        }
        Fingerprint {
            entries: self.entries,
            hash: self.hash,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use firedrill_core::engine::Engine;
    use firedrill_core::engine::action::Role;
    use firedrill_core::scenario::builtin;

    use super::*;

    fn run_to(seed: u64, secs: u64) -> Engine {
        let scenario = Arc::new(builtin::load("edge-waf-regex").expect("built-in"));
        let mut engine = Engine::new(scenario, seed, &[]);
        engine.advance_to(Duration::from_secs(secs));
        engine
    }

    #[test]
    fn a_fingerprint_grows_with_the_journal_and_tells_runs_apart() {
        let early = run_to(1, 600);
        let late = run_to(1, 1200);
        let mut step = JournalHasher::default();
        let at_600 = step.fingerprint(early.journal());
        // Hashed in two steps or at once: the same fingerprint.
        let at_1200 = step.fingerprint(late.journal());
        assert_eq!(
            JournalHasher::default().fingerprint(late.journal()),
            at_1200
        );
        assert_eq!(at_600.entries as usize, early.journal().len());
        assert!(at_1200.entries > at_600.entries);
        // Another seed, another run: another fingerprint for as many entries.
        let other = run_to(2, 1200);
        let n = at_1200.entries.min(other.journal().len() as u64) as usize;
        assert_ne!(
            JournalHasher::default().fingerprint(&other.journal()[..n]),
            JournalHasher::default().fingerprint(&late.journal()[..n])
        );
    }

    #[test]
    fn messages_survive_the_wire_codec() {
        let messages = [
            Up::Join {
                seat: Some(Seat::Role(Role::Comms)),
            },
            Up::Act(Action::Acknowledge),
            Up::Control(Control::Speed(5.0)),
        ];
        for message in messages {
            let json = serde_json::to_string(&message).expect("serializes");
            assert_eq!(serde_json::from_str::<Up>(&json).expect("parses"), message);
        }
    }
}
