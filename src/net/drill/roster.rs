//! Who is in a hosted drill: each person by name, where they sit, over which
//! connection, and since when a dropped person's seat has been kept for them.
//! The host decides with it who a message comes from and who holds a seat; the engine
//! learns every change as a seating input.

use std::collections::BTreeMap;
use std::time::Duration;

use firedrill_core::drill::DrillInput;
use firedrill_core::engine::action::{Action, Presence, Role};
use firedrill_core::rotation::{self, Played, TraineeHistory};

use super::protocol::{Lobby, Person, Seat};
use crate::ClientId;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    pub seat: Seat,
    /// `None` while the person is dropped and their seat kept for them.
    pub client: Option<ClientId>,
    /// Real time (the host's) when the connection dropped.
    pub dropped_at: Option<Duration>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Roster {
    members: BTreeMap<String, Member>,
    /// People whose seat went back to its bot when they dropped: they get it back on
    /// rejoining if it is still free.
    returning: BTreeMap<String, Role>,
    /// What each person played before, by name, from the host machine's history: the
    /// lobby's seat suggestions share the roles by role rotation.
    histories: BTreeMap<String, Vec<Played>>,
}

impl Roster {
    /// The people the seating inputs so far leave in the drill, all dropped since
    /// `now`: a resumed host keeps their seats for the grace period.
    pub fn from_inputs(inputs: &[DrillInput], now: Duration) -> Self {
        let mut seats: BTreeMap<String, Seat> = BTreeMap::new();
        for input in inputs {
            match &input.action {
                Action::TakeSeat { role, by } => {
                    seats.insert(by.clone(), Seat::Role(*role));
                }
                Action::Join { by, presence } => {
                    let seat = match presence {
                        Presence::Observer => Seat::Observer,
                        Presence::Facilitator => Seat::Facilitator,
                    };
                    seats.insert(by.clone(), seat);
                }
                Action::ReleaseSeat { by, .. } | Action::Leave(by) => {
                    seats.remove(by);
                }
                _ => {}
            }
        }
        Roster {
            histories: BTreeMap::new(),
            members: seats
                .into_iter()
                .map(|(name, seat)| {
                    let member = Member {
                        seat,
                        client: None,
                        dropped_at: Some(now),
                    };
                    (name, member)
                })
                .collect(),
            returning: BTreeMap::new(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Member> {
        self.members.get(name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Member> {
        self.members.get_mut(name)
    }

    pub fn insert(&mut self, name: &str, member: Member) {
        self.returning.remove(name);
        self.members.insert(name.to_owned(), member);
    }

    pub fn remove(&mut self, name: &str) -> Option<Member> {
        self.members.remove(name)
    }

    /// The name of the person on connection `client`.
    pub fn name_of(&self, client: ClientId) -> Option<&str> {
        self.members
            .iter()
            .find(|(_, m)| m.client == Some(client))
            .map(|(name, _)| name.as_str())
    }

    /// Who holds `role`'s seat, and whether they are connected.
    pub fn holder(&self, role: Role) -> Option<(&str, bool)> {
        self.members
            .iter()
            .find(|(_, m)| m.seat == Seat::Role(role))
            .map(|(name, m)| (name.as_str(), m.client.is_some()))
    }

    pub fn facilitator(&self) -> Option<&str> {
        self.members
            .iter()
            .find(|(_, m)| m.seat == Seat::Facilitator)
            .map(|(name, _)| name.as_str())
    }

    /// How many roles people hold.
    pub fn seats_taken(&self) -> usize {
        self.members
            .values()
            .filter(|m| matches!(m.seat, Seat::Role(_)))
            .count()
    }

    /// The people dropped at least `grace` before `now`, by name.
    pub fn expired(&self, now: Duration, grace: Duration) -> Vec<String> {
        self.members
            .iter()
            .filter(|(_, m)| m.dropped_at.is_some_and(|at| now >= at + grace))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Remembers that `name`'s seat went back to its bot when they dropped.
    pub fn returning(&mut self, name: &str, role: Role) {
        self.returning.insert(name.to_owned(), role);
    }

    /// The seat `name` had before dropping, if nobody holds it now.
    pub fn seat_to_return(&self, name: &str) -> Option<Role> {
        self.returning
            .get(name)
            .copied()
            .filter(|role| self.holder(*role).is_none())
    }

    /// The roster with past runs by name, for the lobby's suggestions.
    pub fn with_histories(mut self, histories: BTreeMap<String, Vec<Played>>) -> Self {
        self.histories = histories;
        self
    }

    /// The role rotation suggests for each person in the drill but the facilitator
    /// (docs/rotation.md): who has played a role least, and not last time, takes it;
    /// people beyond three observe. Someone the history does not know counts as new.
    fn suggested(&self) -> Vec<(String, Role)> {
        let team: Vec<TraineeHistory> = self
            .members
            .iter()
            .filter(|(_, m)| m.seat != Seat::Facilitator)
            .map(|(name, _)| TraineeHistory {
                name,
                runs: self.histories.get(name).map_or(&[], Vec::as_slice),
            })
            .collect();
        rotation::assign(&team)
            .map(|assigned| {
                assigned
                    .into_iter()
                    .filter_map(|(name, role)| role.map(|role| (name, role)))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn lobby(&self) -> Lobby {
        Lobby {
            people: self
                .members
                .iter()
                .map(|(name, m)| Person {
                    name: name.clone(),
                    seat: m.seat,
                    connected: m.client.is_some(),
                })
                .collect(),
            suggested: self.suggested(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watching(client: u64) -> Member {
        Member {
            seat: Seat::Observer,
            client: Some(client),
            dropped_at: None,
        }
    }

    #[test]
    fn the_lobby_suggests_seats_by_role_rotation_from_each_persons_history() {
        let played = |roles: &[Role]| -> Vec<Played> {
            (0..)
                .zip(roles)
                .map(|(order, role)| Played {
                    role: Some(*role),
                    order,
                })
                .collect()
        };
        let mut roster = Roster::default().with_histories(BTreeMap::from([
            (
                "ana".to_string(),
                played(&[Role::Commander, Role::Commander]),
            ),
            ("ben".to_string(), played(&[Role::Comms, Role::Tech])),
        ]));
        roster.insert("ana", watching(1));
        roster.insert("ben", watching(2));
        roster.insert("cy", watching(3));
        roster.insert(
            "dee",
            Member {
                seat: Seat::Facilitator,
                ..watching(4)
            },
        );
        let suggested: BTreeMap<String, Role> = roster.lobby().suggested.into_iter().collect();
        // The facilitator is not seated; ana has only ever commanded and ben never has.
        assert_eq!(suggested.len(), 3, "{suggested:?}");
        assert!(!suggested.contains_key("dee"));
        assert_ne!(suggested["ana"], Role::Commander);
        assert_eq!(suggested["ben"], Role::Commander);
        let mut roles: Vec<Role> = suggested.values().copied().collect();
        roles.sort();
        assert_eq!(roles, Role::ALL);
    }
}
