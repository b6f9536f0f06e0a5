//! `firedrill autoplay SCENARIO [--runs N] [--seed N] [--policy P]`: bots play every
//! role, many times, and the spread shows how the scenario plays out.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use firedrill_core::bots::Policy;
use firedrill_core::run::{self, AutoplayRun, percentile};
use serde::Serialize;

use super::run::duration;
use super::{CliError, load};

#[derive(Serialize)]
struct Spread<'a> {
    scenario: &'a str,
    policy: Policy,
    runs: &'a [AutoplayRun],
    resolve_rate: f64,
}

pub fn run(
    scenario: &str,
    runs: u32,
    seed: u64,
    policy: Policy,
    json: Option<PathBuf>,
) -> Result<(), CliError> {
    let scenario = load::scenario(scenario)?;
    let show_progress = std::io::stderr().is_terminal();
    let results = run::autoplay(scenario.clone(), runs, seed, policy, |done| {
        if show_progress {
            eprint!("\rautoplay: run {done}/{runs}");
            let _ = std::io::stderr().flush();
        }
    });
    if show_progress {
        eprintln!();
    }
    let resolved = results.iter().filter(|r| r.resolved).count();
    let rate = resolved as f64 / f64::from(runs.max(1));
    println!(
        "{} · {runs} run(s) with bots in every role ({} policy), seeds {seed}..{}",
        scenario.title,
        policy.key(),
        seed + u64::from(runs) - 1
    );
    println!("Resolved: {resolved}/{runs} ({:.0}%)", rate * 100.0);
    let totals: Vec<u64> = results.iter().map(|r| u64::from(r.total)).collect();
    println!(
        "Total score: p10 {} · p50 {} · p90 {}",
        percentile(&totals, 10).unwrap_or(0),
        percentile(&totals, 50).unwrap_or(0),
        percentile(&totals, 90).unwrap_or(0)
    );
    for (name, values) in [
        (
            "MTTA",
            results.iter().filter_map(|r| r.mtta_s).collect::<Vec<_>>(),
        ),
        ("MTTR", results.iter().filter_map(|r| r.mttr_s).collect()),
    ] {
        let p = |q| duration(percentile(&values, q));
        println!(
            "{name}: p10 {} · p50 {} · p90 {} · max {}",
            p(10),
            p(50),
            p(90),
            p(100)
        );
    }
    if let Some(path) = json {
        let spread = Spread {
            scenario: &scenario.id,
            policy,
            runs: &results,
            resolve_rate: rate,
        };
        load::write(
            &path,
            &(serde_json::to_string_pretty(&spread).expect("serializes") + "\n"),
        )?;
    }
    Ok(())
}
