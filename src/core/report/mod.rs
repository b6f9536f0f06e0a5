//! Human-readable views of a run: the timeline (what happened when, by whom, in words).

pub mod timeline;
