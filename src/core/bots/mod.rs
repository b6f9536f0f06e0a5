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
use crate::scenario::Scenario;

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
    /// harmful steps included: a baseline that shows whether flailing can win.
    Random,
}

impl Policy {
    pub fn key(self) -> &'static str {
        match self {
            Policy::Reference => "reference",
            Policy::Random => "random",
        }
    }
}

pub struct Bots {
    commander: Option<commander::CommanderBot>,
    comms: Option<comms::CommsBot>,
    tech: Option<tech::TechBot>,
}

impl Bots {
    pub fn new(scenario: &Scenario, roles: &[Role], seed: u64, policy: Policy) -> Self {
        let humans: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| !roles.contains(r))
            .collect();
        Bots {
            commander: roles
                .contains(&Role::Commander)
                .then(|| commander::CommanderBot::new(&humans)),
            comms: roles.contains(&Role::Comms).then(comms::CommsBot::default),
            tech: roles
                .contains(&Role::Tech)
                .then(|| tech::TechBot::new(scenario, seed, policy)),
        }
    }

    /// What the bots do this sim second, in role order.
    pub fn act(&mut self, state: &State) -> Vec<(Role, Action)> {
        let mut actions = Vec::new();
        if state.outcome.is_some() {
            return actions;
        }
        if let Some(bot) = &mut self.commander {
            actions.extend(bot.act(state).into_iter().map(|a| (Role::Commander, a)));
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
        for policy in [Policy::Reference, Policy::Random] {
            let json = serde_json::to_string(&policy).expect("serializes");
            assert_eq!(json, format!("\"{}\"", policy.key()));
        }
        assert_eq!(Policy::Random.key(), "random");
    }
}
