//! Human-readable views of a run: the words for every action and event ([`words`]),
//! the timeline (what happened when, by whom) and the postmortem draft built from it.

pub mod postmortem;
pub mod timeline;
pub mod words;
