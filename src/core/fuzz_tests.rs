//! A stable fuzz harness (cargo-fuzz needs nightly): the shipped scenarios, walkthrough
//! inputs and a team drill file, mutated by a seeded generator (bytes flipped, ranges
//! cut, copied or moved, RON punctuation and keywords inserted, lines swapped, files
//! cut short), each fed through what a user's file goes through: the scenario loader
//! and validator, the input and drill file checks, and a run of what loads (the first
//! 10 sim minutes of a scenario; inputs and drill files played to the end).
//! Nothing may panic.
//!
//! The CI run is small; the long one is `#[ignore]`d:
//! `FIREDRILL_FUZZ_CASES=1000000 cargo test --workspace --locked fuzz -- --ignored --nocapture`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::engine::Engine;
use crate::scenario::{self, Duration, Scenario, builtin};
use crate::{drill, inputs};

/// Tokens a mutation may insert: RON's punctuation and the words of the format.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "\\",
    "//",
    "/*",
    "*/",
    "\n",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "\"\"",
    "\"2m\"",
    "\"99999h\"",
    "None",
    "Some(",
    "true",
    "Sev1",
    "Above(",
    "Below(",
    "Ramp(",
    "at:",
    "when:",
    "requires:",
    "id:",
    "metric:",
    "\u{feff}",
    "é",
    "\u{0}",
    "Inputs(",
    "Drill(",
    "Scenario(",
];

/// One seed file: what it is, and its text.
enum Seed {
    Scenario(String),
    /// An input or drill file, checked against this scenario.
    Inputs(Arc<Scenario>, String),
    Drill(Arc<Scenario>, String),
}

fn seeds() -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (id, text) in builtin::BUILTIN {
        seeds.push(Seed::Scenario((*text).to_owned()));
        let scenario = Arc::new(scenario::parse(text).expect("a shipped scenario is valid"));
        for role in ["commander", "comms", "tech"] {
            let path = format!(
                "{}/../../scenarios/walkthroughs/{id}.{role}.ron",
                env!("CARGO_MANIFEST_DIR")
            );
            if let Ok(text) = std::fs::read_to_string(path) {
                seeds.push(Seed::Inputs(Arc::clone(&scenario), text));
            }
        }
        if *id == "edge-waf-regex" {
            let drill = include_str!("../../tests/fixtures/team-drill.ron").to_owned();
            seeds.push(Seed::Drill(scenario, drill));
        }
    }
    seeds
}

/// `text` changed in one to four places.
fn mutate(text: &str, rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let len = bytes.len().max(1);
        let at = rng.random_range(0..len).min(bytes.len());
        let span = rng.random_range(1..=64).min(bytes.len() - at);
        match rng.random_range(0..7) {
            0 if at < bytes.len() => bytes[at] ^= 1 << rng.random_range(0..8),
            1 => {
                bytes.drain(at..at + span);
            }
            2 => {
                let copy = bytes[at..at + span].to_vec();
                let to = rng.random_range(0..=bytes.len());
                bytes.splice(to..to, copy);
            }
            3 | 4 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            5 => bytes.truncate(at),
            _ => {
                let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
                if lines.len() > 2 {
                    let (a, b) = (
                        rng.random_range(0..lines.len()),
                        rng.random_range(0..lines.len()),
                    );
                    let mut swapped: Vec<&[u8]> = lines.clone();
                    swapped.swap(a, b);
                    bytes = swapped.join(&b'\n');
                }
            }
        }
    }
    bytes
}

/// A short run: the first 10 sim minutes.
fn short_run(engine: &mut Engine) {
    engine.advance_to(Duration::from_mins(10));
}

/// What a user's file goes through, for one mutated text; whether it loaded and ran.
fn exercise(seed: &Seed, bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    match seed {
        Seed::Scenario(_) => {
            let Ok(scenario) = scenario::parse(text) else {
                return false;
            };
            short_run(&mut Engine::new(scenario, 1, &[]));
        }
        Seed::Inputs(scenario, _) => {
            let Ok(file) = inputs::parse(text, scenario) else {
                return false;
            };
            crate::run::play(Arc::clone(scenario), 1, Some(&file));
        }
        Seed::Drill(scenario, _) => {
            let Ok(file) = drill::parse(text, scenario) else {
                return false;
            };
            return drill::play(Arc::clone(scenario), &file).is_ok();
        }
    }
    true
}

/// What a fuzz run found.
struct Found {
    /// (seed file index, case number) of every case that panicked.
    panics: Vec<(usize, u64)>,
    /// Cases that loaded, passed every check and ran.
    ran: u64,
}

/// Runs `cases` mutations.
fn fuzz(cases: u64) -> Found {
    let seeds = seeds();
    let mut rng = ChaCha8Rng::seed_from_u64(0x000f_1ced_5eed);
    let mut panics = Vec::new();
    let mut ran = 0;
    // Panics are caught and counted; their default report would flood the output.
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for case in 0..cases {
        let index = rng.random_range(0..seeds.len());
        let seed = &seeds[index];
        let text = match seed {
            Seed::Scenario(text) | Seed::Inputs(_, text) | Seed::Drill(_, text) => text,
        };
        let bytes = mutate(text, &mut rng);
        match catch_unwind(AssertUnwindSafe(|| exercise(seed, &bytes))) {
            Ok(true) => ran += 1,
            Ok(false) => {}
            Err(_) => panics.push((index, case)),
        }
    }
    std::panic::set_hook(quiet);
    Found { panics, ran }
}

#[test]
fn a_few_thousand_mutated_files_load_validate_and_run_without_a_panic() {
    let found = fuzz(2_000);
    assert_eq!(found.panics, []);
    // Mutations that still load exercise the engine too, not only the parser.
    assert!(found.ran > 100, "only {} of 2000 loaded", found.ran);
}

#[test]
#[ignore = "long: run by hand, FIREDRILL_FUZZ_CASES sets the count"]
fn fuzz_a_million_mutated_files() {
    let cases = std::env::var("FIREDRILL_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let start = Instant::now();
    let found = fuzz(cases);
    println!(
        "{cases} mutated files in {:.1} s ({:.0} per second): {} loaded and ran, {} panics",
        start.elapsed().as_secs_f64(),
        cases as f64 / start.elapsed().as_secs_f64(),
        found.ran,
        found.panics.len()
    );
    assert_eq!(found.panics, []);
}
