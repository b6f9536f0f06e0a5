//! Role rotation: which role each trainee should take next, from who played what
//! before. [`suggest`] picks the next role for one trainee; [`assign`] shares the three
//! roles among a team, leaving roles to bots when there are fewer than three trainees
//! and making the others observers (scribes) when there are more.
//!
//! Both are pure and deterministic: no randomness, no clock, no hash-map order, and
//! the order a team is listed in does not matter. `docs/rotation.md` states the rule,
//! with a worked example.

use std::ops::Add;

use crate::engine::action::Role;

/// The largest team [`assign`] takes. It compares every way to share the roles: at
/// most 12 × 11 × 10 = 1320 of them.
pub const MAX_TEAM: usize = 12;

/// One past run of one trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Played {
    /// The role they played; `None` if they observed (as scribe).
    pub role: Option<Role>,
    /// When: higher is more recent (a run id or a timestamp). Only compared within one
    /// trainee's history; of two runs with the same `order`, the later in the slice
    /// counts as more recent.
    pub order: i64,
}

/// One trainee and their past runs, in any order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraineeHistory<'a> {
    pub name: &'a str,
    pub runs: &'a [Played],
}

/// A team [`assign`] cannot share the roles among.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RotationError {
    #[error("role rotation shares the roles among at most {MAX_TEAM} trainees, not {0}")]
    TooManyTrainees(usize),
    #[error("two trainees are called \"{0}\": names must be unique")]
    DuplicateName(String),
}

/// The role one trainee should play next (see `docs/rotation.md`): what [`assign`]
/// gives a team of one.
pub fn suggest(history: &[Played]) -> Role {
    let past = Past::new(history);
    let team = team_times(std::slice::from_ref(&past));
    let cost = |role| past.cost(Slot::Role(role), &team);
    let mut best = Role::Commander;
    for role in [Role::Comms, Role::Tech] {
        if cost(role) < cost(best) {
            best = role;
        }
    }
    best
}

/// Shares the roles among a team (see `docs/rotation.md`): one entry per trainee, in
/// the order given, with the role they should play next or `None` to observe. With
/// fewer than three trainees the roles left over go to bots.
pub fn assign(team: &[TraineeHistory]) -> Result<Vec<(String, Option<Role>)>, RotationError> {
    if team.len() > MAX_TEAM {
        return Err(RotationError::TooManyTrainees(team.len()));
    }
    let mut by_name: Vec<usize> = (0..team.len()).collect();
    by_name.sort_by_key(|&i| team[i].name);
    if let Some(same) = by_name
        .windows(2)
        .find(|pair| team[pair[0]].name == team[pair[1]].name)
    {
        return Err(RotationError::DuplicateName(team[same[0]].name.to_string()));
    }

    let pasts: Vec<Past> = by_name.iter().map(|&i| Past::new(team[i].runs)).collect();
    let mut search = Search {
        team: team_times(&pasts),
        observers: pasts.len().saturating_sub(Role::ALL.len()),
        pasts: &pasts,
        best: None,
    };
    search.extend(&mut Vec::with_capacity(pasts.len()), Cost::default());
    let slots = search.best.map(|(_, slots)| slots).unwrap_or_default();

    let mut assignment: Vec<(String, Option<Role>)> = team
        .iter()
        .map(|trainee| (trainee.name.to_string(), None))
        .collect();
    for (&i, slot) in by_name.iter().zip(slots) {
        assignment[i].1 = slot.role();
    }
    Ok(assignment)
}

/// What a trainee does in one run. The order (commander, comms, tech, observer) breaks
/// the last ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Role(Role),
    Observer,
}

impl Slot {
    const ALL: [Slot; 4] = [
        Slot::Role(Role::Commander),
        Slot::Role(Role::Comms),
        Slot::Role(Role::Tech),
        Slot::Observer,
    ];

    fn of(role: Option<Role>) -> Slot {
        role.map_or(Slot::Observer, Slot::Role)
    }

    fn role(self) -> Option<Role> {
        match self {
            Slot::Role(role) => Some(role),
            Slot::Observer => None,
        }
    }

    /// Its place in [`Slot::ALL`].
    fn index(self) -> usize {
        match self {
            Slot::Role(Role::Commander) => 0,
            Slot::Role(Role::Comms) => 1,
            Slot::Role(Role::Tech) => 2,
            Slot::Observer => 3,
        }
    }
}

/// What the rule needs from one trainee's history.
struct Past {
    /// The slot of their most recent run; `None` before their first.
    last: Option<Slot>,
    /// How many times they have had each slot, by [`Slot::index`].
    times: [usize; 4],
    /// When they last had each slot, as (order, place in the slice); `None` for never,
    /// which compares as longest ago.
    latest: [Option<(i64, usize)>; 4],
}

impl Past {
    fn new(runs: &[Played]) -> Past {
        let mut past = Past {
            last: None,
            times: [0; 4],
            latest: [None; 4],
        };
        let mut most_recent = None;
        for (place, run) in runs.iter().enumerate() {
            let slot = Slot::of(run.role);
            let when = Some((run.order, place));
            past.times[slot.index()] += 1;
            past.latest[slot.index()] = past.latest[slot.index()].max(when);
            if when > most_recent {
                most_recent = when;
                past.last = Some(slot);
            }
        }
        past
    }

    /// What giving this trainee `slot` next costs, in a team that has played each role
    /// `team` times between them (see [`team_times`]).
    fn cost(&self, slot: Slot, team: &[usize; 4]) -> Cost {
        let latest = self.latest[slot.index()];
        Cost {
            repeats: usize::from(self.last == Some(slot)),
            times: self.times[slot.index()],
            team_times: team[slot.index()],
            staleness: self.latest.iter().filter(|&&other| other < latest).count(),
            role_order: match slot {
                Slot::Role(_) => slot.index(),
                Slot::Observer => 0,
            },
        }
    }
}

/// How many times the team's members have played each role between them, by
/// [`Slot::index`]; observing counts 0.
fn team_times(pasts: &[Past]) -> [usize; 4] {
    let mut team = [0; 4];
    for past in pasts {
        for role in Role::ALL {
            let i = Slot::Role(role).index();
            team[i] += past.times[i];
        }
    }
    team
}

/// The cost of an assignment, summed over the trainees. Fields compare in order: the
/// first difference decides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Cost {
    /// Trainees who get the same slot as in their last run.
    repeats: usize,
    /// How many times each trainee has had the slot they get.
    times: usize,
    /// How many times the team has played the roles taken (only differs with fewer than
    /// three trainees: it rotates the role left to bots).
    team_times: usize,
    /// How many slots each trainee has had less recently than the one they get.
    staleness: usize,
    /// The roles' places in commander, comms, tech (only differs with fewer than three
    /// trainees: it says which roles people take first).
    role_order: usize,
}

impl Add for Cost {
    type Output = Cost;

    fn add(self, other: Cost) -> Cost {
        Cost {
            repeats: self.repeats + other.repeats,
            times: self.times + other.times,
            team_times: self.team_times + other.team_times,
            staleness: self.staleness + other.staleness,
            role_order: self.role_order + other.role_order,
        }
    }
}

/// Tries every way to share the roles, keeping the cheapest.
struct Search<'a> {
    /// The trainees' histories, in name order.
    pasts: &'a [Past],
    /// How many times the team has played each role, from [`team_times`].
    team: [usize; 4],
    /// How many trainees observe: those beyond three.
    observers: usize,
    /// The cheapest assignment so far and its slots, one per trainee in name order.
    best: Option<(Cost, Vec<Slot>)>,
}

impl Search<'_> {
    /// Tries every way to give the trainees after `slots` a slot. Of two assignments
    /// that cost the same, the one giving earlier names earlier slots wins.
    fn extend(&mut self, slots: &mut Vec<Slot>, cost: Cost) {
        let Some(past) = self.pasts.get(slots.len()) else {
            let better = match &self.best {
                Some((best_cost, best_slots)) => (cost, &slots[..]) < (*best_cost, &best_slots[..]),
                None => true,
            };
            if better {
                self.best = Some((cost, slots.clone()));
            }
            return;
        };
        for slot in Slot::ALL {
            let free = match slot {
                Slot::Role(_) => !slots.contains(&slot),
                Slot::Observer => {
                    slots.iter().filter(|&&s| s == Slot::Observer).count() < self.observers
                }
            };
            if free {
                let cost = cost + past.cost(slot, &self.team);
                slots.push(slot);
                self.extend(slots, cost);
                slots.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const C: Option<Role> = Some(Role::Commander);
    const M: Option<Role> = Some(Role::Comms);
    const T: Option<Role> = Some(Role::Tech);
    const O: Option<Role> = None;

    /// A history with the runs in order: the first is the oldest.
    fn history(roles: &[Option<Role>]) -> Vec<Played> {
        (0..)
            .zip(roles)
            .map(|(order, &role)| Played { role, order })
            .collect()
    }

    /// Plays `rounds` runs of the team, each time giving everyone what [`assign`] says;
    /// returns each round's roles, in the order of `names`.
    fn simulate(names: &[&str], rounds: usize) -> Vec<Vec<Option<Role>>> {
        let mut histories: Vec<Vec<Played>> = vec![Vec::new(); names.len()];
        let mut played = Vec::new();
        for round in 0..rounds {
            let team: Vec<TraineeHistory> = names
                .iter()
                .zip(&histories)
                .map(|(name, runs)| TraineeHistory { name, runs })
                .collect();
            let roles: Vec<Option<Role>> = assign(&team)
                .unwrap()
                .into_iter()
                .map(|(_, role)| role)
                .collect();
            let taken: Vec<Role> = roles.iter().flatten().copied().collect();
            let mut distinct = taken.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), taken.len(), "a role given twice: {roles:?}");
            assert_eq!(taken.len(), names.len().min(3), "{roles:?}");
            for (history, &role) in histories.iter_mut().zip(&roles) {
                history.push(Played {
                    role,
                    order: round as i64,
                });
            }
            played.push(roles);
        }
        played
    }

    /// How many times trainee `who` had each slot (commander, comms, tech, observer) in
    /// the first `rounds` rounds.
    fn tally(rounds: &[Vec<Option<Role>>], who: usize) -> [usize; 4] {
        let mut times = [0; 4];
        for round in rounds {
            times[Slot::of(round[who]).index()] += 1;
        }
        times
    }

    fn spread(counts: impl IntoIterator<Item = usize>) -> usize {
        let counts: Vec<usize> = counts.into_iter().collect();
        counts.iter().max().unwrap_or(&0) - counts.iter().min().unwrap_or(&0)
    }

    #[test]
    fn a_single_trainee_cycles_through_all_three_roles() {
        let rounds = simulate(&["solo"], 9);
        let roles: Vec<Option<Role>> = rounds.into_iter().map(|round| round[0]).collect();
        assert_eq!(roles, [C, M, T, C, M, T, C, M, T]);
        assert_eq!(suggest(&[]), Role::Commander);
    }

    #[test]
    fn one_trainee_gets_the_role_they_played_least() {
        assert_eq!(suggest(&history(&[C, C, M, M, T, C])), Role::Tech);
        assert_eq!(suggest(&history(&[T, T, C])), Role::Comms);
        // Observing does not count as a role.
        assert_eq!(suggest(&history(&[O, O, O, M, T])), Role::Commander);
    }

    #[test]
    fn ties_go_to_the_role_played_least_recently_then_commander_comms_tech() {
        // All played once: Tech longest ago (the literal order would say Comms).
        assert_eq!(suggest(&history(&[T, M, C])), Role::Tech);
        // Never played counts as longest ago; between two never played, Commander first.
        assert_eq!(suggest(&history(&[C, C, M, M, T, M, T])), Role::Commander);
        assert_eq!(suggest(&history(&[T])), Role::Commander);
        assert_eq!(suggest(&history(&[C])), Role::Comms);
        assert_eq!(suggest(&history(&[O])), Role::Commander);
    }

    #[test]
    fn the_last_role_is_never_suggested_again() {
        // Commander is played least, but was played last time: of the others, Comms
        // was played longer ago.
        assert_eq!(suggest(&history(&[M, T, M, T, C])), Role::Comms);
    }

    #[test]
    fn only_the_order_field_says_which_run_is_more_recent() {
        let runs = [
            Played { role: C, order: 30 },
            Played { role: T, order: 10 },
            Played { role: M, order: 20 },
        ];
        // Oldest first: Tech, Comms, Commander.
        assert_eq!(suggest(&runs), Role::Tech);
        // The same order twice: the later in the slice is the more recent.
        let tied = [Played { role: T, order: 5 }, Played { role: M, order: 5 }];
        assert_eq!(suggest(&tied), Role::Commander);
        let tied = [Played { role: M, order: 5 }, Played { role: C, order: 5 }];
        assert_eq!(suggest(&tied), Role::Tech);
    }

    #[test]
    fn the_worked_example_in_the_doc_holds() {
        let ana = history(&[C, M, T, C]);
        let ben = history(&[M, T, C, M]);
        let chloe = history(&[T, C, M, O]);
        let dev = history(&[O, O, O, T]);
        let team = [
            TraineeHistory {
                name: "dev",
                runs: &dev,
            },
            TraineeHistory {
                name: "ana",
                runs: &ana,
            },
            TraineeHistory {
                name: "chloe",
                runs: &chloe,
            },
            TraineeHistory {
                name: "ben",
                runs: &ben,
            },
        ];
        assert_eq!(
            assign(&team).unwrap(),
            [
                ("dev".to_string(), C),
                ("ana".to_string(), M),
                ("chloe".to_string(), T),
                ("ben".to_string(), O),
            ]
        );
        assert_eq!(suggest(&ana), Role::Comms);
        assert_eq!(suggest(&dev), Role::Commander);
    }

    #[test]
    fn three_trainees_play_each_role_exactly_twice_in_six_runs() {
        let names = ["ana", "ben", "chloe"];
        let rounds = simulate(&names, 60);
        // Any six runs in a row, not just the first six.
        for six in rounds.windows(6) {
            for (who, name) in names.iter().enumerate() {
                assert_eq!(tally(six, who), [2, 2, 2, 0], "{name}");
            }
        }
        for pair in rounds.windows(2) {
            for (who, name) in names.iter().enumerate() {
                assert_ne!(pair[0][who], pair[1][who], "{name} repeats");
            }
        }
    }

    /// Three people taking turns at one machine: each plays alone in turn, with the
    /// role [`suggest`] gives them. A team [`assign`] recomputed at every turn would not
    /// do: once all three have played commander, one of them must repeat it in a
    /// drill played together, and the tie goes to the same name every turn.
    #[test]
    fn three_people_taking_turns_are_each_steered_through_every_role() {
        let mut histories: Vec<Vec<Played>> = vec![Vec::new(); 3];
        let mut roles: Vec<Vec<Role>> = vec![Vec::new(); 3];
        for turn in 0..30 {
            let who = turn % 3;
            let role = suggest(&histories[who]);
            histories[who].push(Played {
                role: Some(role),
                order: turn as i64,
            });
            roles[who].push(role);
        }
        for played in &roles {
            for three in played.windows(3) {
                let mut three = three.to_vec();
                three.sort();
                assert_eq!(three, Role::ALL, "{played:?}");
            }
        }
    }

    #[test]
    fn two_trainees_never_repeat_and_their_counts_stay_within_one() {
        let names = ["ana", "ben"];
        let rounds = simulate(&names, 60);
        for pair in rounds.windows(2) {
            for (who, name) in names.iter().enumerate() {
                assert_ne!(pair[0][who], pair[1][who], "{name} repeats");
            }
        }
        for end in 1..=rounds.len() {
            let tallies: Vec<[usize; 4]> = (0..names.len())
                .map(|who| tally(&rounds[..end], who))
                .collect();
            for (name, times) in names.iter().zip(&tallies) {
                assert!(
                    spread(times[..3].iter().copied()) <= 1,
                    "{name} after {end}: {times:?}"
                );
            }
            for role in 0..3 {
                assert!(
                    spread(tallies.iter().map(|times| times[role])) <= 1,
                    "after {end}: {tallies:?}"
                );
            }
        }
    }

    /// Four to eight trainees: whoever observed last time plays before anyone who just
    /// played, nobody observes twice in a row unless there are more observers than
    /// roles, nobody repeats a role, and each person's counts stay within one.
    #[test]
    fn observers_rotate_in() {
        for size in 4..=8 {
            let names: Vec<String> = (0..size).map(|i| format!("t{i}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let rounds = simulate(&names, 120);
            let observers = size - 3;
            for pair in rounds.windows(2) {
                let watched_again = (0..size)
                    .filter(|&who| pair[0][who].is_none() && pair[1][who].is_none())
                    .count();
                assert_eq!(
                    watched_again,
                    observers.saturating_sub(3),
                    "{size}: {pair:?}"
                );
                let played_after_watching = (0..size)
                    .filter(|&who| pair[0][who].is_none() && pair[1][who].is_some())
                    .count();
                assert_eq!(played_after_watching, observers.min(3), "{size}: {pair:?}");
                for who in 0..size {
                    if pair[0][who].is_some() {
                        assert_ne!(pair[0][who], pair[1][who], "{size}: {} repeats", names[who]);
                    }
                }
            }
            for end in 1..=rounds.len() {
                let tallies: Vec<[usize; 4]> =
                    (0..size).map(|who| tally(&rounds[..end], who)).collect();
                for (name, times) in names.iter().zip(&tallies) {
                    assert!(
                        spread(times[..3].iter().copied()) <= 1,
                        "{size}: {name} after {end}: {times:?}"
                    );
                }
                assert!(
                    spread(tallies.iter().map(|times| times[3])) <= 1,
                    "{size} after {end}: {tallies:?}"
                );
            }
            // Over whole cycles of `size` runs everyone plays each role equally often.
            let cycle = &rounds[..size * (rounds.len() / size)];
            for who in 0..size {
                let times = tally(cycle, who);
                assert_eq!(spread(times[..3].iter().copied()), 0, "{size}: {times:?}");
            }
        }
    }

    #[test]
    fn a_newcomer_plays_at_once() {
        let ana = history(&[C, M, T, C, M, T]);
        let ben = history(&[M, T, C, M, T, C]);
        let chloe = history(&[T, C, M, T, C, M]);
        let team = [
            TraineeHistory {
                name: "ana",
                runs: &ana,
            },
            TraineeHistory {
                name: "ben",
                runs: &ben,
            },
            TraineeHistory {
                name: "chloe",
                runs: &chloe,
            },
            TraineeHistory {
                name: "zoe",
                runs: &[],
            },
        ];
        // Zoe has played nothing (0 times in any role), so she plays and a veteran
        // (2 times in each role) observes. Nobody repeats and everyone gets a role they
        // had longest ago three ways: ana commander, ben comms, zoe tech (chloe
        // observes); ana commander, chloe tech, zoe comms; or ben comms, chloe tech, zoe
        // commander. By name, ana gets commander and ben comms before an observer.
        let assignment = assign(&team).unwrap();
        let expected = [("ana", C), ("ben", M), ("chloe", O), ("zoe", T)]
            .map(|(name, role)| (name.to_string(), role));
        assert_eq!(assignment, expected);
    }

    #[test]
    fn a_new_team_takes_the_roles_in_name_order() {
        let team = |names: &[&'static str]| -> Vec<TraineeHistory<'static>> {
            names
                .iter()
                .map(|&name| TraineeHistory { name, runs: &[] })
                .collect()
        };
        let roles = |names: &[&'static str]| -> Vec<Option<Role>> {
            assign(&team(names))
                .unwrap()
                .into_iter()
                .map(|(_, role)| role)
                .collect()
        };
        assert_eq!(roles(&["chloe", "ana", "ben"]), [T, C, M]);
        assert_eq!(roles(&["ben", "ana"]), [M, C]);
        assert_eq!(roles(&["ana"]), [C]);
        assert_eq!(
            roles(&["erin", "dev", "chloe", "ben", "ana"]),
            [O, O, T, M, C]
        );
        assert!(roles(&[]).is_empty());
    }

    #[test]
    fn bad_teams_are_refused() {
        let names: Vec<String> = (0..=MAX_TEAM).map(|i| format!("t{i}")).collect();
        let team: Vec<TraineeHistory> = names
            .iter()
            .map(|name| TraineeHistory { name, runs: &[] })
            .collect();
        assert_eq!(
            assign(&team),
            Err(RotationError::TooManyTrainees(MAX_TEAM + 1))
        );
        // The largest team is shared out: new to the drill, the first three by name
        // ("t0", "t1", "t10") take the roles and the other nine observe.
        let largest = assign(&team[..MAX_TEAM]).unwrap();
        let expected: Vec<(String, Option<Role>)> = names[..MAX_TEAM]
            .iter()
            .map(|name| {
                let role = match name.as_str() {
                    "t0" => C,
                    "t1" => M,
                    "t10" => T,
                    _ => O,
                };
                (name.clone(), role)
            })
            .collect();
        assert_eq!(largest, expected);
        let twice = [
            TraineeHistory {
                name: "ana",
                runs: &[],
            },
            TraineeHistory {
                name: "ben",
                runs: &[],
            },
            TraineeHistory {
                name: "ana",
                runs: &[],
            },
        ];
        assert_eq!(
            assign(&twice),
            Err(RotationError::DuplicateName("ana".into()))
        );
    }

    /// Histories of up to `max` trainees: runs with any slot and orders that may tie.
    fn histories(max: usize) -> impl Strategy<Value = Vec<Vec<Played>>> {
        let run = (0u8..4, 0i64..12).prop_map(|(slot, order)| Played {
            role: Slot::ALL[usize::from(slot)].role(),
            order,
        });
        proptest::collection::vec(proptest::collection::vec(run, 0..10), 0..=max)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn suggest_is_assign_for_a_team_of_one(runs in proptest::collection::vec((0u8..4, 0i64..12), 0..12)) {
            let runs: Vec<Played> = runs
                .into_iter()
                .map(|(slot, order)| Played { role: Slot::ALL[usize::from(slot)].role(), order })
                .collect();
            let alone = assign(&[TraineeHistory { name: "solo", runs: &runs }]).unwrap();
            prop_assert_eq!(alone, vec![("solo".to_string(), Some(suggest(&runs)))]);
        }

        /// Listing the team in another order changes nothing but the output's order.
        #[test]
        fn the_order_of_the_team_does_not_matter(
            (histories, shuffled) in histories(7).prop_flat_map(|histories| {
                let order: Vec<usize> = (0..histories.len()).collect();
                (Just(histories), Just(order).prop_shuffle())
            })
        ) {
            let names: Vec<String> = (0..histories.len()).map(|i| format!("t{i}")).collect();
            let team: Vec<TraineeHistory> = names
                .iter()
                .zip(&histories)
                .map(|(name, runs)| TraineeHistory { name, runs })
                .collect();
            let reordered: Vec<TraineeHistory> = shuffled.iter().map(|&i| team[i]).collect();
            let mut expected = assign(&team).unwrap();
            expected.sort();
            let mut got = assign(&reordered).unwrap();
            got.sort();
            prop_assert_eq!(got, expected);
        }

        /// Shuffling a trainee's runs changes nothing when their orders differ.
        #[test]
        fn the_order_of_the_runs_does_not_matter(
            (runs, shuffled) in proptest::collection::vec(0u8..4, 0..12).prop_flat_map(|slots| {
                let runs: Vec<Played> = (0..)
                    .zip(slots)
                    .map(|(order, slot)| Played { role: Slot::ALL[usize::from(slot)].role(), order })
                    .collect();
                (Just(runs.clone()), Just(runs).prop_shuffle())
            })
        ) {
            prop_assert_eq!(suggest(&shuffled), suggest(&runs));
        }
    }
}
