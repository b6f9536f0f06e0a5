//! `firedrill next --trainee A [--trainee B ...]`: who should take which role next,
//! from the history (docs/rotation.md explains the rule).

use firedrill_core::engine::action::Role;
use firedrill_core::history::Store;
use firedrill_core::rotation::{self, TraineeHistory};

use super::CliError;

pub fn run(store: &Store, trainees: &[String]) -> Result<(), CliError> {
    let histories = trainees
        .iter()
        .map(|name| store.played(name))
        .collect::<Result<Vec<_>, _>>()?;
    let team: Vec<TraineeHistory> = trainees
        .iter()
        .zip(&histories)
        .map(|(name, runs)| TraineeHistory { name, runs })
        .collect();
    let assignment = rotation::assign(&team).map_err(|e| CliError::Usage(e.to_string()))?;
    for ((name, slot), runs) in assignment.iter().zip(&histories) {
        let played = |role: Option<Role>| runs.iter().filter(|p| p.role == role).count();
        let last = runs.iter().max_by_key(|p| p.order).map(|p| p.role);
        let taken = match slot {
            Some(role) => role.title().to_string(),
            None => "observer (scribe)".to_string(),
        };
        let before = match last {
            None => "first run".to_string(),
            Some(last) => format!(
                "played {}× before; last run: {}",
                played(*slot),
                last.map_or("observer", Role::key)
            ),
        };
        println!("{name}: {taken} ({before})");
    }
    let bots: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|role| !assignment.iter().any(|(_, slot)| *slot == Some(*role)))
        .map(Role::title)
        .collect();
    if !bots.is_empty() {
        println!("Bots play the {}.", bots.join(" and the "));
    }
    Ok(())
}
