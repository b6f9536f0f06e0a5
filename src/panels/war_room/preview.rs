//! The author's preview strip (`firedrill play FILE --watch`): which file is watched,
//! what its last save did, and a timeline scrubber that jumps the run to any sim time
//! to show what a trainee would see then.

use egui::{RichText, Ui};
use firedrill_core::scenario::Duration;

use super::WarRoomAction;
use crate::theme;

/// The preview as the strip shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The watched file, as the author named it.
    pub file: String,
    /// The sim second the run has reached.
    pub at: u64,
    /// The scenario's time limit, the end of the scrubber.
    pub limit: u64,
    /// What the last save or jump did.
    pub note: Option<PreviewNote>,
}

/// A line about the last save or jump.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewNote {
    pub text: String,
    /// The file did not load: the run goes on as it was.
    pub failed: bool,
}

/// How far the step buttons jump.
const STEP: u64 = 60;

/// Draws the strip. `dragging` keeps the scrubber's position while it is dragged, so
/// the run is played again once, where the author lets go.
pub(super) fn show(
    ui: &mut Ui,
    preview: &Preview,
    dragging: &mut Option<u64>,
    out: &mut Vec<WarRoomAction>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Preview").strong().color(theme::TEAL))
            .on_hover_text("The scenario file is read again each time it is saved");
        ui.label(RichText::new(&preview.file).monospace().color(theme::GREY));
        ui.separator();
        let jump = |out: &mut Vec<WarRoomAction>, to: u64| {
            out.push(WarRoomAction::Jump(Duration::from_secs(to.min(preview.limit))));
        };
        if ui
            .button("◀ 1m")
            .on_hover_text("Play the run again to one minute earlier")
            .clicked()
        {
            jump(out, preview.at.saturating_sub(STEP));
        }
        let mut at = dragging.unwrap_or(preview.at);
        ui.spacing_mut().slider_width = 420.0;
        let slider = egui::Slider::new(&mut at, 0..=preview.limit)
            .custom_formatter(|v, _| format!("T+{}", Duration::from_secs(v as u64)))
            .custom_parser(|text| {
                text.trim()
                    .trim_start_matches("T+")
                    .parse::<Duration>()
                    .ok()
                    .map(|d| d.as_secs() as f64)
            });
        let response = ui
            .add(slider)
            .on_hover_text("Jump to any sim time: the run is played again from the start with your inputs up to then, and paused");
        if response.dragged() {
            *dragging = Some(at);
        }
        if response.drag_stopped() || (response.changed() && !response.dragged()) {
            *dragging = None;
            jump(out, at);
        }
        if ui
            .button("1m ▶")
            .on_hover_text("Play on to one minute later")
            .clicked()
        {
            jump(out, preview.at + STEP);
        }
        if let Some(note) = &preview.note {
            ui.separator();
            let colour = if note.failed { theme::RED } else { theme::TEAL };
            ui.label(RichText::new(&note.text).color(colour));
        }
    });
}
