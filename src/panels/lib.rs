//! firedrill-panels: every screen of the firedrill app as egui panels.
//!
//! Each panel is a plain function of a view model (plain data built from the core's
//! state) and a form (what the trainee is typing), returning what the trainee asked
//! for. No Bevy and no window: the Bevy shell calls these each frame, and tests drive
//! them headless with egui_kittest.
//!
//! - [`theme`]: the dark theme and the one palette for severities, alerts and states.
//! - [`chart`]: metric charts with thresholds and action markers.
//! - [`menu`]: trainee name, scenario library, role and speed.
//! - [`briefing`]: the opening situation and what the chosen role is expected to do.
//! - [`war_room`]: the live incident: clock, alerts, dashboards, channels, actions.
//! - [`debrief`]: scores with every finding, the timeline, charts, saving the results.
//! - [`progress`]: each trainee's times and scores over their runs, per role.
//! - [`facilitator`]: a team drill's facilitator console: the truth, the clock,
//!   injects, speaking as a character, hints and notes.
//! - [`team`]: a team drill's connect screen (host or join), lobby and seat bar.
//! - [`team_debrief`]: the shared debrief of a team drill, seat by seat.

pub mod briefing;
pub mod chart;
pub mod debrief;
pub mod facilitator;
pub mod menu;
pub mod progress;
pub mod team;
pub mod team_debrief;
pub mod theme;
pub mod war_room;

pub use egui;

#[cfg(test)]
mod tests;
