//! firedrill-core: the simulation core of firedrill.
//!
//! Everything here is plain Rust (serde, ron, chrono): no rendering and no Bevy, so it
//! builds and tests in seconds and every shell (GUI, CLI, drill host) shares it.
//!
//! - [`scenario`]: the RON scenario format, its loader and its validator.
//! - [`engine`]: the deterministic simulation: clock, world, incident, journal.
//! - [`bots`]: the colleagues who play the roles nobody took.
//! - [`history`]: past runs in an embedded SQLite database.
//! - [`inputs`]: input files, the timed actions of one trainee role.
//! - [`score`]: scores and findings, a pure function of (scenario, journal).
//! - [`report`]: human-readable views of a run (the timeline).
//! - [`rotation`]: which role each trainee should take next.
//! - [`run`]: headless runs and autoplay.
//! - [`session`]: live runs driven by real time, recording the trainee's inputs.

pub mod bots;
pub mod engine;
pub mod history;
pub mod inputs;
pub mod report;
pub mod rotation;
pub mod run;
pub mod scenario;
pub mod score;
pub mod session;
