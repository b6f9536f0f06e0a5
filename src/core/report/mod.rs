//! Human-readable views of a run: the timeline (what happened when, by whom, in words)
//! and the postmortem draft built from it.

pub mod postmortem;
pub mod timeline;
