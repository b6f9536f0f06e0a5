//! Human-readable views of a run: the words for every action and event ([`words`]),
//! the timeline (what happened when, by whom), the postmortem draft built from it, and
//! a run compared with a branch of it ([`compare`]).

pub mod compare;
pub mod postmortem;
pub mod timeline;
pub mod words;
