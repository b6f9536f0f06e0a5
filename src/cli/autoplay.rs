//! `firedrill autoplay SCENARIO [--runs N] [--seed N] [--policy P] [--jobs N] [--json OUT]`:
//! bots play every role, many times on every core, and the report says how the drill
//! plays out: resolve rate, time percentiles, wrong turns, where unresolved runs got
//! stuck and the difficulty they suggest.

use std::io::IsTerminal;
use std::path::PathBuf;

use firedrill_core::autoplay::{self, AutoplayRun, Profile, Spread};
use firedrill_core::bots::Policy;
use firedrill_core::scenario::{Difficulty, RemediationKind, Scenario, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::run::duration;
use super::{CliError, load};

#[derive(Serialize)]
struct Spreads<'a> {
    scenario: &'a str,
    policy: Policy,
    resolve_rate: f64,
    /// As the scenario's `difficulty` spells it: `Medium`.
    suggested_difficulty: Difficulty,
    runs: &'a [AutoplayRun],
}

pub fn run(
    scenario: &str,
    runs: u32,
    seed: u64,
    policy: Policy,
    jobs: Option<usize>,
    json: Option<PathBuf>,
) -> Result<(), CliError> {
    let scenario = load::scenario(scenario)?;
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(u64::from(runs)), target).with_style(
        ProgressStyle::with_template("autoplay {bar:40} {pos}/{len} runs · {per_sec} · {eta}")
            .expect("the template is valid"),
    );
    let jobs = jobs.unwrap_or_else(autoplay::default_jobs);
    let results = autoplay::autoplay_on(scenario.clone(), runs, seed, policy, jobs, |_| bar.inc(1));
    bar.finish_and_clear();
    let profile = autoplay::profile(&scenario, &results);
    print!("{}", report(&scenario, policy, seed, &profile));
    if let Some(path) = json {
        let spreads = Spreads {
            scenario: &scenario.id,
            policy,
            resolve_rate: profile.resolve_rate,
            suggested_difficulty: profile.suggested,
            runs: &results,
        };
        load::write(
            &path,
            &(serde_json::to_string_pretty(&spreads).expect("serializes") + "\n"),
        )?;
    }
    Ok(())
}

/// The report's lines.
fn report(scenario: &Scenario, policy: Policy, seed: u64, p: &Profile) -> String {
    let runs = p.runs;
    let mut out = format!(
        "{} · {runs} run(s) with bots in every role ({} policy), seeds {seed}..{}\n",
        scenario.title,
        policy.key(),
        seed.wrapping_add(u64::from(runs)) - 1
    );
    out += &format!(
        "Resolved: {}/{runs} ({:.0}%)\n",
        p.resolved,
        p.resolve_rate * 100.0
    );
    let times = |s: &Spread| {
        format!(
            "p10 {} · p50 {} · p90 {}",
            duration(s.p10),
            duration(s.p50),
            duration(s.p90)
        )
    };
    out += &format!("MTTA: {}\n", times(&p.mtta));
    out += &format!("MTTR: {}\n", times(&p.mttr));
    out += &format!("MTRS: {}\n", times(&p.mtrs));
    let score = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
    out += &format!(
        "Total score: p10 {} · p50 {} · p90 {}\n",
        score(p.total.p10),
        score(p.total.p50),
        score(p.total.p90)
    );
    let turns: Vec<String> = p
        .wrong_turns
        .iter()
        .map(|(id, n)| format!("{} in {n} of {runs} runs", remediation(scenario, id)))
        .collect();
    out += &format!(
        "Wrong turns: {}\n",
        if turns.is_empty() {
            "none".to_string()
        } else {
            turns.join(" · ")
        }
    );
    let unresolved = runs - p.resolved;
    if unresolved > 0 {
        out += &format!("Stuck: {unresolved} run(s) not resolved.");
        if let Some((blocked, n)) = &p.most_blocked {
            out += &format!(
                " Most blocked: {}, refused in {n} of them: {}",
                step(scenario, &blocked.step),
                blocked.reason
            );
        }
        if let Some((id, n)) = &p.never_reached {
            out += &format!(
                " Never reached: {} in {n} of them.",
                remediation(scenario, id)
            );
        }
        out += "\n";
    }
    let stated = if p.suggested == scenario.difficulty {
        "as the scenario says".to_string()
    } else {
        format!("the scenario says {}", scenario.difficulty.label())
    };
    out += &format!(
        "Suggested difficulty: {} ({stated}; rule in docs/scenario-format.md, \"Difficulty\")\n",
        p.suggested.label()
    );
    out
}

/// A remediation as a person reads it: "Restart the edge fleet" (harmful).
/// An investigation or remediation as the report names it.
fn step(scenario: &Scenario, step: &Step) -> String {
    match step {
        Step::Remediate(id) => remediation(scenario, id),
        Step::Investigate(id) => scenario
            .investigations
            .iter()
            .find(|x| &x.id == id)
            .map_or_else(|| format!("\"{id}\""), |x| format!("\"{}\"", x.label)),
        Step::Page(team) => format!("paging {team}"),
    }
}

fn remediation(scenario: &Scenario, id: &str) -> String {
    let Some(r) = scenario.remediations.iter().find(|r| r.id == id) else {
        return format!("\"{id}\"");
    };
    let kind = match r.kind {
        RemediationKind::RedHerring => " (red herring)",
        RemediationKind::Harmful => " (harmful)",
        RemediationKind::Fix | RemediationKind::Mitigation | RemediationKind::Preparation => "",
    };
    format!("\"{}\"{kind}", r.label)
}
