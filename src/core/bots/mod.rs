//! Bots for the roles nobody took. Each reads the run's [`State`] every sim second and
//! answers with the actions its role would take; the engine applies them as inputs of
//! `Actor::Bot(role)`, so they are journaled and replayed like anyone else's.
//!
//! Bots are deterministic: their only randomness (the tech bot's wrong turns) is drawn
//! from the run's seed when the run starts. That is what lets them live inside the
//! engine, acting within each tick, rather than beside it: a run is then a function of
//! scenario, seed and human inputs alone, replays need no bot actions, and every
//! replica of a networked drill runs the same bots to the same journal. The engine's
//! module doc gives the whole reasoning.

mod commander;
mod comms;
mod report;
mod tech;

use crate::engine::action::{Action, Role};
use crate::engine::state::State;

pub use report::{CanRequests, can_from_truth};

/// How the Technical Lead bot chooses its work. Named by [`Policy::key`] in JSON and on
/// the command line (feature `clap`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// The scenario's reference path, with its tuned wrong turns.
    #[default]
    Reference,
    /// Every investigation and remediation in a seeded random order, red herrings and
    /// harmful steps included: a baseline that shows whether flailing can win. A
    /// remediation refused for its precondition is tried again once that holds.
    Random,
    /// A trainee on their first drills: acknowledges late, takes a wrong turn or two
    /// (the scenario's red herrings and harmful steps) before the reference path, and
    /// tries a remediation before its precondition holds, then again once it does.
    Novice,
}

impl Policy {
    pub fn key(self) -> &'static str {
        match self {
            Policy::Reference => "reference",
            Policy::Random => "random",
            Policy::Novice => "novice",
        }
    }
}

/// The bots of the seats nobody holds. A seat a person takes loses its bot; a seat
/// handed back gets a new one that picks the run up as it stands ([`Bots::resume`]).
#[derive(Clone)]
pub struct Bots {
    seed: u64,
    policy: Policy,
    commander: Option<commander::CommanderBot>,
    comms: Option<comms::CommsBot>,
    tech: Option<tech::TechBot>,
}

impl Bots {
    /// Bots for `roles` at the start of a run (`state` has nothing in it yet).
    pub fn new(state: &State, roles: &[Role], seed: u64, policy: Policy) -> Self {
        let mut bots = Bots {
            seed,
            policy,
            commander: None,
            comms: None,
            tech: None,
        };
        for role in roles {
            bots.resume(*role, state);
        }
        bots
    }

    /// The bot for `role` starts playing it from `state` (nothing if it already does).
    /// Its randomness comes from the seed alone, so the other bots and the metric
    /// noise draw exactly what they would have.
    pub fn resume(&mut self, role: Role, state: &State) {
        match role {
            Role::Commander if self.commander.is_none() => {
                self.commander = Some(commander::CommanderBot::resume(
                    state,
                    self.seed,
                    self.policy,
                ));
            }
            Role::Comms if self.comms.is_none() => {
                self.comms = Some(comms::CommsBot::resume(state));
            }
            Role::Tech if self.tech.is_none() => {
                self.tech = Some(tech::TechBot::resume(state, self.seed, self.policy));
            }
            _ => {}
        }
    }

    /// The bot for `role` stops: a person plays it now.
    pub fn stop(&mut self, role: Role) {
        match role {
            Role::Commander => self.commander = None,
            Role::Comms => self.comms = None,
            Role::Tech => self.tech = None,
        }
    }

    /// What the bots do this sim second, in role order.
    pub fn act(&mut self, state: &State) -> Vec<(Role, Action)> {
        let mut actions = Vec::new();
        if state.outcome.is_some() {
            return actions;
        }
        let people: Vec<Role> = [
            (Role::Comms, self.comms.is_none()),
            (Role::Tech, self.tech.is_none()),
        ]
        .into_iter()
        .filter_map(|(role, human)| human.then_some(role))
        .collect();
        if let Some(bot) = &mut self.commander {
            actions.extend(
                bot.act(state, &people)
                    .into_iter()
                    .map(|a| (Role::Commander, a)),
            );
        }
        if let Some(bot) = &mut self.comms {
            actions.extend(bot.act(state).into_iter().map(|a| (Role::Comms, a)));
        }
        if let Some(bot) = &mut self.tech {
            actions.extend(bot.act(state).into_iter().map(|a| (Role::Tech, a)));
        }
        actions
    }
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn a_policy_is_named_by_its_key_in_json() {
        for policy in [Policy::Reference, Policy::Random, Policy::Novice] {
            let json = serde_json::to_string(&policy).expect("serializes");
            assert_eq!(json, format!("\"{}\"", policy.key()));
        }
        assert_eq!(Policy::Random.key(), "random");
        assert_eq!(Policy::Novice.key(), "novice");
    }
}
