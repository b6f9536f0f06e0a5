//! Scenario authoring: turning what an author has (an id, a postmortem's timeline) into
//! a first scenario file to edit. [`timeline`] reads a timeline (CSV or a Markdown
//! table, clock times or offsets); [`scaffold`] writes the commented skeleton.

pub mod scaffold;
pub mod timeline;
