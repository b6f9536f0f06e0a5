//! firedrill-core: the simulation core of firedrill.
//!
//! Everything here is plain Rust (serde, ron, chrono): no rendering and no Bevy, so it
//! builds and tests in seconds and every shell (GUI, CLI, drill host) shares it.
//!
//! - [`scenario`]: the RON scenario format, its loader and its validator.

pub mod scenario;
