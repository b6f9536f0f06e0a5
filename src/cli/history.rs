//! `firedrill history` and `firedrill replay`: the stored runs, their means per
//! trainee and role, and re-scoring a stored run from its inputs.

use std::sync::Arc;

use firedrill_core::engine::action::Role;
use firedrill_core::history::{Filter, RunRow, Store, means, scenario_hash};
use firedrill_core::scenario::LoadError;
use firedrill_core::{drill, inputs, run};

use super::run::duration;
use super::{CliError, load};

/// Lists runs as a table with means per trainee and role, or as CSV.
pub fn list(store: &Store, filter: &Filter, csv: bool) -> Result<(), CliError> {
    let rows = store.runs(filter)?;
    if csv {
        print!("{}", as_csv(&rows));
        return Ok(());
    }
    if rows.is_empty() {
        println!(
            "No runs recorded yet: `firedrill run ... --trainee NAME` or a finished game in the app records one."
        );
        return Ok(());
    }
    println!(
        "{:<5} {:<17} {:<24} {:<12} {:<10} {:<10} {:>8} {:>8} {:>8} {:>4} {:>5}  branch of",
        "run",
        "started",
        "scenario",
        "trainee",
        "role",
        "outcome",
        "MTTA",
        "MTTR",
        "MTRS",
        "CAN",
        "total"
    );
    for r in &rows {
        println!(
            "{:<5} {:<17} {:<24} {:<12} {:<10} {:<10} {:>8} {:>8} {:>8} {:>4} {:>5}  {}",
            format!("#{}", r.id),
            r.started_at
                .get(..16)
                .unwrap_or(&r.started_at)
                .replace('T', " "),
            r.scenario,
            r.trainee,
            r.role.map_or("observer", |role| role.key()),
            r.outcome.key(),
            minutes(r.mtta_s.map(|s| s as f64)),
            minutes(r.mttr_s.map(|s| s as f64)),
            minutes(r.mtrs_s.map(|s| s as f64)),
            r.can,
            r.total,
            r.branch_of.map_or_else(String::new, |b| format!(
                "#{} from {}",
                b.run,
                duration(Some(b.at_s))
            ))
        );
    }
    println!("\nMeans per trainee and role (MTTA/MTTR/MTRS over the runs that reached them):");
    println!(
        "{:<12} {:<10} {:>4} {:>8} {:>8} {:>8} {:>5} {:>5}",
        "trainee", "role", "runs", "MTTA", "MTTR", "MTRS", "CAN", "total"
    );
    for m in means(&rows) {
        println!(
            "{:<12} {:<10} {:>4} {:>8} {:>8} {:>8} {:>5.0} {:>5.0}",
            m.trainee,
            m.role.map_or("observer", |role| role.key()),
            m.runs,
            minutes(m.mtta_s),
            minutes(m.mttr_s),
            minutes(m.mtrs_s),
            m.can,
            m.total
        );
    }
    Ok(())
}

/// A (mean) time to the second, `12m30s`; `-` when not reached.
fn minutes(secs: Option<f64>) -> String {
    duration(secs.map(|s| s.round() as u64))
}

fn as_csv(rows: &[RunRow]) -> String {
    let mut out = String::from(
        "run,started_at,scenario,seed,trainee,role,outcome,mtta_s,mttr_s,mtrs_s,can,total,branch_of,branch_at_s\n",
    );
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let secs = |s: Option<u64>| s.map_or(String::new(), |s| s.to_string());
    for r in rows {
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.id,
            field(&r.started_at),
            field(&r.scenario),
            r.seed,
            field(&r.trainee),
            r.role.map_or("observer", |role| role.key()),
            r.outcome.key(),
            secs(r.mtta_s),
            secs(r.mttr_s),
            secs(r.mtrs_s),
            r.can,
            r.total,
            secs(r.branch_of.map(|b| b.run as u64)),
            secs(r.branch_of.map(|b| b.at_s)),
        );
    }
    out
}

/// Re-scores stored run `id` from its inputs, with its scenario (built-in by id, or
/// `scenario` when given) and seed, and says whether the total still matches.
pub fn replay(store: &Store, id: i64, scenario: Option<&str>) -> Result<(), CliError> {
    let stored = store.run(id)?;
    let scenario = load::scenario(scenario.unwrap_or(&stored.scenario_id))?;
    if scenario_hash(&scenario) != stored.scenario_hash {
        eprintln!(
            "firedrill: warning: scenario {} has changed since run #{id}: the replay scores it as it is now",
            scenario.id
        );
    }
    let invalid = |diagnostics| {
        CliError::from(LoadError::Invalid {
            path: format!("run #{id} inputs").into(),
            source_text: stored.inputs.clone(),
            diagnostics,
        })
    };
    let report = if drill::looks_like_drill(&stored.inputs) {
        // A team drill: the whole drill replays, and the trainee's seat is scored.
        let file = drill::parse(&stored.inputs, &scenario).map_err(invalid)?;
        let engine = drill::play(Arc::clone(&scenario), &file)
            .map_err(|e| CliError::Invalid(format!("run #{id}: the drill does not replay: {e}")))?;
        let team = drill::report(&engine);
        let role = stored.role.as_deref().and_then(|r| r.parse::<Role>().ok());
        let seat = team
            .seats
            .iter()
            .find(|seat| Some(seat.role) == role)
            .ok_or_else(|| CliError::Invalid(format!("run #{id}: nobody sat in its seat")))?;
        team.seat_run(seat)
    } else {
        let file = inputs::parse(&stored.inputs, &scenario).map_err(invalid)?;
        run::report(&run::play(Arc::clone(&scenario), stored.seed, Some(&file)))
    };
    print!("{}", super::run::summary(&scenario, &report));
    let total = report.scorecard.scores.total;
    if total == stored.total {
        println!("Replayed run #{id}: total {total}, as recorded.");
    } else {
        println!(
            "Replayed run #{id}: total {total}; {} was recorded.",
            stored.total
        );
    }
    Ok(())
}
