//! firedrill-core: the simulation core of firedrill.
//!
//! No rendering and no Bevy: its dependencies are serde, RON and JSON for files,
//! chrono for wall clocks, rand for seeded noise, a Snowball stemmer for reading CAN
//! reports, and SQLite (compiled in, through rusqlite) for the history. So it builds without a GPU or windowing stack, its tests
//! run in seconds, and both shells, the app and the CLI, share it (as will a drill
//! host for team drills).
//!
//! - [`scenario`]: the RON scenario format, its loader and its validator.
//! - [`authoring`]: new scenarios: a postmortem timeline read, a skeleton written.
//! - [`engine`]: the deterministic simulation: clock, world, incident, journal.
//! - [`bots`]: the colleagues who play the roles nobody took.
//! - [`history`]: past runs in an embedded SQLite database, and the journals of runs
//!   in progress.
//! - [`inputs`]: input files, the timed actions of one trainee role.
//! - [`drill`]: drill files, a whole team drill's inputs, and its per-seat report.
//! - [`score`]: scores and findings, a pure function of (scenario, journal).
//! - [`report`]: human-readable views of a run (the timeline and the postmortem draft).
//! - [`rotation`]: which role each trainee should take next.
//! - [`run`]: headless runs.
//! - [`autoplay`]: many runs with bots in every role, in parallel, and the difficulty
//!   profile they draw.
//! - [`saved`]: the files a finished run is saved as, named so none is overwritten.
//! - [`session`]: live runs driven by real time, recording the trainee's inputs.

pub mod authoring;
pub mod autoplay;
pub mod bots;
pub mod drill;
pub mod engine;
pub mod history;
pub mod inputs;
pub mod report;
pub mod rotation;
pub mod run;
pub mod saved;
pub mod scenario;
pub mod score;
pub mod session;

#[cfg(test)]
mod fuzz_tests;
